/**
 * A fixed-size pool of worker threads running Flite, with a bounded FIFO queue. A worker that crashes or runs past
 * the call time limit is terminated, its call rejected with a {@link FliteError}, and a fresh worker takes its place.
 */
import { Worker } from 'node:worker_threads';
import { workerEntry } from '../../worker-entry.js';
import { tryReadWav } from '@realtime-assistant/protocol';
import type { PcmAudio } from '../audio-renderer.js';
import { FliteError } from './flite-errors.js';
import type { FliteJobRequest, FliteWorkerData, FliteWorkerMessage } from './flite-messages.js';
import type { WasmModule } from './flite-wasm-api.js';

/** Pool settings. */
export interface FlitePoolOptions {
  size: number;
  maxQueue: number;
  callTimeoutMs: number;
}

interface Job {
  request: FliteJobRequest;
  resolve: (pcm: PcmAudio) => void;
  reject: (error: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
  settled: boolean;
}

interface Slot {
  worker: Worker;
  job: Job | undefined;
  timer: NodeJS.Timeout | undefined;
  ready: boolean;
  /** Set when the pool itself terminates the worker, so its exit is not reported as a crash. */
  retiring: boolean;
}

/** After this many workers in a row die before becoming ready, the pool gives up (e.g. the worker cannot load). */
const MAX_STARTUP_FAILURES = 3;

/** Runs Flite jobs on worker threads. */
export class FlitePool {
  #slots = new Set<Slot>();
  #queue: Job[] = [];
  #nextId = 1;
  #closed = false;
  #startupFailures = 0;
  #broken: FliteError | undefined;
  #readyWaiters: { resolve: () => void; reject: (error: unknown) => void }[] = [];

  constructor(
    readonly module: WasmModule,
    readonly options: FlitePoolOptions,
  ) {
    for (let i = 0; i < options.size; i++) this.#spawn();
  }

  /** Workers currently alive (for tests and metrics). */
  get workerCount(): number {
    return this.#slots.size;
  }

  /** Calls waiting for a worker. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Resolves once every worker has started; rejects if workers cannot start. */
  whenReady(): Promise<void> {
    if (this.#broken) return Promise.reject(this.#broken);
    if (this.#allReady()) return Promise.resolve();
    return new Promise((resolve, reject) => this.#readyWaiters.push({ resolve, reject }));
  }

  /** Synthesises one piece of sanitised, non-empty text. */
  run(request: Omit<FliteJobRequest, 'id'>, signal?: AbortSignal): Promise<PcmAudio> {
    if (this.#closed)
      return Promise.reject(new FliteError('closed', 'the Flite synthesiser is closed'));
    if (this.#broken) return Promise.reject(this.#broken);
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (this.#queue.length >= this.options.maxQueue) {
      return Promise.reject(
        new FliteError(
          'queue_full',
          `Flite queue is full (${this.options.maxQueue} calls waiting); try again later`,
        ),
      );
    }
    return new Promise<PcmAudio>((resolve, reject) => {
      const job: Job = {
        request: { ...request, id: this.#nextId++ },
        resolve,
        reject,
        signal,
        onAbort: () => this.#abort(job),
        settled: false,
      };
      signal?.addEventListener('abort', job.onAbort, { once: true });
      this.#queue.push(job);
      this.#dispatch();
    });
  }

  /** Rejects every pending call and terminates every worker. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const closed = new FliteError('closed', 'the Flite synthesiser was closed');
    for (const job of this.#queue.splice(0)) this.#settle(job, closed);
    for (const waiter of this.#readyWaiters.splice(0)) waiter.reject(closed);
    const exits: Promise<unknown>[] = [];
    for (const slot of this.#slots) {
      if (slot.job) this.#settle(slot.job, closed);
      exits.push(this.#retire(slot));
    }
    await Promise.all(exits);
  }

  #spawn(): void {
    const data: FliteWorkerData = { module: this.module };
    const [entry, entryOptions] = workerEntry(import.meta.url, 'flite-worker');
    const worker = new Worker(entry, { ...entryOptions, workerData: data });
    worker.unref();
    const slot: Slot = {
      worker,
      job: undefined,
      timer: undefined,
      ready: false,
      retiring: false,
    };
    this.#slots.add(slot);
    worker.on('message', (message: FliteWorkerMessage) => this.#onMessage(slot, message));
    worker.on('error', (error) => this.#onCrash(slot, error));
    worker.on('exit', (code) => this.#onCrash(slot, new Error(`worker exited with code ${code}`)));
  }

  #onMessage(slot: Slot, message: FliteWorkerMessage): void {
    if (message.type === 'ready') {
      slot.ready = true;
      this.#startupFailures = 0;
      if (this.#allReady()) for (const waiter of this.#readyWaiters.splice(0)) waiter.resolve();
      this.#dispatch();
      return;
    }
    const job = slot.job;
    if (!job || job.request.id !== message.id) return;
    clearTimeout(slot.timer);
    slot.job = undefined;
    slot.timer = undefined;
    if (message.type === 'result') {
      const decoded = tryReadWav(message.wav);
      if (decoded.ok && decoded.wav.channels === 1) {
        this.#settle(job, undefined, {
          samples: decoded.wav.samples,
          sampleRate: decoded.wav.sampleRate,
        });
      } else {
        const why = decoded.ok ? `${decoded.wav.channels} channels` : decoded.error.message;
        this.#settle(
          job,
          new FliteError('synthesis_failed', `Flite wrote an unreadable WAV file: ${why}`),
        );
      }
    } else {
      this.#settle(
        job,
        new FliteError(
          'synthesis_failed',
          `Flite could not synthesise the text: ${message.message}`,
        ),
      );
    }
    this.#dispatch();
  }

  #onCrash(slot: Slot, error: Error): void {
    if (!this.#slots.has(slot)) return;
    this.#slots.delete(slot);
    clearTimeout(slot.timer);
    if (slot.retiring || this.#closed) return;
    if (slot.job) {
      this.#settle(
        slot.job,
        new FliteError(
          'worker_crashed',
          `the Flite worker crashed while synthesising (${error.message}); it was replaced`,
          {
            cause: error,
          },
        ),
      );
    }
    if (!slot.ready && ++this.#startupFailures >= MAX_STARTUP_FAILURES) {
      this.#broken = new FliteError(
        'load_failed',
        `Flite workers fail to start: ${error.message}`,
        { cause: error },
      );
      for (const job of this.#queue.splice(0)) this.#settle(job, this.#broken);
      for (const waiter of this.#readyWaiters.splice(0)) waiter.reject(this.#broken);
      for (const other of this.#slots) void this.#retire(other);
      return;
    }
    this.#spawn();
  }

  #allReady(): boolean {
    for (const slot of this.#slots) if (!slot.ready) return false;
    return true;
  }

  #dispatch(): void {
    for (const slot of this.#slots) {
      if (this.#queue.length === 0) return;
      if (!slot.ready || slot.job || slot.retiring) continue;
      const job = this.#queue.shift()!;
      slot.job = job;
      slot.timer = setTimeout(() => this.#timeout(slot, job), this.options.callTimeoutMs);
      slot.timer.unref();
      slot.worker.postMessage(job.request);
    }
  }

  #timeout(slot: Slot, job: Job): void {
    if (slot.job !== job) return;
    this.#settle(
      job,
      new FliteError(
        'timeout',
        `Flite took longer than ${this.options.callTimeoutMs} ms; its worker was terminated and replaced`,
      ),
    );
    void this.#retire(slot);
    if (!this.#closed) this.#spawn();
  }

  /** A call aborted while queued leaves the queue; one aborted while running is rejected now and its result dropped. */
  #abort(job: Job): void {
    const index = this.#queue.indexOf(job);
    if (index >= 0) this.#queue.splice(index, 1);
    this.#settle(job, job.signal ? abortReason(job.signal) : new Error('aborted'));
  }

  #retire(slot: Slot): Promise<number> {
    slot.retiring = true;
    clearTimeout(slot.timer);
    return slot.worker.terminate();
  }

  #settle(job: Job, error: unknown, pcm?: PcmAudio): void {
    if (job.settled) return;
    job.settled = true;
    job.signal?.removeEventListener('abort', job.onAbort);
    if (pcm) job.resolve(pcm);
    else job.reject(error);
  }
}

/** The signal's reason, as an Error (an `AbortError` when the reason is not one). */
function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error
    ? reason
    : new DOMException('The operation was aborted', 'AbortError');
}
