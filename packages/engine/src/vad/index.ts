/**
 * Turn detection for the engine: a socket-free {@link TurnDetector} fed PCM16 in stream time, an
 * energy speech detector by default and Silero as an option, plus synthetic speech for tests.
 */
export { createTurnDetector } from './create-turn-detector.js';
export type { CreateTurnDetectorOptions } from './create-turn-detector.js';
export { createEnergyClassifier, frameLevelDb } from './energy-classifier.js';
export type { EnergyClassifierOptions } from './energy-classifier.js';
export { NoiseFloor } from './noise-floor.js';
export type { NoiseFloorOptions } from './noise-floor.js';
export { PcmFramer } from './pcm-framer.js';
export type { FrameSink } from './pcm-framer.js';
export { looksLikeCompleteTurn, turnEnding } from './semantic-endpoint.js';
export type { TurnEnding } from './semantic-endpoint.js';
export {
  VadUnavailableError,
  createSileroClassifier,
  loadSileroModel,
} from './silero-classifier.js';
export type { SileroModel } from './silero-classifier.js';
export type { SpeechClassifier, VadKind } from './speech-classifier.js';
export {
  pushInChunks,
  seededRandom,
  speechBoundaries,
  synthesizeSpeech,
} from './synthetic-speech.js';
export type {
  SpeechBoundaryOptions,
  SpeechSpan,
  SyntheticPart,
  SyntheticSpeech,
  SyntheticSpeechOptions,
} from './synthetic-speech.js';
export {
  SEMANTIC_COMPLETE_WAIT_MS,
  SEMANTIC_MAX_WAIT_MS,
  SEMANTIC_OPEN_WAIT_MS,
  turnParameters,
} from './turn-config.js';
export type { Eagerness, TurnParameters, TurnTuning } from './turn-config.js';
export { TurnDetector } from './turn-detector.js';
export type { TurnDetectorOptions } from './turn-detector.js';
export type {
  ClassifierErrorEvent,
  CommitEvent,
  IdleTimeoutEvent,
  SpeechStartedEvent,
  SpeechStoppedEvent,
  TurnEvent,
  TurnEventListener,
} from './turn-events.js';
export { TurnStateMachine } from './turn-state.js';
