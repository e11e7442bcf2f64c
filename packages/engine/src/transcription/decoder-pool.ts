/**
 * The main thread's side of pocketsphinx: a small pool of decoder worker threads, started on first use. Streams are
 * spread over the workers (fewest active first); messages are routed back by stream id.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { processEntry } from '../worker-entry.js';
import { DECODER_DATA_ENV } from './pocketsphinx-messages.js';
import type {
  DecodeOutcome,
  DecoderWorkerData,
  FromDecoderWorker,
  ToDecoderWorker,
} from './pocketsphinx-messages.js';
import type { TranscriberAvailability } from './transcriber.js';

/** Callbacks of one stream or request running on a worker. */
export interface DecoderJob {
  onPartial?(text: string): void;
  onResult?(outcome: DecodeOutcome): void;
  onPrepared?(): void;
  onStats?(stats: { activeStreams: number; warmDecoders: number }): void;
  /** The worker failed (crashed, or pocketsphinx is unavailable). */
  onFailure(message: string, unavailable: boolean): void;
}

interface PoolWorker {
  worker: DecoderProcess;
  jobs: Map<number, DecoderJob>;
  /** Set once the worker has loaded pocketsphinx. */
  ready: boolean;
}

/** Options of {@link DecoderPool}. */
export interface DecoderPoolOptions {
  workers: number;
  data: DecoderWorkerData;
  onWarning(message: string): void;
}

/**
 * One decoder, in a child process of its own: koffi (the FFI that calls pocketsphinx) is not safe in worker threads —
 * loading or tearing it down there was seen to abort the whole process — so a crash here costs one decoder, never the
 * engine. The interface is the slice of `Worker` the pool uses; messages use structured-clone IPC.
 */
class DecoderProcess extends EventEmitter {
  readonly #child: ChildProcess;

  constructor(data: DecoderWorkerData) {
    super();
    const { script, execArgv } = processEntry(import.meta.url, 'pocketsphinx-worker');
    this.#child = fork(script, [], {
      execArgv,
      serialization: 'advanced',
      env: { ...process.env, [DECODER_DATA_ENV]: JSON.stringify(data) },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    this.#child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    this.#child.on('message', (message) => this.emit('message', message));
    this.#child.on('error', (error) => this.emit('error', error));
    this.#child.on('exit', (code, signal) => {
      if (code !== 0 && code !== null && stderr.trim() !== '') {
        this.emit('error', new Error(stderr.trim().split('\n').slice(-3).join(' ')));
      }
      this.emit('exit', code ?? (signal ? 1 : 0));
    });
  }

  postMessage(message: ToDecoderWorker): void {
    if (this.#child.connected) this.#child.send(message);
  }

  ref(): void {
    this.#child.ref();
    this.#child.channel?.ref();
  }

  unref(): void {
    this.#child.unref();
    this.#child.channel?.unref();
  }

  terminate(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      this.#child.once('exit', () => resolve());
      // An idle decoder is unref'd: ref it again, or nothing keeps the event loop alive until its exit arrives and
      // an `await close()` is left unsettled (a script's top-level await then ends with exit code 13).
      this.#child.ref();
      this.#child.kill('SIGKILL');
    });
  }
}

/** Starts a decoder process. */
function spawnWorker(data: DecoderWorkerData): DecoderProcess {
  return new DecoderProcess(data);
}

/** A pool of pocketsphinx worker threads. */
export class DecoderPool {
  readonly #options: DecoderPoolOptions;
  #workers: PoolWorker[] = [];
  #availability: Promise<TranscriberAvailability> | undefined;
  #unavailable: string | undefined;
  #nextId = 1;
  #closed = false;
  readonly #warned = new Set<string>();

  constructor(options: DecoderPoolOptions) {
    this.#options = options;
  }

  /** Resolves once the first worker has loaded pocketsphinx (or failed to). Starts the pool. */
  available(): Promise<TranscriberAvailability> {
    this.#ensureStarted();
    return this.#availability!;
  }

  /** Why pocketsphinx cannot run, once known. */
  get unavailableReason(): string | undefined {
    return this.#unavailable;
  }

  /** Runs a job on the least busy worker; returns a function that sends it further messages. */
  start(
    job: DecoderJob,
    first: (id: number) => ToDecoderWorker,
  ): {
    id: number;
    send(message: ToDecoderWorker, transfer?: ArrayBuffer[]): void;
    done(): void;
  } {
    const id = this.#nextId++;
    const noop = { id, send: () => {}, done: () => {} };
    if (this.#closed || this.#unavailable !== undefined) {
      const reason = this.#unavailable;
      // Asynchronously, like every other outcome: callers finish constructing before they hear of it.
      queueMicrotask(() =>
        job.onFailure(reason ?? 'the transcriber is closed', reason !== undefined),
      );
      return noop;
    }
    this.#ensureStarted();
    const target = this.#workers.reduce((best, w) => (w.jobs.size < best.jobs.size ? w : best));
    target.jobs.set(id, job);
    target.worker.ref();
    target.worker.postMessage(first(id));
    return {
      id,
      send: (message) => {
        if (target.jobs.has(id)) target.worker.postMessage(message);
      },
      done: () => this.#release(target, id),
    };
  }

  /** Sums the workers' occupancy (the stats request itself is not counted). */
  async stats(): Promise<{ activeStreams: number; warmDecoders: number }> {
    const perWorker = await Promise.all(
      this.#workers.map(
        (target) =>
          new Promise<{ activeStreams: number; warmDecoders: number }>((resolve) => {
            const zero = { activeStreams: 0, warmDecoders: 0 };
            const id = this.#nextId++;
            target.jobs.set(id, { onStats: resolve, onFailure: () => resolve(zero) });
            target.worker.ref();
            target.worker.postMessage({ type: 'stats', id } satisfies ToDecoderWorker);
          }),
      ),
    );
    return perWorker.reduce(
      (sum, s) => ({
        activeStreams: sum.activeStreams + s.activeStreams,
        warmDecoders: sum.warmDecoders + s.warmDecoders,
      }),
      { activeStreams: 0, warmDecoders: 0 },
    );
  }

  /** Terminates the workers; running jobs fail. */
  async close(): Promise<void> {
    this.#closed = true;
    const workers = this.#workers.splice(0);
    for (const w of workers) this.#failJobs(w, 'the transcriber was closed', false);
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }

  #release(target: PoolWorker, id: number): void {
    target.jobs.delete(id);
    // Idle workers must not keep the process alive.
    if (target.jobs.size === 0) target.worker.unref();
  }

  #ensureStarted(): void {
    if (this.#availability !== undefined) return;
    let settle!: (value: TranscriberAvailability) => void;
    this.#availability = new Promise((resolve) => (settle = resolve));
    if (this.#closed) {
      settle({ ok: false, reason: 'the transcriber is closed' });
      return;
    }
    for (let i = 0; i < this.#options.workers; i++) this.#workers.push(this.#spawn(settle));
  }

  #spawn(settle: (value: TranscriberAvailability) => void): PoolWorker {
    const entry: PoolWorker = {
      worker: spawnWorker(this.#options.data),
      jobs: new Map(),
      ready: false,
    };
    const { worker } = entry;
    worker.unref();
    worker.on('message', (message: FromDecoderWorker) => {
      switch (message.type) {
        case 'ready':
          entry.ready = message.ok;
          if (message.ok) settle({ ok: true });
          else this.#markUnavailable(message.reason, settle);
          break;
        case 'warning':
          this.#warn(message.message);
          break;
        case 'partial':
          entry.jobs.get(message.id)?.onPartial?.(message.text);
          break;
        case 'result': {
          const job = entry.jobs.get(message.id);
          this.#release(entry, message.id);
          job?.onResult?.(message.outcome);
          break;
        }
        case 'prepared': {
          const job = entry.jobs.get(message.id);
          this.#release(entry, message.id);
          job?.onPrepared?.();
          break;
        }
        case 'stats': {
          const job = entry.jobs.get(message.id);
          this.#release(entry, message.id);
          job?.onStats?.(message);
          break;
        }
      }
    });
    worker.on('error', (error: Error) => {
      // A worker that dies before it is ready could not load koffi or the library at all.
      if (!entry.ready) {
        this.#markUnavailable(`the decoder worker failed to start: ${error.message}`, settle);
      }
      this.#failJobs(entry, `the decoder worker crashed: ${error.message}`, false);
    });
    worker.on('exit', (code: number) => {
      this.#workers = this.#workers.filter((w) => w !== entry);
      this.#failJobs(entry, `the decoder worker exited (code ${code})`, false);
      // Start a replacement on next use, unless pocketsphinx is missing or the pool is closing.
      if (this.#workers.length === 0 && this.#unavailable === undefined && !this.#closed) {
        this.#availability = undefined;
      }
    });
    return entry;
  }

  #markUnavailable(reason: string, settle: (value: TranscriberAvailability) => void): void {
    if (this.#unavailable !== undefined) return;
    this.#unavailable = reason;
    settle({ ok: false, reason });
    for (const w of this.#workers) {
      this.#failJobs(w, reason, true);
      void w.worker.terminate();
    }
  }

  #failJobs(entry: PoolWorker, message: string, unavailable: boolean): void {
    const jobs = [...entry.jobs.values()];
    entry.jobs.clear();
    entry.worker.unref();
    for (const job of jobs) job.onFailure(message, unavailable);
  }

  #warn(message: string): void {
    if (this.#warned.has(message)) return;
    this.#warned.add(message);
    this.#options.onWarning(message);
  }
}
