import type { WireError } from './server-errors.js';
import { randomAlphanumeric } from '@realtime-assistant/protocol';

/** Validates (and completes with defaults) the `session` of a client-secret request; never throws. */
export type SessionValidator = (
  raw: unknown,
) =>
  | { ok: true; session: Record<string, unknown> }
  | { ok: false; error: { code: string; message: string; param: string | null } };

/** The default validator: any object is accepted as given. */
export const acceptAnySession: SessionValidator = (raw) =>
  isPlainObject(raw)
    ? { ok: true, session: raw }
    : {
        ok: false,
        error: {
          code: 'invalid_type',
          message: "Invalid type for 'session': expected an object.",
          param: 'session',
        },
      };

export const MIN_TTL_SECONDS = 10;
export const MAX_TTL_SECONDS = 7200;
export const DEFAULT_TTL_SECONDS = 600;

/** A valid `POST /v1/realtime/client_secrets` request. */
export interface ClientSecretRequest {
  ttlSeconds: number;
  kind: 'realtime' | 'transcription';
  /** The validated session config the token will carry. */
  session: Record<string, unknown>;
}

export type ClientSecretParse =
  { ok: true; request: ClientSecretRequest } | { ok: false; error: WireError };

const TOP_LEVEL_KEYS = new Set(['expires_after', 'session']);
const EXPIRES_AFTER_KEYS = new Set(['anchor', 'seconds']);
const SESSION_TYPES = ['realtime', 'transcription'] as const;

/**
 * Parses and validates a client-secret request body (the raw text; empty means `{}`). Bad input returns a
 * live-shaped `invalid_request_error` naming the offending param; nothing throws.
 */
export function parseClientSecretRequest(
  text: string,
  validateSession: SessionValidator,
): ClientSecretParse {
  let body: unknown = {};
  if (text.trim().length > 0) {
    try {
      body = JSON.parse(text);
    } catch {
      return fail(
        null,
        null,
        'We could not parse the JSON body of your request. The API expects a JSON object, but what was sent was not valid JSON.',
      );
    }
  }
  if (!isPlainObject(body)) {
    return fail(
      'invalid_type',
      null,
      `Invalid type for request body: expected an object, but got ${describe(body)} instead.`,
    );
  }
  for (const key of Object.keys(body)) {
    if (!TOP_LEVEL_KEYS.has(key)) return unknownParameter(key);
  }

  const ttl = parseExpiresAfter(body.expires_after);
  if (!ttl.ok) return ttl;

  const rawSession = body.session === undefined ? { type: 'realtime' } : body.session;
  if (!isPlainObject(rawSession)) {
    return fail(
      'invalid_type',
      'session',
      `Invalid type for 'session': expected an object, but got ${describe(rawSession)} instead.`,
    );
  }
  if (rawSession.type === undefined) {
    return fail(
      'missing_required_parameter',
      'session.type',
      "Missing required parameter: 'session.type'.",
    );
  }
  const kind = SESSION_TYPES.find((type) => type === rawSession.type);
  if (kind === undefined) {
    return fail(
      'invalid_value',
      'session.type',
      `Invalid value: ${JSON.stringify(rawSession.type)?.slice(0, 80) ?? 'null'}. Supported values are: 'realtime' and 'transcription'.`,
    );
  }

  let validated: ReturnType<SessionValidator>;
  try {
    validated = validateSession(rawSession);
  } catch {
    // The validator is a plug-in; a throw is its bug, reported as a server error rather than a crash.
    return {
      ok: false,
      error: {
        type: 'server_error',
        code: null,
        message: 'The server had an error while validating the session.',
        param: null,
      },
    };
  }
  if (!validated.ok)
    return fail(validated.error.code, validated.error.param, validated.error.message);
  return { ok: true, request: { ttlSeconds: ttl.seconds, kind, session: validated.session } };
}

/** The live response body: `{ value, expires_at, session }`, the session completed with `object` and `id`. */
export function clientSecretResponse(options: {
  value: string;
  expiresAt: number;
  kind: 'realtime' | 'transcription';
  session: Record<string, unknown>;
}): { value: string; expires_at: number; session: Record<string, unknown> } {
  const object =
    options.kind === 'transcription' ? 'realtime.transcription_session' : 'realtime.session';
  return {
    value: options.value,
    expires_at: options.expiresAt,
    session: { object, id: `sess_${randomAlphanumeric(21)}`, ...options.session },
  };
}

function parseExpiresAfter(
  raw: unknown,
): { ok: true; seconds: number } | { ok: false; error: WireError } {
  if (raw === undefined || raw === null) return { ok: true, seconds: DEFAULT_TTL_SECONDS };
  if (!isPlainObject(raw)) {
    return fail(
      'invalid_type',
      'expires_after',
      `Invalid type for 'expires_after': expected an object, but got ${describe(raw)} instead.`,
    );
  }
  for (const key of Object.keys(raw)) {
    if (!EXPIRES_AFTER_KEYS.has(key)) return unknownParameter(`expires_after.${key}`);
  }
  if (raw.anchor !== undefined && raw.anchor !== 'created_at') {
    return fail(
      'invalid_value',
      'expires_after.anchor',
      `Invalid value: ${JSON.stringify(raw.anchor)?.slice(0, 80) ?? 'null'}. Supported values are: 'created_at'.`,
    );
  }
  const seconds = raw.seconds;
  if (seconds === undefined) return { ok: true, seconds: DEFAULT_TTL_SECONDS };
  if (typeof seconds !== 'number' || !Number.isInteger(seconds)) {
    return fail(
      'invalid_type',
      'expires_after.seconds',
      `Invalid type for 'expires_after.seconds': expected an integer, but got ${describe(seconds)} instead.`,
    );
  }
  if (seconds < MIN_TTL_SECONDS) {
    return fail(
      'integer_below_min_value',
      'expires_after.seconds',
      `Invalid 'expires_after.seconds': integer below minimum value. Expected a value >= ${MIN_TTL_SECONDS}, but got ${seconds} instead.`,
    );
  }
  if (seconds > MAX_TTL_SECONDS) {
    return fail(
      'integer_above_max_value',
      'expires_after.seconds',
      `Invalid 'expires_after.seconds': integer above maximum value. Expected a value <= ${MAX_TTL_SECONDS}, but got ${seconds} instead.`,
    );
  }
  return { ok: true, seconds };
}

function unknownParameter(path: string): { ok: false; error: WireError } {
  return fail('unknown_parameter', path, `Unknown parameter: '${path.slice(0, 120)}'.`);
}

function fail(
  code: string | null,
  param: string | null,
  message: string,
): { ok: false; error: WireError } {
  return { ok: false, error: { type: 'invalid_request_error', code, param, message } };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a decimal';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
