/**
 * G.711 µ-law and A-law, bit-exact with the ITU-T G.711 tables as produced by the classic Sun
 * Microsystems `g711.c` reference (`linear2ulaw` with BIAS 0x84 and CLIP 32635, `linear2alaw`
 * with the 0x55 even-bit inversion). Samples are 16-bit linear PCM; bytes are G.711 code words.
 */

const ULAW_BIAS = 0x84;
const ULAW_CLIP = 32635;

/** Encodes one 16-bit linear sample as a µ-law byte. */
export function linearToUlaw(sample: number): number {
  let s = sample | 0;
  let sign = 0;
  if (s < 0) {
    sign = 0x80;
    s = -s;
  }
  if (s > ULAW_CLIP) s = ULAW_CLIP;
  s += ULAW_BIAS;
  // Segment = position of the highest set bit above bit 7 (the reference's exp_lut).
  const exponent = 31 - Math.clz32(s >> 7);
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

/** Decodes one µ-law byte to a 16-bit linear sample. */
export function ulawToLinear(byte: number): number {
  const u = ~byte & 0xff;
  const t = (((u & 0x0f) << 3) + ULAW_BIAS) << ((u & 0x70) >> 4);
  return u & 0x80 ? ULAW_BIAS - t : t - ULAW_BIAS;
}

/** Encodes one 16-bit linear sample as an A-law byte. */
export function linearToAlaw(sample: number): number {
  let s = (sample | 0) >> 3;
  let mask: number;
  if (s >= 0) {
    mask = 0xd5;
  } else {
    mask = 0x55;
    s = -s - 1;
  }
  // s is at most 4095 for any int16 input, so the segment is always 0..7.
  if (s > 4095) s = 4095;
  const segment = s <= 0x1f ? 0 : 31 - Math.clz32(s) - 4;
  const quant = segment < 2 ? (s >> 1) & 0x0f : (s >> segment) & 0x0f;
  return ((segment << 4) | quant) ^ mask;
}

/** Decodes one A-law byte to a 16-bit linear sample. */
export function alawToLinear(byte: number): number {
  const a = (byte & 0xff) ^ 0x55;
  let t = (a & 0x0f) << 4;
  const segment = (a & 0x70) >> 4;
  if (segment === 0) t += 8;
  else if (segment === 1) t += 0x108;
  else t = (t + 0x108) << (segment - 1);
  return a & 0x80 ? t : -t;
}

const ULAW_DECODE = new Int16Array(256);
const ALAW_DECODE = new Int16Array(256);
for (let b = 0; b < 256; b++) {
  ULAW_DECODE[b] = ulawToLinear(b);
  ALAW_DECODE[b] = alawToLinear(b);
}

/** Encodes 16-bit PCM samples as µ-law bytes (one byte per sample). */
export function encodeUlaw(samples: Int16Array): Uint8Array {
  const out = new Uint8Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = linearToUlaw(samples[i]!);
  return out;
}

/** Decodes µ-law bytes to 16-bit PCM samples. */
export function decodeUlaw(bytes: Uint8Array): Int16Array {
  const out = new Int16Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = ULAW_DECODE[bytes[i]!]!;
  return out;
}

/** Encodes 16-bit PCM samples as A-law bytes (one byte per sample). */
export function encodeAlaw(samples: Int16Array): Uint8Array {
  const out = new Uint8Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = linearToAlaw(samples[i]!);
  return out;
}

/** Decodes A-law bytes to 16-bit PCM samples. */
export function decodeAlaw(bytes: Uint8Array): Int16Array {
  const out = new Int16Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = ALAW_DECODE[bytes[i]!]!;
  return out;
}
