/**
 * Micro-benchmark of the engine's server-side path for one `input_audio_buffer.append` frame (20 ms of 24 kHz
 * PCM16, 1280 base64 characters), stage by stage, in one process:
 *
 *   ws receive  `ws`'s Receiver reading the masked frame (zero mask as the bench client sends, and a random mask
 *               as real clients send), UTF-8 check, `message` event
 *   to text     the payload as a string
 *   parse       `parseClientEvent` (the protocol's append fast path: checks the base64, does not decode)
 *   decode      base64 → bytes
 *   engine fast path  `parseAppendFrame` (src/session/wire.ts): parse + decode + re-encode check, what the
 *               session runs for an append
 *   session     `receiveText` on a real session (parse + decode + input buffer + VAD), VAD off and server VAD on
 *   socket      the whole path over a real loopback WebSocket: server-process CPU per append, the client sending
 *               from a child process
 *
 * `node --conditions=source --import tsx bench/append-path.ts [--only stages|socket] [--rounds N] [--sessions N]
 * [--seconds S] [--mask zero|random]` from packages/engine (`WS_NO_BUFFER_UTIL=1` measures `ws` without bufferutil).
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { benchArgs } from './bench-args.js';
import { parseClientEvent } from '@realtime-assistant/protocol';
import * as wsModule from 'ws';
import { WebSocket } from 'ws';
import { Writable } from 'node:stream';
import { createEngine } from '../src/engine.js';
import type { SessionFactory } from '../src/session/session-port.js';
import { parseAppendFrame } from '../src/session/wire.js';
import { startLocalRealtime } from '../src/testing/start-local-realtime.js';

const FRAME_BYTES = 960;

/** `ws`'s frame reader (exported, not typed). */
const Receiver = (
  wsModule as unknown as {
    Receiver: new (options: object) => NodeJS.WritableStream & {
      on(event: 'message', listener: () => void): void;
    };
  }
).Receiver;

function toneFrameBase64(): string {
  const pcm = Buffer.alloc(FRAME_BYTES);
  for (let i = 0; i < FRAME_BYTES / 2; i++) {
    pcm.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 24_000)), i * 2);
  }
  return pcm.toString('base64');
}

const AUDIO = toneFrameBase64();
const TEXT = JSON.stringify({ type: 'input_audio_buffer.append', audio: AUDIO });
const PAYLOAD = Buffer.from(TEXT);
const CLEAR = JSON.stringify({ type: 'input_audio_buffer.clear' });

/** A client → server text frame: FIN + text opcode, masked, 16-bit length. */
function maskedFrame(mask: Buffer): Buffer {
  const header = Buffer.from([0x81, 0x80 | 126, PAYLOAD.length >> 8, PAYLOAD.length & 0xff]);
  const body = Buffer.from(PAYLOAD);
  for (let i = 0; i < body.length; i++) body[i]! ^= mask[i & 3]!;
  return Buffer.concat([header, mask, body]);
}

/** Median µs per call of `fn` over `rounds` rounds of `n` calls. */
function time(label: string, n: number, rounds: number, fn: (i: number) => void): number {
  for (let i = 0; i < n; i++) fn(i); // warm-up
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn(i);
    samples.push(Number(process.hrtime.bigint() - start) / 1000 / n);
  }
  samples.sort((a, b) => a - b);
  const med = samples[Math.floor(samples.length / 2)]!;
  console.log(`${label.padEnd(44)} ${med.toFixed(2).padStart(7)} µs`);
  return med;
}

function receiverStage(rounds: number): void {
  const n = 20_000;
  for (const [name, mask] of [
    ['ws receive, zero mask', Buffer.alloc(4)],
    ['ws receive, random mask', randomBytes(4)],
  ] as const) {
    const frame = maskedFrame(mask);
    // The receiver unmasks in place, so every write gets its own copy (the copy is timed apart and subtracted).
    const copies = Array.from({ length: n }, () => Buffer.from(frame));
    let received = 0;
    const receiver = new Receiver({ isServer: true, maxPayload: 16 * 1024 * 1024 });
    receiver.on('message', () => {
      received++;
    });
    const copyUs = time('  (frame copy, subtracted)', n, rounds, (i) => {
      copies[i] = Buffer.from(frame);
    });
    const us = time(name, n, rounds, (i) => {
      receiver.write(copies[i]!);
      copies[i] = Buffer.from(frame);
    });
    console.log(`${'  = without the copy'.padEnd(44)} ${(us - copyUs).toFixed(2).padStart(7)} µs`);
    if (received === 0) throw new Error('receiver emitted nothing');
  }
}

async function sessionStage(rounds: number): Promise<void> {
  let factory: SessionFactory | null = null;
  const engine = await createEngine({
    port: 0,
    speed: 0,
    logLevel: 'warn',
    logDestination: new Writable({ write: (_c, _e, cb) => cb() }),
    captureFactory: (f: SessionFactory) => {
      factory = f;
    },
  });
  try {
    const make = factory as SessionFactory | null;
    if (!make) throw new Error('no session factory');
    for (const vad of [false, true]) {
      const ports = Array.from({ length: 100 }, () => {
        const port = make(
          {
            kind: 'realtime',
            model: 'gpt-realtime',
            beta: false,
            initialSession: null,
            auth: { kind: 'open' },
            remoteAddress: 'bench',
          },
          { sendText: () => {}, close: () => {} },
        );
        port.start();
        if (!vad)
          port.receiveText(
            JSON.stringify({
              type: 'session.update',
              session: { type: 'realtime', audio: { input: { turn_detection: null } } },
            }),
          );
        return port;
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      time(`session.receiveText, VAD ${vad ? 'server_vad' : 'off'}`, 5000, rounds, (i) => {
        const port = ports[i % ports.length]!;
        if (i % 2500 === 0) port.receiveText(CLEAR);
        port.receiveText(TEXT);
      });
      for (const port of ports) port.dispose();
    }
  } finally {
    await engine.close();
  }
}

/** Server-process CPU per append over real loopback sockets; the client is a child process. */
async function socketStage(sessions: number, seconds: number, mask: string): Promise<void> {
  const engine = await startLocalRealtime({ record: false });
  const child = fork(
    fileURLToPath(import.meta.url),
    ['--client', `${engine.url}?model=gpt-realtime`, String(sessions)],
    {
      execArgv: ['--conditions=source', '--import', 'tsx'],
      env: { ...process.env, APPEND_PATH_MASK: mask },
    },
  );
  try {
    await new Promise<void>((resolve) =>
      child.once('message', () => {
        resolve();
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const cpu = process.cpuUsage();
    child.send('count');
    const sentBefore = await new Promise<number>((resolve) =>
      child.once('message', (m) => resolve(m as number)),
    );
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    child.send('count');
    const sentAfter = await new Promise<number>((resolve) =>
      child.once('message', (m) => resolve(m as number)),
    );
    const used = process.cpuUsage(cpu);
    const appends = sentAfter - sentBefore;
    const us = (used.user + used.system) / appends;
    console.log(
      `${`socket: server CPU per append (${sessions} sessions, ${mask} mask)`.padEnd(44)} ${us.toFixed(2).padStart(7)} µs ` +
        `(${appends} appends, user ${(used.user / appends).toFixed(1)} + sys ${(used.system / appends).toFixed(1)})`,
    );
  } finally {
    child.kill();
    await engine.close();
  }
}

/** Child: opens N sessions (VAD off) and sends appends at 50 per second each, one timer. */
async function client(url: string, sessions: number): Promise<void> {
  const frame = Buffer.from(TEXT);
  const noVad = JSON.stringify({
    type: 'session.update',
    session: { type: 'realtime', audio: { input: { turn_detection: null } } },
  });
  const sockets: WebSocket[] = [];
  for (let i = 0; i < sessions; i++) {
    // A zero mask keeps the client cheap; `--mask random` masks as real clients do (the server then unmasks).
    const ws = new WebSocket(url, {
      perMessageDeflate: false,
      ...(process.env.APPEND_PATH_MASK === 'random'
        ? {}
        : { generateMask: (mask: Buffer) => mask.fill(0) }),
    });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    ws.send(noVad);
    ws.on('message', () => {});
    sockets.push(ws);
  }
  let sent = 0;
  setInterval(() => {
    for (const ws of sockets) ws.send(frame, { binary: false, compress: false, fin: true });
    sent += sockets.length;
  }, 20);
  process.on('message', () => process.send!(sent));
  process.send!('ready');
}

const { values, positionals } = benchArgs(
  'node --import tsx bench/append-path.ts',
  "The engine's input_audio_buffer.append path alone: sessions streaming appends, CPU per append.",
  {
    allowPositionals: true,
    options: {
      rounds: { type: 'string', default: '7' },
      sessions: { type: 'string', default: '200' },
      seconds: { type: 'string', default: '5' },
      client: { type: 'boolean', default: false },
      only: { type: 'string' },
      mask: { type: 'string', default: 'zero' },
    },
  },
);

if (values.client) {
  await client(positionals[0]!, Number(positionals[1]));
} else {
  const rounds = Number(values.rounds);
  const only = values.only;
  console.log(`append frame: ${PAYLOAD.length} bytes, audio ${AUDIO.length} base64 chars`);
  if (!only || only === 'stages') {
    receiverStage(rounds);
    const buf = Buffer.from(PAYLOAD);
    time('to text (utf8)', 50_000, rounds, () => buf.toString('utf8'));
    time('to text (latin1)', 50_000, rounds, () => buf.toString('latin1'));
    time('parse (fast path)', 50_000, rounds, () => parseClientEvent(TEXT));
    time('engine fast path (parse + decode)', 50_000, rounds, () => parseAppendFrame(TEXT));
    time('decode Buffer.from(base64)', 50_000, rounds, () => Buffer.from(AUDIO, 'base64'));
    const pool = Buffer.allocUnsafe(FRAME_BYTES * 64);
    time('decode pool.write(base64)', 50_000, rounds, (i) =>
      pool.write(AUDIO, (i & 63) * FRAME_BYTES, 'base64'),
    );
    await sessionStage(rounds);
  }
  if (!only || only === 'socket') {
    await socketStage(Number(values.sessions), Number(values.seconds), values.mask);
  }
}
