import type { SessionFactoryProvider } from '../../src/server/create-server.js';
import type { SessionPort, SessionRequest, SessionSink } from '../../src/session/session-port.js';

let counter = 0;

/**
 * A stand-in session for server-layer tests: `session.created` on start, an `echo` event per text frame (with the
 * frame's length and event type), `close` on a `{"type":"close"}` frame, `count` large events on
 * `{"type":"big","size":N,"count":K}`. Records what it saw and its disposals.
 */
export class EchoSession implements SessionPort {
  readonly id: string;
  readonly received: string[] = [];
  disposeCount = 0;
  readonly disposed: Promise<void>;
  #resolveDisposed!: () => void;

  constructor(
    readonly request: SessionRequest,
    readonly sink: SessionSink,
  ) {
    counter += 1;
    this.id = `sess_echo${counter}`;
    this.disposed = new Promise((resolve) => {
      this.#resolveDisposed = resolve;
    });
  }

  start(): void {
    this.sink.sendText(
      JSON.stringify({
        type: 'session.created',
        event_id: `event_echo${counter}`,
        session: {
          object: 'realtime.session',
          id: this.id,
          model: this.request.model,
          initial: this.request.initialSession,
        },
      }),
    );
  }

  receiveText(text: string): void {
    this.received.push(text);
    let type: unknown = null;
    let size: unknown = null;
    let count: unknown = 1;
    try {
      ({
        type,
        size,
        count = 1,
      } = JSON.parse(text) as { type?: unknown; size?: unknown; count?: unknown });
    } catch {
      type = 'unparsable';
    }
    if (type === 'big' && typeof size === 'number' && typeof count === 'number') {
      const event = JSON.stringify({ type: 'big', pad: 'z'.repeat(size) });
      for (let i = 0; i < count; i += 1) this.sink.sendText(event);
      return;
    }
    if (type === 'close') {
      this.sink.close(1000, 'bye');
      return;
    }
    this.sink.sendText(JSON.stringify({ type: 'echo', of: type, length: text.length }));
  }

  dispose(): void {
    this.disposeCount += 1;
    this.#resolveDisposed();
  }
}

/** A factory provider making {@link EchoSession}s, and the list of sessions it made. */
export function echoSessions(): {
  provider: SessionFactoryProvider;
  sessions: EchoSession[];
  /** Resolves with the next session the factory makes. */
  nextSession(): Promise<EchoSession>;
} {
  const sessions: EchoSession[] = [];
  const waiters: ((session: EchoSession) => void)[] = [];
  return {
    sessions,
    provider: () => (request, sink) => {
      const session = new EchoSession(request, sink);
      sessions.push(session);
      waiters.shift()?.(session);
      return session;
    },
    nextSession: () => new Promise((resolve) => waiters.push(resolve)),
  };
}
