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
    const found = this.lookup(key);
    if (found) return Promise.resolve(found);
    const started = synthesize();
    this.put(key, started);
    return started;
  }

  /** Whether a reply with this text could be kept at all (the cache is on and the text is short enough). */
  accepts(text: string): boolean {
    return this.#maxBytes > 0 && text.length <= this.#maxTextChars;
  }

  /** True once at least `fraction` of the byte budget is in use (a warm-up stops there rather than evict). */
  filled(fraction: number): boolean {
    return this.#bytes >= this.#maxBytes * fraction;
  }

  /**
   * The audio for `key` without starting a synthesis: the cached audio, the synthesis still in flight for it, or
   * `undefined` (counted as a miss; the caller is expected to synthesise and {@link put} it).
   */
  lookup(key: SpeechCacheKey): PcmAudio | Promise<PcmAudio> | undefined {
    if (!this.accepts(key.text)) {
      this.#misses++;
      return undefined;
    }
    const id = cacheId(key);
    const hit = this.#entries.get(id);
    if (hit) {
      this.#hits++;
      this.#entries.delete(id);
      this.#entries.set(id, hit);
      return hit;
    }
    const pending = this.#pending.get(id);
    if (pending) {
      this.#hits++;
      return pending;
    }
    this.#misses++;
    return undefined;
  }

  /**
   * Registers a synthesis of `key` still in flight: later requests share it, and its audio is kept once it resolves
   * (a failure is forgotten). Ignored for keys the cache does not accept or that are already cached.
   */
  put(key: SpeechCacheKey, audio: Promise<PcmAudio>): void {
    if (!this.accepts(key.text)) return;
    const id = cacheId(key);
    if (this.#entries.has(id) || this.#pending.has(id)) return;
    const settled = audio.then(
      (pcm) => {
        this.#pending.delete(id);
        this.#store(id, pcm);
        return pcm;
      },
      (error: unknown) => {
        this.#pending.delete(id);
        throw error;
      },
    );
    settled.catch(() => undefined); // the caller owns the failure; this copy only tracks it
    this.#pending.set(id, settled);
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

function cacheId(key: SpeechCacheKey): string {
  return `${key.voice}\u0000${key.speed}\u0000${key.text}`;
}
