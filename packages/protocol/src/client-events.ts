/**
 * The 11 GA client events, strict (an unknown key anywhere is an `unknown_parameter` error), as a
 * discriminated union on `type`.
 */
import { z } from 'zod';
import { isWellFormedBase64, MAX_APPEND_BASE64_LENGTH } from './base64-validation.js';
import { ConversationItemInputSchema } from './items.js';
import { ResponseCreateParamsSchema } from './response.js';
import { boundedString, integer, strictObject } from './schema-primitives.js';
import type { RealtimeIssueParams } from './schema-primitives.js';
import { SessionUpdateSchema } from './session.js';

/** Client event ids are optional and at most 512 characters. */
export const MAX_CLIENT_EVENT_ID_LENGTH = 512;
const clientEventId = boundedString(MAX_CLIENT_EVENT_ID_LENGTH).optional();

/** Base64 audio of at most 15 MiB, checked without decoding. */
const base64Audio = boundedString(MAX_APPEND_BASE64_LENGTH).check((ctx) => {
  if (ctx.value.length <= MAX_APPEND_BASE64_LENGTH && !isWellFormedBase64(ctx.value)) {
    const params: RealtimeIssueParams = {
      realtimeCode: 'invalid_value',
      detail: 'expected base64-encoded audio bytes.',
    };
    ctx.issues.push({ code: 'custom', message: params.detail, input: ctx.value, params });
  }
});

/** `session.update`: change the session configuration. */
export const SessionUpdateEventSchema = strictObject({
  type: z.literal('session.update'),
  event_id: clientEventId,
  session: SessionUpdateSchema,
});
/** `input_audio_buffer.append`: add base64 audio (session input format) to the input buffer. */
export const InputAudioBufferAppendEventSchema = strictObject({
  type: z.literal('input_audio_buffer.append'),
  event_id: clientEventId,
  audio: base64Audio,
});
/** `input_audio_buffer.commit`: turn the buffer into a user audio item. */
export const InputAudioBufferCommitEventSchema = strictObject({
  type: z.literal('input_audio_buffer.commit'),
  event_id: clientEventId,
});
/** `input_audio_buffer.clear`: drop the buffered audio. */
export const InputAudioBufferClearEventSchema = strictObject({
  type: z.literal('input_audio_buffer.clear'),
  event_id: clientEventId,
});
/** `conversation.item.create`: add an item (after `previous_item_id`, `"root"` = first). */
export const ConversationItemCreateEventSchema = strictObject({
  type: z.literal('conversation.item.create'),
  event_id: clientEventId,
  previous_item_id: z.string().nullable().optional(),
  item: ConversationItemInputSchema,
});
/** `conversation.item.retrieve`: ask for the server's copy of an item (with audio). */
export const ConversationItemRetrieveEventSchema = strictObject({
  type: z.literal('conversation.item.retrieve'),
  event_id: clientEventId,
  item_id: z.string(),
});
/** `conversation.item.truncate`: cut an assistant item's audio at the played position. */
export const ConversationItemTruncateEventSchema = strictObject({
  type: z.literal('conversation.item.truncate'),
  event_id: clientEventId,
  item_id: z.string(),
  content_index: integer({ min: 0 }),
  audio_end_ms: integer({ min: 0 }),
});
/** `conversation.item.delete`: remove an item. */
export const ConversationItemDeleteEventSchema = strictObject({
  type: z.literal('conversation.item.delete'),
  event_id: clientEventId,
  item_id: z.string(),
});
/** `response.create`: start a response, with optional per-response overrides. */
export const ResponseCreateEventSchema = strictObject({
  type: z.literal('response.create'),
  event_id: clientEventId,
  response: ResponseCreateParamsSchema.optional(),
});
/** `response.cancel`: cancel the active (or the given) response. */
export const ResponseCancelEventSchema = strictObject({
  type: z.literal('response.cancel'),
  event_id: clientEventId,
  response_id: z.string().optional(),
});
/** `output_audio_buffer.clear` (WebRTC/SIP): stop playing the current response's audio. */
export const OutputAudioBufferClearEventSchema = strictObject({
  type: z.literal('output_audio_buffer.clear'),
  event_id: clientEventId,
});

/** Every GA client event schema, keyed by `type`. */
export const CLIENT_EVENT_SCHEMAS = {
  'session.update': SessionUpdateEventSchema,
  'input_audio_buffer.append': InputAudioBufferAppendEventSchema,
  'input_audio_buffer.commit': InputAudioBufferCommitEventSchema,
  'input_audio_buffer.clear': InputAudioBufferClearEventSchema,
  'conversation.item.create': ConversationItemCreateEventSchema,
  'conversation.item.truncate': ConversationItemTruncateEventSchema,
  'conversation.item.delete': ConversationItemDeleteEventSchema,
  'conversation.item.retrieve': ConversationItemRetrieveEventSchema,
  'response.create': ResponseCreateEventSchema,
  'response.cancel': ResponseCancelEventSchema,
  'output_audio_buffer.clear': OutputAudioBufferClearEventSchema,
} as const;

/** A GA client event type. */
export type ClientEventType = keyof typeof CLIENT_EVENT_SCHEMAS;

/**
 * The client event types a GA server accepts, in the order the live error text lists them. (The
 * live list also names `session.close` and `session.input_audio_buffer.append`, which belong to
 * translation sessions and are not accepted here.)
 */
export const CLIENT_EVENT_TYPES = Object.keys(CLIENT_EVENT_SCHEMAS) as readonly ClientEventType[];

/** All GA client events, discriminated on `type`. */
export const ClientEventSchema = z.discriminatedUnion('type', [
  SessionUpdateEventSchema,
  InputAudioBufferAppendEventSchema,
  InputAudioBufferCommitEventSchema,
  InputAudioBufferClearEventSchema,
  ConversationItemCreateEventSchema,
  ConversationItemTruncateEventSchema,
  ConversationItemDeleteEventSchema,
  ConversationItemRetrieveEventSchema,
  ResponseCreateEventSchema,
  ResponseCancelEventSchema,
  OutputAudioBufferClearEventSchema,
]);
/** A GA client event. */
export type ClientEvent = z.infer<typeof ClientEventSchema>;
/** The client event of one type, e.g. `ClientEventOf<'session.update'>`. */
export type ClientEventOf<T extends ClientEventType> = Extract<ClientEvent, { type: T }>;

/** `session.update`. */
export type SessionUpdateEvent = ClientEventOf<'session.update'>;
/** `input_audio_buffer.append`. */
export type InputAudioBufferAppendEvent = ClientEventOf<'input_audio_buffer.append'>;
/** `conversation.item.create`. */
export type ConversationItemCreateEvent = ClientEventOf<'conversation.item.create'>;
/** `conversation.item.truncate`. */
export type ConversationItemTruncateEvent = ClientEventOf<'conversation.item.truncate'>;
/** `response.create`. */
export type ResponseCreateEvent = ClientEventOf<'response.create'>;
/** `response.cancel`. */
export type ResponseCancelEvent = ClientEventOf<'response.cancel'>;
