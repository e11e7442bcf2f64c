/**
 * Design of the Kaiser-windowed sinc low-pass used by the polyphase resampler, split into its
 * phases. Designs are cached per (L, M, quality) because the same few ratios recur all the time.
 */

/** Resampler filter quality. */
export type ResamplerQuality = 'standard' | 'high';

interface QualitySpec {
  /** Stopband attenuation the Kaiser design aims at, in dB. */
  attenuationDb: number;
  /** Passband edge as a fraction of the lower Nyquist frequency; the stopband starts at 1.0. */
  passband: number;
}

const QUALITY: Record<ResamplerQuality, QualitySpec> = {
  standard: { attenuationDb: 70, passband: 0.85 },
  high: { attenuationDb: 96, passband: 0.9 },
};

/**
 * A polyphase decomposition of one low-pass prototype h (length N, zero-padded to K·L).
 *
 * Output k of the resampler reads K consecutive inputs x[s], …, x[s + K − 1] with the phase-p
 * filter c_p[j] = h[p + (K − 1 − j)·L]. Outputs that share a phase are M inputs apart, so each
 * c_p is split by tap residue j mod M into groups read at stride M; that lets the inner loop load
 * each input once for several outputs (see `resampler.ts`).
 */
export interface PolyphaseFilter {
  /** Upsampling factor L (number of phases). */
  readonly up: number;
  /** Downsampling factor M. */
  readonly down: number;
  /** Taps per phase, K. */
  readonly tapsPerPhase: number;
  /** Every c_p in full, back to back (K each), for ratios whose groups would be too short. */
  readonly phases: Float32Array;
  /** Group (p, r) holds c_p[r], c_p[r + M], … and starts at groupOffsets[p·M + r]. */
  readonly groups: Float32Array;
  readonly groupOffsets: Int32Array;
  /** Length of every group with residue r: ceil((K − r) / M). */
  readonly groupLengths: Int32Array;
  /** Group delay of the prototype in upsampled samples ((N − 1) / 2, an integer). */
  readonly delay: number;
}

const cache = new Map<string, PolyphaseFilter>();

/** Zeroth-order modified Bessel function of the first kind (power series). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 64; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

function kaiserBeta(attenuationDb: number): number {
  if (attenuationDb > 50) return 0.1102 * (attenuationDb - 8.7);
  if (attenuationDb >= 21) {
    return 0.5842 * (attenuationDb - 21) ** 0.4 + 0.07886 * (attenuationDb - 21);
  }
  return 0;
}

/** Greatest common divisor of two positive integers. */
export function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/**
 * Returns the (cached) polyphase filter for resampling by `up / down` (already reduced).
 */
export function polyphaseFilter(
  up: number,
  down: number,
  quality: ResamplerQuality,
): PolyphaseFilter {
  const key = `${up}/${down}/${quality}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const filter = designPolyphaseFilter(up, down, QUALITY[quality]);
  cache.set(key, filter);
  return filter;
}

function designPolyphaseFilter(up: number, down: number, spec: QualitySpec): PolyphaseFilter {
  // Frequencies as fractions of the upsampled rate; the lower Nyquist is 1 / (2·max(L, M)).
  const nyquist = 1 / (2 * Math.max(up, down));
  const transition = nyquist * (1 - spec.passband);
  const cutoff = nyquist * (1 + spec.passband) * 0.5;
  // Kaiser's length estimate: N − 1 = (A − 7.95) / (2.285 · Δω).
  let length = Math.ceil((spec.attenuationDb - 7.95) / (2.285 * 2 * Math.PI * transition)) + 1;
  if (length % 2 === 0) length++;
  const beta = kaiserBeta(spec.attenuationDb);
  const delay = (length - 1) / 2;
  const prototype = new Float64Array(length);
  const i0Beta = besselI0(beta);
  let sum = 0;
  for (let i = 0; i < length; i++) {
    const t = i - delay;
    const x = 2 * cutoff * t;
    const sinc = t === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    const r = t / delay;
    const window = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta;
    prototype[i] = 2 * cutoff * sinc * window;
    sum += prototype[i]!;
  }
  // Unity DC gain per phase: the zero-stuffed input carries 1/L of the energy.
  const gain = up / sum;
  const tapsPerPhase = Math.ceil(length / up);
  const groupLengths = new Int32Array(down);
  for (let r = 0; r < down; r++)
    groupLengths[r] = Math.max(0, Math.ceil((tapsPerPhase - r) / down));
  const groupOffsets = new Int32Array(up * down);
  const groups = new Float32Array(up * tapsPerPhase);
  const phases = new Float32Array(up * tapsPerPhase);
  let offset = 0;
  for (let p = 0; p < up; p++) {
    for (let r = 0; r < down; r++) {
      groupOffsets[p * down + r] = offset;
      for (let j = r; j < tapsPerPhase; j += down) {
        const index = p + (tapsPerPhase - 1 - j) * up;
        const value = index < length ? prototype[index]! * gain : 0;
        groups[offset++] = value;
        phases[p * tapsPerPhase + j] = value;
      }
    }
  }
  return { up, down, tapsPerPhase, phases, groups, groupOffsets, groupLengths, delay };
}
