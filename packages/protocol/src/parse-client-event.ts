/**
 * Validates client events the way the live GA server does, returning its error codes, messages
 * and dotted `param` paths. Never throws. `input_audio_buffer.append` (50 per second per talking
 * client) is validated by hand, without zod.
 */
import type { z } from 'zod';
import {
  isWellFormedBase64,
  isWellFormedBase64Range,
  MAX_APPEND_BASE64_LENGTH,
} from './base64-validation.js';
import {
  CLIENT_EVENT_SCHEMAS,
  CLIENT_EVENT_TYPES,
  MAX_CLIENT_EVENT_ID_LENGTH,
  type ClientEvent,
  type ClientEventOf,
} from './client-events.js';
import { BINARY_FRAME_MESSAGE, MISSING_TYPE_MESSAGE } from './errors.js';
import { ConversationItemInputSchema, type ConversationItemInput } from './items.js';
import { ResponseCreateParamsSchema, type ResponseCreateParams } from './response.js';
import { SessionUpdateSchema, type SessionUpdate } from './session.js';
import {
  describeValueType,
  invalidTypeMessage,
  invalidValueMessage,
  issuesToFailure,
  type ClientErrorCode,
  type ValidationFailure,
} from './validation-error.js';

/** The `error` object of a rejected client event, as the live server would send it. */
export interface ClientEventError {
  type: 'invalid_request_error';
  code: ClientErrorCode;
  message: string;
  param: string | null;
  /** The client's `event_id`, or null when it sent none (or not a string). */
  event_id: string | null;
}

/** The outcome of validating something a client sent. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: ClientEventError };

/** The outcome of `parseClientEvent`. */
export type ParseClientEventResult =
  { ok: true; event: ClientEvent } | { ok: false; error: ClientEventError };

function failure(
  f: ValidationFailure,
  eventId: string | null,
): { ok: false; error: ClientEventError } {
  return {
    ok: false,
    error: {
      type: 'invalid_request_error',
      code: f.code,
      message: f.message,
      param: f.param,
      event_id: eventId,
    },
  };
}

/** A decoded event object with a known `type`, or the envelope error. */
export type ClientEnvelope =
  | { ok: true; object: Record<string, unknown>; type: string; eventId: string | null }
  | { ok: false; error: ClientEventError };

function isBinary(input: unknown): boolean {
  return input instanceof ArrayBuffer || ArrayBuffer.isView(input);
}

/**
 * Decodes a frame and checks the envelope: text, JSON, an object, a string `type` from
 * `accepted`. Shared by the GA and beta parsers.
 */
export function readClientEnvelope(
  input: unknown,
  accepted: ReadonlyMap<string, unknown>,
  acceptedList: readonly string[],
): ClientEnvelope {
  if (isBinary(input)) {
    return failure({ code: 'invalid_event', message: BINARY_FRAME_MESSAGE, param: null }, null);
  }
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (err) {
      const detail = err instanceof Error ? ` ${err.message}` : '';
      return failure(
        {
          code: 'invalid_json',
          message: `Invalid event: failed to parse JSON value.${detail}`,
          param: null,
        },
        null,
      );
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return failure(
      {
        code: 'invalid_event',
        message: `Invalid event: expected a JSON object, but got ${describeValueType(value)} instead.`,
        param: null,
      },
      null,
    );
  }
  const object = value as Record<string, unknown>;
  const rawEventId = object.event_id;
  const eventId = typeof rawEventId === 'string' ? rawEventId : null;
  const type = object.type;
  if (type === undefined) {
    return failure({ code: 'invalid_event', message: MISSING_TYPE_MESSAGE, param: null }, eventId);
  }
  if (typeof type !== 'string') {
    return failure(
      {
        code: 'invalid_type',
        message: invalidTypeMessage('type', 'a string', type),
        param: 'type',
      },
      eventId,
    );
  }
  if (!accepted.has(type)) {
    return failure(
      { code: 'invalid_value', message: invalidValueMessage(type, acceptedList), param: 'type' },
      eventId,
    );
  }
  return { ok: true, object, type, eventId };
}

function stringFailure(
  param: string,
  value: unknown,
  max: number,
  eventId: string | null,
): { ok: false; error: ClientEventError } | null {
  if (typeof value !== 'string') {
    return failure(
      { code: 'invalid_type', message: invalidTypeMessage(param, 'a string', value), param },
      eventId,
    );
  }
  if (value.length > max) {
    return failure(
      {
        code: 'string_above_max_length',
        message: `Invalid '${param}': string too long. Expected a string with maximum length ${max}, but got a string with length ${value.length} instead.`,
        param,
      },
      eventId,
    );
  }
  return null;
}

/**
 * Hand validation of `input_audio_buffer.append`, equivalent to its zod schema (same checks,
 * same order) but allocation-light: base64 is checked by charset and length, not decoded.
 */
function parseAppend(
  object: Record<string, unknown>,
  eventId: string | null,
): ParseClientEventResult {
  const rawEventId = object.event_id;
  if (rawEventId !== undefined) {
    const bad = stringFailure('event_id', rawEventId, MAX_CLIENT_EVENT_ID_LENGTH, eventId);
    if (bad !== null) return bad;
  }
  const audio = object.audio;
  if (audio === undefined) {
    return failure(
      {
        code: 'missing_required_parameter',
        message: "Missing required parameter: 'audio'.",
        param: 'audio',
      },
      eventId,
    );
  }
  const bad = stringFailure('audio', audio, MAX_APPEND_BASE64_LENGTH, eventId);
  if (bad !== null) return bad;
  if (!isWellFormedBase64(audio as string)) {
    return failure(
      {
        code: 'invalid_value',
        message: "Invalid 'audio': expected base64-encoded audio bytes.",
        param: 'audio',
      },
      eventId,
    );
  }
  for (const key in object) {
    if (key !== 'type' && key !== 'audio' && key !== 'event_id') {
      return failure(
        { code: 'unknown_parameter', message: `Unknown parameter: '${key}'.`, param: key },
        eventId,
      );
    }
  }
  const event: ClientEventOf<'input_audio_buffer.append'> = {
    type: 'input_audio_buffer.append',
    audio: audio as string,
  };
  if (rawEventId !== undefined) event.event_id = rawEventId as string;
  return { ok: true, event };
}

/** The exact frame an audio-streaming client sends 50 times a second, up to the base64 audio. */
const APPEND_PREFIX = '{"type":"input_audio_buffer.append","audio":"';
const QUOTE = 34;
const CLOSE_BRACE = 125;

/**
 * The audio text of the common append frame, `{"type":"input_audio_buffer.append","audio":"<text>"}` with nothing
 * else (no whitespace, no `event_id`), when it is no longer than an append may be; null for any other frame. The
 * text is not checked: when it is well-formed base64 (no quote, backslash or control character), the frame is
 * exactly that object, so a fast path that checks it gives the event the full parser would.
 */
export function commonAppendAudio(text: string): string | null {
  const n = text.length;
  if (
    n < APPEND_PREFIX.length + 2 ||
    n - 2 - APPEND_PREFIX.length > MAX_APPEND_BASE64_LENGTH ||
    text.charCodeAt(n - 1) !== CLOSE_BRACE ||
    text.charCodeAt(n - 2) !== QUOTE ||
    !text.startsWith(APPEND_PREFIX)
  ) {
    return null;
  }
  return text.slice(APPEND_PREFIX.length, n - 2);
}

/**
 * The common append frame read without `JSON.parse` (see {@link commonAppendAudio}); anything else, including bad
 * audio (whose errors the full path words), returns null and takes the full path.
 */
function parseCommonAppend(text: string): ParseClientEventResult | null {
  const audio = commonAppendAudio(text);
  if (audio === null || !isWellFormedBase64Range(audio, 0, audio.length)) return null;
  return { ok: true, event: { type: 'input_audio_buffer.append', audio } };
}

const SCHEMA_BY_TYPE: ReadonlyMap<string, z.ZodType<ClientEvent>> = new Map(
  Object.entries(CLIENT_EVENT_SCHEMAS),
);

/**
 * Validates one client frame: a text frame's string, the frame's bytes (rejected: text frames
 * only) or an already-decoded JSON value. Returns the typed event, or the error the live GA
 * server would send (`invalid_request_error` with its code, message, dotted `param` and the
 * client's `event_id`). Never throws.
 */
export function parseClientEvent(input: unknown): ParseClientEventResult {
  try {
    if (typeof input === 'string') {
      const append = parseCommonAppend(input);
      if (append !== null) return append;
    }
    const envelope = readClientEnvelope(input, SCHEMA_BY_TYPE, CLIENT_EVENT_TYPES);
    if (!envelope.ok) return envelope;
    const { object, type, eventId } = envelope;
    if (type === 'input_audio_buffer.append') return parseAppend(object, eventId);
    const schema = SCHEMA_BY_TYPE.get(type) as z.ZodType<ClientEvent>;
    const result = schema.safeParse(object);
    if (result.success) return { ok: true, event: result.data };
    return failure(issuesToFailure(result.error.issues, object), eventId);
  } catch {
    // Only exotic non-JSON inputs (throwing getters, proxies) can get here.
    return failure(
      {
        code: 'invalid_event',
        message: 'Invalid event: the event could not be read.',
        param: null,
      },
      null,
    );
  }
}

/** Options for the standalone validators. */
export interface ValidateOptions {
  /** Where the value sits in its event, for `param` (e.g. `session`); none by default. */
  param?: string;
  /** The client `event_id` to echo in the error. */
  eventId?: string | null;
}

/**
 * Validates `value` against any schema of this package and reports failures with the live
 * codes and `param` paths (prefixed with `options.param`). Never throws.
 */
export function validateWithSchema<T>(
  schema: z.ZodType<T>,
  value: unknown,
  options: ValidateOptions = {},
): ParseResult<T> {
  const eventId = options.eventId ?? null;
  try {
    const result = schema.safeParse(value);
    if (result.success) return { ok: true, value: result.data };
    const base = options.param === undefined ? [] : [options.param];
    return failure(issuesToFailure(result.error.issues, value, base), eventId);
  } catch {
    return failure(
      { code: 'invalid_value', message: 'Invalid value: it could not be read.', param: null },
      eventId,
    );
  }
}

/** Validates a `session.update` `session` (param paths start with `session.` by default). */
export function parseSessionUpdate(
  value: unknown,
  options: ValidateOptions = {},
): ParseResult<SessionUpdate> {
  return validateWithSchema(SessionUpdateSchema, value, { param: 'session', ...options });
}

/** Validates `response.create` `response` (param paths start with `response.` by default). */
export function parseResponseCreateParams(
  value: unknown,
  options: ValidateOptions = {},
): ParseResult<ResponseCreateParams> {
  return validateWithSchema(ResponseCreateParamsSchema, value, { param: 'response', ...options });
}

/** Validates a client-created item (param paths start with `item.` by default). */
export function parseConversationItem(
  value: unknown,
  options: ValidateOptions = {},
): ParseResult<ConversationItemInput> {
  return validateWithSchema(ConversationItemInputSchema, value, { param: 'item', ...options });
}
