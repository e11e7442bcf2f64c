/**
 * The load generator: N WebSocket sessions driven from one cheap loop. Frames are precomputed buffers, one timer
 * tick every 20 ms sends one `input_audio_buffer.append` (20 ms of 24 kHz PCM16) to every socket, and each session
 * runs a text turn (`input_audio_buffer.clear`, `conversation.item.create`, `response.create`) once per
 * `turnIntervalMs`, staggered across the ticks. Incoming frames are classified by their first bytes, not parsed.
 */
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import type { RawData } from 'ws';

const TICK_MS = 20;
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
const TEXT_FRAME = { binary: false };

class BenchSession {
  /** `performance.now()` when the pending `response.create` was sent; null once its first delta arrived. */
  sentAt: number | null = null;
  inFlight = false;

  constructor(
    readonly ws: WebSocket,
    readonly index: number,
    private readonly load: LoadGenerator,
  ) {
    ws.on('message', (data: RawData) => this.#onMessage(data as Buffer));
  }

  #onMessage(data: Buffer): void {
    const head = data.toString('latin1', 0, PREFIX_CHARS);
    if (this.sentAt !== null && head.includes('"type":"response.output_text.delta"')) {
      this.load.recordLatency(performance.now() - this.sentAt);
      this.sentAt = null;
    } else if (head.includes('"type":"response.done"')) {
      this.inFlight = false;
      this.load.responsesDone += 1;
    } else if (head.includes('"type":"error"')) {
      this.load.errors += 1;
    }
  }
}

export interface LoadWindow {
  /** Client-side `response.create` → first `response.output_text.delta`, milliseconds. */
  latenciesMs: number[];
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
}

/** Opens and drives bench sessions against one engine URL. */
export class LoadGenerator {
  readonly sessions: BenchSession[] = [];
  responsesDone = 0;
  errors = 0;
  #latencies: number[] = [];
  #url: string;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #options: LoadOptions = { audio: false, turns: false, turnIntervalMs: 1000 };
  #tick = 0;
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

  /** Starts (or changes) the traffic; the tick schedule keeps running across calls. */
  drive(options: LoadOptions): void {
    this.#options = options;
    if (this.#timer !== null) return;
    this.#start = performance.now();
    this.#tick = 0;
    this.#schedule();
  }

  #schedule(): void {
    const due = this.#start + this.#tick * TICK_MS;
    this.#timer = setTimeout(() => this.#onTimer(), Math.max(0, due - performance.now()));
  }

  #onTimer(): void {
    const dueTick = Math.floor((performance.now() - this.#start) / TICK_MS);
    if (dueTick > this.#tick) this.#window.late += 1;
    // Catch up when late, so the append rate holds on average.
    while (this.#tick <= dueTick) this.#sendTick(this.#tick++);
    this.#schedule();
  }

  #sendTick(tick: number): void {
    const { audio, turns, turnIntervalMs } = this.#options;
    const turnTicks = Math.max(1, Math.round(turnIntervalMs / TICK_MS));
    const phase = tick % turnTicks;
    const window = this.#window;
    for (const session of this.sessions) {
      const ws = session.ws;
      if (ws.readyState !== WebSocket.OPEN) continue;
      if (audio) {
        ws.send(APPEND, TEXT_FRAME);
        window.appends += 1;
      }
      if (turns && session.index % turnTicks === phase) {
        if (session.inFlight) {
          window.skipped += 1;
        } else {
          ws.send(CLEAR, TEXT_FRAME);
          ws.send(ITEM, TEXT_FRAME);
          ws.send(RESPONSE, TEXT_FRAME);
          session.sentAt = performance.now();
          session.inFlight = true;
          window.turns += 1;
        }
      }
      if (ws.bufferedAmount > window.maxBuffered) window.maxBuffered = ws.bufferedAmount;
    }
  }

  /** Starts a measurement window: counters and latencies from now on. */
  beginWindow(): () => LoadWindow {
    this.#latencies = [];
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
