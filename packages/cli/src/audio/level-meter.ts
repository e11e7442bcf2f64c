import { measureRmsDb } from '@realtime-assistant/protocol';

/** The quietest level the meter reports (silence reads this, not −Infinity). */
export const LEVEL_FLOOR_DB = -100;

/** Options for {@link LevelMeter}. */
export interface LevelMeterOptions {
  /** Release time constant in ms: how fast the level falls after a loud chunk (default 300). */
  releaseMs?: number;
  /** Sample rate of the measured audio (default 24000). */
  sampleRate?: number;
}

/**
 * An input level meter for the UI: RMS dBFS per chunk, smoothed like a VU meter (instant attack,
 * exponential release) so a single quiet chunk does not make the bar flicker.
 */
export class LevelMeter {
  readonly #releaseMs: number;
  readonly #sampleRate: number;
  #level = LEVEL_FLOOR_DB;
  #last = LEVEL_FLOOR_DB;

  constructor(options: LevelMeterOptions = {}) {
    this.#releaseMs = options.releaseMs ?? 300;
    this.#sampleRate = options.sampleRate ?? 24_000;
  }

  /** Measures one chunk and returns the smoothed level in dBFS. */
  push(samples: Int16Array): number {
    const raw = Math.max(LEVEL_FLOOR_DB, measureRmsDb(samples));
    this.#last = raw;
    if (raw >= this.#level) {
      this.#level = raw;
    } else {
      const dtMs = (samples.length * 1000) / this.#sampleRate;
      this.#level = raw + (this.#level - raw) * Math.exp(-dtMs / this.#releaseMs);
    }
    return this.#level;
  }

  /** The smoothed level in dBFS. */
  get level(): number {
    return this.#level;
  }

  /** The unsmoothed level of the last chunk in dBFS. */
  get lastChunkDb(): number {
    return this.#last;
  }
}
