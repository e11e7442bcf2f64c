import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import {
  Base64Error,
  _activeBase64Codec,
  _tableBase64Codec,
  base64ToBytes,
  bytesToBase64,
  isBase64,
  tryBase64ToBytes,
} from '../src/base64.js';

function randomBytes(length: number, seed: number): Uint8Array {
  let state = seed >>> 0;
  return Uint8Array.from({ length }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state >>> 24;
  });
}

const LENGTHS = [
  ...Array.from({ length: 70 }, (_, i) => i),
  255,
  256,
  257,
  960,
  4095,
  4096,
  4097,
  100_000,
];

describe('base64 codecs', () => {
  it('uses the native Buffer codec in Node', () => {
    expect(_activeBase64Codec).not.toBe(_tableBase64Codec);
  });

  for (const [name, codec] of [
    ['native', _activeBase64Codec],
    ['table', _tableBase64Codec],
  ] as const) {
    it(`encodes random bytes exactly as Buffer does (${name} codec)`, () => {
      for (const length of LENGTHS) {
        const bytes = randomBytes(length, length + 1);
        expect(codec.encode(bytes), `length ${length}`).toBe(Buffer.from(bytes).toString('base64'));
      }
    });

    it(`decodes Buffer's base64 back to the same bytes (${name} codec)`, () => {
      for (const length of LENGTHS) {
        const bytes = randomBytes(length, length + 7);
        const decoded = codec.decode(Buffer.from(bytes).toString('base64'));
        expect(decoded.constructor).toBe(Uint8Array);
        expect(decoded, `length ${length}`).toEqual(bytes);
      }
    });

    it(`encodes only the viewed part of a subarray (${name} codec)`, () => {
      const backing = randomBytes(100, 3);
      const view = backing.subarray(7, 50);
      expect(codec.encode(view)).toBe(Buffer.from(view).toString('base64'));
    });
  }
});

describe('bytesToBase64 and base64ToBytes', () => {
  it('round-trips bytes', () => {
    for (const length of LENGTHS) {
      const bytes = randomBytes(length, length * 31);
      expect(base64ToBytes(bytesToBase64(bytes))).toEqual(bytes);
    }
  });

  it('encodes the RFC 4648 test vectors', () => {
    const vectors = ['', 'Zg==', 'Zm8=', 'Zm9v', 'Zm9vYg==', 'Zm9vYmE=', 'Zm9vYmFy'];
    vectors.forEach((expected, i) => {
      const bytes = Uint8Array.from('foobar'.slice(0, i), (c) => c.charCodeAt(0));
      expect(bytesToBase64(bytes)).toBe(expected);
      expect(base64ToBytes(expected)).toEqual(bytes);
      expect(_tableBase64Codec.decode(expected)).toEqual(bytes);
    });
  });

  it('returns a plain Uint8Array covering exactly the decoded bytes', () => {
    for (const text of ['AAECAwQ=', bytesToBase64(randomBytes(20_000, 1))]) {
      const bytes = base64ToBytes(text);
      expect(bytes.constructor).toBe(Uint8Array);
      expect(bytes.length).toBe(Buffer.from(text, 'base64').length);
      expect(bytes.byteLength).toBe(bytes.length);
      expect(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')).toBe(
        text,
      );
    }
  });
});

describe('invalid base64', () => {
  const invalid: [string, RegExp][] = [
    ['abc', /length 3 is not a multiple of 4/],
    ['ab#d', /unexpected character '#' at position 2/],
    ['ab=d', /'=' at position 2 \(padding may only end/],
    ['a===', /'=' at position 1/],
    ['====', /'=' at position 0/],
    ['ab-_', /'-' at position 2/],
    ['ab d', /U\+0020 at position 2/],
    ['abcd\n', /length 5/],
    ['abcdé123', /U\+00e9 at position 4/],
  ];

  it.each(invalid)('rejects %j with a clear message', (text, message) => {
    expect(() => base64ToBytes(text)).toThrow(Base64Error);
    expect(() => base64ToBytes(text)).toThrow(message);
    const result = tryBase64ToBytes(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invalid_base64');
      expect(result.error.message).toMatch(message);
    }
    expect(isBase64(text)).toBe(false);
  });

  it('reports the position of a bad character', () => {
    const result = tryBase64ToBytes('AAAA AAA');
    expect(result.ok ? undefined : result.error.position).toBe(4);
  });

  it('rejects non-strings without throwing', () => {
    expect(tryBase64ToBytes(42 as unknown as string).ok).toBe(false);
    expect(isBase64(null as unknown as string)).toBe(false);
  });

  it('accepts valid input in tryBase64ToBytes and isBase64', () => {
    const result = tryBase64ToBytes('Zm9vYg==');
    expect(result).toEqual({ ok: true, bytes: Uint8Array.from([0x66, 0x6f, 0x6f, 0x62]) });
    expect(isBase64('')).toBe(true);
    expect(isBase64('Zm9vYmFy')).toBe(true);
  });
});
