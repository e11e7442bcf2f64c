/**
 * Test tones and level measurement for tests and scenarios. Levels are in dB relative to
 * full scale (32768), as RMS: a full-scale sine reads about −3.01 dB by both measures.
 */

/** Options for {@link generateTone}. */
export interface ToneOptions {
  /** Frequency in Hz. */
  frequency: number;
  /** Duration in milliseconds (rounded down to whole samples). */
  durationMs: number;
  /** Sample rate in Hz. */
  sampleRate: number;
  /** Peak amplitude as a fraction of full scale, 0–1 (default 0.5, i.e. −6 dB peak). */
  amplitude?: number;
}

/** Generates a sine tone as 16-bit PCM, starting at phase 0. */
export function generateTone(options: ToneOptions): Int16Array {
  const { frequency, durationMs, sampleRate, amplitude = 0.5 } = options;
  const count = Math.max(0, Math.floor((durationMs * sampleRate) / 1000 + 1e-9));
  const out = new Int16Array(count);
  const step = (2 * Math.PI * frequency) / sampleRate;
  const peak = Math.min(1, Math.max(0, amplitude)) * 32767;
  for (let i = 0; i < count; i++) out[i] = Math.round(peak * Math.sin(step * i));
  return out;
}

/** RMS level of the samples in dB re full scale (32768); silence gives −Infinity. */
export function measureRmsDb(samples: Int16Array): number {
  if (samples.length === 0) return -Infinity;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i]!;
    sum += v * v;
  }
  return 20 * Math.log10(Math.sqrt(sum / samples.length) / 32768);
}

/**
 * Level of one frequency component in dB re full scale (RMS, so it agrees with
 * {@link measureRmsDb} on a pure tone). Uses a Hann-windowed Goertzel filter over all the
 * samples, so strong components more than a few bins away (bin = sampleRate / length) do not leak
 * into the measurement. A component that is absent reads very low (or −Infinity).
 */
export function toneLevelDb(samples: Int16Array, sampleRate: number, frequency: number): number {
  const n = samples.length;
  if (n === 0) return -Infinity;
  const omega = (2 * Math.PI * frequency) / sampleRate;
  const coeff = 2 * Math.cos(omega);
  const windowStep = (2 * Math.PI) / n;
  let s1 = 0;
  let s2 = 0;
  let windowSum = 0;
  for (let i = 0; i < n; i++) {
    const w = 0.5 - 0.5 * Math.cos(windowStep * i);
    windowSum += w;
    const s0 = samples[i]! * w + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const real = s1 - s2 * Math.cos(omega);
  const imag = s2 * Math.sin(omega);
  const amplitude = (2 * Math.sqrt(real * real + imag * imag)) / windowSum;
  return 20 * Math.log10(amplitude / Math.SQRT2 / 32768);
}
