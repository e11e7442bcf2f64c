import type { Logger } from 'pino';
import type { Responder } from '../responder/responder.js';
import type { EngineMetrics } from '../server/metrics.js';
import type { Transcriber } from '../transcription/index.js';
import type { SpeechClassifier } from '../vad/index.js';
import type { AudioRenderer } from '../voice/audio-renderer.js';
import type { Clock } from './clock.js';
import type { RunFault } from './response-types.js';
import type { SessionRequest, SessionSink } from './session-port.js';

/** Limits one session enforces. */
export interface SessionLimits {
  /** Session duration; `session_expired` then close. */
  maxSessionMs: number;
  /** Decoded audio bytes per `input_audio_buffer.append` (live: 15 MiB). */
  maxAppendBytes: number;
  /** Bytes the input audio buffer may hold before appends are refused. */
  maxInputBufferBytes: number;
}

/** Watches a session from outside (the test kit records, the metrics count). */
export interface SessionObserver {
  clientEvent?(sessionId: string, event: { type: string } & Record<string, unknown>): void;
  serverEvent?(sessionId: string, event: { type: string } & Record<string, unknown>): void;
  closed?(sessionId: string): void;
}

/** Faults injected by a control call, consumed by the next response of the session. */
export interface FaultSource {
  nextResponseFault(sessionId: string): RunFault | { type: 'session_expired' } | undefined;
}

export interface SessionDeps {
  id?: string;
  request: SessionRequest;
  sink: SessionSink;
  responder: Responder;
  renderer: AudioRenderer;
  clock: Clock;
  logger: Logger;
  metrics: EngineMetrics;
  limits: SessionLimits;
  /** Accept the seed's custom client events (`audio`, `interrupt`, `heartbeat`). */
  extensions: boolean;
  faults?: FaultSource;
  observer?: SessionObserver;
  /** Default instructions shown in `session.created` (the scenario's, or the live default). */
  instructions?: string;
  /** Recognises user audio (shared by the engine's sessions); absent = none. */
  transcriber?: Transcriber | null;
  /** Phrases the recogniser should expect exactly (the scenario's grammar). */
  grammar?: string[];
  /** A new speech classifier for turn detection (default: the energy VAD). */
  speechClassifier?: () => SpeechClassifier;
}
