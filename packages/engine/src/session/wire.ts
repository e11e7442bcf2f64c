/**
 * The session's one door to the protocol package: parsing client frames (GA or beta), serializing server events
 * (GA or beta), error events, ids, base64 and audio-format math. Keeps the state machine free of wire details.
 */
import { Buffer } from 'node:buffer';
import {
  betaClientEventToGA,
  bytesToMs as formatBytesToMs,
  callId,
  CLIENT_EVENT_TYPES,
  commonAppendAudio,
  defaultRealtimeSession,
  defaultTranscriptionSession,
  errorEvent,
  eventId,
  gaServerEventToBeta,
  itemId,
  msToBytes as formatMsToBytes,
  parseClientEvent,
  responseId,
  sessionId,
} from '@realtime-assistant/protocol';
import type {
  AudioFormatDescriptor,
  BetaExtras,
  ClientEventError,
  ErrorEvent,
  ServerEvent,
} from '@realtime-assistant/protocol';
import { cloneJson } from './clone-json.js';
import type { OutboundEvent } from './response-types.js';

type Json = Record<string, unknown>;

export const ids = {
  session: sessionId,
  event: eventId,
  item: itemId,
  response: responseId,
  call: callId,
};

/** The conversation id of a session's default conversation (stable per session). */
export function conversationId(session: string): string {
  return `conv_${session.slice(5)}`;
}

export type ParsedClientFrame =
  | {
      ok: true;
      event: Json & { type: string };
      extras: BetaExtras;
      /** An append's audio, already decoded (the append fast path); absent otherwise. */
      audioBytes?: Uint8Array;
    }
  | { ok: false; error: ClientEventError };

const NO_EXTRAS: BetaExtras = Object.freeze({});

/**
 * The common GA append frame, `{"type":"input_audio_buffer.append","audio":"<base64>"}` with nothing else, read
 * and decoded in one go: the audio is decoded (leniently, as `Buffer` does) and accepted only if it re-encodes to
 * exactly the same text, i.e. it is canonical padded base64, which is well-formed base64 with no quote, backslash
 * or control character, so the frame is exactly that object and the protocol parser would return the same event.
 * Anything else (other frames, bad, oversize or non-canonical audio) returns null and takes the full parser.
 * Re-encoding 1280 characters is cheaper than checking them one by one, and the decode is needed anyway.
 */
export function parseAppendFrame(
  text: string,
): { event: { type: 'input_audio_buffer.append'; audio: string }; bytes: Uint8Array } | null {
  const audio = commonAppendAudio(text);
  if (audio === null || audio.length % 4 !== 0) return null;
  const buf = Buffer.from(audio, 'base64');
  if (buf.toString('base64') !== audio) return null;
  return {
    event: { type: 'input_audio_buffer.append', audio },
    bytes: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength),
  };
}

/**
 * Parses one client text frame. Beta clients' events are validated in the beta shape and translated to GA.
 * With `extensions`, the seed's custom event types are accepted (as plain objects) instead of refused.
 */
export function parse(
  text: string,
  options: { beta: boolean; extensions: ReadonlySet<string> | null },
): ParsedClientFrame {
  if (!options.beta) {
    const append = parseAppendFrame(text);
    if (append !== null) {
      return { ok: true, event: append.event, extras: NO_EXTRAS, audioBytes: append.bytes };
    }
  }
  const result = options.beta ? betaClientEventToGA(text) : parseClientEvent(text);
  if (result.ok) {
    const extras = 'extras' in result ? (result.extras ?? {}) : {};
    return { ok: true, event: result.event as unknown as Json & { type: string }, extras };
  }
  if (
    options.extensions &&
    result.error.code === 'invalid_value' &&
    result.error.param === 'type'
  ) {
    try {
      const raw: unknown = JSON.parse(text);
      if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
        const type = (raw as Json).type;
        if (typeof type === 'string' && options.extensions.has(type)) {
          return { ok: true, event: raw as Json & { type: string }, extras: {} };
        }
      }
    } catch {
      // Not reachable: the parser already read it as JSON.
    }
  }
  return { ok: false, error: result.error };
}

/** Serializes a server event for the client: GA as is, beta renamed/reshaped (possibly to nothing). */
export function serialize(event: OutboundEvent, beta: boolean, extras: BetaExtras = {}): string[] {
  if (!beta) return [JSON.stringify(event)];
  return gaServerEventToBeta(event as unknown as ServerEvent, { extras }).map((e) =>
    JSON.stringify(e),
  );
}

export function error(
  code: string,
  message: string,
  param: string | null,
  clientEventId: string | null,
  type?: string,
): OutboundEvent {
  return fromErrorEvent(
    errorEvent({ code, message, param, eventId: clientEventId, ...(type ? { type } : {}) }),
  );
}

/** One of the protocol package's ready-made error events, without its `event_id` (the session stamps one). */
export function fromErrorEvent(event: ErrorEvent): OutboundEvent {
  const { event_id: _ignored, ...rest } = event;
  return rest;
}

export function eventIdOf(event: Json): string | null {
  return typeof event.event_id === 'string' ? event.event_id : null;
}

/** The live message for a client event type the endpoint does not accept. */
export function unsupportedTypeMessage(type: string): string {
  return `Invalid value: '${type}'. Supported values are: ${CLIENT_EVENT_TYPES.filter(
    (t) => t !== 'output_audio_buffer.clear',
  )
    .map((t) => `'${t}'`)
    .join(', ')}.`;
}

/** The session a connection starts with (`session.created`). */
export function defaultSession(
  kind: 'realtime' | 'transcription',
  options: {
    id: string;
    model: string | null;
    createdAtMs: number;
    instructions: string | undefined;
  },
): Json {
  const createdAt = Math.floor(options.createdAtMs / 1000);
  if (kind === 'transcription') {
    return defaultTranscriptionSession({}, { id: options.id, createdAt });
  }
  const session = defaultRealtimeSession(
    options.instructions !== undefined ? { instructions: options.instructions } : {},
    { id: options.id, createdAt },
  ) as unknown as Json;
  if (options.model) session.model = options.model;
  return session;
}

/** Server-assigned fields a client (or a token's session) may echo back but cannot set. */
export function stripReadOnly(session: Json): Json {
  const { object: _o, id: _i, expires_at: _e, client_secret: _c, ...rest } = session;
  return rest;
}

/** A client-created item completed like the live server does: id, object and status filled in. */
export function completeClientItem(raw: Json): Json & { id: string } {
  const item = cloneJson(raw);
  return {
    ...item,
    id: typeof item.id === 'string' ? item.id : itemId(),
    object: 'realtime.item',
    status: typeof item.status === 'string' ? item.status : 'completed',
  };
}

/** Base64 → bytes (the parser has already checked the text), or null if it is not base64. */
export function decodeBase64(text: string): Uint8Array | null {
  if (text.length % 4 !== 0) return null;
  const buf = Buffer.from(text, 'base64');
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

export function bytesToMs(format: unknown, bytes: number): number {
  return formatBytesToMs(format as AudioFormatDescriptor, bytes);
}

export function msToBytes(format: unknown, ms: number): number {
  return formatMsToBytes(format as AudioFormatDescriptor, ms);
}
