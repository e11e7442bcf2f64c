import { WebSocket } from 'ws';
import type { ClientOptions } from 'ws';

export type Json = Record<string, unknown>;

/** A `ws` client whose messages are awaited in order, for tests with no sleeps. */
export interface TestClient {
  ws: WebSocket;
  /** Resolves on `open`; rejects on a failed handshake. */
  opened: Promise<void>;
  /** Resolves with the close code and reason. */
  closed: Promise<{ code: number; reason: string }>;
  /** The next server message, parsed; rejects if the socket closes first. */
  next(): Promise<Json>;
  /** Messages received and not yet taken by `next()`. */
  pending(): Json[];
}

export function connect(
  url: string,
  options: ClientOptions & { protocols?: string[] } = {},
): TestClient {
  const { protocols, ...clientOptions } = options;
  const ws = new WebSocket(url, protocols ?? [], clientOptions);
  const queue: Json[] = [];
  const waiters: { resolve: (message: Json) => void; reject: (err: Error) => void }[] = [];
  let closedInfo: { code: number; reason: string } | null = null;

  ws.on('message', (data, isBinary) => {
    const text = Array.isArray(data)
      ? Buffer.concat(data).toString()
      : Buffer.isBuffer(data)
        ? data.toString()
        : Buffer.from(data).toString();
    const message = isBinary ? { binary: true } : (JSON.parse(text) as Json);
    const waiter = waiters.shift();
    if (waiter) waiter.resolve(message);
    else queue.push(message);
  });
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) =>
      reject(new Error(`unexpected response ${res.statusCode}`)),
    );
  });
  opened.catch(() => undefined);
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.once('close', (code, reason) => {
      closedInfo = { code, reason: reason.toString() };
      for (const waiter of waiters.splice(0)) {
        waiter.reject(new Error(`closed ${code} ${closedInfo.reason}`));
      }
      resolve(closedInfo);
    });
  });
  return {
    ws,
    opened,
    closed,
    next: () => {
      const queued = queue.shift();
      if (queued) return Promise.resolve(queued);
      if (closedInfo)
        return Promise.reject(new Error(`closed ${closedInfo.code} ${closedInfo.reason}`));
      return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
    },
    pending: () => [...queue],
  };
}
