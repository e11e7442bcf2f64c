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
  type RealtimeTools,
  type TypedWhileAnswering,
} from './conversation/conversation-controller.js';
export { DirectoryError, ensureDirectory } from './files/ensure-directory.js';
export {
  ConnectError,
  connectFailureOf,
  urlWithoutSecrets,
  type ConnectFailure,
} from './conversation/connect-error.js';
export { PlaybackTracker, type PlaybackCut } from './conversation/playback-tracker.js';
export { unfinishedResponse, type UnfinishedResponse } from './conversation/response-outcome.js';
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

// Storage
export { BOOKING_GRID_MINUTES, gridUnitsOf } from './storage/booking-grid.js';
export type { DatabaseSchema } from './storage/database-schema.js';
export { SCHEMA_VERSION } from './storage/migrations/run-migrations.js';
export {
  openStorage,
  SQLITE_FILE_NAME,
  type Storage,
  type StorageOptions,
} from './storage/open-storage.js';
export { StorageError, type StorageErrorCode } from './storage/storage-error.js';
export type { StorageDialect } from './storage/write-transaction.js';
export type {
  AppointmentFailure,
  AppointmentRecord,
  AppointmentRepository,
  AppointmentWrite,
  ConversationItemRecord,
  ConversationRecord,
  ConversationRepository,
  ConversationSummary,
  ItemSpeaker,
  NewAppointment,
  ServiceName,
} from './storage/records.js';

// Conversation history
export {
  ConversationRecorder,
  type ConversationRecorderOptions,
} from './history/conversation-recorder.js';
export {
  conversationToJson,
  conversationToMarkdown,
  formatConversationList,
  formatConversationText,
  type HistoryFormatOptions,
} from './history/history-format.js';

// Assistant profiles
export type {
  AssistantProfile,
  InstructionContext,
  ProfileToolContext,
} from './profiles/assistant-profile.js';
export { defaultProfile } from './profiles/default-profile.js';
export { findProfile, PROFILES, type ProfileLookup } from './profiles/profiles.js';
export { schedulerProfile } from './profiles/scheduler-profile.js';

// The appointment desk (scheduler tools)
export {
  describeServiceChoices,
  findService,
  formatPrice,
  SERVICE_NAMES,
  SERVICES,
  shortestService,
  type Price,
  type ServiceInfo,
} from './scheduler/services.js';
export {
  createDeskSettings,
  DEFAULT_WEEKLY_HOURS,
  describeWeeklyHours,
  type DeskSettings,
  type OpeningHours,
  type Weekday,
  type WeeklyHours,
} from './scheduler/desk-settings.js';
export { checkStart } from './scheduler/booking-rules.js';
export { findFreeSlots, freeSlotStarts } from './scheduler/availability.js';
export { createSchedulerTools, type SchedulerToolsOptions } from './scheduler/scheduler-tools.js';
export {
  defineTool,
  SYSTEM_UNAVAILABLE,
  type ToolDefinition,
  type ToolError,
  type ToolLogger,
  type ToolOutput,
} from './scheduler/tool-definition.js';
export {
  toRealtimeTool,
  toRealtimeTools,
  type RealtimeFunctionTool,
} from './scheduler/realtime-tools.js';
