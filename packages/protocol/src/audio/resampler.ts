/**
 * Streaming sample-rate conversion by a rational factor L/M with a polyphase FIR (Kaiser-windowed
 * sinc, see `polyphase-filter.ts`). Runs synchronously anywhere: no WASM, no allocation per sample.
 */
import { gcd, polyphaseFilter } from './polyphase-filter.js';
import { PolyphaseEngine } from './polyphase-engine.js';
import type { PolyphaseFilter, ResamplerQuality } from './polyphase-filter.js';

export type { ResamplerQuality } from './polyphase-filter.js';

/** Options for {@link createResampler} and {@link createFloat32Resampler}. */
export interface ResamplerOptions {
  /** Input sample rate in Hz (a positive integer). */
  inputRate: number;
  /** Output sample rate in Hz (a positive integer). */
  outputRate: number;
  /**
   * `'standard'` (default): ≥ 70 dB stopband design, passband to 0.85 × the lower Nyquist.
   * `'high'`: ≥ 96 dB design, passband to 0.9 × the lower Nyquist (about twice the work).
   */
  quality?: ResamplerQuality;
}

/**
 * A stateful streaming resampler. The output is time-aligned with the input: output sample `k`
 * is the signal at time `k / outputRate`, and N input samples yield `ceil(N · out / in)` output
 * samples in total (after {@link Resampler.flush}), however the input was chunked.
 */
export interface Resampler<T extends Int16Array | Float32Array> {
  readonly inputRate: number;
  readonly outputRate: number;
  /**
   * How many output samples {@link Resampler.process} holds back until later input arrives (the
   * filter's look-ahead, rounded up). An event detected at the newest output sample happened this
   * much before the newest input sample.
   */
  readonly latencySamples: number;
  /** The same look-ahead in milliseconds (exact, not rounded). */
  readonly delayMs: number;
  /** Resamples the next chunk (any length, including 0 and 1) and returns what is ready. */
  process(input: T): T;
  /** Ends the stream: returns the held-back tail and resets the resampler for a new stream. */
  flush(): T;
  /** Forgets all state (as after construction). */
  reset(): void;
}

/** A resampler for 16-bit PCM; output is rounded and clipped to the Int16 range. */
export type Pcm16Resampler = Resampler<Int16Array>;
/** A resampler for float samples; output is not clipped. */
export type Float32Resampler = Resampler<Float32Array>;

/** The largest reduced L or M accepted (44.1 kHz ⇄ 48 kHz needs 160/147). */
const MAX_FACTOR = 1024;

interface Resolved {
  inputRate: number;
  outputRate: number;
  filter: PolyphaseFilter | undefined;
}

function resolve(options: ResamplerOptions): Resolved {
  const { inputRate, outputRate, quality = 'standard' } = options;
  for (const [name, rate] of [
    ['inputRate', inputRate],
    ['outputRate', outputRate],
  ] as const) {
    if (!Number.isInteger(rate) || rate <= 0) {
      throw new RangeError(`${name} must be a positive integer number of Hz, got ${rate}`);
    }
  }
  if (quality !== 'standard' && quality !== 'high') {
    throw new RangeError(`quality must be 'standard' or 'high', got ${String(quality)}`);
  }
  if (inputRate === outputRate) return { inputRate, outputRate, filter: undefined };
  const divisor = gcd(inputRate, outputRate);
  const up = outputRate / divisor;
  const down = inputRate / divisor;
  if (up > MAX_FACTOR || down > MAX_FACTOR) {
    throw new RangeError(
      `Cannot resample ${inputRate} Hz → ${outputRate} Hz: the ratio ${up}/${down} is too fine (max ${MAX_FACTOR}).`,
    );
  }
  return { inputRate, outputRate, filter: polyphaseFilter(up, down, quality) };
}

function createEngineResampler<T extends Int16Array | Float32Array>(
  options: ResamplerOptions,
  allocate: (length: number) => T,
  round: boolean,
): Resampler<T> {
  const { inputRate, outputRate, filter } = resolve(options);
  if (filter === undefined) {
    return {
      inputRate,
      outputRate,
      latencySamples: 0,
      delayMs: 0,
      process: (input) => input,
      flush: () => allocate(0),
      reset: () => undefined,
    };
  }
  const engine = new PolyphaseEngine(filter);
  return {
    inputRate,
    outputRate,
    latencySamples: Math.ceil(filter.delay / filter.down),
    delayMs: (filter.delay * 1000) / (filter.up * inputRate),
    process(input) {
      const out = allocate(engine.readyAfter(input.length));
      engine.process(input, out, round);
      return out;
    },
    flush() {
      const out = allocate(engine.tailLength());
      engine.finish(out, round);
      return out;
    },
    reset() {
      engine.reset();
    },
  };
}

/**
 * Creates a streaming resampler for 16-bit PCM (any integer rates; 8/16/24/48 kHz are the ones
 * the Realtime stack needs). The same rate in and out gives a pass-through that returns its input.
 * @throws RangeError for non-integer or non-positive rates, or a ratio finer than 1024/1024.
 */
export function createResampler(options: ResamplerOptions): Pcm16Resampler {
  return createEngineResampler(options, (n) => new Int16Array(n), true);
}

/** Like {@link createResampler}, for Float32 samples (no rounding or clipping). */
export function createFloat32Resampler(options: ResamplerOptions): Float32Resampler {
  return createEngineResampler(options, (n) => new Float32Array(n), false);
}

/** Resamples a whole 16-bit PCM signal in one go (process + flush). */
export function resamplePcm16(
  samples: Int16Array,
  inputRate: number,
  outputRate: number,
  quality?: ResamplerQuality,
): Int16Array {
  const resampler = createResampler({ inputRate, outputRate, quality });
  if (inputRate === outputRate) return samples;
  const head = resampler.process(samples);
  const tail = resampler.flush();
  const out = new Int16Array(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  return out;
}
