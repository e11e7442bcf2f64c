/**
 * The GA server events, lenient (unknown keys are tolerated and dropped from the typed value), as
 * a discriminated union on `type`.
 */
import { z } from 'zod';
import { ConversationItemSchema } from './items.js';
import { ResponseObjectSchema } from './response.js';
import { AnySessionSchema } from './session.js';

const ConversationItem = ConversationItemSchema;
const eventId = z.string();

function event<T extends string, S extends z.core.$ZodLooseShape>(type: T, shape: S) {
  return z.object({ type: z.literal(type), event_id: eventId, ...shape });
}

/** The ids of a content part inside a response. */
const partIds = {
  response_id: z.string(),
  item_id: z.string(),
  output_index: z.number(),
  content_index: z.number(),
};
const ContentPart = z.object({
  type: z.enum(['text', 'audio']),
  text: z.string().optional(),
  transcript: z.string().optional(),
  audio: z.string().optional(),
});
const LogProb = z.object({ token: z.string(), logprob: z.number(), bytes: z.array(z.number()) });

/** The error object of an `error` event. */
export const RealtimeErrorSchema = z.object({
  type: z.string(),
  code: z.string().nullable().optional(),
  message: z.string(),
  param: z.string().nullable().optional(),
  event_id: z.string().nullable().optional(),
});
/** `{ type, code, message, param, event_id }` of an `error` event. */
export type RealtimeError = z.infer<typeof RealtimeErrorSchema>;

const TranscriptionUsage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('tokens'),
    input_tokens: z.number(),
    output_tokens: z.number(),
    total_tokens: z.number(),
    input_token_details: z
      .object({ text_tokens: z.number().optional(), audio_tokens: z.number().optional() })
      .optional(),
  }),
  z.object({ type: z.literal('duration'), seconds: z.number() }),
]);

const itemEvent = { item: ConversationItem, previous_item_id: z.string().nullable().optional() };

/** Every GA server event schema, keyed by `type`. */
export const SERVER_EVENT_SCHEMAS = {
  error: event('error', { error: RealtimeErrorSchema }),
  'session.created': event('session.created', { session: AnySessionSchema }),
  'session.updated': event('session.updated', { session: AnySessionSchema }),
  'conversation.created': event('conversation.created', {
    conversation: z.object({
      id: z.string().optional(),
      object: z.literal('realtime.conversation').optional(),
    }),
  }),
  'conversation.item.created': event('conversation.item.created', itemEvent),
  'conversation.item.added': event('conversation.item.added', itemEvent),
  'conversation.item.done': event('conversation.item.done', itemEvent),
  'conversation.item.retrieved': event('conversation.item.retrieved', { item: ConversationItem }),
  'conversation.item.truncated': event('conversation.item.truncated', {
    item_id: z.string(),
    content_index: z.number(),
    audio_end_ms: z.number(),
  }),
  'conversation.item.deleted': event('conversation.item.deleted', { item_id: z.string() }),
  'conversation.item.input_audio_transcription.delta': event(
    'conversation.item.input_audio_transcription.delta',
    {
      item_id: z.string(),
      content_index: z.number().optional(),
      delta: z.string().optional(),
      logprobs: z.array(LogProb).nullable().optional(),
      obfuscation: z.string().optional(),
    },
  ),
  'conversation.item.input_audio_transcription.completed': event(
    'conversation.item.input_audio_transcription.completed',
    {
      item_id: z.string(),
      content_index: z.number(),
      transcript: z.string(),
      usage: TranscriptionUsage,
      logprobs: z.array(LogProb).nullable().optional(),
      languages: z.array(z.unknown()).optional(),
    },
  ),
  'conversation.item.input_audio_transcription.failed': event(
    'conversation.item.input_audio_transcription.failed',
    {
      item_id: z.string(),
      content_index: z.number(),
      error: z.object({
        type: z.string().optional(),
        code: z.string().nullable().optional(),
        message: z.string().optional(),
        param: z.string().nullable().optional(),
      }),
    },
  ),
  'conversation.item.input_audio_transcription.segment': event(
    'conversation.item.input_audio_transcription.segment',
    {
      item_id: z.string(),
      content_index: z.number(),
      id: z.string(),
      text: z.string(),
      speaker: z.string(),
      start: z.number(),
      end: z.number(),
    },
  ),
  'input_audio_buffer.committed': event('input_audio_buffer.committed', {
    item_id: z.string(),
    previous_item_id: z.string().nullable().optional(),
  }),
  'input_audio_buffer.cleared': event('input_audio_buffer.cleared', {}),
  'input_audio_buffer.speech_started': event('input_audio_buffer.speech_started', {
    audio_start_ms: z.number(),
    item_id: z.string(),
  }),
  'input_audio_buffer.speech_stopped': event('input_audio_buffer.speech_stopped', {
    audio_end_ms: z.number(),
    item_id: z.string(),
  }),
  'input_audio_buffer.timeout_triggered': event('input_audio_buffer.timeout_triggered', {
    audio_start_ms: z.number(),
    audio_end_ms: z.number(),
    item_id: z.string(),
  }),
  // SIP only; the spec's own example carries no event_id.
  'input_audio_buffer.dtmf_event_received': z.object({
    type: z.literal('input_audio_buffer.dtmf_event_received'),
    event_id: eventId.optional(),
    event: z.string(),
    received_at: z.number(),
  }),
  'output_audio_buffer.started': event('output_audio_buffer.started', { response_id: z.string() }),
  'output_audio_buffer.stopped': event('output_audio_buffer.stopped', { response_id: z.string() }),
  'output_audio_buffer.cleared': event('output_audio_buffer.cleared', { response_id: z.string() }),
  'response.created': event('response.created', { response: ResponseObjectSchema }),
  'response.done': event('response.done', { response: ResponseObjectSchema }),
  'response.output_item.added': event('response.output_item.added', {
    response_id: z.string(),
    output_index: z.number(),
    item: ConversationItem,
  }),
  'response.output_item.done': event('response.output_item.done', {
    response_id: z.string(),
    output_index: z.number(),
    item: ConversationItem,
  }),
  'response.content_part.added': event('response.content_part.added', {
    ...partIds,
    part: ContentPart,
  }),
  'response.content_part.done': event('response.content_part.done', {
    ...partIds,
    part: ContentPart,
  }),
  'response.output_text.delta': event('response.output_text.delta', {
    ...partIds,
    delta: z.string(),
    obfuscation: z.string().optional(),
  }),
  'response.output_text.done': event('response.output_text.done', {
    ...partIds,
    text: z.string(),
  }),
  'response.output_audio.delta': event('response.output_audio.delta', {
    ...partIds,
    delta: z.string(),
  }),
  'response.output_audio.done': event('response.output_audio.done', partIds),
  'response.output_audio_transcript.delta': event('response.output_audio_transcript.delta', {
    ...partIds,
    delta: z.string(),
    obfuscation: z.string().optional(),
  }),
  'response.output_audio_transcript.done': event('response.output_audio_transcript.done', {
    ...partIds,
    transcript: z.string(),
  }),
  'response.function_call_arguments.delta': event('response.function_call_arguments.delta', {
    response_id: z.string(),
    item_id: z.string(),
    output_index: z.number(),
    call_id: z.string(),
    delta: z.string(),
  }),
  'response.function_call_arguments.done': event('response.function_call_arguments.done', {
    response_id: z.string(),
    item_id: z.string(),
    output_index: z.number(),
    call_id: z.string(),
    name: z.string(),
    arguments: z.string(),
  }),
  'response.mcp_call_arguments.delta': event('response.mcp_call_arguments.delta', {
    response_id: z.string(),
    item_id: z.string(),
    output_index: z.number(),
    delta: z.string(),
    obfuscation: z.string().nullable().optional(),
  }),
  'response.mcp_call_arguments.done': event('response.mcp_call_arguments.done', {
    response_id: z.string(),
    item_id: z.string(),
    output_index: z.number(),
    arguments: z.string(),
  }),
  'response.mcp_call.in_progress': event('response.mcp_call.in_progress', {
    item_id: z.string(),
    output_index: z.number(),
  }),
  'response.mcp_call.completed': event('response.mcp_call.completed', {
    item_id: z.string(),
    output_index: z.number(),
  }),
  'response.mcp_call.failed': event('response.mcp_call.failed', {
    item_id: z.string(),
    output_index: z.number(),
  }),
  'mcp_list_tools.in_progress': event('mcp_list_tools.in_progress', { item_id: z.string() }),
  'mcp_list_tools.completed': event('mcp_list_tools.completed', { item_id: z.string() }),
  'mcp_list_tools.failed': event('mcp_list_tools.failed', { item_id: z.string() }),
  'rate_limits.updated': event('rate_limits.updated', {
    rate_limits: z.array(
      z.object({
        name: z.enum(['requests', 'tokens']).optional(),
        limit: z.number().optional(),
        remaining: z.number().optional(),
        reset_seconds: z.number().optional(),
      }),
    ),
  }),
} as const;

type ServerEventSchemas = typeof SERVER_EVENT_SCHEMAS;
/** A GA server event type. */
export type ServerEventType = keyof ServerEventSchemas;

/** Every GA server event type. */
export const SERVER_EVENT_TYPES = Object.keys(SERVER_EVENT_SCHEMAS) as readonly ServerEventType[];

/** All GA server events, discriminated on `type`. */
export const ServerEventSchema = z.discriminatedUnion(
  'type',
  Object.values(SERVER_EVENT_SCHEMAS) as unknown as [
    ServerEventSchemas[ServerEventType],
    ...ServerEventSchemas[ServerEventType][],
  ],
);
/** A GA server event. */
export type ServerEvent = {
  [K in ServerEventType]: z.infer<ServerEventSchemas[K]>;
}[ServerEventType];
/** The server event of one type, e.g. `ServerEventOf<'response.done'>`. */
export type ServerEventOf<T extends ServerEventType> = z.infer<ServerEventSchemas[T]>;

/** `error`. */
export type ErrorEvent = ServerEventOf<'error'>;
/** `session.created`. */
export type SessionCreatedEvent = ServerEventOf<'session.created'>;
/** `session.updated`. */
export type SessionUpdatedEvent = ServerEventOf<'session.updated'>;
/** `response.created`. */
export type ResponseCreatedEvent = ServerEventOf<'response.created'>;
/** `response.done`. */
export type ResponseDoneEvent = ServerEventOf<'response.done'>;
/** `response.output_audio.delta`. */
export type ResponseOutputAudioDeltaEvent = ServerEventOf<'response.output_audio.delta'>;
