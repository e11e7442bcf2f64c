import { createResampler } from '@realtime-assistant/protocol';
import type { AudioRenderer, PcmAudio } from './audio-renderer.js';
import { FileAndToneRenderer } from './file-and-tone-renderer.js';
import { FliteError } from './flite/flite-errors.js';
import { FliteSynthesizer } from './flite/flite-synthesizer.js';
import type { SpokenSentence } from './flite/flite-synthesizer.js';
import { fliteVoiceFor } from './flite/flite-voices.js';
import { SpeechCache } from './speech-cache.js';
import type { SpeechCacheOptions } from './speech-cache.js';

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
export type SpeechRenderInput = Parameters<AudioRenderer['render']>[0] & {
  /** The session's `audio.output.speed` (0.25–1.5, default 1). */
  speed?: number;
};

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
   * Synthesises replies into the cache ahead of use (e.g. a scenario's fixed reply texts at start-up), one at a
   * time so live replies are not held up. Failures are ignored: the reply is synthesised when it is needed.
   */
  async prepare(texts: Iterable<string>, voice = 'alloy', speed?: number): Promise<void> {
    if (this.#unavailable) return;
    for (const text of texts) {
      if (text.trim() === '') continue;
      await this.render({ text, voice, ...(speed === undefined ? {} : { speed }) }).catch(
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
