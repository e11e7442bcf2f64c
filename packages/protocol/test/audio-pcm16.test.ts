import { describe, expect, it } from 'vitest';
import {
  concatPcm16,
  bytesToPcm16,
  downmixToMono,
  float32ToPcm16,
  pcm16ToBytes,
  pcm16ToFloat32,
} from '../src/audio/index.js';

describe('pcm16ToFloat32 and float32ToPcm16', () => {
  it('round-trips every 16-bit value exactly', () => {
    const all = new Int16Array(65536);
    for (let i = 0; i < all.length; i++) all[i] = i - 32768;
    const floats = pcm16ToFloat32(all);
    expect(floats[0]).toBe(-1);
    expect(floats[32768]).toBe(0);
    expect(floats[65535]).toBeCloseTo(32767 / 32768, 10);
    expect(float32ToPcm16(floats)).toEqual(all);
  });

  it('clips out-of-range floats and maps NaN to 0', () => {
    const out = float32ToPcm16(
      Float32Array.from([1, 1.5, -1, -2, Number.NaN, Infinity, -Infinity]),
    );
    expect(Array.from(out)).toEqual([32767, 32767, -32768, -32768, 0, 32767, -32768]);
  });

  it('rounds to the nearest integer', () => {
    const out = float32ToPcm16(
      Float64Array.from([0.6 / 32768, -0.6 / 32768, 0.4 / 32768, 100.5 / 32768]),
    );
    expect(Array.from(out)).toEqual([1, -1, 0, 101]);
  });
});

describe('bytesToPcm16 and pcm16ToBytes', () => {
  it('reads and writes little-endian samples', () => {
    const samples = Int16Array.from([0x0102, -2, 32767, -32768]);
    const bytes = pcm16ToBytes(samples);
    expect(Array.from(bytes)).toEqual([0x02, 0x01, 0xfe, 0xff, 0xff, 0x7f, 0x00, 0x80]);
    expect(Array.from(bytesToPcm16(bytes))).toEqual(Array.from(samples));
  });

  it('reads input that starts at an odd byte offset', () => {
    const backing = Uint8Array.from([0xaa, 0x02, 0x01, 0xfe, 0xff, 0xbb]);
    const view = backing.subarray(1, 5);
    expect(Array.from(bytesToPcm16(view))).toEqual([0x0102, -2]);
  });

  it('ignores a trailing odd byte', () => {
    expect(Array.from(bytesToPcm16(Uint8Array.from([0x01, 0x00, 0x02, 0x00, 0x7f])))).toEqual([
      1, 2,
    ]);
    expect(bytesToPcm16(Uint8Array.from([0x7f])).length).toBe(0);
    expect(bytesToPcm16(new Uint8Array(0)).length).toBe(0);
  });

  it('returns arrays that do not share memory with the input', () => {
    const bytes = Uint8Array.from([1, 0, 2, 0]);
    const samples = bytesToPcm16(bytes);
    bytes[0] = 9;
    expect(samples[0]).toBe(1);
    const again = pcm16ToBytes(samples);
    samples[0] = 7;
    expect(again[0]).toBe(1);
  });

  it('writes only the viewed part of a sample subarray', () => {
    const samples = Int16Array.from([1, 2, 3, 4]).subarray(1, 3);
    expect(Array.from(pcm16ToBytes(samples))).toEqual([2, 0, 3, 0]);
  });
});

describe('downmixToMono', () => {
  it('averages interleaved channels with rounding', () => {
    const stereo = Int16Array.from([100, 200, -1, -2, 32767, 32767, -32768, -32768, 1, 2]);
    expect(Array.from(downmixToMono(stereo, 2))).toEqual([150, -1, 32767, -32768, 2]);
  });

  it('returns mono input as is', () => {
    const mono = Int16Array.from([1, 2, 3]);
    expect(downmixToMono(mono, 1)).toBe(mono);
  });

  it('drops a trailing partial frame and rejects bad channel counts', () => {
    expect(Array.from(downmixToMono(Int16Array.from([3, 3, 3, 6, 6, 6, 9]), 3))).toEqual([3, 6]);
    expect(() => downmixToMono(new Int16Array(4), 0)).toThrow(RangeError);
  });
});

describe('concatPcm16', () => {
  it('joins the parts in order into a fresh buffer shared with none of them', () => {
    const pool = new Int16Array([1, 2, 3, 4, 5, 6]);
    const first = pool.subarray(0, 2);
    const joined = concatPcm16([first, new Int16Array([9]), pool.subarray(4)]);
    expect([...joined]).toEqual([1, 2, 9, 5, 6]);
    expect(joined.buffer).not.toBe(pool.buffer);
    const one = concatPcm16([first]);
    expect([...one]).toEqual([1, 2]);
    expect(one.buffer).not.toBe(pool.buffer);
    expect(concatPcm16([])).toHaveLength(0);
  });
});
