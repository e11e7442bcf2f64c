/**
 * Maps a session's GA `turn_detection` onto the numbers the turn detector runs on. `server_vad`
 * uses the session's threshold and windows directly; `semantic_vad` uses the same speech detector
 * with an end-of-turn silence chosen by `eagerness` (the documented maximum waits), shortened when
 * the recognised words so far end a sentence, and less when they show no sign either way (see
 * {@link TurnDetector.noteTranscript}). Words that leave the sentence hanging keep the maximum.
 */
import type { TurnDetection } from '@realtime-assistant/protocol';

/** `semantic_vad` eagerness as the API names it. */
export type Eagerness = 'low' | 'medium' | 'high' | 'auto';

/** The documented maximum waits for `semantic_vad` (`auto` = `medium`). */
export const SEMANTIC_MAX_WAIT_MS: Readonly<Record<Eagerness, number>> = Object.freeze({
  low: 8000,
  medium: 4000,
  high: 2000,
  auto: 4000,
});

/**
 * The end-of-turn silence for `semantic_vad` once the transcript so far reads as a finished
 * sentence: the model would reply sooner, the more eager the sooner.
 */
export const SEMANTIC_COMPLETE_WAIT_MS: Readonly<Record<Eagerness, number>> = Object.freeze({
  low: 1000,
  medium: 600,
  high: 300,
  auto: 600,
});

/**
 * The end-of-turn silence for `semantic_vad` once there is a transcript that neither reads as finished nor leaves
 * the sentence hanging ("turn on the lights"): half the maximum.
 */
export const SEMANTIC_OPEN_WAIT_MS: Readonly<Record<Eagerness, number>> = Object.freeze({
  low: 4000,
  medium: 2000,
  high: 1000,
  auto: 2000,
});

/** The GA `server_vad` defaults this engine echoes (see the protocol package). */
const SERVER_VAD_DEFAULTS = {
  threshold: 0.5,
  prefixPaddingMs: 300,
  silenceDurationMs: 200,
} as const;

/** Prefix padding used for `semantic_vad`, which has no `prefix_padding_ms` field. */
const SEMANTIC_PREFIX_PADDING_MS = 300;

/** Everything the detector's state machine needs, in milliseconds and 0–1 scores. */
export interface TurnParameters {
  /** `'server_vad'` or `'semantic_vad'` (which one the session asked for). */
  kind: TurnDetection['type'];
  /** Score at or above which a frame starts speech (the session's `threshold`). */
  startThreshold: number;
  /** Score at or above which a frame keeps speech going (hysteresis below the start threshold). */
  continueThreshold: number;
  /** Audio kept before the start of speech in the committed span. */
  prefixPaddingMs: number;
  /** Silence after the last speech frame that ends the turn. */
  silenceDurationMs: number;
  /** Silence that ends a `semantic_vad` turn whose transcript reads as complete (= silenceDurationMs for server_vad). */
  completeSilenceMs: number;
  /** Silence that ends a `semantic_vad` turn whose transcript shows no sign either way (= silenceDurationMs for server_vad). */
  openSilenceMs: number;
  /** `idle_timeout_ms`, or null when off. */
  idleTimeoutMs: number | null;
  /** Speech shorter than this never starts a turn (clicks, knocks). */
  minSpeechMs: number;
  /** A gap longer than this inside a not-yet-confirmed start drops it. */
  candidateGapMs: number;
  /** Audio kept after the end of speech in the committed span (bounded by the audio received). */
  endPaddingMs: number;
  /** Score a frame just before a confirmed start needs to count as its soft onset (an /h/, /s/, "wh"). */
  onsetThreshold: number;
  /** How far back a start may be moved over such frames. */
  maxOnsetLookbackMs: number;
}

/** Tuning that the API does not expose; the defaults suit 10–32 ms frames. */
export interface TurnTuning {
  /** Minimum speech to start a turn (default 120 ms). */
  minSpeechMs?: number;
  /** Gap that drops a start candidate (default 60 ms). */
  candidateGapMs?: number;
  /** Score hysteresis between starting and continuing speech (default 0.15). */
  hysteresis?: number;
  /** Audio kept after the end of speech in the commit (default 100 ms). */
  endPaddingMs?: number;
  /** Soft-onset score as a fraction of the start threshold (default 0.25). */
  onsetFraction?: number;
  /** Longest soft onset moved into the start (default 300 ms). */
  maxOnsetLookbackMs?: number;
}

const clamp01 = (value: number): number => Math.min(1, Math.max(0, value));

/**
 * Resolves a GA `turn_detection` object (defaults filled in where fields are missing) into the
 * detector's parameters.
 */
export function turnParameters(
  turnDetection: TurnDetection,
  tuning: TurnTuning = {},
): TurnParameters {
  const hysteresis = tuning.hysteresis ?? 0.15;
  const common = {
    minSpeechMs: tuning.minSpeechMs ?? 120,
    candidateGapMs: tuning.candidateGapMs ?? 60,
    endPaddingMs: tuning.endPaddingMs ?? 100,
    maxOnsetLookbackMs: tuning.maxOnsetLookbackMs ?? 300,
  };
  const onsetFraction = tuning.onsetFraction ?? 0.25;
  if (turnDetection.type === 'semantic_vad') {
    const eagerness = turnDetection.eagerness ?? 'auto';
    const startThreshold = SERVER_VAD_DEFAULTS.threshold;
    return {
      kind: 'semantic_vad',
      startThreshold,
      continueThreshold: clamp01(startThreshold - hysteresis),
      onsetThreshold: startThreshold * onsetFraction,
      prefixPaddingMs: SEMANTIC_PREFIX_PADDING_MS,
      silenceDurationMs: SEMANTIC_MAX_WAIT_MS[eagerness],
      completeSilenceMs: SEMANTIC_COMPLETE_WAIT_MS[eagerness],
      openSilenceMs: SEMANTIC_OPEN_WAIT_MS[eagerness],
      idleTimeoutMs: null,
      ...common,
    };
  }
  const startThreshold = clamp01(turnDetection.threshold ?? SERVER_VAD_DEFAULTS.threshold);
  const silenceDurationMs = Math.max(
    0,
    turnDetection.silence_duration_ms ?? SERVER_VAD_DEFAULTS.silenceDurationMs,
  );
  return {
    kind: 'server_vad',
    startThreshold,
    continueThreshold: clamp01(startThreshold - hysteresis),
    onsetThreshold: startThreshold * onsetFraction,
    prefixPaddingMs: Math.max(
      0,
      turnDetection.prefix_padding_ms ?? SERVER_VAD_DEFAULTS.prefixPaddingMs,
    ),
    silenceDurationMs,
    completeSilenceMs: silenceDurationMs,
    openSilenceMs: silenceDurationMs,
    idleTimeoutMs: turnDetection.idle_timeout_ms ?? null,
    ...common,
  };
}
