/**
 * The load generator: N WebSocket sessions driven from one cheap loop. Frames are precomputed whole WebSocket
 * frames written straight to each socket (`clientFrame`); every 20 ms tick sends one `input_audio_buffer.append`
 * (20 ms of 24 kHz PCM16) to every socket, spread over the tick by per-session phase (or all at once with
 * `pattern: 'burst'`), and each session runs a text turn (`input_audio_buffer.clear`, `conversation.item.create`,
 * `response.create`) once per `turnIntervalMs`, staggered across the ticks (with turns off, just the clear).
 * Incoming frames are classified by their first bytes, not parsed.
 */
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import type { RawData } from 'ws';

const TICK_MS = 20;
/** The spread pattern's schedule: 1 ms slots, appends in the first 16 of each tick, responses in the last 4. */
const SLOT_MS = 1;
const SLOTS_PER_TICK = TICK_MS / SLOT_MS;
const APPEND_SLOTS = 16;
/** 20 ms of 24 kHz mono PCM16. */
const FRAME_BYTES = 960;
const PREFIX_CHARS = 96;

/** A 440 Hz tone frame, so the audio is not all zeros. */
function toneFrameBase64(): string {
  const pcm = Buffer.alloc(FRAME_BYTES);
  for (let i = 0; i < FRAME_BYTES / 2; i++) {
    pcm.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 24_000)), i * 2);
  }
  return pcm.toString('base64');
}

const APPEND = Buffer.from(
  JSON.stringify({ type: 'input_audio_buffer.append', audio: toneFrameBase64() }),
);
const CLEAR = Buffer.from(JSON.stringify({ type: 'input_audio_buffer.clear' }));
const ITEM = Buffer.from(
  JSON.stringify({
    type: 'conversation.item.create',
    item: {
      type: 'message',
      role: 'user',
      content: [{ type: 'input_text', text: 'Hello there!' }],
    },
  }),
);
const RESPONSE = Buffer.from(
  JSON.stringify({ type: 'response.create', response: { output_modalities: ['text'] } }),
);
const NO_VAD = Buffer.from(
  JSON.stringify({
    type: 'session.update',
    session: { type: 'realtime', audio: { input: { turn_detection: null } } },
  }),
);
const TEXT_FRAME = { binary: false, compress: false, fin: true };

/**
 * A whole client → server text frame (FIN, opcode 1, an all-zero mask, the payload as is), built once: the hot
 * sends write it straight to the socket, one `write` each, instead of `ws` framing every send (header, mask
 * check, a cork/uncork around two buffers). Safe with permessage-deflate off: `ws` then queues nothing, so the
 * socket's order is the order of the sends.
 */
export function clientFrame(payload: Buffer): Buffer {
  const n = payload.length;
  const header =
    n < 126
      ? Buffer.from([0x81, 0x80 | n])
      : n < 65_536
        ? Buffer.from([0x81, 0x80 | 126, n >> 8, n & 0xff])
        : (() => {
            throw new RangeError('bench frames are < 64 KiB');
          })();
  return Buffer.concat([header, Buffer.alloc(4), payload]);
}

const APPEND_FRAME = clientFrame(APPEND);
const CLEAR_FRAME = clientFrame(CLEAR);
const ITEM_FRAME = clientFrame(ITEM);
const RESPONSE_FRAME = clientFrame(RESPONSE);

/** The raw socket under a client `ws` (with a `write` that takes a whole frame). */
export interface RawSocket {
  write(frame: Buffer): boolean;
}

/** The socket under a client `ws`, for writing frames built by {@link clientFrame}. */
export function rawSocket(ws: WebSocket): RawSocket {
  return (ws as unknown as { _socket: RawSocket })._socket;
}

class BenchSession {
  /** `performance.now()` when the pending `response.create` was sent; null once its first delta arrived. */
  sentAt: number | null = null;
  inFlight = false;
  /** Appends held back while a `response.create` waits for its first delta (the socket stays idle meanwhile). */
  heldAppends = 0;
  /** `performance.now()` when a probe ping was sent; null once its pong arrived. */
  pingAt: number | null = null;

  /** The socket under `ws`, for pre-framed sends. */
  readonly socket: RawSocket;

  constructor(
    readonly ws: WebSocket,
    readonly index: number,
    private readonly load: LoadGenerator,
  ) {
    this.socket = rawSocket(ws);
    ws.on('message', (data: RawData) => this.#onMessage(data as Buffer));
    ws.on('pong', () => {
      if (this.pingAt === null) return;
      this.load.recordPing(performance.now() - this.pingAt);
      this.pingAt = null;
    });
  }

  #onMessage(data: Buffer): void {
    const head = data.toString('latin1', 0, PREFIX_CHARS);
    if (this.sentAt !== null && head.includes('"type":"response.output_text.delta"')) {
      this.load.recordLatency(performance.now() - this.sentAt);
      this.sentAt = null;
      this.#release();
    } else if (head.includes('"type":"response.done"')) {
      this.inFlight = false;
      this.load.responsesDone += 1;
      if (this.sentAt !== null) {
        // A response with no text delta (an error, a failure): its latency is not recorded.
        this.sentAt = null;
        this.#release();
      }
    } else if (head.includes('"type":"error"')) {
      this.load.errors += 1;
    }
  }

  /** Sends the appends held back during a measurement. */
  #release(): void {
    for (; this.heldAppends > 0; this.heldAppends--) {
      if (this.ws.readyState === WebSocket.OPEN) this.socket.write(APPEND_FRAME);
    }
  }
}

export interface LoadWindow {
  /** Client-side `response.create` → first `response.output_text.delta`, milliseconds. */
  latenciesMs: number[];
  /**
   * WebSocket ping → pong on an idle session in the last quiet slot of each tick (`spread` only), milliseconds:
   * the transport's floor (both event loops and the loopback), answered by `ws` inside the engine process.
   */
  pingRttMs: number[];
  appendsSent: number;
  /** Appends the window called for: sessions × window / 20 ms. */
  appendsExpected: number;
  turnsStarted: number;
  /** Turns not started because the session's previous response had not finished. */
  turnsSkipped: number;
  responsesDone: number;
  errors: number;
  /** Largest `bufferedAmount` seen on a socket (bytes the engine hadn't read yet). */
  maxBufferedBytes: number;
  /** The generator's own CPU use, percent of one core. */
  cpuPercent: number;
  /** Ticks the generator fired late by more than one period (caught up by sending several frames). */
  lateTicks: number;
  wallMs: number;
}

export interface LoadOptions {
  audio: boolean;
  turns: boolean;
  turnIntervalMs: number;
  /** `spread` (default): sends spread over each 20 ms tick; `burst`: all sends of a tick at once. */
  pattern?: 'spread' | 'burst';
}

/** Opens and drives bench sessions against one engine URL. */
export class LoadGenerator {
  readonly sessions: BenchSession[] = [];
  responsesDone = 0;
  errors = 0;
  #latencies: number[] = [];
  #pings: number[] = [];
  #probe = 0;
  #url: string;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #options: LoadOptions = { audio: false, turns: false, turnIntervalMs: 1000, pattern: 'spread' };
  #slot = 0;
  /** Sessions whose turn's `response.create` waits for this tick's quiet slots. */
  #dueResponses: BenchSession[] = [];
  #start = 0;
  #window = { appends: 0, turns: 0, skipped: 0, late: 0, maxBuffered: 0 };

  #vad: boolean;

  /**
   * With `vad: false` (the default) every session turns server VAD off on open (`turn_detection: null`), so the
   * load is what issue #3 describes: the protocol path, appends and unpaced text turns. With `vad: true` the
   * sessions keep the GA default server VAD, and the streamed tone also drives turn detection, automatic
   * commits, recognition and spoken replies (issue #4's speech path).
   */
  constructor(url: string, options: { vad?: boolean } = {}) {
    this.#url = `${url}?model=gpt-realtime`;
    this.#vad = options.vad ?? false;
  }

  recordLatency(ms: number): void {
    this.#latencies.push(ms);
  }

  recordPing(ms: number): void {
    this.#pings.push(ms);
  }

  /**
   * Opens sessions until `total` are open, `concurrency` handshakes at a time; each waits for `session.created`.
   * Rejects when that takes longer than `timeoutMs` (an engine past its capacity stops answering handshakes).
   */
  async openUntil(total: number, timeoutMs = 60_000, concurrency = 50): Promise<void> {
    let next = this.sessions.length;
    let timedOut = false;
    const opener = async (): Promise<void> => {
      while (next < total && !timedOut) {
        const index = next++;
        this.sessions.push(await this.#open(index));
      }
    };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        reject(
          new Error(`opened ${this.sessions.length} of ${total} sessions in ${timeoutMs / 1000} s`),
        );
      }, timeoutMs);
    });
    try {
      await Promise.race([Promise.all(Array.from({ length: concurrency }, opener)), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  #open(index: number): Promise<BenchSession> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.#url, {
        perMessageDeflate: false,
        // An all-zero mask makes `ws` skip masking: the generator stays cheap (the server unmasks either way).
        generateMask: (mask) => mask.fill(0),
      });
      ws.once('error', reject);
      ws.once('message', (data: RawData) => {
        ws.off('error', reject);
        ws.on('error', () => undefined);
        const head = (data as Buffer).toString('latin1', 0, PREFIX_CHARS);
        if (!head.includes('"type":"session.created"')) {
          reject(new Error(`session ${index}: expected session.created, got ${head}`));
          return;
        }
        if (!this.#vad) ws.send(NO_VAD, TEXT_FRAME);
        resolve(new BenchSession(ws, index, this));
      });
    });
  }

  /** Starts (or changes) the traffic; the slot schedule keeps running across calls. */
  drive(options: LoadOptions): void {
    this.#options = options;
    if (this.#timer !== null) return;
    this.#start = performance.now();
    this.#slot = 0;
    this.#schedule();
  }

  get #slotMs(): number {
    return this.#options.pattern === 'burst' ? TICK_MS : SLOT_MS;
  }

  #schedule(): void {
    const due = this.#start + this.#slot * this.#slotMs;
    this.#timer = setTimeout(() => this.#onTimer(), Math.max(0, due - performance.now()));
  }

  #onTimer(): void {
    const slotMs = this.#slotMs;
    const dueSlot = Math.floor((performance.now() - this.#start) / slotMs);
    if ((dueSlot - this.#slot) * slotMs >= TICK_MS) this.#window.late += 1;
    // Catch up when late, so the append rate holds on average.
    while (this.#slot <= dueSlot) this.#sendSlot(this.#slot++);
    this.#schedule();
  }

  /**
   * One slot of the schedule. `burst`: one slot per tick, every socket's append then the turns due (the first
   * version of this bench). `spread`: 20 slots of 1 ms per tick; session i appends in slot i mod 16 (and sends its
   * turn's clear and item right after), and the `response.create`s of the tick go out alone in the quiet slots
   * 16–19, so what is timed is the response on an otherwise idle socket and engine: a session's appends that fall
   * due while it waits for the first delta are held back and sent when it arrives.
   */
  #sendSlot(slot: number): void {
    const { audio, turns, turnIntervalMs, pattern } = this.#options;
    const burst = pattern === 'burst';
    const slotsPerTick = burst ? 1 : SLOTS_PER_TICK;
    const appendSlots = burst ? 1 : APPEND_SLOTS;
    const tick = Math.floor(slot / slotsPerTick);
    const inTick = slot % slotsPerTick;
    const turnTicks = Math.max(1, Math.round(turnIntervalMs / TICK_MS));
    const phase = tick % turnTicks;
    const window = this.#window;
    const sessions = this.sessions;
    if (inTick < appendSlots) {
      for (let i = inTick; i < sessions.length; i += appendSlots) {
        const session = sessions[i]!;
        const ws = session.ws;
        if (ws.readyState !== WebSocket.OPEN) continue;
        if (audio) {
          if (!burst && session.sentAt !== null) session.heldAppends += 1;
          else session.socket.write(APPEND_FRAME);
          window.appends += 1;
        }
        if (!turns && audio && i % turnTicks === phase) {
          // Appends only: a clear per turn period keeps the input buffer (and the engine's heap) bounded.
          session.socket.write(CLEAR_FRAME);
        }
        if (turns && i % turnTicks === phase) {
          if (session.inFlight) {
            window.skipped += 1;
          } else {
            session.socket.write(CLEAR_FRAME);
            session.socket.write(ITEM_FRAME);
            session.inFlight = true;
            window.turns += 1;
            if (burst) this.#sendResponse(session);
            else this.#dueResponses.push(session);
          }
        }
        if (ws.bufferedAmount > window.maxBuffered) window.maxBuffered = ws.bufferedAmount;
      }
    }
    if (!burst && inTick >= appendSlots && this.#dueResponses.length > 0) {
      // The tick's turns share the quiet slots: one in each, the rest in the last.
      const last = inTick === slotsPerTick - 1;
      const count = last ? this.#dueResponses.length : 1;
      for (const session of this.#dueResponses.splice(0, count)) this.#sendResponse(session);
    }
    if (!burst && inTick === slotsPerTick - 1) this.#sendProbe();
  }

  /** A ping on the next session with nothing in flight, once a tick. */
  #sendProbe(): void {
    const sessions = this.sessions;
    for (let tries = 0; tries < sessions.length; tries++) {
      const session = sessions[this.#probe++ % sessions.length]!;
      if (session.inFlight || session.pingAt !== null) continue;
      if (session.ws.readyState !== WebSocket.OPEN) continue;
      session.pingAt = performance.now();
      session.ws.ping();
      return;
    }
  }

  #sendResponse(session: BenchSession): void {
    if (session.ws.readyState !== WebSocket.OPEN) {
      session.inFlight = false;
      return;
    }
    session.sentAt = performance.now();
    session.socket.write(RESPONSE_FRAME);
  }

  /** Starts a measurement window: counters and latencies from now on. */
  beginWindow(): () => LoadWindow {
    this.#latencies = [];
    this.#pings = [];
    this.#window = { appends: 0, turns: 0, skipped: 0, late: 0, maxBuffered: 0 };
    const responses0 = this.responsesDone;
    const errors0 = this.errors;
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    const sessions = this.sessions.length;
    return () => {
      const wallMs = performance.now() - wall0;
      const cpu = process.cpuUsage(cpu0);
      const window = this.#window;
      return {
        latenciesMs: this.#latencies,
        pingRttMs: this.#pings,
        appendsSent: window.appends,
        appendsExpected: this.#options.audio ? Math.floor((sessions * wallMs) / TICK_MS) : 0,
        turnsStarted: window.turns,
        turnsSkipped: window.skipped,
        responsesDone: this.responsesDone - responses0,
        errors: this.errors - errors0,
        maxBufferedBytes: window.maxBuffered,
        cpuPercent: ((cpu.user + cpu.system) / 1000 / wallMs) * 100,
        lateTicks: window.late,
        wallMs,
      };
    };
  }

  /** Stops the traffic (sessions stay open). */
  pause(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** Stops the traffic and closes every session. */
  async close(): Promise<void> {
    this.pause();
    await Promise.all(
      this.sessions.map(
        (session) =>
          new Promise<void>((resolve) => {
            if (session.ws.readyState === WebSocket.CLOSED) return resolve();
            session.ws.once('close', () => resolve());
            session.ws.close(1000);
          }),
      ),
    );
    this.sessions.length = 0;
  }
}
