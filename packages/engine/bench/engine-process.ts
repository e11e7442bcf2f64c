/** The bench side of `engine-server.ts`: forks it, sends commands over IPC and sums the per-process figures. */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchCommand, BenchReply, ProcessStats } from './engine-server.js';
import type { CumulativeHistogram } from './stats.js';
import { mergeHistograms, parsePrometheusHistogram } from './stats.js';

export const LATENCY_METRIC = 'local_realtime_response_latency_seconds';
const APPENDS_IN = /^local_realtime_events_in_total\{type="input_audio_buffer\.append"\} (\d+)$/m;

/** Figures of the whole engine (all its processes) at one moment. */
export interface EngineSnapshot {
  processes: ProcessStats[];
  /** Worst event-loop lag p99 / max over the processes serving sessions, ms. */
  lagP99Ms: number;
  lagP50Ms: number;
  lagMaxMs: number;
  /** Event-loop lag p99 of a cluster primary (NaN without one), ms. */
  primaryLagP99Ms: number;
  /** CPU of every process together since the reset, percent of one core. */
  cpuPercent: number;
  rss: number;
  heapUsed: number;
  sessions: number;
  appendsIn: number;
  latency: CumulativeHistogram;
}

export interface EngineProcessOptions {
  workers: number;
  /** Run the bare `ws` server of floor-server.ts instead of the engine (the transport's floor). */
  floor?: boolean;
  /** Write `--cpu-prof` profiles of the engine process(es) to this directory. */
  cpuProfDir?: string;
}

/** A running engine under test, in its own process. */
export class EngineProcess {
  #child: ChildProcess;
  #nextId = 1;
  #waiting = new Map<number, (processes: ProcessStats[]) => void>();
  readonly url: string;
  readonly httpUrl: string;

  private constructor(child: ChildProcess, url: string, httpUrl: string) {
    this.#child = child;
    this.url = url;
    this.httpUrl = httpUrl;
    child.on('message', (message: BenchReply) => {
      if (message.kind !== 'reply') return;
      this.#waiting.get(message.id)?.(message.processes);
      this.#waiting.delete(message.id);
    });
  }

  static start(options: EngineProcessOptions): Promise<EngineProcess> {
    const execArgv = [
      ...(process.env.ENGINE_BENCH_SOURCE === '1' ? ['--conditions=source'] : []),
      '--import',
      'tsx',
      '--expose-gc',
    ];
    if (options.cpuProfDir !== undefined)
      execArgv.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`);
    const child = fork(fileURLToPath(new URL('./engine-server.ts', import.meta.url)), [], {
      execArgv,
      env: {
        ...process.env,
        ENGINE_BENCH_CONFIG: JSON.stringify({
          workers: options.workers,
          floor: options.floor === true,
        }),
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      const onEarlyExit = (code: number | null, signal: string | null): void =>
        reject(new Error(`engine process exited (${signal ?? code}) while starting`));
      child.once('exit', onEarlyExit);
      child.once('message', (message: BenchReply) => {
        child.off('exit', onEarlyExit);
        // A dead engine must say so: otherwise the bench only fails later, on a closed IPC channel.
        child.once('exit', (code, signal) => {
          if (code !== 0) process.stderr.write(`engine process exited (${signal ?? code})\n`);
        });
        if (message.kind === 'ready')
          resolve(new EngineProcess(child, message.url, message.httpUrl));
        else reject(new Error(message.kind === 'failed' ? message.message : 'unexpected reply'));
      });
    });
  }

  /** Runs a command in every engine process and sums the answers. */
  request(cmd: Exclude<BenchCommand['cmd'], 'exit'>): Promise<EngineSnapshot> {
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#waiting.set(id, (processes) => resolve(summarize(processes)));
      const command: BenchCommand = { cmd, id };
      this.#child.send(command);
    });
  }

  /** Closes the engine and waits for its process (and workers) to exit, so CPU profiles get written. */
  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (this.#child.exitCode !== null || this.#child.signalCode !== null) return resolve();
      this.#child.once('exit', () => resolve());
      const command: BenchCommand = { cmd: 'exit', id: 0 };
      this.#child.send(command);
      setTimeout(() => this.#child.kill('SIGKILL'), 15_000).unref();
    });
  }
}

function summarize(processes: ProcessStats[]): EngineSnapshot {
  const serving = processes.filter((p) => p.role !== 'primary');
  const primary = processes.find((p) => p.role === 'primary');
  const sum = (pick: (p: ProcessStats) => number): number =>
    processes.reduce((total, p) => total + pick(p), 0);
  const wallMs = Math.max(...processes.map((p) => p.wallMs));
  return {
    processes,
    lagP99Ms: Math.max(...serving.map((p) => p.lagP99Ms)),
    lagP50Ms: Math.max(...serving.map((p) => p.lagP50Ms)),
    lagMaxMs: Math.max(...serving.map((p) => p.lagMaxMs)),
    primaryLagP99Ms: primary?.lagP99Ms ?? Number.NaN,
    cpuPercent: (sum((p) => p.cpuMs) / wallMs) * 100,
    rss: sum((p) => p.rss),
    heapUsed: sum((p) => p.heapUsed),
    sessions: sum((p) => p.sessions),
    appendsIn: serving.reduce(
      (total, p) => total + Number(APPENDS_IN.exec(p.metrics)?.[1] ?? 0),
      0,
    ),
    latency: mergeHistograms(
      serving.map((p) => parsePrometheusHistogram(p.metrics, LATENCY_METRIC)),
    ),
  };
}
