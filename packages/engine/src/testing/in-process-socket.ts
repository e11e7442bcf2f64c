import type { SessionFactory, SessionPort, SessionRequest } from '../session/session-port.js';

type Listener = (event: { data?: string; code?: number; reason?: string; type: string }) => void;

/** WebSocket ready states, as in the browser API. */
const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

/**
 * A WebSocket-like connection to a session with no socket at all: `send`, `close`, `onmessage` /
 * `addEventListener('message' | 'open' | 'close')`, `readyState`. Frames are delivered asynchronously, in order,
 * as a real socket would, so code written against WebSocket runs unchanged.
 */
export class InProcessSocket {
  static readonly CONNECTING = CONNECTING;
  static readonly OPEN = OPEN;
  static readonly CLOSING = CLOSING;
  static readonly CLOSED = CLOSED;

  readyState: number = CONNECTING;
  protocol = 'realtime';
  onopen: Listener | null = null;
  onmessage: Listener | null = null;
  onclose: Listener | null = null;
  onerror: Listener | null = null;
  #listeners = new Map<string, Set<Listener>>();
  #session: SessionPort | null = null;
  #queue: Promise<void> = Promise.resolve();

  constructor(
    factory: SessionFactory,
    request: Omit<SessionRequest, 'remoteAddress' | 'auth'> & Partial<SessionRequest>,
  ) {
    this.#session = factory(
      { auth: { kind: 'open' }, remoteAddress: 'in-process', ...request },
      {
        sendText: (text) => this.#deliver(() => this.#dispatch('message', { data: text })),
        close: (code, reason) => this.#closeFromServer(code, reason),
      },
    );
    this.#deliver(() => {
      if (this.readyState !== CONNECTING) return;
      this.readyState = OPEN;
      this.#dispatch('open', {});
    });
    const session = this.#session;
    this.#deliver(() => {
      if (this.readyState === OPEN) session.start();
    });
  }

  addEventListener(type: string, listener: Listener): void {
    let set = this.#listeners.get(type);
    if (!set) this.#listeners.set(type, (set = new Set()));
    set.add(listener);
  }

  removeEventListener(type: string, listener: Listener): void {
    this.#listeners.get(type)?.delete(listener);
  }

  /** Sends one text frame to the session. */
  send(data: string): void {
    if (this.readyState !== OPEN) throw new Error('InProcessSocket is not open');
    const session = this.#session;
    this.#deliver(() => session?.receiveText(data));
  }

  close(code = 1000, reason = ''): void {
    if (this.readyState === CLOSING || this.readyState === CLOSED) return;
    this.readyState = CLOSING;
    this.#session?.dispose();
    this.#session = null;
    this.#deliver(() => this.#closed(code, reason));
  }

  #closeFromServer(code: number, reason: string): void {
    if (this.readyState === CLOSED || this.readyState === CLOSING) return;
    this.readyState = CLOSING;
    const session = this.#session;
    this.#session = null;
    this.#deliver(() => {
      session?.dispose();
      this.#closed(code, reason);
    });
  }

  #closed(code: number, reason: string): void {
    this.readyState = CLOSED;
    this.#dispatch('close', { code, reason });
  }

  #deliver(task: () => void): void {
    this.#queue = this.#queue.then(task).catch((err: unknown) => {
      this.#dispatch('error', { reason: err instanceof Error ? err.message : String(err) });
    });
  }

  #dispatch(type: string, payload: { data?: string; code?: number; reason?: string }): void {
    const event = { type, ...payload };
    const handler = (this as unknown as Record<string, Listener | null>)[`on${type}`];
    handler?.(event);
    for (const listener of this.#listeners.get(type) ?? []) listener(event);
  }
}
