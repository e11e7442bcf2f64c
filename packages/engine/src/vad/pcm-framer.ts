/**
 * Cuts PCM16 chunks of any length into fixed frames and keeps the stream position exact across
 * chunks and sample-rate changes (positions come from sample counts, not from frame counts).
 */

/** Receives one frame: its samples (a reused buffer: copy it to keep it) and its span in ms. */
export type FrameSink = (frame: Int16Array, startMs: number, endMs: number) => void;

/** See the file comment. */
export class PcmFramer {
  readonly #frameMs: number;
  #rate = 0;
  #frame = new Int16Array(0);
  #filled = 0;
  /** Position of sample 0 at the current rate. */
  #originMs: number;
  /** Samples framed (complete frames) at the current rate. */
  #framedSamples = 0;

  /**
   * @param frameMs frame length in milliseconds (rounded to whole samples at each rate)
   * @param positionMs stream position of the first sample
   */
  constructor(frameMs: number, positionMs = 0) {
    this.#frameMs = frameMs;
    this.#originMs = positionMs;
  }

  /** Stream position up to which audio has been framed, in ms (the end of the last whole frame). */
  get positionMs(): number {
    return this.#rate === 0 ? this.#originMs : this.#at(this.#framedSamples);
  }

  /** Stream position including samples held in a partial frame. */
  get receivedMs(): number {
    return this.#rate === 0 ? this.#originMs : this.#at(this.#framedSamples + this.#filled);
  }

  /** Samples per frame at the current rate (0 before the first chunk). */
  get frameSamples(): number {
    return this.#frame.length;
  }

  /**
   * Adds a chunk at `sampleRate` and calls `sink` for each frame it completes. A new rate starts a
   * new framing at the position reached; a partial frame at the old rate is dropped.
   */
  push(samples: Int16Array, sampleRate: number, sink: FrameSink): void {
    if (sampleRate !== this.#rate) this.#switchRate(sampleRate);
    const frame = this.#frame;
    const size = frame.length;
    let offset = 0;
    while (offset < samples.length) {
      const take = Math.min(size - this.#filled, samples.length - offset);
      frame.set(samples.subarray(offset, offset + take), this.#filled);
      this.#filled += take;
      offset += take;
      if (this.#filled === size) {
        const startMs = this.#at(this.#framedSamples);
        this.#framedSamples += size;
        this.#filled = 0;
        sink(frame, startMs, this.#at(this.#framedSamples));
      }
    }
  }

  /** Drops any partial frame and restarts at `positionMs`. */
  reset(positionMs: number): void {
    this.#originMs = positionMs;
    this.#framedSamples = 0;
    this.#filled = 0;
  }

  #at(samples: number): number {
    return this.#originMs + (samples * 1000) / this.#rate;
  }

  #switchRate(sampleRate: number): void {
    if (!Number.isInteger(sampleRate) || sampleRate <= 0) {
      throw new RangeError(`sampleRate must be a positive integer, got ${sampleRate}`);
    }
    this.#originMs = this.receivedMs;
    this.#rate = sampleRate;
    this.#framedSamples = 0;
    this.#filled = 0;
    this.#frame = new Int16Array(Math.max(1, Math.round((sampleRate * this.#frameMs) / 1000)));
  }
}
