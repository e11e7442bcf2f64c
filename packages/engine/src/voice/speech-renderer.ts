import { setTimeout as delay } from 'node:timers/promises';
import { concatPcm16, createResampler } from '@realtime-assistant/protocol';
import type { AudioRenderer, PcmAudio, RenderInput, SpokenPiece } from './audio-renderer.js';
import { FileAndToneRenderer } from './file-and-tone-renderer.js';
import { FliteError } from './flite/flite-errors.js';
import { FliteSynthesizer } from './flite/flite-synthesizer.js';
import type { SpokenSentence } from './flite/flite-synthesizer.js';
import { fliteVoiceFor } from './flite/flite-voices.js';
import type { FliteVoice } from './flite/flite-voices.js';
import { PieceStream, TextSlicer } from './piece-stream.js';
import { SpeechCache } from './speech-cache.js';
import type { SpeechCacheKey, SpeechCacheOptions } from './speech-cache.js';

/** How often {@link SpeechRenderer.prepare} looks whether live syntheses have finished. */
const IDLE_POLL_MS = 20;

/** Where the renderer reports that it fell back to tones (pino's `logger.warn(details, message)` fits). */
export interface SpeechRendererLogger {
  warn(details: Record<string, unknown>, message: string): void;
}

/** Settings of a {@link SpeechRenderer}. */
export interface SpeechRendererOptions {
  /** The synthesiser for text (default: a new {@link FliteSynthesizer} with 2 workers, owned and closed by this renderer). */
  synthesizer?: FliteSynthesizer;
  /** Renders scenario WAV files, tones, and text when Flite cannot (default: a {@link FileAndToneRenderer}). */
  fallback?: AudioRenderer;
  logger?: SpeechRendererLogger;
  /**
   * Rate {@link SpeechRenderer.render} returns speech at (default 24 000, the rate of `audio/pcm`, so the session's
   * encoder only copies bytes for the default format); `null` keeps Flite's own rate (16 kHz).
   */
  outputRate?: number | null;
  /** The cache of synthesised replies (default: a 16 MiB {@link SpeechCache}); `false` synthesises every time. */
  cache?: SpeechCache | SpeechCacheOptions | false;
}

/** What {@link SpeechRenderer.render} takes: the {@link AudioRenderer} input plus the session's speaking rate. */
export type SpeechRenderInput = RenderInput;

/** Settings of {@link SpeechRenderer.prepare}. */
export interface PrepareOptions {
  /** The session voice name (default `alloy`, the session default). */
  voice?: string;
  /** The session speed (default 1). */
  speed?: number;
  /** Stops preparing (between replies). */
  signal?: AbortSignal;
  /** Stops once this share of the cache's byte budget is used, so preparing never evicts (default 0.5). */
  maxCacheFill?: number;
}

/**
 * The engine's default voice: scenario WAV files and tones go to the fallback renderer; text is spoken by Flite in
 * the voice mapped from the session's voice name. If Flite cannot be loaded (a corrupt or missing install) every
 * later reply falls back to a tone, with one logged warning, rather than failing the response.
 */
export class SpeechRenderer implements AudioRenderer {
  readonly #synthesizer: FliteSynthesizer;
  readonly #ownsSynthesizer: boolean;
  readonly #fallback: AudioRenderer;
  readonly #logger: SpeechRendererLogger | undefined;
  readonly #outputRate: number | null;
  readonly #cache: SpeechCache;
  #unavailable = false;

  constructor(options: SpeechRendererOptions = {}) {
    this.#synthesizer = options.synthesizer ?? new FliteSynthesizer();
    this.#ownsSynthesizer = !options.synthesizer;
    this.#fallback = options.fallback ?? new FileAndToneRenderer();
    this.#logger = options.logger;
    this.#outputRate = options.outputRate === undefined ? 24_000 : options.outputRate;
    const cache = options.cache ?? {};
    this.#cache =
      cache instanceof SpeechCache
        ? cache
        : new SpeechCache(cache === false ? { maxBytes: 0 } : cache);
  }

  /** Hits and misses of the reply cache. */
  get cacheStats(): SpeechCache['stats'] {
    return this.#cache.stats;
  }

  /**
   * Audio for one reply: the whole reply as PCM at the renderer's `outputRate` (WAV files and tones keep their own
   * rate). A reply said before in the same voice and speed comes from the cache without synthesis.
   */
  async render(input: SpeechRenderInput, signal?: AbortSignal): Promise<PcmAudio> {
    if (input.audio || this.#unavailable) return this.#fallback.render(input, signal);
    if (signal?.aborted) throw signal.reason;
    const voice = fliteVoiceFor(input.voice);
    const speed = input.speed ?? 1;
    try {
      // Synthesised without the caller's signal: the result may serve other sessions (and later turns), and a short
      // reply costs less to finish than to throw away. The caller still stops waiting when aborted.
      const audio = this.#cache.get({ text: input.text, voice, speed }, async () =>
        this.#atOutputRate(
          await this.#synthesizer.synthesize(input.text, voice, undefined, {
            ...(input.speed === undefined ? {} : { speed: input.speed }),
          }),
        ),
      );
      return await (signal ? raceAbort(audio, signal) : audio);
    } catch (error) {
      if (signal?.aborted) throw error;
      this.#degrade(error);
      return this.#fallback.render(input, signal);
    }
  }

  /**
   * Audio for one reply, sentence by sentence, so the session can start sending audio (and the matching transcript)
   * after the first sentence (at Flite's own rate, uncached). WAV files, tones and the fallback yield one piece
   * holding the whole reply.
   */
  async *renderSentences(
    input: SpeechRenderInput,
    signal?: AbortSignal,
  ): AsyncGenerator<SpokenSentence, void, undefined> {
    if (!input.audio && !this.#unavailable) {
      let spoken = 0;
      try {
        const sentences = this.#synthesizer.synthesizeSentences(
          input.text,
          fliteVoiceFor(input.voice),
          {
            ...(input.speed === undefined ? {} : { speed: input.speed }),
            ...(signal ? { signal } : {}),
          },
        );
        for await (const sentence of sentences) {
          spoken++;
          yield sentence;
        }
        return;
      } catch (error) {
        // Once part of the reply has been spoken, switching to a tone would be worse than stopping.
        if (signal?.aborted || spoken > 0) throw error;
        this.#degrade(error);
      }
    }
    yield { text: input.text, ...(await this.#fallback.render(input, signal)) };
  }

  /**
   * The reply's audio piece by piece, as {@link AudioRenderer.stream} describes: a cached reply (or one another
   * session is synthesising) comes as one piece; otherwise Flite speaks it sentence by sentence (a long first
   * sentence split at its first clause boundary), each piece at the renderer's `outputRate` as soon as it is ready,
   * and the whole is cached at the end. A cacheable synthesis runs to its end even when the reader stops (it may
   * serve later turns); an uncacheable one stops with the reader. WAV files, tones and the fallback come as one piece.
   */
  stream(input: SpeechRenderInput): AsyncIterator<SpokenPiece, void> {
    const shared = !input.audio && !this.#unavailable && this.#cache.accepts(input.text);
    const controller = new AbortController();
    const out = new PieceStream(() => {
      if (!shared) controller.abort(new FliteError('closed', 'reply stream stopped'));
    });
    void this.#produce(input, out, shared ? undefined : controller.signal);
    return out;
  }

  async #produce(input: SpeechRenderInput, out: PieceStream, signal?: AbortSignal): Promise<void> {
    try {
      if (input.audio || this.#unavailable) {
        out.push({ text: input.text, ...(await this.#fallback.render(input, signal)) });
        out.end();
        return;
      }
      const voice = fliteVoiceFor(input.voice);
      const key: SpeechCacheKey = { text: input.text, voice, speed: input.speed ?? 1 };
      const found = this.#cache.lookup(key);
      if (found) {
        const audio = await Promise.resolve(found).catch(() => null);
        if (audio) {
          out.push({ text: input.text, ...audio });
          out.end();
          return;
        }
        // The shared synthesis failed: try once more here.
      }
      await this.#streamSynthesis(input, key, voice, out, signal);
    } catch (error) {
      out.fail(error);
    }
  }

  async #streamSynthesis(
    input: SpeechRenderInput,
    key: SpeechCacheKey,
    voice: FliteVoice,
    out: PieceStream,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    let settle!: { resolve: (audio: PcmAudio) => void; reject: (error: unknown) => void };
    const whole = new Promise<PcmAudio>((resolve, reject) => {
      settle = { resolve, reject };
    });
    whole.catch(() => undefined);
    this.#cache.put(key, whole);
    const slicer = new TextSlicer(input.text);
    const parts: Int16Array[] = [];
    let sampleRate = this.#outputRate ?? 16_000;
    try {
      const sentences = this.#synthesizer.synthesizeSentences(input.text, voice, {
        ...(input.speed === undefined ? {} : { speed: input.speed }),
        ...(signal ? { signal } : {}),
      });
      for await (const sentence of sentences) {
        const pcm = this.#atOutputRate(sentence);
        parts.push(pcm.samples);
        sampleRate = pcm.sampleRate;
        out.push({ text: slicer.take(sentence.text), ...pcm });
      }
      const rest = slicer.rest();
      if (rest.trim() !== '') out.push({ text: rest, samples: new Int16Array(0), sampleRate });
      settle.resolve({ samples: concatPcm16(parts), sampleRate });
      out.end();
    } catch (error) {
      settle.reject(error);
      if (signal?.aborted || out.stopped) return out.end();
      // The renderer is closing: nothing to fall back for.
      if (error instanceof FliteError && error.code === 'closed') return out.fail(error);
      // Once part of the reply has been spoken, switching to a tone would be worse than stopping.
      if (parts.length > 0) return out.fail(error);
      this.#degrade(error);
      out.push({ text: input.text, ...(await this.#fallback.render(input)) });
      out.end();
    }
  }

  /**
   * Synthesises replies into the cache ahead of use (e.g. a scenario's fixed reply texts at start-up), one at a
   * time so live replies are not held up. Texts the cache would not keep are skipped, and it stops once the cache
   * is `maxCacheFill` full. Failures are ignored: the reply is synthesised when it is needed.
   */
  async prepare(texts: Iterable<string>, options: PrepareOptions | string = {}): Promise<void> {
    const {
      voice = 'alloy',
      speed,
      signal,
      maxCacheFill = 0.5,
    } = typeof options === 'string' ? { voice: options } : options;
    for (const text of texts) {
      if (text.trim() === '' || !this.#cache.accepts(text)) continue;
      await this.#whenIdle(signal);
      if (this.#unavailable || signal?.aborted || this.#cache.filled(maxCacheFill)) return;
      // Through the streaming path, so the cached audio is exactly what a streamed first use would have sent.
      const pieces = this.stream({ text, voice, ...(speed === undefined ? {} : { speed }) });
      try {
        while ((await pieces.next()).done !== true);
      } catch {
        // synthesised again when it is needed
      }
    }
  }

  /** Waits until no synthesis is queued or running, so preparing only uses otherwise idle workers. */
  async #whenIdle(signal: AbortSignal | undefined): Promise<void> {
    while (this.#synthesizer.inFlight > 0 && signal?.aborted !== true) {
      await delay(IDLE_POLL_MS, undefined, { ref: false, ...(signal ? { signal } : {}) }).catch(
        () => undefined,
      );
    }
  }

  #atOutputRate(audio: PcmAudio): PcmAudio {
    const rate = this.#outputRate;
    if (rate === null || rate === audio.sampleRate || audio.samples.length === 0) return audio;
    const resampler = createResampler({ inputRate: audio.sampleRate, outputRate: rate });
    const head = resampler.process(audio.samples);
    const tail = resampler.flush();
    const samples = new Int16Array(head.length + tail.length);
    samples.set(head, 0);
    samples.set(tail, head.length);
    return { samples, sampleRate: rate };
  }

  /** Closes the synthesiser if this renderer created it. */
  async close(): Promise<void> {
    if (this.#ownsSynthesizer) await this.#synthesizer.close();
  }

  #degrade(error: unknown): void {
    const code = error instanceof FliteError ? error.code : 'unknown';
    const message = error instanceof Error ? error.message : String(error);
    if (code === 'load_failed') {
      // Loading is not retried: the install will not repair itself while the engine runs.
      this.#unavailable = true;
      this.#logger?.warn(
        { code, err: message },
        'Flite speech synthesis is unavailable; replies use a tone instead',
      );
    } else {
      this.#logger?.warn(
        { code, err: message },
        'Flite could not speak a reply; it uses a tone instead',
      );
    }
  }
}

/** `promise`, or the signal's reason as soon as it aborts. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
