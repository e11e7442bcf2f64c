/**
 * Builds a {@link TurnDetector} for a session's configuration, loading Silero only when asked for.
 */
import { createEnergyClassifier } from './energy-classifier.js';
import type { EnergyClassifierOptions } from './energy-classifier.js';
import { createSileroClassifier, loadSileroModel } from './silero-classifier.js';
import type { VadKind } from './speech-classifier.js';
import { TurnDetector } from './turn-detector.js';
import type { TurnDetectorOptions } from './turn-detector.js';

/** Options for {@link createTurnDetector}. */
export interface CreateTurnDetectorOptions extends Omit<TurnDetectorOptions, 'classifier'> {
  /** The speech detector (default `'energy'`). */
  vad?: VadKind;
  /** Energy detector options (ignored for Silero). */
  energy?: EnergyClassifierOptions;
}

/**
 * Creates a turn detector with the chosen speech detector. `'energy'` resolves at once;
 * `'silero'` loads the optional model on first use (shared by later detectors).
 * @throws VadUnavailableError when `'silero'` is asked for and its optional packages are missing
 */
export async function createTurnDetector(
  options: CreateTurnDetectorOptions,
): Promise<TurnDetector> {
  const { vad = 'energy', energy, ...rest } = options;
  const classifier =
    vad === 'silero'
      ? createSileroClassifier(await loadSileroModel())
      : createEnergyClassifier(energy);
  return new TurnDetector({ ...rest, classifier });
}
