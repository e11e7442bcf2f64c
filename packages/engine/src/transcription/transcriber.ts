/**
 * The speech-recognition contract: every backend (pocketsphinx, HTTP, none) implements {@link Transcriber}, and the
 * engine knows only this interface.
 */

/** Which backend a transcriber is. With `none` the engine emits no transcription events at all. */
export type TranscriberKind = 'pocketsphinx' | 'http' | 'none';

/** Per-utterance options, taken from `audio.input.transcription` (the model name is not needed: any maps here). */
export interface TranscriptionOptions {
  /** BCP-47 language hint (`en`, `en-US`); pocketsphinx decodes English only and warns on others. */
  language?: string;
  /** Free-text prompt; forwarded by the HTTP backend, ignored by pocketsphinx. */
  prompt?: string;
  /**
   * What the speaker is expected to say: phrases, or expressions with alternatives and optional parts
   * (`cancel [my] appointment ( one | two )`, see `grammar-expression.ts`; rules inlined). pocketsphinx then decodes
   * with a JSGF grammar of exactly these, so recognition of them is exact; the HTTP backend ignores it.
   */
  grammar?: readonly string[];
}

/** Why an utterance has no transcript. `audio_unintelligible` is what the live API sends for noise and silence. */
export type TranscriptionErrorCode =
  | 'audio_unintelligible'
  | 'transcriber_unavailable'
  | 'transcriber_error'
  | 'transcriber_timeout'
  | 'aborted';

/** Audio-duration usage, as `conversation.item.input_audio_transcription.completed` reports it. */
export interface TranscriptionUsage {
  type: 'duration';
  /** Seconds of audio written to the stream. */
  seconds: number;
}

/** A finished transcript. */
export interface TranscriptionSuccess {
  text: string;
  /** 0–1 where the backend gives one (pocketsphinx: posterior probability of the hypothesis). */
  confidence?: number;
  /**
   * Text not yet covered by the partials' deltas: emit it as a last `…input_audio_transcription.delta` before
   * `.completed` (when non-empty). Empty when the final text revised words already sent; `text` is authoritative.
   */
  finalDelta: string;
  usage: TranscriptionUsage;
}

/** An utterance that could not be transcribed; maps onto `…input_audio_transcription.failed`. */
export interface TranscriptionFailure {
  error: { code: TranscriptionErrorCode; message: string };
  usage: TranscriptionUsage;
}

/** What {@link TranscriptionStream.finish} resolves with. It never rejects. */
export type TranscriptionResult = TranscriptionSuccess | TranscriptionFailure;

/** A changed partial hypothesis. */
export interface TranscriptionPartial {
  /** The backend's whole current hypothesis (may revise earlier words). */
  text: string;
  /**
   * New text to append to what earlier deltas sent, for one `…input_audio_transcription.delta` event (never empty).
   * Deltas are append-only: see `transcript-deltas.ts` for what happens when a partial revises earlier words.
   */
  delta: string;
}

/** One utterance being transcribed. */
export interface TranscriptionStream {
  /** Appends 16 kHz mono PCM16 audio. The samples are copied; ignored after `finish()` or `abort()`. */
  write(samples: Int16Array): void;
  /** Subscribes to partial hypotheses; returns an unsubscribe function. Partials stop once `finish()` resolves. */
  onPartial(listener: (partial: TranscriptionPartial) => void): () => void;
  /** Ends the audio and resolves with the transcript or a typed failure (never rejects). Idempotent. */
  finish(): Promise<TranscriptionResult>;
  /** Drops the utterance and releases the decoder; a pending or later `finish()` resolves with `aborted`. */
  abort(): void;
}

/** Whether the backend can transcribe on this machine. */
export interface TranscriberAvailability {
  ok: boolean;
  /** Why not, with what to install. */
  reason?: string;
}

/** Decoder occupancy of a transcriber. */
export interface TranscriberStats {
  /** Utterances being decoded (opened, not yet finished or aborted). */
  activeStreams: number;
  /** Idle decoders kept warm for reuse. */
  warmDecoders: number;
}

/** A speech-recognition backend. */
export interface Transcriber {
  readonly kind: TranscriberKind;
  /** Sample rate `write()` expects (16 000 for every backend). */
  readonly sampleRate: number;
  /** Starts one utterance. Never throws: an unavailable backend gives a stream whose `finish()` fails. */
  open(options?: TranscriptionOptions): TranscriptionStream;
  /** Checks (once, then cached) that the backend can run, so the engine can say so at start-up. */
  available(): Promise<TranscriberAvailability>;
  /** Warms a decoder for these options so the first utterance does not pay for its start-up. */
  prepare(options?: TranscriptionOptions): Promise<void>;
  /** Decoder occupancy, for metrics and tests (zeros for backends without local decoders). */
  stats(): Promise<TranscriberStats>;
  /** Stops worker threads and aborts open streams. */
  close(): Promise<void>;
}

/** Sample rate every transcriber takes. */
export const TRANSCRIPTION_SAMPLE_RATE = 16_000;

/** True when a result is a failure. */
export function isTranscriptionFailure(
  result: TranscriptionResult,
): result is TranscriptionFailure {
  return 'error' in result;
}

/** The usage figure for `samples` 16 kHz samples. */
export function durationUsage(samples: number): TranscriptionUsage {
  return {
    type: 'duration',
    seconds: Math.round((samples / TRANSCRIPTION_SAMPLE_RATE) * 1000) / 1000,
  };
}
