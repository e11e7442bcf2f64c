/**
 * Where the assistant's audio goes: a speaker, a browser, a file, or a test fake. PCM16 mono at the session's
 * output rate. Positions count from the sink's creation or its last `stop()`.
 */
export interface AudioSink {
  /** Queues audio for playback. */
  write(pcm: Uint8Array): void;
  /** Stops at once, drops what is queued, and returns the milliseconds played since the last stop. */
  stop(): number;
  /** Milliseconds actually played (heard) since the last stop. */
  playedMs(): number;
  /**
   * Milliseconds written and still to be played. A sink that lost audio (its device died) leaves it out, so the
   * conversation does not wait for audio that will never be heard. Without it, written minus played is assumed.
   */
  unplayedMs?(): number;
}

/**
 * A sink that plays nothing but keeps time as if it played in real time: text mode, and a stand-in
 * until a device is open. `clock` is injectable for tests.
 */
export class ClockAudioSink implements AudioSink {
  readonly #bytesPerMs: number;
  readonly #clock: () => number;
  #queuedMs = 0;
  #startedAt: number | null = null;

  constructor(sampleRate = 24_000, clock: () => number = () => performance.now()) {
    this.#bytesPerMs = (sampleRate * 2) / 1000;
    this.#clock = clock;
  }

  write(pcm: Uint8Array): void {
    const now = this.#clock();
    // Audio written after the queue drained starts playing now, not back when the previous audio began.
    if (this.#startedAt === null || this.playedMs() >= this.#queuedMs) {
      this.#startedAt = now - this.#queuedMs;
    }
    this.#queuedMs += pcm.byteLength / this.#bytesPerMs;
  }

  stop(): number {
    const played = this.playedMs();
    this.#queuedMs = 0;
    this.#startedAt = null;
    return played;
  }

  playedMs(): number {
    if (this.#startedAt === null) return 0;
    return Math.min(this.#queuedMs, this.#clock() - this.#startedAt);
  }
}
