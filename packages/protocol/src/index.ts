/**
 * @realtime-assistant/protocol — OpenAI Realtime API wire schemas (GA and beta), error shapes,
 * ids and audio formats. No I/O; runs in Node and the browser.
 */

// Ids
export {
  callId,
  conversationId,
  ephemeralKey,
  eventId,
  ID_PREFIXES,
  itemId,
  randomAlphanumeric,
  responseId,
  rtcCallId,
  sessionId,
} from './ids.js';

// Session: audio, tools, session objects and defaults
export {
  AudioFormatSchema,
  TurnDetectionSchema,
  type AudioFormat,
  type AudioInputConfig,
  type AudioOutputConfig,
  type AudioTranscription,
  type KnownTranscriptionModel,
  type KnownVoice,
  type NoiseReduction,
  type SemanticVadTurnDetection,
  type ServerVadTurnDetection,
  type TurnDetection,
  type Voice,
} from './audio-config.js';
export {
  ToolChoiceSchema,
  ToolDefinitionSchema,
  type FunctionTool,
  type McpTool,
  type ToolChoice,
  type ToolDefinition,
} from './tools.js';
export {
  AnySessionSchema,
  RealtimeSessionConfigSchema,
  RealtimeSessionSchema,
  ResolvedRealtimeSessionSchema,
  ResolvedTranscriptionSessionSchema,
  SessionUpdateSchema,
  TranscriptionSessionConfigSchema,
  TranscriptionSessionSchema,
  type AnySession,
  type KnownRealtimeModel,
  type MaxOutputTokens,
  type Modality,
  type Prompt,
  type RealtimeSession,
  type RealtimeSessionConfig,
  type ResolvedRealtimeSession,
  type ResolvedTranscriptionSession,
  type SessionUpdate,
  type Tracing,
  type TranscriptionSession,
  type TranscriptionSessionConfig,
  type Truncation,
} from './session.js';
export {
  applyRealtimeSessionUpdate,
  applyTranscriptionSessionUpdate,
  DEFAULT_INSTRUCTIONS,
  DEFAULT_MODEL,
  defaultRealtimeSession,
  defaultTranscriptionSession,
  resolveAudioFormat,
  resolveTranscription,
  resolveTurnDetection,
  semanticVadDefaults,
  serverVadDefaults,
  SESSION_MAX_DURATION_SECONDS,
  type DefaultSessionOptions,
  type SessionKind,
} from './session-defaults.js';

// Items and responses
export {
  ConversationItemInputSchema,
  ConversationItemSchema,
  ResponseInputItemSchema,
  type AssistantContentPart,
  type ConversationItem,
  type ConversationItemInput,
  type FunctionCallItem,
  type FunctionCallOutputItem,
  type ItemReference,
  type MessageItem,
  type ResponseInputItem,
  type UserContentPart,
} from './items.js';
export {
  ResponseCreateParamsSchema,
  ResponseObjectSchema,
  ResponseStatusDetailsSchema,
  ResponseStatusSchema,
  UsageSchema,
  type ResponseCreateParams,
  type ResponseObject,
  type ResponseStatus,
  type ResponseStatusDetails,
  type Usage,
} from './response.js';

// Events
export {
  CLIENT_EVENT_SCHEMAS,
  CLIENT_EVENT_TYPES,
  ClientEventSchema,
  MAX_CLIENT_EVENT_ID_LENGTH,
  type ClientEvent,
  type ClientEventOf,
  type ClientEventType,
  type ConversationItemCreateEvent,
  type ConversationItemTruncateEvent,
  type InputAudioBufferAppendEvent,
  type ResponseCancelEvent,
  type ResponseCreateEvent,
  type SessionUpdateEvent,
} from './client-events.js';
export {
  RealtimeErrorSchema,
  SERVER_EVENT_SCHEMAS,
  SERVER_EVENT_TYPES,
  ServerEventSchema,
  type ErrorEvent,
  type RealtimeError,
  type ResponseCreatedEvent,
  type ResponseDoneEvent,
  type ResponseOutputAudioDeltaEvent,
  type ServerEvent,
  type ServerEventOf,
  type ServerEventType,
  type SessionCreatedEvent,
  type SessionUpdatedEvent,
} from './server-events.js';
export {
  commonAppendAudio,
  parseClientEvent,
  parseConversationItem,
  parseResponseCreateParams,
  parseSessionUpdate,
  validateWithSchema,
  type ClientEventError,
  type ParseClientEventResult,
  type ParseResult,
  type ValidateOptions,
} from './parse-client-event.js';
export {
  parseServerEvent,
  type GenericServerEvent,
  type ParseServerEventResult,
  type ServerEventParseError,
} from './parse-server-event.js';
export { CLIENT_ERROR_CODES, formatParamPath, type ClientErrorCode } from './validation-error.js';
export { MAX_APPEND_BASE64_LENGTH } from './base64-validation.js';

// Errors
export {
  BINARY_FRAME_MESSAGE,
  betaApiShapeDisabledError,
  conversationAlreadyHasActiveResponseError,
  errorEvent,
  errorEventFrom,
  inputAudioBufferCommitEmptyError,
  invalidApiKeyError,
  invalidEventError,
  invalidJsonError,
  invalidModelError,
  invalidTypeError,
  invalidValueError,
  itemNotFoundError,
  MISSING_TYPE_MESSAGE,
  missingAuthenticationError,
  missingModelError,
  missingRequiredParameterError,
  previousItemNotFoundError,
  rateLimitExceededError,
  responseCancelNotActiveError,
  serverError,
  sessionExpiredError,
  truncateBeyondAudioError,
  unknownParameterError,
  type ClientEventRef,
  type ErrorEventInit,
  type ItemOperation,
} from './errors.js';

// Client secrets (REST)
export {
  CLIENT_SECRET_TTL_SECONDS,
  ClientSecretCreateRequestSchema,
  ClientSecretResponseSchema,
  type ClientSecretCreateRequest,
  type ClientSecretResponse,
} from './client-secrets.js';

// Beta shape (format names: see audioFormatFromBeta / audioFormatToBeta in ./audio)
export {
  BETA_DEFAULT_TEMPERATURE,
  betaModalitiesToGA,
  betaSessionToGA,
  BetaSessionUpdateSchema,
  betaTranscriptionSessionToGA,
  BetaTranscriptionSessionUpdateSchema,
  betaTurnDetectionToGA,
  gaModalitiesToBeta,
  gaSessionToBeta,
  type BetaExtras,
  type BetaSession,
  type BetaSessionUpdate,
  type BetaTranscriptionSession,
  type BetaTranscriptionSessionUpdate,
  type BetaTurnDetection,
} from './beta-session.js';
export {
  BetaConversationItemSchema,
  BetaResponseCreateParamsSchema,
  betaItemToGA,
  betaResponseToGA,
  gaItemToBeta,
  gaResponseToBeta,
  type BetaContentPart,
  type BetaConversationItem,
  type BetaItem,
  type BetaResponse,
  type BetaResponseCreateParams,
  type BetaResponseInputItem,
} from './beta-items.js';
export {
  BETA_CLIENT_EVENT_TYPES,
  betaClientEventToGA,
  betaServerEventShapeToGA,
  betaServerEventToGA,
  GA_ONLY_SERVER_EVENT_TYPES,
  GA_TO_BETA_SERVER_EVENT_TYPES,
  gaServerEventToBeta,
  type BetaClientEventResult,
  type BetaServerEvent,
  type BetaServerEventType,
  type GaToBetaOptions,
} from './beta-events.js';
export {
  gaClientEventToBeta,
  gaItemInputToBeta,
  gaResponseCreateToBeta,
  gaSessionConfigToBeta,
  gaTranscriptionSessionConfigToBeta,
  type BetaClientEvent,
  type GaClientEventToBetaOptions,
  type GaClientEventToBetaResult,
} from './beta-client-events.js';

// Audio (formats, codecs, resampling, WAV) and base64
export * from './audio/index.js';
export {
  Base64Error,
  base64ToBytes,
  bytesToBase64,
  isBase64,
  tryBase64ToBytes,
  type Base64DecodeResult,
} from './base64.js';
