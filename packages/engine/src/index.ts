// Server layer
export { createLocalRealtimeServer } from './server/create-server.js';
export type {
  ListenInfo,
  LocalRealtimeServer,
  LocalRealtimeServerHooks,
  LocalRealtimeServerOptions,
  SessionFactoryContext,
  SessionFactoryProvider,
} from './server/create-server.js';
export {
  DEFAULT_HOST,
  DEFAULT_MAX_MESSAGE_BYTES,
  DEFAULT_PORT,
  ServerConfigError,
  parseServerOptions,
  serverOptionsSchema,
} from './server/options.js';
export type {
  ResolvedServerOptions,
  ServerOptionsInput,
  ServerOptionsParse,
} from './server/options.js';
export { createPrometheusMetrics, noopMetrics } from './server/metrics.js';
export type {
  EngineMetrics,
  PrometheusEngineMetrics,
  PrometheusMetricsOptions,
} from './server/metrics.js';
export { acceptAnySession, parseClientSecretRequest } from './server/client-secrets.js';
export type { ClientSecretRequest, SessionValidator } from './server/client-secrets.js';
export {
  EphemeralTokenStore,
  MAX_TOKEN_CHARS,
  newTokenSecret,
  TokenTooLargeError,
} from './server/ephemeral-tokens.js';
export type { EphemeralTokenRecord, MintedToken } from './server/ephemeral-tokens.js';
export {
  applyFaultControl,
  FAULTS_PATH,
  MAX_FAULT_BODY_BYTES,
  parseFaultControlRequest,
  pendingFaultJson,
} from './server/fault-control.js';
export type {
  FaultControl,
  FaultControlOutcome,
  FaultControlParse,
  FaultControlRequest,
  PendingFaultJson,
} from './server/fault-control.js';
export { isLoopbackHost } from './server/auth.js';
export type { AuthMode } from './server/auth.js';
export { isKnownRealtimeModel } from './server/models.js';
export { createServerLogger, REDACT_PATHS } from './server/logger.js';
export type { LogLevel } from './server/logger.js';
export { generateSelfSigned, loadTlsMaterial } from './server/tls.js';
export type { TlsMaterial } from './server/tls.js';
export { parseCliArgs } from './server/cli-args.js';
export { ENGINE_STOP_GRACE_MS, runEngineCommand } from './server/engine-command.js';
export type { EngineCommandIo, EngineCommandOptions } from './server/engine-command.js';
export type { CliCommand } from './server/cli-args.js';
export { engineVersion } from './version.js';

// Engine: the server with scenario-driven sessions
export {
  createEngine,
  loadScenario,
  validateTokenSession,
  MAX_APPEND_AUDIO_BYTES,
} from './engine.js';
export type { EngineOptions, LocalRealtimeEngine } from './engine.js';
export { FaultController } from './faults.js';
export type { InjectedFault, PendingFault } from './faults.js';
export { SessionRegistry } from './session-registry.js';
export type { SessionRecord } from './session-registry.js';
export { RealtimeSessionMachine } from './session/session.js';
export type {
  SessionDeps,
  SessionLimits,
  SessionObserver,
  FaultSource,
} from './session/session.js';
export type { Clock } from './session/clock.js';
export { systemClock } from './session/clock.js';
export type { Responder, Reply, ReplyRequest, ReplyAudio } from './responder/responder.js';
export { createScenarioResponder } from './responder/scenario-responder.js';
export type { AudioRenderer, PcmAudio } from './voice/audio-renderer.js';
export { FileAndToneRenderer } from './voice/file-and-tone-renderer.js';
export * from './scenario/index.js';

// Session contract
export type {
  SessionFactory,
  SessionPort,
  SessionRequest,
  SessionSink,
} from './session/session-port.js';

// Turn detection (server_vad / semantic_vad): energy VAD by default, Silero optional
export * from './vad/index.js';

// Input transcription backends: pocketsphinx (in-process, worker threads), an OpenAI-compatible HTTP server, none
export * from './transcription/index.js';

// Speech synthesis (Flite in worker threads) and the default audio renderer
export { FliteSynthesizer } from './voice/flite/flite-synthesizer.js';
export { FliteError } from './voice/flite/flite-errors.js';
export { fliteVoiceFor, OPENAI_VOICE_MAP } from './voice/flite/flite-voices.js';
export type { FliteVoice } from './voice/flite/flite-voices.js';
export { SpeechRenderer } from './voice/speech-renderer.js';

// Both cores: a cluster of engine workers on one port
export {
  startEngineCluster,
  runEngineWorker,
  CLUSTER_MESSAGE_TAG,
  TOKEN_SECRET_ENV,
} from './cluster.js';
export type { EngineCluster, EngineClusterOptions } from './cluster.js';
