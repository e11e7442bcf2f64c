import { eventId as newEventId } from '@realtime-assistant/protocol';

/** The `error` object of the OpenAI error shape, shared by `error` events and REST error bodies. */
export interface WireError {
  type: 'invalid_request_error' | 'server_error';
  code: string | null;
  message: string;
  param: string | null;
}

/** A connection-level refusal: the error event to send, then the close code. */
export interface FatalWireError extends WireError {
  closeCode: number;
}

/** WebSocket close codes used at connect, as the live service does. */
export const CLOSE_AUTH = 3000;
export const CLOSE_INVALID_REQUEST = 4000;
export const CLOSE_TRY_AGAIN_LATER = 1013;
export const CLOSE_INTERNAL_ERROR = 1011;
export const CLOSE_GOING_AWAY = 1001;

/** Close reasons are limited to 123 bytes of UTF-8 by RFC 6455. */
const MAX_CLOSE_REASON_BYTES = 123;

/** The serialized `error` server event (one text frame). */
export function errorEventText(error: WireError, clientEventId: string | null = null): string {
  return JSON.stringify({
    type: 'error',
    event_id: newEventId(),
    error: {
      type: error.type,
      code: error.code,
      message: error.message,
      param: error.param,
      event_id: clientEventId,
    },
  });
}

/** The REST error body: `{"error":{"message","type","param","code"}}`. */
export function errorBodyText(error: WireError): string {
  return JSON.stringify({
    error: { message: error.message, type: error.type, param: error.param, code: error.code },
  });
}

/** The close reason the live service sends after a fatal error: `<error.type>.<error.code>`. */
export function closeReasonFor(error: WireError): string {
  return truncateCloseReason(error.code === null ? error.type : `${error.type}.${error.code}`);
}

/** Cuts a close reason to the 123 bytes a close frame can carry, on a character boundary. */
export function truncateCloseReason(reason: string): string {
  if (Buffer.byteLength(reason) <= MAX_CLOSE_REASON_BYTES) return reason;
  let out = '';
  for (const char of reason) {
    if (Buffer.byteLength(out + char) > MAX_CLOSE_REASON_BYTES) break;
    out += char;
  }
  return out;
}

const API_KEYS_URL = 'https://platform.openai.com/account/api-keys';

/** A key or token that is unknown, wrong or expired. The live message shows a masked key; this one shows none. */
export function invalidApiKeyError(): FatalWireError {
  return {
    type: 'invalid_request_error',
    code: 'invalid_api_key',
    message: `Incorrect API key provided. You can find your API key at ${API_KEYS_URL}.`,
    param: null,
    closeCode: CLOSE_AUTH,
  };
}

/** An ephemeral token past its `expires_at` (same code as a wrong key, as live). */
export function expiredTokenError(): FatalWireError {
  return {
    ...invalidApiKeyError(),
    message: 'Incorrect API key provided: the ephemeral client secret has expired.',
  };
}

/** No `Authorization: Bearer` header and no `openai-insecure-api-key.` subprotocol. */
export function missingAuthError(): FatalWireError {
  return {
    type: 'invalid_request_error',
    code: null,
    message: 'Missing bearer or basic authentication in header',
    param: null,
    closeCode: CLOSE_AUTH,
  };
}

export function invalidModelError(model: string): FatalWireError {
  return {
    type: 'invalid_request_error',
    code: 'invalid_model',
    message: `Model "${model}" is not supported in realtime mode. Supported models are listed at https://platform.openai.com/docs/models.`,
    param: null,
    closeCode: CLOSE_INVALID_REQUEST,
  };
}

export function missingModelError(exampleUrl: string): FatalWireError {
  return {
    type: 'invalid_request_error',
    code: 'missing_model',
    message: `You must provide a model parameter, for example ${exampleUrl}`,
    param: null,
    closeCode: CLOSE_INVALID_REQUEST,
  };
}

export function betaDisabledError(): FatalWireError {
  return {
    type: 'invalid_request_error',
    code: 'beta_api_shape_disabled',
    message:
      'The beta Realtime API shape is disabled on this server. Remove the OpenAI-Beta: realtime=v1 header (or the openai-beta.realtime-v1 subprotocol) and use the GA events.',
    param: null,
    closeCode: CLOSE_INVALID_REQUEST,
  };
}

/** `?call_id=` names a WebRTC/SIP call; this server has none to attach to yet. */
export function callNotFoundError(callId: string): FatalWireError {
  return {
    type: 'invalid_request_error',
    code: 'call_not_found',
    message: `No call found with id '${callId.slice(0, 64)}'.`,
    param: 'call_id',
    closeCode: CLOSE_INVALID_REQUEST,
  };
}

export function sessionLimitError(maxSessions: number): FatalWireError {
  return {
    type: 'invalid_request_error',
    code: 'session_limit_reached',
    message: `This server already has the maximum of ${maxSessions} sessions open. Close a session or try again later.`,
    param: null,
    closeCode: CLOSE_TRY_AGAIN_LATER,
  };
}

/** The session could not be created or started. */
export function sessionStartError(): FatalWireError {
  return {
    type: 'server_error',
    code: null,
    message: 'The server had an error while starting the session.',
    param: null,
    closeCode: CLOSE_INTERNAL_ERROR,
  };
}

/** A binary WebSocket frame; the connection stays open. */
export function binaryFrameError(): WireError {
  return {
    type: 'invalid_request_error',
    code: 'invalid_event',
    message:
      'Invalid event: only text frames are supported; binary WebSocket frames are not accepted.',
    param: null,
  };
}

/** A frame larger than the configured limit; the connection stays open. */
export function messageTooLargeError(size: number, limit: number): WireError {
  return {
    type: 'invalid_request_error',
    code: 'message_too_large',
    message: `Invalid event: the message is ${size} bytes, more than the maximum of ${limit} bytes.`,
    param: null,
  };
}
