import { Writable } from 'node:stream';
import { createEngine } from '../engine.js';
import type { EngineOptions, LocalRealtimeEngine } from '../engine.js';
import type { InjectedFault } from '../faults.js';
import { FAULTS_PATH } from '../server/fault-control.js';
import type { SessionRecord } from '../session-registry.js';
import type { SessionFactory } from '../session/session-port.js';
import { InProcessSocket } from './in-process-socket.js';

export interface StartLocalRealtimeOptions extends EngineOptions {
  /** Pacing speed; 0 (the test-kit default) sends everything as fast as possible. */
  speed?: number;
}

/** A running engine for tests: its addresses, its sessions and what they saw, and fault injection. */
export interface LocalRealtimeHandle {
  /** `ws(s)://host:port/v1/realtime` (add `?model=…`). */
  readonly url: string;
  /** `http(s)://host:port`. */
  readonly httpUrl: string;
  /** `http(s)://host:port/v1`, the `baseURL` for the `openai` package. */
  readonly baseURL: string;
  /** `http(s)://host:port/v1/local/faults`: fault injection by a control call, from another process. */
  readonly faultsUrl: string;
  readonly port: number;
  /** The self-signed certificate (pass as `ca`), when TLS is on. */
  readonly certPem: string | null;
  readonly engine: LocalRealtimeEngine;
  /** Sessions in the order they opened, with the events each received and sent. */
  sessions(): SessionRecord[];
  /** Resolves with the next session to open. */
  nextSession(): Promise<SessionRecord>;
  /** Applies a fault now to one session or all (see {@link LocalRealtimeEngine.injectFault}). */
  injectFault(fault: InjectedFault, sessionId?: string): void;
  /** Queues a fault for the next response (of one session, or of whichever responds first). */
  injectFaultOnNextResponse(fault: InjectedFault, sessionId?: string): void;
  /** A WebSocket-like connection straight to a new session, with no socket. */
  connectInProcess(options?: {
    model?: string;
    beta?: boolean;
    kind?: 'realtime' | 'transcription';
  }): InProcessSocket;
  close(): Promise<void>;
}

/** Discards log lines (tests that want logs pass `logDestination`). */
const silent = new Writable({ write: (_chunk, _encoding, callback) => callback() });

/**
 * Starts a LocalRealtime engine for a test: port 0 on loopback, open auth, unpaced, recording every session's
 * events. `close()` it when done.
 */
export async function startLocalRealtime(
  options: StartLocalRealtimeOptions = {},
): Promise<LocalRealtimeHandle> {
  let factory: SessionFactory | null = null;
  const engine = await createEngine({
    port: 0,
    speed: 0,
    record: true,
    logLevel: 'warn',
    ...(options.logger || options.logDestination ? {} : { logDestination: silent }),
    ...options,
    captureFactory: (f: SessionFactory) => {
      factory = f;
    },
  });
  const info = await engine.listen();
  return {
    url: info.url,
    httpUrl: info.httpUrl,
    baseURL: `${info.httpUrl}/v1`,
    faultsUrl: `${info.httpUrl}${FAULTS_PATH}`,
    port: info.port,
    certPem: engine.server.tls?.certPem ?? null,
    engine,
    sessions: () => engine.sessions.list(),
    nextSession: () => engine.sessions.next(),
    injectFault: (fault, sessionId) => engine.injectFault(fault, sessionId),
    injectFaultOnNextResponse: (fault, sessionId) =>
      engine.faults.injectNextResponse(fault, sessionId ?? null),
    connectInProcess: (o = {}) => {
      if (!factory) throw new Error('engine has no session factory');
      return new InProcessSocket(factory, {
        kind: o.kind ?? 'realtime',
        model: o.model ?? 'gpt-realtime',
        beta: o.beta ?? false,
        initialSession: null,
      });
    },
    close: () => engine.close(),
  };
}
