import { Buffer } from 'node:buffer';
import type { WebSocket } from 'ws';

const OPEN = 1;
/** Pending text at which the outbox writes at once instead of waiting for the end of the round. */
const FLUSH_AT_CHARS = 256 * 1024;

/**
 * A connection's outgoing text events, coalesced: everything sent while the event loop handles one round of I/O
 * (a client frame and the events it causes, the deltas of an unpaced response, a paced chunk's timer) leaves in
 * one socket write, flushed from `setImmediate` — after this round's I/O callbacks and microtasks, before the
 * loop waits for more. Without it every server event cost a `writev` syscall (the engine's top self-time
 * under load); with the earlier flush-on-the-first-quiet-microtask, a text turn still took three.
 *
 * When the connection negotiated no extension (permessage-deflate is off by default), the outbox frames the
 * events itself (FIN + text opcode, unmasked as a server sends) into one buffer: a `ws.send` per event costs two
 * socket writes and a header allocation each. With an extension, `ws` must frame (it compresses): the socket is
 * corked instead, so the frames still leave in one `writev`.
 */
export interface Outbox {
  send(text: string): void;
  /** Characters sent and not yet handed to the socket (≈ bytes: events are JSON, mostly ASCII). */
  readonly pendingChars: number;
  /** Writes what is pending now (before a close frame, which must follow the events sent before it). */
  flush(): void;
}

/** The part of `net.Socket` (or `tls.TLSSocket`) the outbox writes to. */
interface OutboxSocket {
  write(data: Buffer): boolean;
  cork(): void;
  uncork(): void;
  readonly destroyed: boolean;
}

/** The outbox for `ws`'s connection: self-framed when no extension was negotiated. */
export function outboxFor(ws: WebSocket): Outbox {
  const socket = (ws as unknown as { _socket?: Partial<OutboxSocket> | null })._socket;
  const usable =
    socket !== null &&
    socket !== undefined &&
    typeof socket.write === 'function' &&
    typeof socket.cork === 'function' &&
    typeof socket.uncork === 'function';
  if (!usable) return new PassThroughOutbox(ws);
  if (ws.extensions === '') return new FramingOutbox(ws, socket as OutboxSocket);
  return new CorkingOutbox(ws, socket as OutboxSocket);
}

/** Frames text events itself and writes each round's frames as one buffer. */
export class FramingOutbox implements Outbox {
  #ws: WebSocket;
  #socket: OutboxSocket;
  #pending: string[] = [];
  #pendingChars = 0;
  #scheduled = false;
  #flush = (): void => {
    this.#scheduled = false;
    this.flush();
  };

  constructor(ws: WebSocket, socket: OutboxSocket) {
    this.#ws = ws;
    this.#socket = socket;
  }

  get pendingChars(): number {
    return this.#pendingChars;
  }

  send(text: string): void {
    this.#pending.push(text);
    this.#pendingChars += text.length;
    // A large burst (audio) goes out as it comes rather than piling up in one buffer.
    if (this.#pendingChars >= FLUSH_AT_CHARS) {
      this.flush();
      return;
    }
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(this.#flush);
  }

  flush(): void {
    const texts = this.#pending;
    if (texts.length === 0) return;
    this.#pending = [];
    this.#pendingChars = 0;
    // Once a close frame went out (the peer closed, or `ws` failed the connection) nothing may follow it.
    if (this.#socket.destroyed || this.#ws.readyState !== OPEN) return;
    this.#socket.write(frameTexts(texts));
  }
}

/** Server → client text frames (FIN, opcode 1, no mask), back to back in one buffer. */
export function frameTexts(texts: readonly string[]): Buffer {
  const lengths = new Array<number>(texts.length);
  let total = 0;
  for (let i = 0; i < texts.length; i++) {
    const n = Buffer.byteLength(texts[i]!, 'utf8');
    lengths[i] = n;
    total += n + (n < 126 ? 2 : n < 65_536 ? 4 : 10);
  }
  const out = Buffer.allocUnsafe(total);
  let at = 0;
  for (let i = 0; i < texts.length; i++) {
    const n = lengths[i]!;
    out[at++] = 0x81;
    if (n < 126) {
      out[at++] = n;
    } else if (n < 65_536) {
      out[at++] = 126;
      out.writeUInt16BE(n, at);
      at += 2;
    } else {
      out[at++] = 127;
      out.writeUInt32BE(Math.floor(n / 2 ** 32), at);
      out.writeUInt32BE(n >>> 0, at + 4);
      at += 8;
    }
    at += out.write(texts[i]!, at, 'utf8');
  }
  return out;
}

/** `ws` frames (and compresses); the socket is corked for the round, so the frames leave in one `writev`. */
class CorkingOutbox implements Outbox {
  #ws: WebSocket;
  #socket: OutboxSocket;
  #corked = false;
  #flush = (): void => this.flush();

  constructor(ws: WebSocket, socket: OutboxSocket) {
    this.#ws = ws;
    this.#socket = socket;
  }

  readonly pendingChars = 0;

  send(text: string): void {
    if (!this.#corked && !this.#socket.destroyed) {
      this.#corked = true;
      this.#socket.cork();
      setImmediate(this.#flush);
    }
    this.#ws.send(text);
  }

  flush(): void {
    if (!this.#corked) return;
    this.#corked = false;
    if (!this.#socket.destroyed) this.#socket.uncork();
  }
}

/** No socket to batch on (not expected with `ws`): one `ws.send` per event. */
class PassThroughOutbox implements Outbox {
  #ws: WebSocket;

  constructor(ws: WebSocket) {
    this.#ws = ws;
  }

  readonly pendingChars = 0;

  send(text: string): void {
    this.#ws.send(text);
  }

  flush(): void {}
}
