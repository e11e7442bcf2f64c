/**
 * The engine under test, in its own process (forked by `run.ts`, so the load generator never shares its event
 * loop): one engine, or a `node:cluster` of them, plus a bench-only IPC channel answering with each process's
 * event-loop lag (`monitorEventLoopDelay`), CPU, memory and `/metrics` text, and running GC on request.
 *
 * Configuration comes in `ENGINE_BENCH_CONFIG` (JSON: `{ "workers": 1 }`).
 */
import cluster from 'node:cluster';
import type { Worker } from 'node:cluster';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type * as ClusterModule from '../src/cluster.js';
import type * as EngineModule from '../src/engine.js';
import type { EngineOptions, LocalRealtimeEngine } from '../src/engine.js';
import { engineModules } from './engine-build.js';
import { startFloorServer } from './floor-server.js';
import type { FloorServer } from './floor-server.js';

// The built engine (what `local-realtime` runs) unless the bench was asked for the sources: see engine-build.ts.
const { runEngineWorker, startEngineCluster } = (await import(
  `${engineModules()}cluster.js`
)) as typeof ClusterModule;
const { createEngine } = (await import(`${engineModules()}engine.js`)) as typeof EngineModule;

/** Parent → engine process. */
export type BenchCommand = { cmd: 'reset' | 'stats' | 'gc' | 'exit'; id: number };

/** One process's figures since the last `reset`. */
export interface ProcessStats {
  pid: number;
  role: 'engine' | 'primary' | 'worker';
  /** Event-loop delay percentiles and maximum (beyond the monitor's own interval), milliseconds. */
  lagP50Ms: number;
  lagP99Ms: number;
  lagMaxMs: number;
  /** CPU time (user + system) and wall time since the reset, milliseconds. */
  cpuMs: number;
  wallMs: number;
  rss: number;
  heapUsed: number;
  external: number;
  sessions: number;
  /** The engine's Prometheus text (empty for a cluster primary). */
  metrics: string;
}

/** Engine process → parent. */
export type BenchReply =
  | { kind: 'ready'; url: string; httpUrl: string; workers: number }
  | { kind: 'reply'; id: number; processes: ProcessStats[] }
  | { kind: 'failed'; message: string };

const BENCH_TAG = 'engine-bench';
type WorkerReply = { tag: typeof BENCH_TAG; id: number; stats: ProcessStats };
type WorkerCommand = { tag: typeof BENCH_TAG } & BenchCommand;

const config = JSON.parse(process.env.ENGINE_BENCH_CONFIG ?? '{}') as {
  workers?: number;
  floor?: boolean;
};
const workers = config.workers ?? 1;

const engineOptions: EngineOptions = {
  host: '127.0.0.1',
  port: 0,
  speed: 0,
  logLevel: 'silent',
  limits: { maxSessions: 100_000 },
  // Text turns only: the start-up synthesis of the scenario's replies (Flite workers, resampling) would otherwise
  // land in the first measured step as CPU no session causes.
  speechWarmup: false,
};

/** Sampling period of the event-loop monitor, ms: it records whole intervals, so this is subtracted. */
const LAG_RESOLUTION_MS = 5;

/** Event-loop, CPU and wall-clock figures of this process. */
class Probe {
  #lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
  #cpu = process.cpuUsage();
  #wall = performance.now();

  constructor() {
    this.#lag.enable();
  }

  reset(): void {
    this.#lag.reset();
    this.#cpu = process.cpuUsage();
    this.#wall = performance.now();
  }

  async stats(
    role: ProcessStats['role'],
    engine: LocalRealtimeEngine | FloorServer | null,
  ): Promise<ProcessStats> {
    const cpu = process.cpuUsage(this.#cpu);
    const memory = process.memoryUsage();
    // Delay = interval measured − interval asked for.
    const ms = (ns: number): number => Math.max(0, ns / 1e6 - LAG_RESOLUTION_MS);
    return {
      pid: process.pid,
      role,
      lagP50Ms: ms(this.#lag.percentile(50)),
      lagP99Ms: ms(this.#lag.percentile(99)),
      lagMaxMs: ms(this.#lag.max),
      cpuMs: (cpu.user + cpu.system) / 1000,
      wallMs: performance.now() - this.#wall,
      rss: memory.rss,
      heapUsed: memory.heapUsed,
      external: memory.external,
      sessions:
        engine === null
          ? 0
          : 'metricsText' in engine
            ? engine.sessionCount
            : engine.server.sessionCount,
      metrics:
        engine === null
          ? ''
          : 'metricsText' in engine
            ? engine.metricsText()
            : (await engine.server.metrics.render()).body,
    };
  }
}

async function collectGarbage(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return;
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Runs one command in this process; `exit` is handled by the caller. */
async function runLocal(
  probe: Probe,
  command: BenchCommand,
  role: ProcessStats['role'],
  engine: LocalRealtimeEngine | FloorServer | null,
): Promise<ProcessStats> {
  if (command.cmd === 'reset') probe.reset();
  if (command.cmd === 'gc') await collectGarbage();
  return probe.stats(role, engine);
}

function reply(message: BenchReply): void {
  process.send?.(message);
}

/** Answers the bench's commands for one serving process (the engine, or the floor server) until `exit`. */
function serveOne(
  server: LocalRealtimeEngine | FloorServer,
  urls: { url: string; httpUrl: string },
  close: () => Promise<void>,
): void {
  const probe = new Probe();
  process.on('message', (command: BenchCommand) => {
    if (command.cmd === 'exit') {
      void close().finally(() => process.exit(0));
      return;
    }
    void runLocal(probe, command, 'engine', server).then((stats) =>
      reply({ kind: 'reply', id: command.id, processes: [stats] }),
    );
  });
  reply({ kind: 'ready', url: urls.url, httpUrl: urls.httpUrl, workers: 1 });
}

async function single(): Promise<void> {
  const engine = await createEngine(engineOptions);
  const info = await engine.listen();
  serveOne(engine, info, () => engine.close());
}

async function primary(): Promise<void> {
  const probe = new Probe();
  const engines = await startEngineCluster({ workers });
  const pending = new Map<number, { left: number; stats: ProcessStats[] }>();
  const onWorkerReply = (message: unknown): void => {
    const m = message as Partial<WorkerReply>;
    if (m.tag !== BENCH_TAG || m.id === undefined || m.stats === undefined) return;
    const entry = pending.get(m.id);
    if (entry === undefined) return;
    entry.stats.push(m.stats);
    entry.left -= 1;
    if (entry.left === 0) {
      pending.delete(m.id);
      reply({ kind: 'reply', id: m.id, processes: entry.stats });
    }
  };
  for (const worker of engines.workers) worker.on('message', onWorkerReply);
  process.on('message', (command: BenchCommand) => {
    if (command.cmd === 'exit') {
      void engines.close().finally(() => process.exit(0));
      return;
    }
    void runLocal(probe, command, 'primary', null).then((own) => {
      pending.set(command.id, { left: engines.workers.length, stats: [own] });
      for (const worker of engines.workers as Worker[]) {
        const forward: WorkerCommand = { tag: BENCH_TAG, ...command };
        worker.send(forward);
      }
    });
  });
  reply({
    kind: 'ready',
    url: engines.info.url,
    httpUrl: engines.info.httpUrl,
    workers,
  });
}

async function worker(): Promise<void> {
  const probe = new Probe();
  const engine = await runEngineWorker(engineOptions);
  process.on('message', (message: unknown) => {
    const command = message as Partial<WorkerCommand>;
    if (command.tag !== BENCH_TAG || command.cmd === undefined || command.id === undefined) return;
    const id = command.id;
    void runLocal(probe, { cmd: command.cmd, id }, 'worker', engine).then((stats) => {
      const answer: WorkerReply = { tag: BENCH_TAG, id, stats };
      process.send?.(answer);
    });
  });
}

// The bench process went away (killed, crashed): don't outlive it. Workers already stop with their primary.
if (!cluster.isWorker) process.on('disconnect', () => process.exit(0));

/** `--floor`: the bare `ws` server instead of the engine (one process). */
async function floor(): Promise<void> {
  const server = await startFloorServer();
  serveOne(server, server, () => server.close());
}

const main =
  config.floor === true ? floor : workers <= 1 ? single : cluster.isPrimary ? primary : worker;
main().catch((err: unknown) => {
  reply({
    kind: 'failed',
    message: err instanceof Error ? (err.stack ?? err.message) : String(err),
  });
  process.exit(1);
});
