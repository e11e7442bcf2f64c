import type { IncomingMessage } from 'node:http';
import type { SessionRequest } from '../session/session-port.js';
import type { Authenticator } from './auth.js';
import { extractCredentials } from './auth.js';
import { EXAMPLE_MODEL, isKnownRealtimeModel } from './models.js';
import type { FatalWireError } from './server-errors.js';
import {
  CLOSE_INVALID_REQUEST,
  betaDisabledError,
  callNotFoundError,
  invalidModelError,
  missingModelError,
} from './server-errors.js';

/** The WebSocket endpoint. */
export const REALTIME_PATH = '/v1/realtime';

/** What to do with an upgrade request. */
export type UpgradeDecision =
  /** Not the Realtime endpoint: answer with a plain HTTP error, no upgrade. */
  | { kind: 'http_error'; status: number; message: string }
  /** Upgrade, send one error event, close (as live does for bad keys and models). */
  | { kind: 'refuse'; error: FatalWireError; log: Record<string, unknown> }
  | { kind: 'accept'; request: SessionRequest; log: Record<string, unknown> };

export interface UpgradePolicy {
  authenticator: Authenticator;
  allowBeta: boolean;
  extraModels: readonly string[];
  /** The example URL shown in `missing_model` (this server's own). */
  exampleUrl: string;
}

/**
 * Decides an upgrade from its URL and headers, in the live order: route, credentials, beta shape, `call_id`,
 * intent and model. Pure apart from the token lookup; never throws.
 */
export function decideUpgrade(req: IncomingMessage, policy: UpgradePolicy): UpgradeDecision {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://localhost');
  } catch {
    return { kind: 'http_error', status: 400, message: 'Malformed request URL.' };
  }
  const path = url.pathname.replace(/\/+$/, '');
  if (path !== REALTIME_PATH) {
    return {
      kind: 'http_error',
      status: 404,
      message: `Invalid URL (GET ${url.pathname.slice(0, 200)})`,
    };
  }

  const credentials = extractCredentials(req.headers);
  const log: Record<string, unknown> = {
    remote: req.socket.remoteAddress,
    offered: credentials.subprotocolsForLog,
    credential_source: credentials.source,
  };
  const auth = policy.authenticator.authenticate(credentials.secret);
  if (!auth.ok) return { kind: 'refuse', error: auth.error, log };
  log.auth = auth.auth;

  if (credentials.beta && !policy.allowBeta)
    return { kind: 'refuse', error: betaDisabledError(), log };

  const callId = url.searchParams.get('call_id');
  if (callId !== null) return { kind: 'refuse', error: callNotFoundError(callId), log };

  const intent = url.searchParams.get('intent');
  if (intent !== null && intent !== 'transcription') {
    return {
      kind: 'refuse',
      error: {
        type: 'invalid_request_error',
        code: 'invalid_value',
        message: `Invalid value: '${intent.slice(0, 64)}'. Supported values are: 'transcription'.`,
        param: 'intent',
        closeCode: CLOSE_INVALID_REQUEST,
      },
      log,
    };
  }

  const tokenSession = auth.token?.session ?? null;
  const kind =
    intent === 'transcription' || auth.token?.kind === 'transcription'
      ? 'transcription'
      : 'realtime';
  const queryModel = nonEmpty(url.searchParams.get('model'));
  const tokenModel = typeof tokenSession?.model === 'string' ? nonEmpty(tokenSession.model) : null;
  const model = queryModel ?? tokenModel;
  if (kind === 'realtime') {
    if (model === null) return { kind: 'refuse', error: missingModelError(policy.exampleUrl), log };
    if (!isKnownRealtimeModel(model, policy.extraModels)) {
      return { kind: 'refuse', error: invalidModelError(model.slice(0, 200)), log };
    }
  }

  const request: SessionRequest = {
    kind,
    model,
    beta: credentials.beta,
    // A copy per session: sessions opened with one token must not share (and mutate) one object.
    initialSession: tokenSession === null ? null : structuredClone(tokenSession),
    auth: auth.auth,
    remoteAddress: req.socket.remoteAddress ?? 'unknown',
  };
  return { kind: 'accept', request, log: { ...log, kind, model } };
}

/** `wss://host:port/v1/realtime?model=gpt-realtime`, for messages. */
export function exampleRealtimeUrl(baseWsUrl: string): string {
  return `${baseWsUrl}?model=${EXAMPLE_MODEL}`;
}

function nonEmpty(value: string | null): string | null {
  return value === null || value.length === 0 ? null : value;
}
