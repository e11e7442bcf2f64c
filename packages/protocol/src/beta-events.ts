/**
 * Beta ⇄ GA event translation: beta client events are validated with beta param names and
 * translated to GA; GA server events are renamed and reshaped for beta clients (and back).
 */
import { z } from 'zod';
import {
  betaItemToGA,
  betaResponseToGA,
  BetaConversationItemSchema,
  BetaResponseCreateParamsSchema,
  gaItemToBeta,
  gaResponseToBeta,
  type BetaResponse,
} from './beta-items.js';
import {
  betaFormatToGA,
  betaModalitiesToGA,
  betaSessionToGA,
  betaTranscriptionSessionToGA,
  BetaSessionUpdateSchema,
  BetaTranscriptionSessionUpdateSchema,
  definedOnly,
  gaSessionToBeta,
  type BetaExtras,
} from './beta-session.js';
import {
  CLIENT_EVENT_TYPES,
  MAX_CLIENT_EVENT_ID_LENGTH,
  type ClientEvent,
} from './client-events.js';
import {
  parseClientEvent,
  readClientEnvelope,
  validateWithSchema,
  type ClientEventError,
} from './parse-client-event.js';
import { parseServerEvent, type ParseServerEventResult } from './parse-server-event.js';
import { boundedString, strictObject } from './schema-primitives.js';
import type { ServerEvent, ServerEventType } from './server-events.js';

/** GA server event names that beta spells differently. */
export const GA_TO_BETA_SERVER_EVENT_TYPES = {
  'response.output_text.delta': 'response.text.delta',
  'response.output_text.done': 'response.text.done',
  'response.output_audio.delta': 'response.audio.delta',
  'response.output_audio.done': 'response.audio.done',
  'response.output_audio_transcript.delta': 'response.audio_transcript.delta',
  'response.output_audio_transcript.done': 'response.audio_transcript.done',
  'conversation.item.added': 'conversation.item.created',
} as const satisfies Partial<Record<ServerEventType, string>>;

/** GA server events with no beta counterpart (a beta client never sees them). */
export const GA_ONLY_SERVER_EVENT_TYPES = [
  'conversation.item.done',
  'input_audio_buffer.timeout_triggered',
  'conversation.item.input_audio_transcription.segment',
  'input_audio_buffer.dtmf_event_received',
] as const satisfies readonly ServerEventType[];

type RenamedType = keyof typeof GA_TO_BETA_SERVER_EVENT_TYPES;
type GaOnlyType = (typeof GA_ONLY_SERVER_EVENT_TYPES)[number];

/** A server event type as a beta client sees it. */
export type BetaServerEventType =
  | Exclude<ServerEventType, RenamedType | GaOnlyType>
  | (typeof GA_TO_BETA_SERVER_EVENT_TYPES)[RenamedType]
  | 'transcription_session.created'
  | 'transcription_session.updated';

/** A server event in the beta shape. */
export interface BetaServerEvent {
  type: BetaServerEventType;
  event_id?: string;
  [key: string]: unknown;
}

const GA_ONLY: ReadonlySet<string> = new Set(GA_ONLY_SERVER_EVENT_TYPES);
const RENAMED: ReadonlyMap<string, BetaServerEventType> = new Map(
  Object.entries(GA_TO_BETA_SERVER_EVENT_TYPES),
);

/** The client event types a beta server accepted: the GA 11 plus `transcription_session.update`. */
export const BETA_CLIENT_EVENT_TYPES: readonly string[] = [
  'session.update',
  'transcription_session.update',
  ...CLIENT_EVENT_TYPES.filter((t) => t !== 'session.update'),
];
const BETA_TYPE_SET: ReadonlyMap<string, true> = new Map(
  BETA_CLIENT_EVENT_TYPES.map((t) => [t, true]),
);

const eventId = boundedString(MAX_CLIENT_EVENT_ID_LENGTH).optional();

/** The beta client events whose shape differs from GA. */
export const BetaSessionUpdateEventSchema = strictObject({
  type: z.literal('session.update'),
  event_id: eventId,
  session: BetaSessionUpdateSchema,
});
/** Beta `transcription_session.update`. */
export const BetaTranscriptionSessionUpdateEventSchema = strictObject({
  type: z.literal('transcription_session.update'),
  event_id: eventId,
  session: BetaTranscriptionSessionUpdateSchema,
});
/** Beta `response.create`. */
export const BetaResponseCreateEventSchema = strictObject({
  type: z.literal('response.create'),
  event_id: eventId,
  response: BetaResponseCreateParamsSchema.optional(),
});
/** Beta `conversation.item.create`. */
export const BetaConversationItemCreateEventSchema = strictObject({
  type: z.literal('conversation.item.create'),
  event_id: eventId,
  previous_item_id: z.string().nullable().optional(),
  item: BetaConversationItemSchema,
});

/** The outcome of `betaClientEventToGA`. */
export type BetaClientEventResult =
  { ok: true; event: ClientEvent; extras: BetaExtras } | { ok: false; error: ClientEventError };

/** Validates the translated GA event (paths are GA paths from here on). */
function finishGA(ga: Record<string, unknown>, extras: BetaExtras): BetaClientEventResult {
  const result = parseClientEvent(ga);
  return result.ok ? { ok: true, event: result.event, extras } : result;
}

function withEventId<T extends object>(value: T, id: string | undefined): T {
  return id === undefined ? value : { ...value, event_id: id };
}

/**
 * Validates a beta client event (errors name beta params, e.g. `session.input_audio_format`)
 * and translates it to the GA event. `extras` keeps beta-only values with no GA slot
 * (`temperature`, the exact `modalities`) so a server can echo them. Never throws.
 */
export function betaClientEventToGA(input: unknown): BetaClientEventResult {
  try {
    const envelope = readClientEnvelope(input, BETA_TYPE_SET, BETA_CLIENT_EVENT_TYPES);
    if (!envelope.ok) return envelope;
    const { object, type, eventId: echoId } = envelope;
    switch (type) {
      case 'session.update': {
        const r = validateWithSchema(BetaSessionUpdateEventSchema, object, { eventId: echoId });
        if (!r.ok) return r;
        const { session, extras } = betaSessionToGA(r.value.session);
        return finishGA(withEventId({ type, session }, r.value.event_id), extras);
      }
      case 'transcription_session.update': {
        const r = validateWithSchema(BetaTranscriptionSessionUpdateEventSchema, object, {
          eventId: echoId,
        });
        if (!r.ok) return r;
        const { session, extras } = betaTranscriptionSessionToGA(r.value.session);
        return finishGA(withEventId({ type: 'session.update', session }, r.value.event_id), extras);
      }
      case 'response.create': {
        const r = validateWithSchema(BetaResponseCreateEventSchema, object, { eventId: echoId });
        if (!r.ok) return r;
        if (r.value.response === undefined) return finishGA({ ...r.value }, {});
        const { response, extras } = betaResponseToGA(r.value.response);
        return finishGA(withEventId({ type, response }, r.value.event_id), extras);
      }
      case 'conversation.item.create': {
        const r = validateWithSchema(BetaConversationItemCreateEventSchema, object, {
          eventId: echoId,
        });
        if (!r.ok) return r;
        const ga = definedOnly({
          type,
          event_id: r.value.event_id,
          previous_item_id: r.value.previous_item_id,
          item: betaItemToGA(r.value.item),
        });
        return finishGA(ga, {});
      }
      default:
        return finishGA(object, {});
    }
  } catch {
    const error: ClientEventError = {
      type: 'invalid_request_error',
      code: 'invalid_event',
      message: 'Invalid event: the event could not be read.',
      param: null,
      event_id: null,
    };
    return { ok: false, error };
  }
}

/** Options for `gaServerEventToBeta`. */
export interface GaToBetaOptions {
  /** Beta-only values to restore in session and response echoes. */
  extras?: BetaExtras;
}

/**
 * Converts a GA server event to what a beta client expects: renamed types (§1.4 name map),
 * beta items (`text`/`audio` parts), beta sessions and responses. GA-only events (and
 * `conversation.item.done`, folded into `conversation.item.created`) give `[]`.
 */
export function gaServerEventToBeta(
  event: ServerEvent,
  options: GaToBetaOptions = {},
): BetaServerEvent[] {
  const extras = options.extras ?? {};
  if (GA_ONLY.has(event.type) || event.type === 'conversation.item.done') return [];
  if (event.type === 'conversation.item.added' || event.type === 'conversation.item.created') {
    return [{ ...event, type: 'conversation.item.created', item: gaItemToBeta(event.item) }];
  }
  if (
    event.type === 'conversation.item.retrieved' ||
    event.type === 'response.output_item.added' ||
    event.type === 'response.output_item.done'
  ) {
    return [{ ...event, item: gaItemToBeta(event.item) }];
  }
  if (event.type === 'response.created' || event.type === 'response.done') {
    return [{ ...event, response: gaResponseToBeta(event.response, extras) }];
  }
  if (event.type === 'session.created' || event.type === 'session.updated') {
    const type =
      event.session.type !== 'transcription'
        ? event.type
        : event.type === 'session.created'
          ? 'transcription_session.created'
          : 'transcription_session.updated';
    return [{ ...event, type, session: gaSessionToBeta(event.session, extras) }];
  }
  const renamed = RENAMED.get(event.type);
  return [{ ...event, type: renamed ?? (event.type as BetaServerEventType) }];
}

const BETA_TO_GA_SERVER_EVENT_TYPES: ReadonlyMap<string, ServerEventType> = new Map([
  ['response.text.delta', 'response.output_text.delta'],
  ['response.text.done', 'response.output_text.done'],
  ['response.audio.delta', 'response.output_audio.delta'],
  ['response.audio.done', 'response.output_audio.done'],
  ['response.audio_transcript.delta', 'response.output_audio_transcript.delta'],
  ['response.audio_transcript.done', 'response.output_audio_transcript.done'],
  ['transcription_session.created', 'session.created'],
  ['transcription_session.updated', 'session.updated'],
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A beta session echo (flat) → the GA session echo (nested). */
function betaSessionEchoToGA(beta: Record<string, unknown>): Record<string, unknown> {
  const transcription = beta.object === 'realtime.transcription_session';
  const { session } = transcription ? betaTranscriptionSessionToGA(beta) : betaSessionToGA(beta);
  return definedOnly({
    ...session,
    object: transcription ? 'realtime.transcription_session' : 'realtime.session',
    id: beta.id,
    expires_at: beta.expires_at,
  });
}

function betaItemEchoToGA(item: unknown): unknown {
  if (!isRecord(item) || item.type !== 'message' || item.role !== 'assistant') return item;
  const content = Array.isArray(item.content) ? item.content : [];
  return {
    ...item,
    content: content.map((part: unknown) => {
      if (!isRecord(part)) return part;
      if (part.type === 'text') return { ...part, type: 'output_text' };
      if (part.type === 'audio') return { ...part, type: 'output_audio' };
      return part;
    }),
  };
}

function betaResponseEchoToGA(beta: Partial<BetaResponse>): Record<string, unknown> {
  const { modalities, voice, output_audio_format, temperature: _t, ...rest } = beta;
  const output = definedOnly({
    voice,
    format: output_audio_format === undefined ? undefined : betaFormatToGA(output_audio_format),
  });
  return definedOnly({
    ...rest,
    output: Array.isArray(beta.output) ? beta.output.map(betaItemEchoToGA) : beta.output,
    output_modalities: modalities === undefined ? undefined : betaModalitiesToGA(modalities),
    audio: Object.keys(output).length === 0 ? undefined : { output },
  });
}

/**
 * Reshapes a decoded beta server event to GA without validating it: renamed types, nested GA
 * sessions, GA responses and assistant parts; every other field is kept as it came. May throw on
 * exotic input (use {@link betaServerEventToGA} for a checked result).
 */
export function betaServerEventShapeToGA(raw: Record<string, unknown>): Record<string, unknown> {
  const type = raw.type as string;
  const ga: Record<string, unknown> = {
    ...raw,
    type: BETA_TO_GA_SERVER_EVENT_TYPES.get(type) ?? type,
  };
  if (isRecord(raw.session)) ga.session = betaSessionEchoToGA(raw.session);
  if (isRecord(raw.response)) ga.response = betaResponseEchoToGA(raw.response);
  if (raw.item !== undefined) ga.item = betaItemEchoToGA(raw.item);
  return ga;
}

/**
 * Converts a beta server frame (text, or a decoded value) to GA and parses it like
 * `parseServerEvent`: for a GA client talking to a beta-shaped server. Never throws.
 */
export function betaServerEventToGA(input: unknown): ParseServerEventResult {
  const decoded = parseServerEvent(input);
  if (!decoded.ok) return decoded;
  const raw = decoded.raw;
  try {
    const ga = betaServerEventShapeToGA(raw);
    const result = parseServerEvent(ga);
    return result.ok ? { ...result, raw } : result;
  } catch {
    return decoded;
  }
}
