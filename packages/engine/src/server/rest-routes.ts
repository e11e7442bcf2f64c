import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Clock } from '../session/clock.js';
import type { Authenticator } from './auth.js';
import { extractCredentials, isLoopbackHost } from './auth.js';
import type { SessionValidator } from './client-secrets.js';
import { clientSecretResponse, parseClientSecretRequest } from './client-secrets.js';
import type { CorsPolicy } from './cors.js';
import type { EphemeralTokenStore } from './ephemeral-tokens.js';
import { TokenTooLargeError } from './ephemeral-tokens.js';
import type { FaultControl } from './fault-control.js';
import {
  applyFaultControl,
  FAULTS_PATH,
  MAX_FAULT_BODY_BYTES,
  parseFaultControlRequest,
  pendingFaultJson,
} from './fault-control.js';
import { readBody } from './http-body.js';
import type { PrometheusEngineMetrics } from './metrics.js';
import type { WireError } from './server-errors.js';
import { errorBodyText } from './server-errors.js';
import { REALTIME_PATH } from './upgrade.js';

/** What the REST routes need from the server. */
export interface RestContext {
  authenticator: Authenticator;
  tokens: EphemeralTokenStore;
  validateSession: SessionValidator;
  metrics: PrometheusEngineMetrics;
  cors: CorsPolicy;
  logger: Logger;
  clock: Clock;
  version: string;
  startedAtMs: number;
  maxBodyBytes: number;
  /** The engine's fault injection, for `/v1/local/faults`; null when the route is off. */
  faultControl: FaultControl | null;
}

interface Route {
  methods: readonly string[];
  handle(req: IncomingMessage, res: ServerResponse, ctx: RestContext): Promise<void> | void;
}

const ROUTES: ReadonlyMap<string, Route> = new Map<string, Route>([
  ['/healthz', { methods: ['GET', 'HEAD'], handle: healthz }],
  ['/metrics', { methods: ['GET', 'HEAD'], handle: metrics }],
  [`${REALTIME_PATH}/client_secrets`, { methods: ['POST'], handle: clientSecrets }],
  [REALTIME_PATH, { methods: ['GET'], handle: upgradeRequired }],
  [FAULTS_PATH, { methods: ['GET', 'POST', 'DELETE'], handle: faults }],
]);

/**
 * Answers a plain HTTP request: the routes above, CORS preflights for them, and a JSON 404/405 in the OpenAI
 * error shape for anything else. Never rejects: a failing handler becomes a 500.
 */
export async function handleRestRequest(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: RestContext,
): Promise<void> {
  const method = req.method ?? 'GET';
  const path = pathOf(req.url);
  try {
    ctx.cors.apply(req, res);
    const route = path === null ? undefined : ROUTES.get(path.replace(/(.)\/+$/, '$1'));
    if (route === undefined) {
      sendError(
        res,
        404,
        invalidRequest(`Invalid URL (${method} ${(path ?? req.url ?? '').slice(0, 200)})`),
      );
      return;
    }
    if (method === 'OPTIONS') {
      ctx.cors.preflight(req, res, route.methods);
      return;
    }
    if (!route.methods.includes(method)) {
      res.setHeader('Allow', [...route.methods, 'OPTIONS'].join(', '));
      sendError(
        res,
        405,
        invalidRequest(
          `Method not allowed: ${method} ${path ?? ''}. Allowed: ${route.methods.join(', ')}.`,
        ),
      );
      return;
    }
    await route.handle(req, res, ctx);
  } catch (err) {
    ctx.logger.error({ err, method, path }, 'request handler failed');
    if (!res.headersSent) {
      sendError(res, 500, {
        type: 'server_error',
        code: null,
        message: 'The server had an error while processing your request.',
        param: null,
      });
    } else {
      res.destroy();
    }
  }
}

function healthz(_req: IncomingMessage, res: ServerResponse, ctx: RestContext): void {
  sendJson(res, 200, {
    status: 'ok',
    sessions: ctx.metrics.sessionsOpen,
    uptime_s: Math.floor((ctx.clock.now() - ctx.startedAtMs) / 1000),
    version: ctx.version,
  });
}

async function metrics(
  _req: IncomingMessage,
  res: ServerResponse,
  ctx: RestContext,
): Promise<void> {
  const { contentType, body } = await ctx.metrics.render();
  res.statusCode = 200;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Cache-Control', 'no-store');
  res.end(body);
}

function upgradeRequired(_req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('Upgrade', 'websocket');
  sendError(res, 426, {
    type: 'invalid_request_error',
    code: null,
    message: `${REALTIME_PATH} is a WebSocket endpoint: connect with a WebSocket client.`,
    param: null,
  });
}

async function clientSecrets(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: RestContext,
): Promise<void> {
  const credentials = extractCredentials(req.headers);
  const auth = ctx.authenticator.authenticateApiKey(
    credentials.source === 'header' ? credentials.secret : null,
  );
  if (!auth.ok) {
    sendError(res, 401, auth.error);
    return;
  }
  const text = await readBodyOrRefuse(req, res, ctx.maxBodyBytes);
  if (text === null) return;
  const parsed = parseClientSecretRequest(text, ctx.validateSession);
  if (!parsed.ok) {
    sendError(res, parsed.error.type === 'server_error' ? 500 : 400, parsed.error);
    return;
  }
  const { ttlSeconds, kind, session } = parsed.request;
  let minted;
  try {
    minted = ctx.tokens.mint({ ttlSeconds, kind, session });
  } catch (err) {
    if (!(err instanceof TokenTooLargeError)) throw err;
    sendError(res, 400, {
      type: 'invalid_request_error',
      code: err.code,
      message: err.message,
      param: err.param,
    });
    return;
  }
  ctx.logger.info(
    { token_id: minted.record.tokenId, expires_at: minted.expiresAt, kind, auth: auth.auth },
    'client secret minted',
  );
  res.setHeader('Cache-Control', 'no-store');
  sendJson(
    res,
    200,
    clientSecretResponse({ value: minted.value, expiresAt: minted.expiresAt, kind, session }),
  );
}

/**
 * `/v1/local/faults`: needs an API key when the engine has keys (ephemeral tokens are refused: a browser's token
 * must not reach other sessions); in open mode, only loopback peers may call it.
 */
async function faults(req: IncomingMessage, res: ServerResponse, ctx: RestContext): Promise<void> {
  const control = ctx.faultControl;
  if (control === null) {
    sendError(res, 404, invalidRequest(`Invalid URL (${req.method ?? 'GET'} ${FAULTS_PATH})`));
    return;
  }
  const credentials = extractCredentials(req.headers);
  const auth = ctx.authenticator.authenticateApiKey(
    credentials.source === 'header' ? credentials.secret : null,
  );
  if (!auth.ok) {
    sendError(res, 401, auth.error);
    return;
  }
  if (auth.auth.kind === 'open' && !isLoopbackHost(req.socket.remoteAddress ?? '')) {
    sendError(res, 403, {
      type: 'invalid_request_error',
      code: 'forbidden',
      message: 'Fault control without an API key is only open to loopback clients.',
      param: null,
    });
    return;
  }
  res.setHeader('Cache-Control', 'no-store');
  if (req.method === 'GET') {
    sendJson(res, 200, { object: 'list', data: control.pending().map(pendingFaultJson) });
    return;
  }
  if (req.method === 'DELETE') {
    const deleted = control.clear();
    ctx.logger.info({ deleted }, 'faults cleared');
    sendJson(res, 200, { object: 'list', data: [], deleted });
    return;
  }
  const text = await readBodyOrRefuse(req, res, Math.min(ctx.maxBodyBytes, MAX_FAULT_BODY_BYTES));
  if (text === null) return;
  const parsed = parseFaultControlRequest(text);
  if (!parsed.ok) {
    sendError(res, 400, parsed.error);
    return;
  }
  const outcome = applyFaultControl(control, parsed.request);
  if (!outcome.ok) {
    sendError(res, outcome.status, outcome.error);
    return;
  }
  const { target, when, fault } = parsed.request;
  ctx.logger.info(
    {
      fault: fault.type,
      target: typeof target === 'object' ? target.sessionId : target,
      when,
      applied: outcome.body.applied.length,
      queued: outcome.body.queued.length,
      auth: auth.auth,
    },
    'fault injected',
  );
  sendJson(res, 200, outcome.body);
}

function pathOf(url: string | undefined): string | null {
  try {
    return new URL(url ?? '/', 'http://localhost').pathname;
  } catch {
    return null;
  }
}

function invalidRequest(message: string): WireError {
  return { type: 'invalid_request_error', code: null, message, param: null };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

function sendError(res: ServerResponse, status: number, error: WireError): void {
  const text = errorBodyText(error);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

/**
 * The request body as text, or null after answering: a body over `limit` gets a 413 (and the connection is closed,
 * since the rest of the body is not read); an aborted request is dropped.
 */
async function readBodyOrRefuse(
  req: IncomingMessage,
  res: ServerResponse,
  limit: number,
): Promise<string | null> {
  const body = await readBody(req, limit);
  if (body.ok) return body.text;
  if (body.reason === 'aborted') {
    res.destroy();
    return null;
  }
  res.setHeader('Connection', 'close');
  sendError(res, 413, {
    type: 'invalid_request_error',
    code: 'request_too_large',
    message: `Request body too large: the limit is ${limit} bytes.`,
    param: null,
  });
  return null;
}
