export type {
  Transcriber,
  TranscriberAvailability,
  TranscriberKind,
  TranscriberStats,
  TranscriptionErrorCode,
  TranscriptionFailure,
  TranscriptionOptions,
  TranscriptionPartial,
  TranscriptionResult,
  TranscriptionStream,
  TranscriptionSuccess,
  TranscriptionUsage,
} from './transcriber.js';
export { TRANSCRIPTION_SAMPLE_RATE, durationUsage, isTranscriptionFailure } from './transcriber.js';
export {
  DEFAULT_POCKETSPHINX_LIBRARY,
  DEFAULT_POCKETSPHINX_MODEL_DIR,
  DEFAULT_SPHINXBASE_LIBRARY,
  POCKETSPHINX_ENV,
  parseTranscriberConfig,
  resolvePocketsphinxPaths,
  transcriberConfigSchema,
} from './transcriber-config.js';
export type {
  HttpTranscriberConfig,
  PocketsphinxConfig,
  PocketsphinxPaths,
  TranscriberConfig,
  TranscriberConfigResult,
} from './transcriber-config.js';
export {
  createNoneTranscriber,
  createTranscriber,
  transcriberForModel,
} from './create-transcriber.js';
export type { CreateTranscriberOptions } from './create-transcriber.js';
export { createHttpTranscriber } from './http-transcriber.js';
export {
  POCKETSPHINX_INSTALL_HINT,
  createPocketsphinxTranscriber,
} from './pocketsphinx-transcriber.js';
export type { PocketsphinxTranscriberOptions } from './pocketsphinx-transcriber.js';
export { buildJsgfGrammar, normalizeGrammarPhrase } from './jsgf-grammar.js';
export type { JsgfGrammar } from './jsgf-grammar.js';
export {
  formatGrammarExpression,
  grammarRuleReferences,
  inlineGrammarRules,
  parseGrammarExpression,
} from './grammar-expression.js';
export type { GrammarNode, GrammarParseResult } from './grammar-expression.js';
export { TranscriptDeltas } from './transcript-deltas.js';
