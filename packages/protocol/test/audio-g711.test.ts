import { describe, expect, it } from 'vitest';
import {
  alawToLinear,
  decodeAlaw,
  decodeUlaw,
  encodeAlaw,
  encodeUlaw,
  linearToAlaw,
  linearToUlaw,
  ulawToLinear,
} from '../src/audio/index.js';

/** µ-law reconstruction levels straight from the G.711 formula: ((2m + 33)·2^e − 33)·4. */
function ulawFormula(byte: number): number {
  const c = ~byte & 0xff;
  const exponent = (c >> 4) & 7;
  const mantissa = c & 0x0f;
  const magnitude = ((2 * mantissa + 33) * 2 ** exponent - 33) * 4;
  return c & 0x80 ? 0 - magnitude : magnitude;
}

/** A-law reconstruction levels from the formula: (2m + 1)·8 in segment 0, (2m + 33)·2^(e−1)·8 above. */
function alawFormula(byte: number): number {
  const c = byte ^ 0x55;
  const exponent = (c >> 4) & 7;
  const mantissa = c & 0x0f;
  const magnitude =
    exponent === 0 ? (2 * mantissa + 1) * 8 : (2 * mantissa + 33) * 2 ** (exponent - 1) * 8;
  return c & 0x80 ? magnitude : 0 - magnitude;
}

/**
 * The Sun g711.c encoders written the other way: a segment-end table search (µ-law as in the
 * original release, biasing the full 16-bit magnitude; later releases shift first and map −1 to
 * 0x7E instead of 0x7F).
 */
const SEG_END = [0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff, 0x1fff, 0x3fff, 0x7fff];
const SEG_AEND = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];

function search(value: number, table: number[]): number {
  for (let i = 0; i < table.length; i++) if (value <= table[i]!) return i;
  return table.length;
}

function sunLinear2ulaw(pcm: number): number {
  let v: number;
  let mask: number;
  if (pcm < 0) {
    v = 0x84 - pcm;
    mask = 0x7f;
  } else {
    v = pcm + 0x84;
    mask = 0xff;
  }
  const seg = search(v, SEG_END);
  if (seg >= 8) return 0x7f ^ mask;
  return ((seg << 4) | ((v >> (seg + 3)) & 0xf)) ^ mask;
}

function sunLinear2alaw(pcm: number): number {
  let v = pcm >> 3;
  let mask: number;
  if (v >= 0) {
    mask = 0xd5;
  } else {
    mask = 0x55;
    v = -v - 1;
  }
  const seg = search(v, SEG_AEND);
  if (seg >= 8) return 0x7f ^ mask;
  const quant = seg < 2 ? (v >> 1) & 0xf : (v >> seg) & 0xf;
  return ((seg << 4) | quant) ^ mask;
}

describe('G.711 µ-law', () => {
  it('encodes the known table values', () => {
    expect(linearToUlaw(0)).toBe(0xff);
    expect(linearToUlaw(-1)).toBe(0x7f);
    expect(linearToUlaw(32767)).toBe(0x80);
    expect(linearToUlaw(-32768)).toBe(0x00);
    expect(linearToUlaw(32635)).toBe(0x80);
    expect(linearToUlaw(-32635)).toBe(0x00);
    expect(linearToUlaw(100)).toBe(0xf2);
    expect(linearToUlaw(-100)).toBe(0x72);
  });

  it('decodes the known table values', () => {
    expect(ulawToLinear(0x00)).toBe(-32124);
    expect(ulawToLinear(0x80)).toBe(32124);
    expect(ulawToLinear(0xff)).toBe(0);
    expect(ulawToLinear(0x7f)).toBe(0);
    expect(ulawToLinear(0xfe)).toBe(8);
    expect(ulawToLinear(0x7e)).toBe(-8);
  });

  it('decodes every byte to the level the G.711 formula gives', () => {
    for (let b = 0; b < 256; b++) expect(ulawToLinear(b), `byte ${b}`).toBe(ulawFormula(b));
  });

  it('re-encodes every decoded byte to itself except negative zero 0x7F', () => {
    for (let b = 0; b < 256; b++) {
      const expected = b === 0x7f ? 0xff : b;
      expect(linearToUlaw(ulawToLinear(b)), `byte ${b}`).toBe(expected);
    }
  });

  it('encodes every 16-bit value exactly as the Sun g711.c segment search does', () => {
    const mismatches: number[] = [];
    for (let v = -32768; v <= 32767; v++)
      if (linearToUlaw(v) !== sunLinear2ulaw(v)) mismatches.push(v);
    expect(mismatches).toEqual([]);
  });

  it('encodes and decodes arrays like the scalar functions', () => {
    const samples = Int16Array.from([0, -1, 1000, -1000, 32767, -32768, 12345]);
    const bytes = encodeUlaw(samples);
    expect(Array.from(bytes)).toEqual(Array.from(samples, linearToUlaw));
    expect(Array.from(decodeUlaw(bytes))).toEqual(Array.from(bytes, ulawToLinear));
  });
});

describe('G.711 A-law', () => {
  it('encodes the known table values', () => {
    expect(linearToAlaw(0)).toBe(0xd5);
    expect(linearToAlaw(-1)).toBe(0x55);
    expect(linearToAlaw(32767)).toBe(0xaa);
    expect(linearToAlaw(-32768)).toBe(0x2a);
    expect(linearToAlaw(100)).toBe(0xd3);
  });

  it('decodes the known table values', () => {
    expect(alawToLinear(0xd5)).toBe(8);
    expect(alawToLinear(0x55)).toBe(-8);
    expect(alawToLinear(0xaa)).toBe(32256);
    expect(alawToLinear(0x2a)).toBe(-32256);
  });

  it('decodes every byte to the level the G.711 formula gives', () => {
    for (let b = 0; b < 256; b++) expect(alawToLinear(b), `byte ${b}`).toBe(alawFormula(b));
  });

  it('re-encodes every decoded byte to itself', () => {
    for (let b = 0; b < 256; b++) expect(linearToAlaw(alawToLinear(b)), `byte ${b}`).toBe(b);
  });

  it('encodes every 16-bit value exactly as the Sun g711.c segment search does', () => {
    const mismatches: number[] = [];
    for (let v = -32768; v <= 32767; v++)
      if (linearToAlaw(v) !== sunLinear2alaw(v)) mismatches.push(v);
    expect(mismatches).toEqual([]);
  });

  it('encodes and decodes arrays like the scalar functions', () => {
    const samples = Int16Array.from([0, -1, 1000, -1000, 32767, -32768, 12345]);
    const bytes = encodeAlaw(samples);
    expect(Array.from(bytes)).toEqual(Array.from(samples, linearToAlaw));
    expect(Array.from(decodeAlaw(bytes))).toEqual(Array.from(bytes, alawToLinear));
  });
});
