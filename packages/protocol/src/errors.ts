/**
 * `error` server events: a generic builder and one helper per error the live API is known to
 * send, with its live code and message text where it was captured.
 */
import { eventId as newEventId } from './ids.js';
import type { ErrorEvent, RealtimeError } from './server-events.js';
import { invalidTypeMessage, invalidValueMessage } from './validation-error.js';

/** What an `error` event needs; `type` defaults to `invalid_request_error`. */
export interface ErrorEventInit {
  code: string | null;
  message: string;
  param?: string | null;
  /** The `event_id` of the client event that caused the error (null when none). */
  eventId?: string | null;
  type?: string;
}

/** Builds an `error` server event with a new `event_id`. */
export function errorEvent(init: ErrorEventInit): ErrorEvent {
  return {
    type: 'error',
    event_id: newEventId(),
    error: {
      type: init.type ?? 'invalid_request_error',
      code: init.code,
      message: init.message,
      param: init.param ?? null,
      event_id: init.eventId ?? null,
    },
  };
}

/** Wraps an error object (e.g. the `error` of a failed `parseClientEvent`) in an `error` event. */
export function errorEventFrom(error: RealtimeError): ErrorEvent {
  return errorEvent({
    type: error.type,
    code: error.code ?? null,
    message: error.message,
    param: error.param ?? null,
    eventId: error.event_id ?? null,
  });
}

/** Options shared by the helpers: the client `event_id` to echo. */
export interface ClientEventRef {
  eventId?: string | null;
}

/** `invalid_json`: a text frame that is not JSON. */
export function invalidJsonError(opts: ClientEventRef & { detail?: string } = {}): ErrorEvent {
  const detail = opts.detail === undefined ? '' : ` ${opts.detail}`;
  return errorEvent({
    code: 'invalid_json',
    message: `Invalid event: failed to parse JSON value.${detail}`,
    eventId: opts.eventId,
  });
}

/** The live text for a binary WebSocket frame. */
export const BINARY_FRAME_MESSAGE =
  'Expected a text WebSocket message; binary frames are not supported.';
/** The live text for an event without `type`. */
export const MISSING_TYPE_MESSAGE = "The 'type' field is missing.";

/** `invalid_event`: a binary frame (default text), a non-object or a missing `type`. */
export function invalidEventError(opts: ClientEventRef & { message?: string } = {}): ErrorEvent {
  return errorEvent({
    code: 'invalid_event',
    message: opts.message ?? BINARY_FRAME_MESSAGE,
    eventId: opts.eventId,
  });
}

/** `invalid_value` for a parameter: either a given message or "Invalid value: 'x'. Supported…". */
export function invalidValueError(
  opts: ClientEventRef & { param: string } & (
      { message: string } | { value: unknown; supported: readonly unknown[] }
    ),
): ErrorEvent {
  const message =
    'message' in opts ? opts.message : invalidValueMessage(opts.value, opts.supported);
  return errorEvent({ code: 'invalid_value', message, param: opts.param, eventId: opts.eventId });
}

/** `unknown_parameter`: "Unknown parameter: 'session.bogus_field'." */
export function unknownParameterError(opts: ClientEventRef & { param: string }): ErrorEvent {
  return errorEvent({
    code: 'unknown_parameter',
    message: `Unknown parameter: '${opts.param}'.`,
    param: opts.param,
    eventId: opts.eventId,
  });
}

/** `missing_required_parameter`: "Missing required parameter: 'session.type'." */
export function missingRequiredParameterError(
  opts: ClientEventRef & { param: string },
): ErrorEvent {
  return errorEvent({
    code: 'missing_required_parameter',
    message: `Missing required parameter: '${opts.param}'.`,
    param: opts.param,
    eventId: opts.eventId,
  });
}

/** `invalid_type`: "Invalid type for 'p': expected an object, but got a string instead." */
export function invalidTypeError(
  opts: ClientEventRef & { param: string; expected: string; value: unknown },
): ErrorEvent {
  return errorEvent({
    code: 'invalid_type',
    message: invalidTypeMessage(opts.param, opts.expected, opts.value),
    param: opts.param,
    eventId: opts.eventId,
  });
}

/** `conversation_already_has_active_response`: a `response.create` while one is running. */
export function conversationAlreadyHasActiveResponseError(
  opts: ClientEventRef & { responseId: string },
): ErrorEvent {
  return errorEvent({
    code: 'conversation_already_has_active_response',
    message: `Conversation already has an active response in progress: ${opts.responseId}. Wait until the response is finished before creating a new one.`,
    eventId: opts.eventId,
  });
}

/** `response_cancel_not_active`: a `response.cancel` with nothing to cancel. */
export function responseCancelNotActiveError(opts: ClientEventRef = {}): ErrorEvent {
  return errorEvent({
    code: 'response_cancel_not_active',
    message: 'Cancellation failed: no active response found',
    eventId: opts.eventId,
  });
}

/** `input_audio_buffer_commit_empty`: a commit with less than 100 ms of audio. */
export function inputAudioBufferCommitEmptyError(
  opts: ClientEventRef & { bufferedMs: number },
): ErrorEvent {
  return errorEvent({
    code: 'input_audio_buffer_commit_empty',
    message: `Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has ${opts.bufferedMs.toFixed(2)}ms of audio.`,
    eventId: opts.eventId,
  });
}

/** `session_expired`: sent before the server closes a session at its 60-minute limit. */
export function sessionExpiredError(): ErrorEvent {
  return errorEvent({
    code: 'session_expired',
    message: 'Your session hit the maximum duration of 60 minutes.',
  });
}

/** `invalid_api_key` (fatal; the server closes with 3000). `maskedKey` like `sk-abc***wxyz`. */
export function invalidApiKeyError(opts: { maskedKey: string }): ErrorEvent {
  return errorEvent({
    code: 'invalid_api_key',
    message: `Incorrect API key provided: ${opts.maskedKey}. You can find your API key at https://platform.openai.com/account/api-keys.`,
  });
}

/** No `Authorization` at all: code null (fatal; close 3000). */
export function missingAuthenticationError(): ErrorEvent {
  return errorEvent({
    code: null,
    message: 'Missing bearer or basic authentication in header',
  });
}

/** `missing_model` (fatal; close 4000). */
export function missingModelError(): ErrorEvent {
  return errorEvent({
    code: 'missing_model',
    message:
      'You must provide a model parameter, for example wss://api.openai.com/v1/realtime?model=gpt-realtime',
  });
}

/** `invalid_model` (fatal; close 4000). The live text continues after this sentence. */
export function invalidModelError(opts: { model: string }): ErrorEvent {
  return errorEvent({
    code: 'invalid_model',
    message: `Model "${opts.model}" is not supported in realtime mode.`,
  });
}

/**
 * `beta_api_shape_disabled` (fatal; close 4000) for an `OpenAI-Beta: realtime=v1` client.
 * The live message text is unconfirmed.
 */
export function betaApiShapeDisabledError(): ErrorEvent {
  return errorEvent({
    code: 'beta_api_shape_disabled',
    message:
      "The Realtime API beta shape is no longer supported. Remove the 'OpenAI-Beta: realtime=v1' header and use the GA interface.",
  });
}

/** The operation that referenced a missing item. */
export type ItemOperation = 'retrieve' | 'delete' | 'truncate';

const ITEM_VERBS: Record<ItemOperation, string> = {
  retrieve: 'retrieving',
  delete: 'deleting',
  truncate: 'truncating',
};

/**
 * `item_<op>_invalid_item_id` for an unknown `item_id`. The retrieve/delete texts match public
 * captures; the truncate text follows the same pattern and is unconfirmed.
 */
export function itemNotFoundError(
  opts: ClientEventRef & { operation: ItemOperation; itemId: string },
): ErrorEvent {
  return errorEvent({
    code: `item_${opts.operation}_invalid_item_id`,
    message: `Error ${ITEM_VERBS[opts.operation]} item: the item with id '${opts.itemId}' does not exist.`,
    eventId: opts.eventId,
  });
}

/**
 * An unknown `previous_item_id` in `conversation.item.create`. Code and text are unconfirmed
 * (no capture found); modelled on the item-id errors above.
 */
export function previousItemNotFoundError(
  opts: ClientEventRef & { previousItemId: string },
): ErrorEvent {
  return errorEvent({
    code: 'invalid_value',
    message: `Error adding item: the previous item with id '${opts.previousItemId}' does not exist.`,
    param: 'previous_item_id',
    eventId: opts.eventId,
  });
}

/** A truncate beyond the item's audio: "Audio content of 1200ms is already shorter than 1500ms". */
export function truncateBeyondAudioError(
  opts: ClientEventRef & { audioMs: number; audioEndMs: number },
): ErrorEvent {
  return errorEvent({
    code: 'invalid_value',
    message: `Audio content of ${Math.round(opts.audioMs)}ms is already shorter than ${opts.audioEndMs}ms`,
    param: 'audio_end_ms',
    eventId: opts.eventId,
  });
}

/** `rate_limit_exceeded`. Type and text follow the REST API; the realtime text is unconfirmed. */
export function rateLimitExceededError(
  opts: ClientEventRef & { message?: string } = {},
): ErrorEvent {
  return errorEvent({
    type: 'rate_limit_error',
    code: 'rate_limit_exceeded',
    message: opts.message ?? 'Rate limit reached. Please try again later.',
    eventId: opts.eventId,
  });
}

/** A server-side failure (`type: "server_error"`, code null), as the live API words it. */
export function serverError(opts: ClientEventRef & { sessionId?: string } = {}): ErrorEvent {
  const ref =
    opts.sessionId === undefined
      ? ''
      : ` (Please include the session ID ${opts.sessionId} in your message.)`;
  return errorEvent({
    type: 'server_error',
    code: null,
    message: `The server had an error while processing your request. Sorry about that! You can retry your request, or contact us through our help center at help.openai.com if the error persists.${ref}`,
    eventId: opts.eventId,
  });
}
