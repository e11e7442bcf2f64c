import type { AudioRenderer, PcmAudio } from './audio-renderer.js';
import { FileAndToneRenderer } from './file-and-tone-renderer.js';
import { FliteError } from './flite/flite-errors.js';
import { FliteSynthesizer } from './flite/flite-synthesizer.js';
import type { SpokenSentence } from './flite/flite-synthesizer.js';
import { fliteVoiceFor } from './flite/flite-voices.js';

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
  #unavailable = false;

  constructor(options: SpeechRendererOptions = {}) {
    this.#synthesizer = options.synthesizer ?? new FliteSynthesizer();
    this.#ownsSynthesizer = !options.synthesizer;
    this.#fallback = options.fallback ?? new FileAndToneRenderer();
    this.#logger = options.logger;
  }

  /** Audio for one reply: the whole reply as PCM (16 kHz from Flite; WAV files keep their own rate). */
  async render(input: SpeechRenderInput, signal?: AbortSignal): Promise<PcmAudio> {
    if (input.audio || this.#unavailable) return this.#fallback.render(input, signal);
    try {
      return await this.#synthesizer.synthesize(input.text, fliteVoiceFor(input.voice), signal, {
        ...(input.speed === undefined ? {} : { speed: input.speed }),
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      this.#degrade(error);
      return this.#fallback.render(input, signal);
    }
  }

  /**
   * Audio for one reply, sentence by sentence, so the session can start sending audio (and the matching transcript)
   * after the first sentence. WAV files, tones and the fallback yield one piece holding the whole reply.
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
