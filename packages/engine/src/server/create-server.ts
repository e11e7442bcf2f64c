import { STATUS_CODES, createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { DestinationStream, Logger } from 'pino';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import type { Clock } from '../session/clock.js';
import { systemClock } from '../session/clock.js';
import type { SessionFactory } from '../session/session-port.js';
import { engineVersion } from '../version.js';
import { Authenticator, chooseSubprotocol } from './auth.js';
import type { SessionValidator } from './client-secrets.js';
import { acceptAnySession } from './client-secrets.js';
import { Connection, refuseConnection } from './connection.js';
import { CorsPolicy } from './cors.js';
import { deflateConfig, deflateOfferFits } from './deflate.js';
import { EphemeralTokenStore } from './ephemeral-tokens.js';
import type { FaultControl } from './fault-control.js';
import { Heartbeat } from './heartbeat.js';
import { createServerLogger } from './logger.js';
import type { EngineMetrics, PrometheusEngineMetrics } from './metrics.js';
import { createPrometheusMetrics } from './metrics.js';
import type { ResolvedServerOptions, ServerOptionsInput } from './options.js';
import { parseServerOptions } from './options.js';
import { handleRestRequest } from './rest-routes.js';
import type { RestContext } from './rest-routes.js';
import { CLOSE_GOING_AWAY, errorBodyText, sessionLimitError } from './server-errors.js';
import type { TlsMaterial } from './tls.js';
import { loadTlsMaterial } from './tls.js';
import type { UpgradePolicy } from './upgrade.js';
import { REALTIME_PATH, decideUpgrade, exampleRealtimeUrl } from './upgrade.js';

/** What a session factory is built from. */
export interface SessionFactoryContext {
  options: ResolvedServerOptions;
  metrics: EngineMetrics;
  /** The server's base logger; sessions add their `session_id` with a child logger. */
  logger: Logger;
  clock: Clock;
}

/** Builds the server's {@link SessionFactory} once, when the server is created. */
export type SessionFactoryProvider = (context: SessionFactoryContext) => SessionFactory;

/** Code hooks, beside the plain-data options. */
export interface LocalRealtimeServerHooks {
  createSessionFactory: SessionFactoryProvider;
  /** Validates the `session` of `POST /v1/realtime/client_secrets` (default: any object). */
  validateSession?: SessionValidator;
  /** Time for token expiry, uptime and session duration (default: the system clock). */
  clock?: Clock;
  /** A logger to use as is (its own redaction applies); otherwise the server makes a redacting pino logger. */
  logger?: Logger;
  /** Where the server's own logger writes (default: standard output). Ignored when `logger` is given. */
  logDestination?: DestinationStream;
  /**
   * Key of the HMAC that signs ephemeral tokens (≥ 16 bytes; default: random per server). Servers given the same
   * secret accept each other's tokens: a cluster's workers share the primary's.
   */
  tokenSecret?: Buffer;
  /** Fault injection behind `/v1/local/faults` (the engine passes its own; none: the route answers 404). */
  faultControl?: FaultControl;
}

export type LocalRealtimeServerOptions = ServerOptionsInput & LocalRealtimeServerHooks;

/** Where a listening server can be reached. */
export interface ListenInfo {
  host: string;
  port: number;
  /** `ws(s)://host:port/v1/realtime` */
  url: string;
  /** `http(s)://host:port` */
  httpUrl: string;
  secure: boolean;
}

export interface LocalRealtimeServer {
  readonly options: ResolvedServerOptions;
  readonly metrics: PrometheusEngineMetrics;
  readonly tokens: EphemeralTokenStore;
  readonly logger: Logger;
  /** The certificate in use (pass `certPem` to clients as `ca`), once `listen()` resolved; null without TLS. */
  readonly tls: { certPem: string; certPath: string | null; selfSigned: boolean } | null;
  /** Sessions open now. */
  readonly sessionCount: number;
  /** The address, once listening. */
  readonly address: ListenInfo | null;
  /** Loads TLS material if configured and starts listening; idempotent. */
  listen(): Promise<ListenInfo>;
  /** Stops accepting, closes every session with 1001 (destroying stragglers after `closeTimeoutMs`); idempotent. */
  close(): Promise<void>;
}

/**
 * Creates (but doesn't start) a LocalRealtime server: `GET /v1/realtime` WebSocket upgrades bound to sessions
 * from the factory, `POST /v1/realtime/client_secrets`, `GET /healthz`, `GET /metrics`, and the fault control route
 * `/v1/local/faults` when the engine gives one. Throws
 * {@link ServerConfigError} for invalid or unsafe options (e.g. a non-loopback host with no keys).
 */
export function createLocalRealtimeServer(
  options: LocalRealtimeServerOptions,
): LocalRealtimeServer {
  const {
    createSessionFactory,
    validateSession,
    clock,
    logger,
    logDestination,
    faultControl,
    tokenSecret,
    ...config
  } = options;
  const parsed = parseServerOptions(config);
  if (!parsed.ok) throw parsed.error;
  return new LocalRealtimeServerImpl(parsed.options, {
    createSessionFactory,
    validateSession,
    clock,
    logger,
    logDestination,
    faultControl,
    tokenSecret,
  });
}

class LocalRealtimeServerImpl implements LocalRealtimeServer {
  readonly options: ResolvedServerOptions;
  readonly metrics: PrometheusEngineMetrics;
  readonly tokens: EphemeralTokenStore;
  readonly logger: Logger;
  #clock: Clock;
  #factory: SessionFactory;
  #authenticator: Authenticator;
  #validateSession: SessionValidator;
  #wss: WebSocketServer;
  /** Same as `#wss` without compression, for clients whose deflate offer doesn't fit our window. */
  #plainWss: WebSocketServer;
  #deflate: ReturnType<typeof deflateConfig>;
  #connections = new Set<Connection>();
  #heartbeat: Heartbeat;
  #server: Server | null = null;
  #tls: TlsMaterial | null = null;
  #address: ListenInfo | null = null;
  #listening: Promise<ListenInfo> | null = null;
  #closing: Promise<void> | null = null;
  #onDrained: (() => void) | null = null;
  #faultControl: FaultControl | null;

  constructor(options: ResolvedServerOptions, hooks: LocalRealtimeServerHooks) {
    this.options = options;
    this.#clock = hooks.clock ?? systemClock;
    this.logger =
      hooks.logger ??
      createServerLogger({ level: options.logLevel, destination: hooks.logDestination });
    this.metrics = createPrometheusMetrics({ processMetrics: options.processMetrics });
    this.tokens = new EphemeralTokenStore({
      clock: this.#clock,
      ...(hooks.tokenSecret ? { secret: hooks.tokenSecret } : {}),
    });
    this.#authenticator = new Authenticator({
      mode: options.auth,
      keys: options.keys,
      tokens: this.tokens,
    });
    this.#validateSession = hooks.validateSession ?? acceptAnySession;
    this.#faultControl = options.faultRoute ? (hooks.faultControl ?? null) : null;
    const limits = options.limits;
    this.#deflate = deflateConfig(options.perMessageDeflate);
    const wsOptions = {
      noServer: true,
      clientTracking: false,
      // Above the limit, so frames a little too large reach us and get an error event instead of a bare 1009.
      maxPayload:
        limits.maxMessageBytes + Math.max(1024 * 1024, Math.ceil(limits.maxMessageBytes / 10)),
      handleProtocols: (offered: Set<string>) => chooseSubprotocol(offered),
    };
    this.#wss = new WebSocketServer({ ...wsOptions, perMessageDeflate: this.#deflate });
    this.#plainWss =
      this.#deflate === false
        ? this.#wss
        : new WebSocketServer({ ...wsOptions, perMessageDeflate: false });
    this.#heartbeat = new Heartbeat(limits.pingIntervalMs, () => this.#connections);
    this.#factory = hooks.createSessionFactory({
      options,
      metrics: this.metrics,
      logger: this.logger,
      clock: this.#clock,
    });
  }

  get tls(): LocalRealtimeServer['tls'] {
    const tls = this.#tls;
    return tls === null
      ? null
      : { certPem: tls.certPem, certPath: tls.certPath, selfSigned: tls.selfSigned };
  }

  get sessionCount(): number {
    return this.#connections.size;
  }

  get address(): ListenInfo | null {
    return this.#address;
  }

  listen(): Promise<ListenInfo> {
    if (this.#closing) return Promise.reject(new Error('LocalRealtime server is closed.'));
    this.#listening ??= this.#start();
    return this.#listening;
  }

  close(): Promise<void> {
    this.#closing ??= this.#stop();
    return this.#closing;
  }

  async #start(): Promise<ListenInfo> {
    const { host, port } = this.options;
    if (this.options.tls !== undefined) {
      this.#tls = await loadTlsMaterial(this.options.tls, {
        cacheDir: this.options.tlsCacheDir,
        extraHosts: [host],
      });
    }
    const tls = this.#tls;
    const server = tls
      ? createHttpsServer({ cert: tls.certPem, key: tls.keyPem })
      : createHttpServer();
    this.#server = server;
    const restContext: RestContext = {
      authenticator: this.#authenticator,
      tokens: this.tokens,
      validateSession: this.#validateSession,
      metrics: this.metrics,
      cors: new CorsPolicy(this.options.corsOrigin),
      logger: this.logger,
      clock: this.#clock,
      version: engineVersion(),
      startedAtMs: this.#clock.now(),
      maxBodyBytes: this.options.limits.maxBodyBytes,
      faultControl: this.#faultControl,
    };
    server.on('request', (req, res) => void handleRestRequest(req, res, restContext));
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.#onUpgrade(req, socket, head),
    );

    await new Promise<void>((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException): void => {
        reject(
          new Error(`Cannot listen on ${host}:${port}: ${err.code ?? err.message}.`, {
            cause: err,
          }),
        );
      };
      server.once('error', onError);
      server.listen(port, host, () => {
        server.off('error', onError);
        resolve();
      });
    });
    if (this.#closing) throw new Error('LocalRealtime server was closed while starting.');

    const bound = server.address() as AddressInfo;
    const urlHost = displayHost(host);
    const secure = tls !== null;
    const info: ListenInfo = {
      host,
      port: bound.port,
      url: `${secure ? 'wss' : 'ws'}://${urlHost}:${bound.port}${REALTIME_PATH}`,
      httpUrl: `${secure ? 'https' : 'http'}://${urlHost}:${bound.port}`,
      secure,
    };
    this.#address = info;
    this.#heartbeat.start();
    this.logger.info(
      {
        url: info.url,
        auth: this.options.auth,
        tls: tls === null ? 'off' : tls.selfSigned ? 'self-signed' : 'on',
      },
      'listening',
    );
    return info;
  }

  #onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    if (this.#closing || this.#address === null) {
      socket.destroy();
      return;
    }
    const policy: UpgradePolicy = {
      authenticator: this.#authenticator,
      allowBeta: this.options.allowBeta,
      extraModels: this.options.models,
      exampleUrl: exampleRealtimeUrl(this.#address.url),
    };
    const decision = decideUpgrade(req, policy);
    if (decision.kind !== 'http_error')
      this.logger.debug({ ...decision.log, decision: decision.kind }, 'upgrade');
    if (decision.kind === 'http_error') {
      writeHttpError(socket, decision.status, decision.message);
      return;
    }
    const wss =
      this.#deflate !== false &&
      !deflateOfferFits(req.headers['sec-websocket-extensions'], this.#deflate.serverMaxWindowBits)
        ? this.#plainWss
        : this.#wss;
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      if (decision.kind === 'refuse') {
        this.logger.info({ ...decision.log, code: decision.error.code }, 'connection refused');
        refuseConnection(ws, decision.error, this.metrics);
        return;
      }
      if (this.#closing) {
        ws.close(CLOSE_GOING_AWAY, 'server shutting down');
        return;
      }
      if (this.#connections.size >= this.options.limits.maxSessions) {
        const error = sessionLimitError(this.options.limits.maxSessions);
        this.logger.warn({ ...decision.log, code: error.code }, 'connection refused');
        refuseConnection(ws, error, this.metrics);
        return;
      }
      const connection = new Connection({
        ws,
        request: decision.request,
        factory: this.#factory,
        logger: this.logger,
        metrics: this.metrics,
        clock: this.#clock,
        limits: {
          maxMessageBytes: this.options.limits.maxMessageBytes,
          bufferedHighWaterBytes: this.options.limits.bufferedHighWaterBytes,
          maxSessionMs: this.options.limits.maxSessionMinutes * 60_000,
        },
        onClosed: (closed) => {
          this.#connections.delete(closed);
          if (this.#connections.size === 0) this.#onDrained?.();
        },
      });
      this.#connections.add(connection);
    });
  }

  async #stop(): Promise<void> {
    this.#heartbeat.stop();
    await this.#listening?.catch(() => undefined);
    const server = this.#server;
    if (server === null) return;
    const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await this.#drain();
    this.#wss.close();
    this.#plainWss.close();
    server.closeAllConnections();
    await serverClosed;
    this.logger.info('closed');
  }

  /** Closes every session with 1001 and waits; sockets still open after `closeTimeoutMs` are destroyed. */
  async #drain(): Promise<void> {
    if (this.#connections.size === 0) return;
    const drained = new Promise<void>((resolve) => {
      this.#onDrained = resolve;
    });
    for (const connection of this.#connections)
      connection.close(CLOSE_GOING_AWAY, 'server shutting down');
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.options.limits.closeTimeoutMs);
    });
    const outcome = await Promise.race([drained, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      for (const connection of this.#connections) connection.terminate();
      await drained;
    }
  }
}

/** The host to put in URLs: wildcard binds are reached through loopback; IPv6 goes in brackets. */
function displayHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '[::1]';
  if (host.includes(':') && !host.startsWith('[')) return `[${host}]`;
  return host;
}

/** Answers a non-Realtime upgrade with a plain HTTP error (no WebSocket), as `ws` does for bad handshakes. */
function writeHttpError(socket: Duplex, status: number, message: string): void {
  const body = errorBodyText({ type: 'invalid_request_error', code: null, message, param: null });
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
      'Connection: close\r\nContent-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
