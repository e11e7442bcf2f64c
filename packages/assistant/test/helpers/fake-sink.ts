import type { AudioSink } from '../../src/index.js';

/** A sink that records what it was given and reports whatever played position the test chooses. */
export class FakeSink implements AudioSink {
  writtenBytes = 0;
  stops = 0;
  /** The position `playedMs()`/`stop()` report; null = "everything written was played". */
  reportPlayedMs: number | null = null;
  /** What `unplayedMs()` reports (0: the sink lost the rest, as a dead device does); null = written − played. */
  reportUnplayedMs: number | null = null;
  #waiters: { bytes: number; resolve: () => void }[] = [];

  write(pcm: Uint8Array): void {
    this.writtenBytes += pcm.byteLength;
    this.#waiters = this.#waiters.filter((w) => {
      if (this.writtenBytes < w.bytes) return true;
      w.resolve();
      return false;
    });
  }

  stop(): number {
    const played = this.playedMs();
    this.stops++;
    this.writtenBytes = 0;
    return played;
  }

  playedMs(): number {
    return this.reportPlayedMs ?? this.writtenBytes / 48;
  }

  unplayedMs(): number {
    return this.reportUnplayedMs ?? Math.max(0, this.writtenBytes / 48 - this.playedMs());
  }

  /** Resolves once at least `ms` of 24 kHz PCM16 has been written. */
  untilWrittenMs(ms: number): Promise<void> {
    const bytes = ms * 48;
    if (this.writtenBytes >= bytes) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ bytes, resolve }));
  }
}
