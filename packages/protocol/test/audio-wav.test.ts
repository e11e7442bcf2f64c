import { describe, expect, it } from 'vitest';
import {
  WavError,
  linearToAlaw,
  linearToUlaw,
  readWav,
  tryReadWav,
  wavHeader,
  writeWav,
} from '../src/audio/index.js';
import type { WavErrorCode } from '../src/audio/index.js';

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** A RIFF chunk with a pad byte after an odd-sized body. */
function chunk(id: string, body: Uint8Array, declaredSize = body.length): Uint8Array {
  const header = new Uint8Array(8);
  header.set(ascii(id));
  new DataView(header.buffer).setUint32(4, declaredSize, true);
  return concat([header, body, new Uint8Array(body.length % 2)]);
}

function riff(chunks: Uint8Array[], form = 'WAVE'): Uint8Array {
  const body = concat([ascii(form), ...chunks]);
  const header = new Uint8Array(8);
  header.set(ascii('RIFF'));
  new DataView(header.buffer).setUint32(4, body.length, true);
  return concat([header, body]);
}

interface FmtOptions {
  tag: number;
  channels?: number;
  rate?: number;
  bits: number;
  /** WAVE_FORMAT_EXTENSIBLE subformat tag. */
  subTag?: number;
  validBits?: number;
}

function fmt({ tag, channels = 1, rate = 16000, bits, subTag, validBits }: FmtOptions): Uint8Array {
  const body = new Uint8Array(subTag === undefined ? 16 : 40);
  const view = new DataView(body.buffer);
  view.setUint16(0, tag, true);
  view.setUint16(2, channels, true);
  view.setUint32(4, rate, true);
  view.setUint32(8, (rate * channels * bits) / 8, true);
  view.setUint16(12, (channels * bits) / 8, true);
  view.setUint16(14, bits, true);
  if (subTag !== undefined) {
    view.setUint16(16, 22, true);
    view.setUint16(18, validBits ?? bits, true);
    view.setUint32(20, channels === 1 ? 4 : 3, true);
    view.setUint16(24, subTag, true);
    body.set(
      [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71],
      26,
    );
  }
  return chunk('fmt ', body);
}

function errorOf(bytes: Uint8Array): WavError {
  const result = tryReadWav(bytes);
  if (result.ok) throw new Error('expected the WAV to be rejected');
  return result.error;
}

function expectWavError(bytes: Uint8Array, code: WavErrorCode, message: RegExp): void {
  const error = errorOf(bytes);
  expect(error).toBeInstanceOf(WavError);
  expect(error.code).toBe(code);
  expect(error.message).toMatch(message);
  expect(() => readWav(bytes)).toThrow(WavError);
}

const SAMPLES = Int16Array.from([0, 1, -1, 32767, -32768, 1234, -4321]);

describe('writeWav and readWav', () => {
  it('round-trips mono audio with an odd sample count', () => {
    const bytes = writeWav({ sampleRate: 24000, channels: 1, samples: SAMPLES });
    expect(bytes.length).toBe(44 + 14);
    const wav = readWav(bytes);
    expect(wav.sampleRate).toBe(24000);
    expect(wav.channels).toBe(1);
    expect(Array.from(wav.samples)).toEqual(Array.from(SAMPLES));
    expect(wav.durationMs).toBeCloseTo((7 / 24000) * 1000, 9);
  });

  it('round-trips stereo audio with an odd frame count', () => {
    const stereo = Int16Array.from({ length: 2 * 4801 }, (_, i) => ((i * 7919) % 65536) - 32768);
    const wav = readWav(writeWav({ sampleRate: 48000, channels: 2, samples: stereo }));
    expect(wav.channels).toBe(2);
    expect(wav.samples).toEqual(stereo);
    expect(wav.durationMs).toBeCloseTo((4801 / 48000) * 1000, 9);
  });

  it('writes a canonical 44-byte PCM header', () => {
    const bytes = writeWav({ sampleRate: 16000, channels: 2, samples: new Int16Array(6) });
    const view = new DataView(bytes.buffer);
    expect(
      String.fromCharCode(
        ...bytes.subarray(0, 4),
        ...bytes.subarray(8, 16),
        ...bytes.subarray(36, 40),
      ),
    ).toBe('RIFFWAVEfmt data');
    expect(view.getUint32(4, true)).toBe(36 + 12);
    expect(view.getUint16(20, true)).toBe(1);
    expect(view.getUint16(22, true)).toBe(2);
    expect(view.getUint32(24, true)).toBe(16000);
    expect(view.getUint32(28, true)).toBe(64000);
    expect(view.getUint16(32, true)).toBe(4);
    expect(view.getUint16(34, true)).toBe(16);
    expect(view.getUint32(40, true)).toBe(12);
  });

  it('rejects samples that are not whole frames', () => {
    expect(() => writeWav({ sampleRate: 16000, channels: 2, samples: new Int16Array(3) })).toThrow(
      /multiple of channels/,
    );
    expect(() => writeWav({ sampleRate: 0, channels: 1, samples: new Int16Array(2) })).toThrow(
      RangeError,
    );
  });
});

describe('wavHeader', () => {
  it('writes the streaming sentinel when the length is unknown, and readWav reads to the end', () => {
    const header = wavHeader(16000, 1);
    const view = new DataView(header.buffer);
    expect(view.getUint32(4, true)).toBe(0xffffffff);
    expect(view.getUint32(40, true)).toBe(0xffffffff);
    const data = new Uint8Array(SAMPLES.buffer.slice(0));
    const wav = readWav(concat([header, data]));
    expect(Array.from(wav.samples)).toEqual(Array.from(SAMPLES));
  });

  it('matches the header writeWav produces for a known length', () => {
    const bytes = writeWav({ sampleRate: 8000, channels: 1, samples: SAMPLES });
    expect(wavHeader(8000, 1, 14)).toEqual(bytes.subarray(0, 44));
  });

  it('counts the pad byte of an odd data size in the RIFF size', () => {
    expect(new DataView(wavHeader(8000, 1, 7).buffer).getUint32(4, true)).toBe(44);
    expect(() => wavHeader(8000, 1, -1)).toThrow(RangeError);
  });
});

describe('readWav encodings', () => {
  const values = [0, 0.5, -0.5, 0.999969482421875, -1];

  it('reads 8-bit unsigned PCM', () => {
    const bytes = riff([
      fmt({ tag: 1, bits: 8 }),
      chunk('data', Uint8Array.from([128, 192, 64, 255, 0])),
    ]);
    expect(Array.from(readWav(bytes).samples)).toEqual([0, 16384, -16384, 32512, -32768]);
  });

  it('reads 24-bit PCM, rounding to 16 bits', () => {
    const ints = [0, 0x400000, -0x400000, 0x7fffff, -0x800000, 0x000080, -0x000081];
    const data = new Uint8Array(ints.length * 3);
    ints.forEach((v, i) => data.set([v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff], i * 3));
    const wav = readWav(riff([fmt({ tag: 1, bits: 24 }), chunk('data', data)]));
    expect(Array.from(wav.samples)).toEqual([0, 16384, -16384, 32767, -32768, 1, -1]);
  });

  it('reads 32-bit integer PCM', () => {
    const data = new Uint8Array(16);
    const view = new DataView(data.buffer);
    [0, 0x40000000, -0x80000000, 0x7fffffff].forEach((v, i) => view.setInt32(i * 4, v, true));
    const wav = readWav(riff([fmt({ tag: 1, bits: 32 }), chunk('data', data)]));
    expect(Array.from(wav.samples)).toEqual([0, 16384, -32768, 32767]);
  });

  it('reads 32-bit and 64-bit float, clipping out-of-range values', () => {
    const f32 = new Float32Array([...values, 1.5]);
    const f64 = new Float64Array([...values, -3]);
    const a = readWav(riff([fmt({ tag: 3, bits: 32 }), chunk('data', new Uint8Array(f32.buffer))]));
    const b = readWav(riff([fmt({ tag: 3, bits: 64 }), chunk('data', new Uint8Array(f64.buffer))]));
    expect(Array.from(a.samples)).toEqual([0, 16384, -16384, 32767, -32768, 32767]);
    expect(Array.from(b.samples)).toEqual([0, 16384, -16384, 32767, -32768, -32768]);
  });

  it('reads WAVE_FORMAT_EXTENSIBLE with PCM and float subformats', () => {
    const pcm = new Int16Array([5, -5, 300, -300]);
    const a = readWav(
      riff([
        fmt({ tag: 0xfffe, channels: 2, bits: 16, subTag: 1 }),
        chunk('data', new Uint8Array(pcm.buffer)),
      ]),
    );
    expect(a.channels).toBe(2);
    expect(Array.from(a.samples)).toEqual([5, -5, 300, -300]);
    const f32 = new Float32Array(values);
    const b = readWav(
      riff([fmt({ tag: 0xfffe, bits: 32, subTag: 3 }), chunk('data', new Uint8Array(f32.buffer))]),
    );
    expect(Array.from(b.samples)).toEqual([0, 16384, -16384, 32767, -32768]);
    const int24in32 = new Int32Array([0x40000000, -0x40000000]);
    const c = readWav(
      riff([
        fmt({ tag: 0xfffe, bits: 32, subTag: 1, validBits: 24 }),
        chunk('data', new Uint8Array(int24in32.buffer)),
      ]),
    );
    expect(Array.from(c.samples)).toEqual([16384, -16384]);
  });

  it('reads G.711 A-law and µ-law', () => {
    const pcm = [0, 1000, -1000, 30000];
    const alaw = Uint8Array.from(pcm, linearToAlaw);
    const ulaw = Uint8Array.from(pcm, linearToUlaw);
    const a = readWav(
      riff([
        fmt({ tag: 6, rate: 8000, bits: 8 }),
        chunk('fact', new Uint8Array(4)),
        chunk('data', alaw),
      ]),
    );
    const u = readWav(riff([fmt({ tag: 7, rate: 8000, bits: 8 }), chunk('data', ulaw)]));
    for (const [wav, tolerance] of [
      [a, 64],
      [u, 64],
    ] as const) {
      wav.samples.forEach((v, i) =>
        expect(Math.abs(v - pcm[i]!)).toBeLessThanOrEqual(tolerance * 16),
      );
      expect(wav.sampleRate).toBe(8000);
    }
  });
});

describe('readWav chunk layout', () => {
  const data = chunk('data', new Uint8Array(SAMPLES.buffer.slice(0)));

  it('skips LIST, fact and odd-sized unknown chunks', () => {
    const bytes = riff([
      chunk('LIST', ascii('INFOISFT\x05\x00\x00\x00test\x00')),
      fmt({ tag: 1, bits: 16 }),
      chunk('junk', Uint8Array.from([1, 2, 3])),
      chunk('fact', new Uint8Array(4)),
      data,
      chunk('id3 ', new Uint8Array(9)),
    ]);
    expect(Array.from(readWav(bytes).samples)).toEqual(Array.from(SAMPLES));
  });

  it('accepts a fmt chunk after the data chunk and an 18-byte fmt chunk', () => {
    const long = new Uint8Array(18);
    long.set(fmt({ tag: 1, bits: 16 }).subarray(8, 24));
    const bytes = riff([data, chunk('fmt ', long)]);
    expect(Array.from(readWav(bytes).samples)).toEqual(Array.from(SAMPLES));
  });

  it('reads a zero-sized data chunk at the end of the file to the end', () => {
    const body = new Uint8Array(SAMPLES.buffer.slice(0));
    const header = chunk('data', new Uint8Array(0));
    const bytes = concat([riff([fmt({ tag: 1, bits: 16 })]), header, body]);
    expect(Array.from(readWav(bytes).samples)).toEqual(Array.from(SAMPLES));
  });

  it('reads a genuinely empty data chunk followed by another chunk as empty', () => {
    const bytes = riff([
      fmt({ tag: 1, bits: 16 }),
      chunk('data', new Uint8Array(0)),
      chunk('LIST', new Uint8Array(8)),
    ]);
    const wav = readWav(bytes);
    expect(wav.samples.length).toBe(0);
    expect(wav.durationMs).toBe(0);
  });

  it('drops a partial frame at the end of the data', () => {
    const bytes = riff([fmt({ tag: 1, channels: 2, bits: 16 }), chunk('data', new Uint8Array(10))]);
    expect(readWav(bytes).samples.length).toBe(4);
  });

  it('reads a WAV that is a view into a larger buffer', () => {
    const bytes = writeWav({ sampleRate: 8000, channels: 1, samples: SAMPLES });
    const padded = new Uint8Array(bytes.length + 3);
    padded.set(bytes, 3);
    expect(Array.from(readWav(padded.subarray(3)).samples)).toEqual(Array.from(SAMPLES));
  });
});

describe('readWav errors', () => {
  const good = writeWav({ sampleRate: 16000, channels: 1, samples: new Int16Array(100) });

  it('rejects a truncated data chunk with the sizes in the message', () => {
    expectWavError(
      good.subarray(0, good.length - 50),
      'truncated',
      /declares 200 bytes but only 150/,
    );
  });

  it('rejects a file cut inside its header', () => {
    expectWavError(good.subarray(0, 30), 'truncated', /fmt/);
    expectWavError(good.subarray(0, 40), 'truncated', /before its data chunk/);
    expectWavError(good.subarray(0, 14), 'truncated', /before its fmt chunk/);
  });

  it('rejects files that are not RIFF', () => {
    expectWavError(
      ascii('ID3\x03\x00\x00\x00\x00\x00\x00\x00\x00\x00'),
      'not_riff',
      /does not start with "RIFF"/,
    );
    expectWavError(new Uint8Array(0), 'not_riff', /Not a WAV file/);
    const rifx = good.slice();
    rifx.set(ascii('RIFX'));
    expectWavError(rifx, 'not_riff', /RIFX/);
  });

  it('rejects RIFF files that are not WAVE', () => {
    expectWavError(riff([chunk('avih', new Uint8Array(56))], 'AVI '), 'not_wave', /WAVE/);
  });

  it('rejects compressed encodings by name', () => {
    const mp3 = riff([fmt({ tag: 0x0055, bits: 0 }), chunk('data', new Uint8Array(100))]);
    expectWavError(
      mp3,
      'unsupported_format',
      /^Unsupported WAV encoding: format tag 0x0055 \(MPEG Layer 3\)\. Only PCM and IEEE float are supported\.$/,
    );
    const adpcm = riff([fmt({ tag: 0x0011, bits: 4 }), chunk('data', new Uint8Array(100))]);
    expectWavError(adpcm, 'unsupported_format', /0x0011 \(IMA ADPCM\)/);
    const extensible = riff([
      fmt({ tag: 0xfffe, bits: 16, subTag: 0x0002 }),
      chunk('data', new Uint8Array(4)),
    ]);
    expectWavError(extensible, 'unsupported_format', /subformat 0x0002/);
  });

  it('rejects unsupported sample sizes', () => {
    expectWavError(
      riff([fmt({ tag: 1, bits: 12 }), chunk('data', new Uint8Array(6))]),
      'unsupported_format',
      /12-bit/,
    );
    expectWavError(
      riff([fmt({ tag: 3, bits: 16 }), chunk('data', new Uint8Array(6))]),
      'unsupported_format',
      /16-bit float/,
    );
  });

  it('rejects a missing fmt chunk', () => {
    expectWavError(riff([chunk('data', new Uint8Array(8))]), 'no_fmt_chunk', /no fmt chunk/);
  });

  it('rejects a missing data chunk', () => {
    expectWavError(
      riff([fmt({ tag: 1, bits: 16 }), chunk('LIST', new Uint8Array(4))]),
      'no_data_chunk',
      /no data chunk/,
    );
  });

  it('rejects zero channels or a zero sample rate', () => {
    expectWavError(
      riff([fmt({ tag: 1, bits: 16, channels: 0 }), chunk('data', new Uint8Array(4))]),
      'invalid_format',
      /0 channels/,
    );
    expectWavError(
      riff([fmt({ tag: 1, bits: 16, rate: 0 }), chunk('data', new Uint8Array(4))]),
      'invalid_format',
      /0 Hz/,
    );
  });

  it('never throws from tryReadWav, whatever the bytes', () => {
    let state = 12345;
    const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
    const base = riff([
      fmt({ tag: 0xfffe, channels: 2, bits: 24, subTag: 1 }),
      chunk('LIST', new Uint8Array(5)),
      chunk('data', new Uint8Array(60)),
    ]);
    for (let round = 0; round < 3000; round++) {
      const bytes = base.slice(0, next() % (base.length + 1));
      for (let k = next() % 6; k > 0; k--)
        if (bytes.length > 0) bytes[next() % bytes.length] = next() & 0xff;
      const result = tryReadWav(bytes);
      if (!result.ok) {
        expect(result.error).toBeInstanceOf(WavError);
        // Every failure is a diagnosed one, not the catch-all for unexpected exceptions.
        expect(result.error.message).not.toMatch(/^Malformed WAV file/);
      }
    }
  });
});
