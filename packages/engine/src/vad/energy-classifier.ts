/**
 * The default speech detector: RMS level per 10 ms frame, scored by how far it stands above a
 * tracked noise floor. No dependencies, any sample rate, about a microsecond per frame.
 */
import { NoiseFloor } from './noise-floor.js';
import type { NoiseFloorOptions } from './noise-floor.js';
import type { SpeechClassifier } from './speech-classifier.js';

/** Options for {@link createEnergyClassifier}. */
export interface EnergyClassifierOptions extends NoiseFloorOptions {
  /** Frame length in ms (default 10). */
  frameMs?: number;
  /**
   * Decibels above the noise floor that score 1; the score is linear below that, so the session's
   * `threshold` 0.5 means half of it (default 30 dB: threshold 0.5 ↔ 15 dB above the floor).
   */
  fullScaleSnrDb?: number;
}

/** Level of a frame of PCM16 in dB re full scale (RMS); silence reads −120. */
export function frameLevelDb(frame: Int16Array): number {
  // Four running sums (independent additions pipeline better); each stays far below 2^53.
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const n = frame.length;
  const whole = n - (n % 4);
  let i = 0;
  for (; i < whole; i += 4) {
    const a = frame[i]!;
    const b = frame[i + 1]!;
    const c = frame[i + 2]!;
    const d = frame[i + 3]!;
    s0 += a * a;
    s1 += b * b;
    s2 += c * c;
    s3 += d * d;
  }
  for (; i < n; i++) s0 += frame[i]! * frame[i]!;
  const sum = s0 + s1 + s2 + s3;
  if (sum === 0) return -120;
  return 10 * Math.log10(sum / frame.length / (32768 * 32768));
}

/** Creates the energy speech classifier (see the file comment). */
export function createEnergyClassifier(options: EnergyClassifierOptions = {}): SpeechClassifier {
  const frameMs = options.frameMs ?? 10;
  const fullScale = options.fullScaleSnrDb ?? 30;
  const floor = new NoiseFloor(options);
  return {
    kind: 'energy',
    sampleRate: 'any',
    frameMs,
    classify(frame, sampleRate) {
      const level = frameLevelDb(frame);
      // Score against the floor before this frame joins it, so an onset is measured cleanly.
      const score = (level - floor.db) / fullScale;
      floor.update(level, (frame.length * 1000) / sampleRate);
      return Math.min(1, Math.max(0, score));
    },
    reset() {
      floor.reset();
    },
    dispose() {
      return Promise.resolve();
    },
  };
}
