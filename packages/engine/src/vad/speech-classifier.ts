/**
 * The contract between the turn detector and a speech detector: one score per fixed frame. Scores
 * are 0–1 and compared with the session's `threshold`, so 0.5 means "as likely speech as not".
 */

/** Which detector a session uses: the built-in energy VAD, or Silero (optional dependency). */
export type VadKind = 'energy' | 'silero';

/** Scores fixed-length PCM16 frames at one sample rate. */
export interface SpeechClassifier {
  readonly kind: VadKind;
  /**
   * The rate frames must have, or `'any'` when the classifier takes the input rate as it comes
   * (the detector then frames at the input rate without resampling).
   */
  readonly sampleRate: number | 'any';
  /** Frame length in milliseconds. */
  readonly frameMs: number;
  /**
   * The speech score of one frame, synchronously or later. The frame buffer is reused by the
   * caller after a synchronous return; an asynchronous classifier must copy what it needs first.
   */
  classify(frame: Int16Array, sampleRate: number): number | Promise<number>;
  /** Forgets adaptive state (noise floor, recurrent state). */
  reset(): void;
  /** Releases native or WASM resources; the classifier is unusable afterwards. */
  dispose(): Promise<void>;
}
