/**
 * What the turn detector reports. Times are stream positions in milliseconds (audio received since
 * the detector started or was last reset to a position), never wall-clock.
 */

/** Speech began at `audioStartMs` (the first speech frame; prefix padding is not subtracted). */
export interface SpeechStartedEvent {
  type: 'speech_started';
  audioStartMs: number;
}

/** Speech ended at `audioEndMs` (the end of the last speech frame, not that plus the silence). */
export interface SpeechStoppedEvent {
  type: 'speech_stopped';
  audioEndMs: number;
}

/**
 * The span of audio to commit for the turn that just ended: from the start of speech minus the
 * prefix padding (never before the previous commit or 0) to a little after the end of speech.
 */
export interface CommitEvent {
  type: 'commit';
  startMs: number;
  endMs: number;
}

/** `idle_timeout_ms` elapsed after the armed time with no speech (fires once per arming). */
export interface IdleTimeoutEvent {
  type: 'timeout';
  audioStartMs: number;
  audioEndMs: number;
}

/** The speech classifier failed on a frame; the frame counts as silence. */
export interface ClassifierErrorEvent {
  type: 'error';
  error: Error;
}

/** Any event the turn detector emits. */
export type TurnEvent =
  SpeechStartedEvent | SpeechStoppedEvent | CommitEvent | IdleTimeoutEvent | ClassifierErrorEvent;

/** Receives the detector's events in stream order. */
export type TurnEventListener = (event: TurnEvent) => void;
