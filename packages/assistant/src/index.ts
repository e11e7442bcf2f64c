/**
 * @realtime-assistant/assistant — the assistant core: config, logging, app events, and a conversation controller
 * over `@openai/agents-realtime`. No terminal or browser code.
 */

// Config
export {
  AppConfigSchema,
  OPENAI_REALTIME_URL,
  resolveAssistant,
  resolveTarget,
  type AppConfig,
  type AssistantRef,
  type ConnectionTarget,
  type LogLevel,
} from './config/config-schema.js';
export {
  loadConfig,
  type ConfigFlags,
  type ConfigIssue,
  type LoadConfigOptions,
  type LoadConfigResult,
  type SettingSource,
} from './config/load-config.js';
export { describeConfig } from './config/describe-config.js';
export { maskSecret, Secret } from './config/secret.js';
export { SECRET_FLAGS, SETTINGS, type SettingKind, type SettingSpec } from './config/settings.js';

// Logging
export {
  createAppLogger,
  newSessionId,
  type AppLogger,
  type AppLoggerOptions,
  type LineSink,
} from './logging/create-app-logger.js';
export { formatPrettyLine } from './logging/pretty-line.js';
export { RotatingFile, rotateFiles, type RotationLimits } from './logging/rotating-file.js';
export { REDACT_PATHS, scrubSecrets, scrubString } from './logging/scrub-secrets.js';

// App events
export type {
  AppEventMap,
  AppEventName,
  InterruptionReason,
  Speaker,
} from './events/app-event-map.js';
export {
  AppEvents,
  type AnyAppListener,
  type AppListener,
  type ListenerErrorReporter,
} from './events/app-events.js';

// Conversation
export { ClockAudioSink, type AudioSink } from './conversation/audio-sink.js';
export { backoffDelayMs, DEFAULT_BACKOFF, type BackoffPolicy } from './conversation/backoff.js';
export {
  systemClock,
  type ControllerClock,
  type TimerHandle,
} from './conversation/controller-clock.js';
export { ConversationReplay, type ReplayItem } from './conversation/conversation-replay.js';
export type { ConnectionState, TurnState } from './conversation/conversation-state.js';
export {
  ConversationController,
  type ConversationControllerOptions,
} from './conversation/conversation-controller.js';
export { PlaybackTracker, type PlaybackCut } from './conversation/playback-tracker.js';
export {
  conversationSettingsFrom,
  toSdkSessionConfig,
  type ConversationSettings,
} from './conversation/session-settings.js';
export {
  SinkAwareWebSocketTransport,
  type InterruptionRecord,
  type SinkAwareTransportOptions,
} from './conversation/sink-aware-transport.js';
export {
  TranscriptStore,
  type TranscriptEntry,
  type TranscriptListener,
} from './conversation/transcript-store.js';
export {
  addUsage,
  EMPTY_USAGE,
  usageOfResponse,
  type UsageTotals,
} from './conversation/usage-totals.js';
