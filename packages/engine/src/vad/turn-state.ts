/**
 * The turn state machine: consumes one speech score (0–1) per frame, in stream order, and emits
 * speech_started / speech_stopped / commit / timeout. It knows nothing about audio, so it runs the
 * same behind the energy detector and Silero.
 */
import type { TurnEnding } from './semantic-endpoint.js';
import type { TurnParameters } from './turn-config.js';
import type { TurnEvent } from './turn-events.js';

type Phase =
  | { name: 'quiet' }
  /** Speech-like frames that have not yet lasted `minSpeechMs`. */
  | { name: 'candidate'; startMs: number; speechMs: number; lastSpeechEndMs: number }
  | { name: 'speaking'; startMs: number; lastSpeechEndMs: number };

const ms = (value: number): number => Math.round(value);

/** Frames remembered for the soft-onset look-back (enough for 300 ms of 5 ms frames). */
const HISTORY = 64;

/** See the file comment. Feed it with {@link TurnStateMachine.frame}. */
export class TurnStateMachine {
  #params: TurnParameters;
  readonly #emit: (event: TurnEvent) => void;
  #phase: Phase = { name: 'quiet' };
  /** Where the next commit may start at the earliest (the end of the previous one). */
  #bufferStartMs = 0;
  #idleArmedAtMs: number | null = null;
  /** How the transcript of the speech in progress ends; null = no transcript yet (semantic_vad then waits longest). */
  #ending: TurnEnding | null = null;
  /** The end of the last speech: a look-back never reaches before it. */
  #lastSpeechEndMs = Number.NEGATIVE_INFINITY;
  /** Recent frames (start, end, score), a ring; `#historyCount` of them are valid. */
  readonly #history = new Float64Array(HISTORY * 3);
  #historyNext = 0;
  #historyCount = 0;

  constructor(params: TurnParameters, emit: (event: TurnEvent) => void) {
    this.#params = params;
    this.#emit = emit;
  }

  /** The parameters in force. */
  get params(): TurnParameters {
    return this.#params;
  }

  /** Whether speech has been confirmed and not yet ended. */
  get speaking(): boolean {
    return this.#phase.name === 'speaking';
  }

  /** Replaces the parameters; they apply from the next frame. */
  setParams(params: TurnParameters): void {
    this.#params = params;
  }

  /** Records whether the transcript so far reads as a finished sentence (semantic_vad only). */
  setTranscriptComplete(complete: boolean): void {
    this.#ending = complete ? 'complete' : 'unfinished';
  }

  /**
   * Records how the transcript of the speech in progress ends (semantic_vad only): a finished sentence ends the
   * turn after `completeSilenceMs`, an open one after `openSilenceMs`, an unfinished one (or none) after the
   * maximum. Forgotten when the next turn starts.
   */
  setTranscriptEnding(ending: TurnEnding | null): void {
    this.#ending = ending;
  }

  /** Starts the idle timer at stream position `atMs` (replacing any armed one). */
  armIdle(atMs: number): void {
    this.#idleArmedAtMs = atMs;
  }

  /** Stops the idle timer. */
  disarmIdle(): void {
    this.#idleArmedAtMs = null;
  }

  /** Commits never reach back before `atMs` (the client committed or cleared the buffer there). */
  setBufferStart(atMs: number): void {
    this.#bufferStartMs = atMs;
  }

  /** Forgets speech in progress and the idle timer; commits may start from `positionMs`. */
  reset(positionMs: number): void {
    this.#phase = { name: 'quiet' };
    this.#bufferStartMs = positionMs;
    this.#idleArmedAtMs = null;
    this.#ending = null;
    this.#lastSpeechEndMs = Number.NEGATIVE_INFINITY;
    this.#historyCount = 0;
  }

  /** Consumes the score of the frame covering `[startMs, endMs)`. */
  frame(startMs: number, endMs: number, score: number): void {
    const p = this.#params;
    const phase = this.#phase;
    const active = score >= p.continueThreshold;
    if (phase.name === 'speaking') this.#historyCount = 0;
    else this.#remember(startMs, endMs, score);
    switch (phase.name) {
      case 'quiet':
        if (score >= p.startThreshold) {
          this.#phase = {
            name: 'candidate',
            startMs: this.#onsetBefore(startMs),
            speechMs: endMs - startMs,
            lastSpeechEndMs: endMs,
          };
          this.#confirmIfLongEnough();
        } else {
          this.#checkIdle(endMs);
        }
        return;
      case 'candidate':
        if (active) {
          phase.speechMs += endMs - startMs;
          phase.lastSpeechEndMs = endMs;
          this.#confirmIfLongEnough();
        } else if (endMs - phase.lastSpeechEndMs > p.candidateGapMs) {
          this.#phase = { name: 'quiet' };
          this.#checkIdle(endMs);
        }
        return;
      case 'speaking': {
        if (active) {
          phase.lastSpeechEndMs = endMs;
          return;
        }
        const silence =
          this.#ending === 'complete'
            ? Math.min(p.completeSilenceMs, p.silenceDurationMs)
            : this.#ending === 'open'
              ? Math.min(p.openSilenceMs, p.silenceDurationMs)
              : p.silenceDurationMs;
        if (endMs - phase.lastSpeechEndMs >= silence) this.#endTurn(phase, endMs);
        return;
      }
    }
  }

  #confirmIfLongEnough(): void {
    const phase = this.#phase;
    if (phase.name !== 'candidate' || phase.speechMs < this.#params.minSpeechMs) return;
    this.#phase = {
      name: 'speaking',
      startMs: phase.startMs,
      lastSpeechEndMs: phase.lastSpeechEndMs,
    };
    this.#idleArmedAtMs = null;
    this.#ending = null;
    this.#emit({ type: 'speech_started', audioStartMs: ms(phase.startMs) });
  }

  #endTurn(phase: Extract<Phase, { name: 'speaking' }>, nowMs: number): void {
    const p = this.#params;
    const startMs = Math.max(this.#bufferStartMs, phase.startMs - p.prefixPaddingMs);
    const endMs = Math.min(nowMs, phase.lastSpeechEndMs + p.endPaddingMs);
    this.#phase = { name: 'quiet' };
    this.#bufferStartMs = endMs;
    this.#lastSpeechEndMs = phase.lastSpeechEndMs;
    this.#ending = null;
    this.#emit({ type: 'speech_stopped', audioEndMs: ms(phase.lastSpeechEndMs) });
    this.#emit({ type: 'commit', startMs: ms(startMs), endMs: ms(endMs) });
  }

  #remember(startMs: number, endMs: number, score: number): void {
    const at = this.#historyNext * 3;
    this.#history[at] = startMs;
    this.#history[at + 1] = endMs;
    this.#history[at + 2] = score;
    this.#historyNext = (this.#historyNext + 1) % HISTORY;
    this.#historyCount = Math.min(HISTORY, this.#historyCount + 1);
  }

  /**
   * Where speech confirmed at `startMs` really began: walks back over the frames before it while
   * they reach the soft-onset score (gaps up to `candidateGapMs`), so a breathy or fricative onset
   * below the start threshold is not cut off.
   */
  #onsetBefore(startMs: number): number {
    const p = this.#params;
    const limit = Math.max(startMs - p.maxOnsetLookbackMs, this.#lastSpeechEndMs);
    let onset = startMs;
    // The newest entry is the frame at startMs itself; start one before it.
    for (let k = 2; k <= this.#historyCount; k++) {
      const at = ((this.#historyNext - k + HISTORY) % HISTORY) * 3;
      const frameStart = this.#history[at]!;
      if (frameStart < limit || onset - this.#history[at + 1]! > p.candidateGapMs) break;
      if (this.#history[at + 2]! >= p.onsetThreshold) onset = frameStart;
    }
    return onset;
  }

  #checkIdle(nowMs: number): void {
    const armedAt = this.#idleArmedAtMs;
    const timeout = this.#params.idleTimeoutMs;
    if (armedAt === null || timeout === null || nowMs < armedAt + timeout) return;
    this.#idleArmedAtMs = null;
    this.#bufferStartMs = nowMs;
    this.#emit({ type: 'timeout', audioStartMs: ms(armedAt), audioEndMs: ms(nowMs) });
  }
}
