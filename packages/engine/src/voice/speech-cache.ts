/**
 * A least-recently-used cache of synthesised replies. Scripted replies repeat a lot ("Sorry, say that again?"), and
 * Flite pays for a fresh WASI instance on every call (≈ 20 ms for a short sentence), so a repeated reply is served
 * from memory instead. Concurrent requests for the same reply share one synthesis.
 */
import type { PcmAudio } from './audio-renderer.js';

/** Settings of a {@link SpeechCache}. */
export interface SpeechCacheOptions {
  /** Most PCM bytes kept (default 16 MiB ≈ 6 minutes at 24 kHz); 0 turns the cache off. */
  maxBytes?: number;
  /** Longest reply text cached, in characters (default 400): long free-form replies rarely repeat. */
  maxTextChars?: number;
}

/** What identifies one synthesis. */
export interface SpeechCacheKey {
  text: string;
  voice: string;
  speed: number;
}

/** See the file comment. */
export class SpeechCache {
  readonly #maxBytes: number;
  readonly #maxTextChars: number;
  /** Insertion order = recency order (a hit is moved to the end). */
  readonly #entries = new Map<string, PcmAudio>();
  readonly #pending = new Map<string, Promise<PcmAudio>>();
  #bytes = 0;
  #hits = 0;
  #misses = 0;

  constructor(options: SpeechCacheOptions = {}) {
    this.#maxBytes = Math.max(0, options.maxBytes ?? 16 * 1024 * 1024);
    this.#maxTextChars = Math.max(0, options.maxTextChars ?? 400);
  }

  /** Hits, misses and bytes held, for tests and metrics. */
  get stats(): { hits: number; misses: number; bytes: number; entries: number } {
    return {
      hits: this.#hits,
      misses: this.#misses,
      bytes: this.#bytes,
      entries: this.#entries.size,
    };
  }

  /**
   * The audio for `key`: from memory when cached, else from `synthesize` (shared with any request for the same key
   * still in flight) and then kept. The returned samples are shared: callers must not write to them. A failed
   * synthesis is not cached.
   */
  get(key: SpeechCacheKey, synthesize: () => Promise<PcmAudio>): Promise<PcmAudio> {
    if (this.#maxBytes === 0 || key.text.length > this.#maxTextChars) {
      this.#misses++;
      return synthesize();
    }
    const id = `${key.voice}\u0000${key.speed}\u0000${key.text}`;
    const hit = this.#entries.get(id);
    if (hit) {
      this.#hits++;
      this.#entries.delete(id);
      this.#entries.set(id, hit);
      return Promise.resolve(hit);
    }
    const pending = this.#pending.get(id);
    if (pending) {
      this.#hits++;
      return pending;
    }
    this.#misses++;
    const started = synthesize().then(
      (audio) => {
        this.#pending.delete(id);
        this.#store(id, audio);
        return audio;
      },
      (error: unknown) => {
        this.#pending.delete(id);
        throw error;
      },
    );
    this.#pending.set(id, started);
    return started;
  }

  /** Forgets everything cached. */
  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }

  #store(id: string, audio: PcmAudio): void {
    const size = audio.samples.byteLength;
    // One reply may take at most a quarter of the budget, so a long one cannot flush everything else.
    if (size > this.#maxBytes / 4) return;
    this.#entries.set(id, audio);
    this.#bytes += size;
    for (const [oldest, entry] of this.#entries) {
      if (this.#bytes <= this.#maxBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= entry.samples.byteLength;
    }
  }
}
