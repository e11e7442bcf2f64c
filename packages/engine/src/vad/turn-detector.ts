/**
 * Turn detection for one session's input audio, with no sockets and no clocks: the session pushes
 * PCM16 mono at any rate and the detector reports speech_started / speech_stopped / commit /
 * timeout in stream time (see turn-events.ts). Frames are scored by a {@link SpeechClassifier}
 * (energy by default; Silero through {@link createTurnDetector}) and the scores drive
 * {@link TurnStateMachine}.
 */
import { createResampler } from '@realtime-assistant/protocol';
import type { Pcm16Resampler, TurnDetection } from '@realtime-assistant/protocol';
import { createEnergyClassifier } from './energy-classifier.js';
import { PcmFramer } from './pcm-framer.js';
import { turnEnding } from './semantic-endpoint.js';
import type { SpeechClassifier, VadKind } from './speech-classifier.js';
import { turnParameters } from './turn-config.js';
import type { TurnParameters, TurnTuning } from './turn-config.js';
import type { TurnEvent, TurnEventListener } from './turn-events.js';
import { TurnStateMachine } from './turn-state.js';

/** Options for {@link TurnDetector}. */
export interface TurnDetectorOptions {
  /** The session's GA `turn_detection` (server_vad or semantic_vad; missing fields take the GA defaults). */
  turnDetection: TurnDetection;
  /** Receives events in stream order. */
  onEvent: TurnEventListener;
  /** The frame scorer (default: a new energy classifier). */
  classifier?: SpeechClassifier;
  /** Tuning the API does not expose. */
  tuning?: TurnTuning;
  /** Stream position of the first sample pushed (default 0). */
  positionMs?: number;
}

interface QueuedFrame {
  frame: Int16Array;
  sampleRate: number;
  startMs: number;
  endMs: number;
}

/** See the file comment. */
export class TurnDetector {
  readonly #classifier: SpeechClassifier;
  readonly #onEvent: TurnEventListener;
  readonly #tuning: TurnTuning;
  readonly #state: TurnStateMachine;
  readonly #framer: PcmFramer;
  #resampler: Pcm16Resampler | undefined;
  #inputRate = 0;
  /** Frames waiting for an asynchronous classifier, oldest first. */
  readonly #queue: QueuedFrame[] = [];
  #busy: Promise<void> | undefined;
  #generation = 0;
  /** Stream position of the end of the audio pushed so far. */
  #pushedMs: number;
  /** Rate of the frames the framer cuts (the classifier's, or the input's for `'any'`). */
  #frameRate = 0;
  /** One sink for every push (a closure per push costs an allocation per append). */
  readonly #sink = (frame: Int16Array, startMs: number, endMs: number): void =>
    this.#enqueue(frame, this.#frameRate, startMs, endMs);

  constructor(options: TurnDetectorOptions) {
    this.#classifier = options.classifier ?? createEnergyClassifier();
    this.#onEvent = options.onEvent;
    this.#tuning = options.tuning ?? {};
    this.#state = new TurnStateMachine(
      turnParameters(options.turnDetection, this.#tuning),
      (event) => this.#emit(event),
    );
    this.#pushedMs = options.positionMs ?? 0;
    this.#framer = new PcmFramer(this.#classifier.frameMs, this.#pushedMs);
  }

  /** Which speech detector scores the frames. */
  get vad(): VadKind {
    return this.#classifier.kind;
  }

  /** The resolved parameters in force. */
  get params(): TurnParameters {
    return this.#state.params;
  }

  /** Stream position reached by the audio pushed so far, in ms. */
  get positionMs(): number {
    return this.#pushedMs;
  }

  /** Whether confirmed speech is in progress (after speech_started, before speech_stopped). */
  get speaking(): boolean {
    return this.#state.speaking;
  }

  /**
   * Adds PCM16 mono audio at `sampleRate` (any positive integer rate; it may change between
   * calls). With the energy VAD, events for the audio are emitted before this returns; with an
   * asynchronous classifier they follow in order (await {@link TurnDetector.drain}).
   */
  push(samples: Int16Array, sampleRate: number): void {
    if (!Number.isInteger(sampleRate) || sampleRate <= 0) {
      throw new RangeError(`sampleRate must be a positive integer, got ${sampleRate}`);
    }
    this.#pushedMs += (samples.length * 1000) / sampleRate;
    const target = this.#classifier.sampleRate;
    const rate = target === 'any' ? sampleRate : target;
    this.#frameRate = rate;
    const sink = this.#sink;
    if (target === 'any') {
      // The energy VAD scores frames at the input rate: no resampling on the append path.
      this.#framer.push(samples, rate, sink);
      return;
    }
    if (sampleRate !== this.#inputRate || this.#resampler === undefined) {
      // The old resampler's held-back tail belongs to the stream: frame it before switching.
      if (this.#resampler !== undefined) this.#framer.push(this.#resampler.flush(), rate, sink);
      this.#inputRate = sampleRate;
      this.#resampler = createResampler({ inputRate: sampleRate, outputRate: target });
    }
    this.#framer.push(this.#resampler.process(samples), rate, sink);
  }

  /** Resolves once every frame pushed so far has been scored and its events emitted. */
  async drain(): Promise<void> {
    while (this.#busy !== undefined) await this.#busy;
  }

  /** Applies a new `turn_detection` mid-stream; it takes effect from the next frame. */
  updateConfig(turnDetection: TurnDetection): void {
    this.#state.setParams(turnParameters(turnDetection, this.#tuning));
  }

  /**
   * Starts the idle timer at stream position `atMs` (e.g. where the last response's audio finished
   * playing): `timeout` fires once if `idle_timeout_ms` passes after it with no speech.
   */
  armIdle(atMs: number): void {
    this.#state.armIdle(atMs);
  }

  /** Stops the idle timer. */
  disarmIdle(): void {
    this.#state.disarmIdle();
  }

  /** Tells the detector the client committed or cleared the buffer at `atMs` (commits never reach before it). */
  setBufferStart(atMs: number): void {
    this.#state.setBufferStart(atMs);
  }

  /**
   * Gives `semantic_vad` the transcript of the speech in progress (a partial recognition result):
   * when it reads as a finished sentence the turn ends after the eagerness's short silence, when it
   * shows no sign either way after half the maximum, and when it leaves the sentence hanging after
   * the maximum wait (see {@link turnEnding}). Ignored by `server_vad`.
   */
  noteTranscript(text: string): void {
    this.#state.setTranscriptEnding(text.trim() === '' ? null : turnEnding(text));
  }

  /**
   * Forgets speech in progress, queued frames, the idle timer and the classifier's adaptive state.
   * The stream position stays where it is unless `positionMs` is given.
   */
  reset(positionMs?: number): void {
    const at = positionMs ?? this.positionMs;
    this.#generation++;
    this.#queue.length = 0;
    this.#busy = undefined;
    this.#pushedMs = at;
    this.#resampler?.reset();
    this.#framer.reset(at);
    this.#classifier.reset();
    this.#state.reset(at);
  }

  /** Releases the classifier (Silero's WASM session); the detector is unusable afterwards. */
  async dispose(): Promise<void> {
    this.#generation++;
    this.#queue.length = 0;
    await this.#classifier.dispose();
  }

  #emit(event: TurnEvent): void {
    this.#onEvent(event);
  }

  #enqueue(frame: Int16Array, sampleRate: number, startMs: number, endMs: number): void {
    if (this.#busy === undefined) {
      const score = this.#safeClassify(frame, sampleRate);
      if (typeof score === 'number') {
        this.#state.frame(startMs, endMs, score);
        return;
      }
      this.#busy = this.#runQueue(score, startMs, endMs);
      return;
    }
    this.#queue.push({ frame: frame.slice(), sampleRate, startMs, endMs });
  }

  async #runQueue(first: Promise<number>, startMs: number, endMs: number): Promise<void> {
    const generation = this.#generation;
    let pending: { score: Promise<number> | number; startMs: number; endMs: number } | undefined = {
      score: first,
      startMs,
      endMs,
    };
    while (pending !== undefined) {
      const score = await this.#settle(pending.score);
      if (generation !== this.#generation) return;
      this.#state.frame(pending.startMs, pending.endMs, score);
      const next = this.#queue.shift();
      pending =
        next === undefined
          ? undefined
          : { score: this.#safeClassify(next.frame, next.sampleRate), ...next };
    }
    this.#busy = undefined;
  }

  #safeClassify(frame: Int16Array, sampleRate: number): number | Promise<number> {
    try {
      return this.#classifier.classify(frame, sampleRate);
    } catch (error) {
      this.#emit({ type: 'error', error: asError(error) });
      return 0;
    }
  }

  async #settle(score: Promise<number> | number): Promise<number> {
    try {
      return await score;
    } catch (error) {
      this.#emit({ type: 'error', error: asError(error) });
      return 0;
    }
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
