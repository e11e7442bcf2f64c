/**
 * Messages between the main thread's pocketsphinx pool and its decoder worker threads.
 */
import type { PocketsphinxPaths } from './transcriber-config.js';

/** `workerData` of a decoder worker. */
export interface DecoderWorkerData {
  paths: PocketsphinxPaths;
  /** Idle decoders the worker keeps for reuse. */
  warmDecoders: number;
}

/** The environment variable that carries a decoder process's {@link DecoderWorkerData} (JSON). */
export const DECODER_DATA_ENV = 'LOCAL_REALTIME_DECODER_DATA';

/** Main thread → worker. `id` names a stream (or, for `prepare`, a request). */
export type ToDecoderWorker =
  | { type: 'open'; id: number; grammar: readonly string[] | undefined }
  | { type: 'audio'; id: number; samples: Int16Array }
  | { type: 'finish'; id: number }
  | { type: 'abort'; id: number }
  | { type: 'prepare'; id: number; grammar: readonly string[] | undefined }
  | { type: 'stats'; id: number };

/** What a worker's decode of one utterance came to. */
export type DecodeOutcome =
  | { ok: true; text: string; confidence: number }
  | { ok: false; code: 'audio_unintelligible' | 'transcriber_error'; message: string };

/** Worker → main thread. */
export type FromDecoderWorker =
  | { type: 'ready'; ok: true }
  | { type: 'ready'; ok: false; reason: string }
  | { type: 'partial'; id: number; text: string }
  | { type: 'result'; id: number; outcome: DecodeOutcome }
  | { type: 'prepared'; id: number }
  | { type: 'stats'; id: number; activeStreams: number; warmDecoders: number }
  | { type: 'warning'; message: string };
