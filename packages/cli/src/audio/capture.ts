/**
 * Microphone capture by spawning a recorder program (arecord / parec / sox): raw s16le mono at
 * the device rate, resampled to PCM16 24 kHz and cut into fixed chunks, with a level meter.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { bytesToPcm16, createResampler, pcm16ToBytes } from '@realtime-assistant/protocol';
import type { Pcm16Resampler } from '@realtime-assistant/protocol';
import { CAPTURE_BACKENDS, captureCommand } from './capture-command.js';
import type { CaptureBackend } from './capture-command.js';
import { terminateChild, trackChild } from './child-registry.js';
import { findExecutable } from './find-executable.js';
import { LevelMeter } from './level-meter.js';
import { PcmChunker } from './pcm-chunker.js';
import { stderrReason } from './stderr-reason.js';

/** The rate of the chunks capture emits (the Realtime API's PCM rate). */
const OUTPUT_RATE = 24_000;
const STDERR_TAIL_BYTES = 2048;

/** Why capture failed. */
export type CaptureErrorCode = 'no_backend' | 'spawn_failed' | 'exited';

/** A capture failure; `stderr` holds the tail of the recorder's error output. */
export class CaptureError extends Error {
  override readonly name = 'CaptureError';
  readonly code: CaptureErrorCode;
  readonly stderr: string;

  constructor(code: CaptureErrorCode, message: string, stderr = '') {
    super(stderr ? `${message}: ${stderrReason(stderr)}` : message);
    this.code = code;
    this.stderr = stderr;
  }
}

/** Options for {@link startCapture}. */
export interface CaptureOptions {
  /** Backends to try, in order (default arecord, parec, sox); the first one on PATH is used. */
  backends?: readonly CaptureBackend[];
  /** Input device, passed through to the backend (`--input-device`). */
  device?: string;
  /** Rate to record at; resampled to 24 kHz when different (default 24000). */
  deviceRate?: number;
  /** Length of each emitted chunk in ms (default 20). */
  chunkMs?: number;
  /** Environment for PATH lookup and the child (default `process.env`). */
  env?: NodeJS.ProcessEnv;
}

/** A level reading for the UI. */
export interface CaptureLevel {
  /** Smoothed RMS level in dBFS (floor −100). */
  db: number;
  /** RMS of the last chunk alone, in dBFS. */
  chunkDb: number;
}

/** Events of {@link AudioCapture}. */
export interface CaptureEvents {
  /** A chunk of PCM16 mono 24 kHz little-endian bytes (`chunkMs` long). */
  data: [chunk: Uint8Array];
  /** The level after each chunk. */
  level: [level: CaptureLevel];
  /** The recorder died on its own (not after `stop()`). Only emitted when someone listens. */
  error: [error: CaptureError];
  /** Capture ended (after `stop()` or an error); no more chunks follow. */
  close: [];
}

/** Picks the first capture backend on PATH, or null. */
export function findCaptureBackend(
  backends: readonly CaptureBackend[] = CAPTURE_BACKENDS,
  env: NodeJS.ProcessEnv = process.env,
): CaptureBackend | null {
  return backends.find((b) => findExecutable(captureCommand(b, OUTPUT_RATE).command, env)) ?? null;
}

/**
 * A running capture. Iterate it (`for await (const chunk of capture)`) or listen to `data`; the
 * iterator ends on `stop()` and throws the {@link CaptureError} if the recorder dies. An iterator
 * gets the chunks from when it starts: nothing is kept for one that may never come (a capture
 * only listened to would otherwise hold every chunk, 48 KB a second, for as long as it runs).
 */
export class AudioCapture extends EventEmitter<CaptureEvents> implements AsyncIterable<Uint8Array> {
  readonly backend: CaptureBackend;
  readonly #child: ChildProcess;
  readonly #resampler: Pcm16Resampler;
  readonly #chunker: PcmChunker;
  readonly #meter = new LevelMeter();
  readonly #exited: Promise<void>;
  readonly #queue: Uint8Array[] = [];
  readonly #waiters: Array<() => void> = [];
  /** Iterators running: chunks are queued only for them. */
  #iterators = 0;
  #stderr = '';
  #stopping = false;
  #closed = false;
  #error: CaptureError | null = null;
  #odd: Uint8Array | null = null;

  /** @internal Use {@link startCapture}. */
  constructor(backend: CaptureBackend, child: ChildProcess, deviceRate: number, chunkMs: number) {
    super();
    this.backend = backend;
    this.#child = child;
    this.#resampler = createResampler({ inputRate: deviceRate, outputRate: OUTPUT_RATE });
    this.#chunker = new PcmChunker(Math.round((OUTPUT_RATE * chunkMs) / 1000) * 2);
    this.#exited = new Promise((resolve) => child.once('close', () => resolve()));
    child.stderr?.on('data', (d: Buffer) => {
      this.#stderr = (this.#stderr + d.toString('utf8')).slice(-STDERR_TAIL_BYTES);
    });
    child.stdout?.on('data', (d: Buffer) => this.#onBytes(d));
    child.stdout?.on('error', () => undefined);
    // A late spawn error must not crash the process; the close handler reports it.
    child.on('error', () => undefined);
    child.once('close', (code, signal) => this.#onClose(code, signal));
  }

  /** The recorder's process id (for diagnostics and tests). */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** The smoothed input level in dBFS. */
  get levelDb(): number {
    return this.#meter.level;
  }

  /** The failure that ended capture, if any. */
  get error(): CaptureError | null {
    return this.#error;
  }

  /** The tail of the recorder's stderr. */
  get stderrTail(): string {
    return this.#stderr;
  }

  /** Stops recording: kills the recorder and resolves once it has exited. Idempotent. */
  async stop(): Promise<void> {
    this.#stopping = true;
    await terminateChild(this.#child);
    await this.#exited;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    this.#iterators += 1;
    try {
      for (;;) {
        const chunk = this.#queue.shift();
        if (chunk) {
          yield chunk;
          continue;
        }
        if (this.#closed) {
          if (this.#error) throw this.#error;
          return;
        }
        await new Promise<void>((resolve) => this.#waiters.push(resolve));
      }
    } finally {
      this.#iterators -= 1;
      if (this.#iterators === 0) this.#queue.length = 0;
    }
  }

  /** Resolves with the first audio, or rejects if the recorder exits before producing any. */
  ready(): Promise<void> {
    if (this.#closed) {
      return this.#error ? Promise.reject(this.#error) : Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const onData = (): void => {
        this.off('close', onClose);
        resolve();
      };
      const onClose = (): void => {
        this.off('data', onData);
        if (this.#error) reject(this.#error);
        else resolve();
      };
      this.once('data', onData);
      this.once('close', onClose);
    });
  }

  #onBytes(bytes: Buffer): void {
    let input: Uint8Array = bytes;
    if (this.#odd) {
      input = Buffer.concat([this.#odd, bytes]);
      this.#odd = null;
    }
    if (input.length % 2 === 1) {
      this.#odd = input.slice(input.length - 1);
      input = input.subarray(0, input.length - 1);
    }
    const resampled = this.#resampler.process(bytesToPcm16(input));
    for (const frame of this.#chunker.push(pcm16ToBytes(resampled))) this.#emitChunk(frame);
  }

  #emitChunk(frame: Uint8Array): void {
    const db = this.#meter.push(bytesToPcm16(frame));
    if (this.#iterators > 0) this.#queue.push(frame);
    this.#wake();
    this.emit('data', frame);
    this.emit('level', { db, chunkDb: this.#meter.lastChunkDb });
  }

  #onClose(code: number | null, signal: NodeJS.Signals | null): void {
    if (!this.#stopping) {
      const how = signal ? `signal ${signal}` : `code ${code}`;
      this.#error = new CaptureError(
        'exited',
        `${this.backend} stopped unexpectedly (${how})`,
        this.#stderr,
      );
      if (this.listenerCount('error') > 0) this.emit('error', this.#error);
    }
    this.#closed = true;
    this.#wake();
    this.emit('close');
  }

  #wake(): void {
    for (const resolve of this.#waiters.splice(0)) resolve();
  }
}

/**
 * Starts recording with the first available backend. Resolves once the recorder is running (not
 * necessarily delivering audio yet: await `capture.ready()` for that).
 * @throws CaptureError `no_backend` when none of the backends is on PATH, `spawn_failed` when it
 * cannot be started.
 */
export async function startCapture(options: CaptureOptions = {}): Promise<AudioCapture> {
  const env = options.env ?? process.env;
  const backend = findCaptureBackend(options.backends ?? CAPTURE_BACKENDS, env);
  if (!backend) {
    throw new CaptureError(
      'no_backend',
      `No audio capture program found (tried ${(options.backends ?? CAPTURE_BACKENDS).join(', ')}); install alsa-utils, pulseaudio-utils or sox`,
    );
  }
  const deviceRate = options.deviceRate ?? OUTPUT_RATE;
  const { command, args } = captureCommand(backend, deviceRate, options.device);
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  trackChild(child);
  const capture = new AudioCapture(backend, child, deviceRate, options.chunkMs ?? 20);
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error) =>
      reject(new CaptureError('spawn_failed', `Cannot start ${command}: ${error.message}`)),
    );
  });
  return capture;
}
