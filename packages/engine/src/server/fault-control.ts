/**
 * `/v1/local/faults`: fault injection by a control call, the REST face of the test kit's `injectFault`. A fault
 * (the scenario fault model: an error event, a close mid-response, a stall, a rate limit, an early expiry) goes to
 * the next response of one session, of every session open now, or of the first session to respond; or, with
 * `when: "now"`, is applied at once. `GET` lists the queued faults, `DELETE` drops them.
 */
import type { z } from 'zod';
import type { InjectedFault, PendingFault } from '../faults.js';
import { isSendableCloseCode, resolveFault } from '../scenario/fault.js';
import { scenarioFaultSchema } from '../scenario/schema.js';
import type { WireError } from './server-errors.js';

/** The control path. */
export const FAULTS_PATH = '/v1/local/faults';

/** Largest control request body: a fault is a few hundred bytes. */
export const MAX_FAULT_BODY_BYTES = 16 * 1024;

/** What the server needs from the engine to serve the control route. */
export interface FaultControl {
  /** Ids of the sessions open now. */
  openSessionIds(): string[];
  /** Queues a fault for the next response of `sessionId` (null: the first session to respond); returns its id. */
  queue(fault: InjectedFault, sessionId: string | null): string;
  /** Applies a fault now to one open session (`stall` and `rate_limit` are queued for its next response). */
  applyNow(fault: InjectedFault, sessionId: string): void;
  pending(): readonly PendingFault[];
  /** Drops every queued fault; returns how many. */
  clear(): number;
}

/** A validated `POST /v1/local/faults` body. */
export interface FaultControlRequest {
  fault: InjectedFault;
  /** One session, every session open now, or the first session to respond (`next_response` only). */
  target: { sessionId: string } | 'all' | 'first';
  when: 'next_response' | 'now';
}

export type FaultControlParse =
  { ok: true; request: FaultControlRequest } | { ok: false; error: WireError };

const TOP_LEVEL_KEYS = new Set(['fault', 'session_id', 'sessions', 'when']);

/**
 * Parses a control request body. Bad input returns an `invalid_request_error` naming the offending param, in the
 * OpenAI shape; nothing throws.
 */
export function parseFaultControlRequest(text: string): FaultControlParse {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return fail(
      'invalid_json',
      null,
      'We could not parse the JSON body of your request. The API expects a JSON object, but what was sent was not valid JSON.',
    );
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return fail('invalid_type', null, 'Invalid type for request body: expected an object.');
  }
  const fields = body as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (!TOP_LEVEL_KEYS.has(key)) {
      return fail('unknown_parameter', key, `Unknown parameter: '${clip(key)}'.`);
    }
  }
  if (fields.fault === undefined) {
    return fail('missing_required_parameter', 'fault', "Missing required parameter: 'fault'.");
  }
  const parsed = scenarioFaultSchema.safeParse(fields.fault);
  if (!parsed.success) return faultIssue(parsed.error.issues[0]);
  const fault = resolveFault(parsed.data);
  if (fault.type === 'close' && !isSendableCloseCode(fault.code)) {
    return fail(
      'invalid_value',
      'fault.code',
      `Invalid value: ${fault.code}. A close code must be 1000–1003, 1007–1014 or 3000–4999.`,
    );
  }

  const when = fields.when ?? 'next_response';
  if (when !== 'next_response' && when !== 'now') {
    return fail(
      'invalid_value',
      'when',
      `Invalid value: ${describe(when)}. Supported values are: 'next_response' and 'now'.`,
    );
  }
  const { session_id: sessionId, sessions } = fields;
  if (sessionId !== undefined && sessions !== undefined) {
    return fail('invalid_value', 'sessions', "Give one of 'session_id' and 'sessions', not both.");
  }
  let target: FaultControlRequest['target'] = 'all';
  if (sessionId !== undefined) {
    if (typeof sessionId !== 'string' || sessionId.length === 0 || sessionId.length > 200) {
      return fail(
        'invalid_type',
        'session_id',
        "Invalid type for 'session_id': expected a session id.",
      );
    }
    target = { sessionId };
  } else if (sessions !== undefined) {
    if (sessions !== 'all' && sessions !== 'first') {
      return fail(
        'invalid_value',
        'sessions',
        `Invalid value: ${describe(sessions)}. Supported values are: 'all' and 'first'.`,
      );
    }
    if (sessions === 'first' && when === 'now') {
      return fail(
        'invalid_value',
        'sessions',
        "'sessions': 'first' waits for a response: it goes with 'when': 'next_response'.",
      );
    }
    target = sessions;
  }
  return { ok: true, request: { fault, target, when } };
}

/** What `POST` did, or why it could not. */
export type FaultControlOutcome =
  | {
      ok: true;
      body: { object: 'local.fault_injection'; applied: string[]; queued: PendingFaultJson[] };
    }
  | { ok: false; status: number; error: WireError };

/** Carries out a parsed request against the engine. A named session that isn't open is a 404. */
export function applyFaultControl(
  control: FaultControl,
  request: FaultControlRequest,
): FaultControlOutcome {
  const open = control.openSessionIds();
  const { target, fault, when } = request;
  if (typeof target === 'object' && !open.includes(target.sessionId)) {
    return {
      ok: false,
      status: 404,
      error: {
        type: 'invalid_request_error',
        code: 'session_not_found',
        message: `No open session with id '${clip(target.sessionId)}'.`,
        param: 'session_id',
      },
    };
  }
  const targets = typeof target === 'object' ? [target.sessionId] : target === 'all' ? open : [];
  const applied: string[] = [];
  const queuedIds: string[] = [];
  if (when === 'now') {
    for (const id of targets) {
      control.applyNow(fault, id);
      applied.push(id);
    }
  } else if (target === 'first') {
    queuedIds.push(control.queue(fault, null));
  } else {
    for (const id of targets) queuedIds.push(control.queue(fault, id));
  }
  const queued = control
    .pending()
    .filter((p) => queuedIds.includes(p.id))
    .map(pendingFaultJson);
  return { ok: true, body: { object: 'local.fault_injection', applied, queued } };
}

/** A queued fault as the control API shows it (snake_case, as it is given). */
export interface PendingFaultJson {
  id: string;
  object: 'local.fault';
  session_id: string | null;
  fault: Record<string, unknown>;
}

export function pendingFaultJson(pending: PendingFault): PendingFaultJson {
  const { fault } = pending;
  const json: Record<string, unknown> =
    fault.type === 'close'
      ? { type: 'close', after_events: fault.afterEvents, code: fault.code, reason: fault.reason }
      : { ...fault };
  return { id: pending.id, object: 'local.fault', session_id: pending.sessionId, fault: json };
}

function faultIssue(issue: z.core.$ZodIssue | undefined): FaultControlParse {
  const path = ['fault', ...(issue?.path ?? []).map(String)];
  if (issue?.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    return fail(
      'unknown_parameter',
      [...path, key].join('.'),
      `Unknown parameter: '${clip([...path, key].join('.'))}'.`,
    );
  }
  if (
    issue?.code === 'invalid_union' ||
    (issue?.code === 'invalid_value' && issue.path.length === 0)
  ) {
    return fail(
      'invalid_value',
      'fault.type',
      "Invalid value for 'fault.type'. Supported values are: 'error', 'close', 'stall', 'rate_limit', 'session_expired' and 'refuse'.",
    );
  }
  if (issue?.code === 'invalid_type' && issue.path.length === 0) {
    return fail('invalid_type', 'fault', "Invalid type for 'fault': expected an object.");
  }
  const param = path.join('.');
  const code = issue?.code === 'invalid_type' ? 'invalid_type' : 'invalid_value';
  return fail(code, param, `Invalid '${param}': ${issue?.message ?? 'invalid value'}.`);
}

function fail(code: string, param: string | null, message: string): FaultControlParse {
  return { ok: false, error: { type: 'invalid_request_error', code, param, message } };
}

function describe(value: unknown): string {
  return (JSON.stringify(value) ?? String(value)).slice(0, 80);
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
