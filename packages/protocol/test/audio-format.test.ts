import { describe, expect, it } from 'vitest';
import {
  audioFormatFromBeta,
  audioFormatToBeta,
  bytesToMs,
  decodeToPcm16,
  describeAudioFormat,
  encodeFromPcm16,
  alawToLinear,
  linearToAlaw,
  linearToUlaw,
  msToBytes,
  ulawToLinear,
} from '../src/audio/index.js';
import type { AudioFormatDescriptor } from '../src/audio/index.js';

const PCM: AudioFormatDescriptor = { type: 'audio/pcm', rate: 24000 };
const PCMU: AudioFormatDescriptor = { type: 'audio/pcmu' };
const PCMA: AudioFormatDescriptor = { type: 'audio/pcma' };

describe('describeAudioFormat', () => {
  it('describes the GA formats', () => {
    expect(describeAudioFormat(PCM)).toEqual({
      codec: 'pcm16',
      sampleRate: 24000,
      bytesPerSample: 2,
      channels: 1,
    });
    expect(describeAudioFormat(PCMU)).toEqual({
      codec: 'pcmu',
      sampleRate: 8000,
      bytesPerSample: 1,
      channels: 1,
    });
    expect(describeAudioFormat(PCMA)).toEqual({
      codec: 'pcma',
      sampleRate: 8000,
      bytesPerSample: 1,
      channels: 1,
    });
  });

  it('treats audio/pcm without a rate as 24 kHz', () => {
    expect(describeAudioFormat({ type: 'audio/pcm' }).sampleRate).toBe(24000);
  });

  it('describes the beta names like their GA equivalents', () => {
    expect(describeAudioFormat('pcm16')).toEqual(describeAudioFormat(PCM));
    expect(describeAudioFormat('g711_ulaw')).toEqual(describeAudioFormat(PCMU));
    expect(describeAudioFormat('g711_alaw')).toEqual(describeAudioFormat(PCMA));
  });

  it('rejects unknown formats and invalid rates with a RangeError', () => {
    expect(() => describeAudioFormat('mp3' as never)).toThrow(RangeError);
    expect(() => describeAudioFormat({ type: 'audio/opus' } as never)).toThrow(/audio\/opus/);
    expect(() => describeAudioFormat({ type: 'audio/pcm', rate: 0 })).toThrow(RangeError);
  });
});

describe('beta format names', () => {
  it('maps beta names to GA formats and back', () => {
    expect(audioFormatFromBeta('pcm16')).toEqual(PCM);
    expect(audioFormatFromBeta('g711_ulaw')).toEqual(PCMU);
    expect(audioFormatFromBeta('g711_alaw')).toEqual(PCMA);
    for (const name of ['pcm16', 'g711_ulaw', 'g711_alaw'] as const) {
      expect(audioFormatToBeta(audioFormatFromBeta(name))).toBe(name);
    }
    expect(audioFormatToBeta({ type: 'audio/pcm' })).toBe('pcm16');
  });

  it('returns a fresh object each time', () => {
    const a = audioFormatFromBeta('pcm16');
    (a as { rate?: number }).rate = 1;
    expect(audioFormatFromBeta('pcm16')).toEqual(PCM);
  });

  it('refuses to name audio/pcm at a rate the beta API lacks', () => {
    expect(() => audioFormatToBeta({ type: 'audio/pcm', rate: 16000 })).toThrow(/16000/);
  });
});

describe('bytesToMs and msToBytes', () => {
  it('uses 48 bytes per ms for pcm16 at 24 kHz and 8 for G.711', () => {
    expect(bytesToMs(PCM, 4800)).toBe(100);
    expect(bytesToMs('pcm16', 48)).toBe(1);
    expect(bytesToMs(PCMU, 800)).toBe(100);
    expect(bytesToMs('g711_alaw', 8)).toBe(1);
    expect(bytesToMs(PCM, 24)).toBe(0.5);
    expect(msToBytes(PCM, 100)).toBe(4800);
    expect(msToBytes(PCMU, 100)).toBe(800);
    expect(msToBytes(PCMA, 20)).toBe(160);
  });

  it('returns whole samples from msToBytes', () => {
    for (let ms = 0; ms < 50; ms += 0.013) {
      expect(msToBytes(PCM, ms) % 2).toBe(0);
      expect(msToBytes({ type: 'audio/pcm', rate: 16000 }, ms) % 2).toBe(0);
    }
    expect(msToBytes(PCM, 0.03)).toBe(0);
    expect(msToBytes(PCM, 0.05)).toBe(2);
    expect(msToBytes(PCMU, 0.3)).toBe(2);
  });

  it('inverts bytesToMs for whole samples', () => {
    for (let bytes = 0; bytes < 10000; bytes += 2)
      expect(msToBytes(PCM, bytesToMs(PCM, bytes))).toBe(bytes);
    for (let bytes = 0; bytes < 2000; bytes++)
      expect(msToBytes(PCMU, bytesToMs(PCMU, bytes))).toBe(bytes);
  });

  it('gives 0 bytes for negative or NaN durations', () => {
    expect(msToBytes(PCM, -5)).toBe(0);
    expect(msToBytes(PCM, Number.NaN)).toBe(0);
  });
});

describe('decodeToPcm16 and encodeFromPcm16', () => {
  const samples = Int16Array.from([0, 1, -1, 1000, -1000, 32767, -32768]);

  it('round-trips pcm16 exactly as little-endian bytes', () => {
    const bytes = encodeFromPcm16(PCM, samples);
    expect(Array.from(bytes.subarray(0, 6))).toEqual([0, 0, 1, 0, 0xff, 0xff]);
    expect(Array.from(decodeToPcm16('pcm16', bytes))).toEqual(Array.from(samples));
  });

  it('encodes G.711 formats with the matching law', () => {
    expect(Array.from(encodeFromPcm16(PCMU, samples))).toEqual(Array.from(samples, linearToUlaw));
    expect(Array.from(encodeFromPcm16('g711_alaw', samples))).toEqual(
      Array.from(samples, linearToAlaw),
    );
  });

  it('decodes G.711 formats to one sample per byte', () => {
    const bytes = Uint8Array.from([0xff, 0x80, 0x00, 0xd5, 0x2a]);
    expect(Array.from(decodeToPcm16(PCMU, bytes))).toEqual(Array.from(bytes, ulawToLinear));
    expect(Array.from(decodeToPcm16(PCMA, bytes))).toEqual(Array.from(bytes, alawToLinear));
    expect(Array.from(decodeToPcm16('g711_ulaw', bytes)).slice(0, 3)).toEqual([0, 32124, -32124]);
  });
});
