/**
 * Parses server events for clients. Known, well-formed events come back typed; unknown types and
 * known types whose payload fails its schema come back as generic events (never dropped, never
 * thrown); only frames that are not a JSON object with a string `type` are errors.
 */
import type { z } from 'zod';
import { BINARY_FRAME_MESSAGE, MISSING_TYPE_MESSAGE } from './errors.js';
import { SERVER_EVENT_SCHEMAS, type ServerEvent } from './server-events.js';
import { describeValueType } from './validation-error.js';

/** Any server event object with a string `type` (what unknown or off-schema events parse to). */
export interface GenericServerEvent {
  type: string;
  event_id?: string;
  [key: string]: unknown;
}

/** Why a server frame could not be read as an event. */
export interface ServerEventParseError {
  code: 'invalid_json' | 'invalid_event';
  message: string;
}

/** The outcome of `parseServerEvent`; `raw` is always the decoded JSON value. */
export type ParseServerEventResult =
  | { ok: true; generic: false; event: ServerEvent; raw: Record<string, unknown> }
  | {
      ok: true;
      generic: true;
      event: GenericServerEvent;
      raw: Record<string, unknown>;
      /** `unknown_type`: not a GA event type; `invalid_payload`: a GA type off its schema. */
      reason: 'unknown_type' | 'invalid_payload';
      /** The schema's complaints for `invalid_payload`; empty for `unknown_type`. */
      issues: readonly z.core.$ZodIssue[];
    }
  | { ok: false; error: ServerEventParseError; raw: unknown };

const SCHEMA_BY_TYPE: ReadonlyMap<string, z.ZodType<ServerEvent>> = new Map(
  Object.entries(SERVER_EVENT_SCHEMAS),
);

function fail(
  code: ServerEventParseError['code'],
  message: string,
  raw: unknown,
): ParseServerEventResult {
  return { ok: false, error: { code, message }, raw };
}

/**
 * Parses one server frame (text, bytes are rejected, or an already-decoded JSON value). Never
 * throws.
 */
export function parseServerEvent(input: unknown): ParseServerEventResult {
  try {
    if (input instanceof ArrayBuffer || ArrayBuffer.isView(input)) {
      return fail('invalid_event', BINARY_FRAME_MESSAGE, input);
    }
    let value = input;
    if (typeof input === 'string') {
      try {
        value = JSON.parse(input);
      } catch (err) {
        const detail = err instanceof Error ? ` ${err.message}` : '';
        return fail('invalid_json', `Invalid event: failed to parse JSON value.${detail}`, input);
      }
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return fail(
        'invalid_event',
        `Invalid event: expected a JSON object, but got ${describeValueType(value)} instead.`,
        value,
      );
    }
    const raw = value as Record<string, unknown>;
    const type = raw.type;
    if (typeof type !== 'string') {
      return fail(
        'invalid_event',
        type === undefined ? MISSING_TYPE_MESSAGE : "The 'type' field must be a string.",
        raw,
      );
    }
    const generic = raw as GenericServerEvent;
    const schema = SCHEMA_BY_TYPE.get(type);
    if (schema === undefined) {
      return { ok: true, generic: true, event: generic, raw, reason: 'unknown_type', issues: [] };
    }
    const result = schema.safeParse(raw);
    if (result.success) return { ok: true, generic: false, event: result.data, raw };
    return {
      ok: true,
      generic: true,
      event: generic,
      raw,
      reason: 'invalid_payload',
      issues: result.error.issues,
    };
  } catch {
    return fail('invalid_event', 'Invalid event: the event could not be read.', input);
  }
}
