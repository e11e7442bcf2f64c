/**
 * Chooses the speech-recognition backend from config, and maps the API's transcription model names onto it.
 */
import { createHttpTranscriber } from './http-transcriber.js';
import { createPocketsphinxTranscriber } from './pocketsphinx-transcriber.js';
import type { Transcriber, TranscriptionStream } from './transcriber.js';
import { TRANSCRIPTION_SAMPLE_RATE, durationUsage } from './transcriber.js';
import type { TranscriberConfig } from './transcriber-config.js';

/** Dependencies of {@link createTranscriber}. */
export interface CreateTranscriberOptions {
  /** Environment read for `LOCAL_REALTIME_POCKETSPHINX_*` path overrides (pass `process.env` from the entry point). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Receives grammar and language warnings (each distinct message once). */
  onWarning?: (message: string) => void;
}

/**
 * The backend for a session's `audio.input.transcription.model`. Every model name the API knows (`whisper-1`,
 * `gpt-4o-transcribe`, `gpt-4o-mini-transcribe`, …) and any other maps to the one configured local backend, so this
 * only reports which that is.
 */
export function transcriberForModel(
  transcriber: Transcriber,
  _model: string | undefined,
): Transcriber {
  return transcriber;
}

/** Creates the configured transcriber. Never throws for a missing library: see {@link Transcriber.available}. */
export function createTranscriber(
  config: TranscriberConfig,
  options: CreateTranscriberOptions = {},
): Transcriber {
  switch (config.kind) {
    case 'pocketsphinx':
      return createPocketsphinxTranscriber(config, options);
    case 'http':
      return createHttpTranscriber(config);
    case 'none':
      return createNoneTranscriber();
  }
}

/**
 * The `none` backend. The engine should check `kind === 'none'` and emit no transcription events at all; a stream
 * opened anyway resolves with an empty transcript.
 */
export function createNoneTranscriber(): Transcriber {
  return {
    kind: 'none',
    sampleRate: TRANSCRIPTION_SAMPLE_RATE,
    open(): TranscriptionStream {
      let samples = 0;
      return {
        write: (chunk) => void (samples += chunk.length),
        onPartial: () => () => {},
        finish: () => Promise.resolve({ text: '', finalDelta: '', usage: durationUsage(samples) }),
        abort: () => {},
      };
    },
    available: () => Promise.resolve({ ok: true }),
    prepare: () => Promise.resolve(),
    stats: () => Promise.resolve({ activeStreams: 0, warmDecoders: 0 }),
    close: () => Promise.resolve(),
  };
}
