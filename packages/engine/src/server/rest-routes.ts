import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Clock } from '../session/clock.js';
import type { Authenticator } from './auth.js';
import { extractCredentials } from './auth.js';
import type { SessionValidator } from './client-secrets.js';
import { clientSecretResponse, parseClientSecretRequest } from './client-secrets.js';
import type { CorsPolicy } from './cors.js';
import type { EphemeralTokenStore } from './ephemeral-tokens.js';
import { TokenStoreFullError } from './ephemeral-tokens.js';
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
  const body = await readBody(req, ctx.maxBodyBytes);
  if (!body.ok) {
    if (body.reason === 'aborted') {
      res.destroy();
      return;
    }
    // The rest of the body is not read: close the connection after answering.
    res.setHeader('Connection', 'close');
    sendError(res, 413, {
      type: 'invalid_request_error',
      code: 'request_too_large',
      message: `Request body too large: the limit is ${ctx.maxBodyBytes} bytes.`,
      param: null,
    });
    return;
  }
  const parsed = parseClientSecretRequest(body.text, ctx.validateSession);
  if (!parsed.ok) {
    sendError(res, parsed.error.type === 'server_error' ? 500 : 400, parsed.error);
    return;
  }
  const { ttlSeconds, kind, session } = parsed.request;
  let minted;
  try {
    minted = ctx.tokens.mint({ ttlSeconds, kind, session });
  } catch (err) {
    if (!(err instanceof TokenStoreFullError)) throw err;
    sendError(res, 429, {
      type: 'invalid_request_error',
      code: err.code,
      message: err.message,
      param: null,
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
