import type { Logger } from 'pino';
import type { RawData, WebSocket } from 'ws';
import type { Clock } from '../session/clock.js';
import type {
  SessionFactory,
  SessionPort,
  SessionRequest,
  SessionSink,
} from '../session/session-port.js';
import type { HeartbeatTarget } from './heartbeat.js';
import { sessionLogger } from './logger.js';
import { outboxFor } from './outbox.js';
import type { Outbox } from './outbox.js';
import type { EngineMetrics } from './metrics.js';
import type { FatalWireError, WireError } from './server-errors.js';
import {
  binaryFrameError,
  closeReasonFor,
  errorEventText,
  messageTooLargeError,
  sessionStartError,
  truncateCloseReason,
} from './server-errors.js';

/** The live `ws` ready state for an open socket. */
const OPEN = 1;
/** After the session's own expiry, how long before the server closes a session that didn't close itself. */
const EXPIRY_GRACE_MS = 60_000;

export interface ConnectionLimits {
  /** Largest accepted text frame, bytes. */
  maxMessageBytes: number;
  /** Queued bytes above which a slow-reader warning is logged once. */
  bufferedHighWaterBytes: number;
  /** The session's maximum duration; the server enforces it (with a grace period) if the session doesn't. */
  maxSessionMs: number;
}

export interface ConnectionDeps {
  ws: WebSocket;
  request: SessionRequest;
  factory: SessionFactory;
  logger: Logger;
  metrics: EngineMetrics;
  clock: Clock;
  limits: ConnectionLimits;
  /** Called once, when the socket has closed and the session is disposed. */
  onClosed(connection: Connection): void;
}

/**
 * Sends one fatal `error` event on a freshly upgraded socket and closes it with the error's close code and a
 * `<type>.<code>` reason, as the live service does for a bad key, model or limit.
 */
export function refuseConnection(
  ws: WebSocket,
  error: FatalWireError,
  metrics: EngineMetrics,
): void {
  ws.send(errorEventText(error));
  metrics.eventOut('error');
  metrics.error(error.code ?? 'null');
  ws.close(error.closeCode, closeReasonFor(error));
}

/**
 * Binds one `ws` socket to one {@link SessionPort}: text frames go to `receiveText`; binary and oversize frames
 * are answered with an error event and the socket stays open; liveness is checked by the server's heartbeat;
 * `dispose()` is called exactly once when the socket closes, whoever closed it.
 */
export class Connection implements HeartbeatTarget {
  readonly openedAt: number;
  #deps: ConnectionDeps;
  #ws: WebSocket;
  #log: Logger;
  #session: SessionPort | null = null;
  #alive = true;
  #closed = false;
  #warnedBackpressure = false;
  #out: Outbox;

  constructor(deps: ConnectionDeps) {
    this.#deps = deps;
    this.#ws = deps.ws;
    this.#log = deps.logger;
    this.openedAt = deps.clock.now();
    const ws = deps.ws;
    this.#out = outboxFor(ws);
    ws.on('message', (data, isBinary) => this.#onMessage(data, isBinary));
    ws.on('pong', () => {
      this.#alive = true;
    });
    ws.on('close', (code, reason) => this.#onClose(code, reason.toString()));
    ws.on('error', (err) => this.#log.warn({ err: { message: err.message } }, 'websocket error'));
    this.#startSession();
  }

  /** The session id, once the factory made the session. */
  get sessionId(): string | null {
    return this.#session?.id ?? null;
  }

  /** Closes the socket (the session is disposed when the close completes). */
  close(code: number, reason: string): void {
    if (this.#closed) return;
    // The events sent so far go before the close frame.
    this.#out.flush();
    try {
      this.#ws.close(code, truncateCloseReason(reason));
    } catch (err) {
      // An invalid close code from the caller: don't leave the socket half-open.
      this.#log.warn(
        { err: { message: (err as Error).message }, code },
        'invalid close; terminating',
      );
      this.#ws.terminate();
    }
  }

  /** Destroys the socket at once. */
  terminate(): void {
    this.#ws.terminate();
  }

  beat(): void {
    if (this.#closed) return;
    if (!this.#alive) {
      this.#log.info('peer missed a ping; terminating');
      this.#ws.terminate();
      return;
    }
    if (this.#deps.clock.now() - this.openedAt > this.#deps.limits.maxSessionMs + EXPIRY_GRACE_MS) {
      this.#log.warn('session outlived its maximum duration; closing');
      this.close(1000, 'invalid_request_error.session_expired');
      return;
    }
    this.#alive = false;
    this.#ws.ping();
  }

  #startSession(): void {
    const sink: SessionSink = {
      sendText: (text) => this.#send(text),
      close: (code, reason) => this.close(code, reason),
    };
    try {
      this.#session = this.#deps.factory(this.#deps.request, sink);
    } catch (err) {
      this.#log.error({ err }, 'session factory failed');
      this.#fail();
      return;
    }
    this.#log = sessionLogger(this.#deps.logger, this.#session.id);
    this.#deps.metrics.sessionOpened();
    const { request } = this.#deps;
    this.#log.info(
      {
        kind: request.kind,
        model: request.model,
        beta: request.beta,
        auth: request.auth,
        remote: request.remoteAddress,
        extensions: this.#ws.extensions,
      },
      'session opened',
    );
    try {
      this.#session.start();
    } catch (err) {
      this.#log.error({ err }, 'session start failed');
      this.#fail();
    }
  }

  #fail(): void {
    const error = sessionStartError();
    this.#sendError(error);
    this.close(error.closeCode, closeReasonFor(error));
  }

  #send(text: string): void {
    if (this.#closed || this.#ws.readyState !== OPEN) return;
    this.#out.send(text);
    if (
      !this.#warnedBackpressure &&
      this.#ws.bufferedAmount + this.#out.pendingChars > this.#deps.limits.bufferedHighWaterBytes
    ) {
      this.#warnedBackpressure = true;
      this.#log.warn(
        {
          buffered_bytes: this.#ws.bufferedAmount + this.#out.pendingChars,
          high_water_bytes: this.#deps.limits.bufferedHighWaterBytes,
        },
        'client reads too slowly: outgoing data is piling up',
      );
    }
  }

  #sendError(error: WireError): void {
    this.#send(errorEventText(error));
    this.#deps.metrics.eventOut('error');
    this.#deps.metrics.error(error.code ?? 'null');
  }

  #onMessage(data: RawData, isBinary: boolean): void {
    // Any traffic shows the peer is alive, even if its pong is queued behind a large upload.
    this.#alive = true;
    if (this.#closed || this.#session === null) return;
    if (isBinary) {
      this.#deps.metrics.eventIn('invalid');
      this.#sendError(binaryFrameError());
      return;
    }
    const size = byteLength(data);
    if (size > this.#deps.limits.maxMessageBytes) {
      this.#deps.metrics.eventIn('invalid');
      this.#log.info(
        { bytes: size, limit: this.#deps.limits.maxMessageBytes },
        'message too large',
      );
      this.#sendError(messageTooLargeError(size, this.#deps.limits.maxMessageBytes));
      return;
    }
    try {
      this.#session.receiveText(toText(data));
    } catch (err) {
      // The session answers its own errors; a throw is a bug there, which must not take the server down.
      this.#log.error({ err }, 'session failed to handle a message');
      this.#sendError({
        type: 'server_error',
        code: null,
        message: 'The server had an error while processing your event.',
        param: null,
      });
    }
  }

  #onClose(code: number, reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    const session = this.#session;
    if (session !== null) {
      try {
        session.dispose();
      } catch (err) {
        this.#log.error({ err }, 'session dispose failed');
      }
      this.#deps.metrics.sessionClosed();
    }
    this.#log.info({ code, reason }, 'session closed');
    this.#deps.onClosed(this);
  }
}

function byteLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((sum, chunk) => sum + chunk.length, 0);
  return data.byteLength;
}

function toText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
