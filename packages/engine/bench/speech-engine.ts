/**
 * The engine under the speech bench's capacity load, in its own process (forked by `speech.ts`): one engine with
 * the options in `SPEECH_BENCH_ENGINE` (JSON `EngineOptions`), answering `reset` / `stats` / `exit` over IPC with
 * its event-loop lag (`monitorEventLoopDelay`), CPU and memory.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type * as EngineModule from '../src/engine.js';
import type { EngineOptions } from '../src/engine.js';
import { engineModules } from './engine-build.js';

// The built engine (what `local-realtime` runs) unless the bench was asked for the sources: see engine-build.ts.
const { createEngine } = (await import(`${engineModules()}engine.js`)) as typeof EngineModule;

/** Parent → engine process. */
export type SpeechEngineCommand = { cmd: 'reset' | 'stats' | 'exit'; id: number };

/** Engine process → parent. */
export type SpeechEngineReply =
  | { kind: 'ready'; url: string }
  | { kind: 'failed'; message: string }
  | {
      kind: 'stats';
      id: number;
      lagP50Ms: number;
      lagP99Ms: number;
      /** CPU since the reset, percent of one core (worker threads included). */
      cpuPercent: number;
      rss: number;
      sessions: number;
    };

/** Sampling period of the event-loop monitor, ms: it records whole intervals, so this is subtracted. */
const LAG_RESOLUTION_MS = 5;

const options = JSON.parse(process.env.SPEECH_BENCH_ENGINE ?? '{}') as EngineOptions;
const reply = (message: SpeechEngineReply): void => {
  process.send?.(message);
};

async function main(): Promise<void> {
  const engine = await createEngine({
    host: '127.0.0.1',
    port: 0,
    logLevel: 'silent',
    limits: { maxSessions: 100_000 },
    ...options,
  });
  const info = await engine.listen();
  const lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
  lag.enable();
  let cpu = process.cpuUsage();
  let wall = performance.now();
  const ms = (ns: number): number => Math.max(0, ns / 1e6 - LAG_RESOLUTION_MS);
  process.on('message', (command: SpeechEngineCommand) => {
    if (command.cmd === 'exit') {
      void engine.close().finally(() => process.exit(0));
      return;
    }
    if (command.cmd === 'reset') {
      lag.reset();
      cpu = process.cpuUsage();
      wall = performance.now();
    }
    const used = process.cpuUsage(cpu);
    reply({
      kind: 'stats',
      id: command.id,
      lagP50Ms: ms(lag.percentile(50)),
      lagP99Ms: ms(lag.percentile(99)),
      cpuPercent: ((used.user + used.system) / 1000 / (performance.now() - wall)) * 100,
      rss: process.memoryUsage().rss,
      sessions: engine.server.sessionCount,
    });
  });
  reply({ kind: 'ready', url: info.url });
}

// The bench process went away: don't outlive it.
process.on('disconnect', () => process.exit(0));

main().catch((err: unknown) => {
  reply({
    kind: 'failed',
    message: err instanceof Error ? (err.stack ?? err.message) : String(err),
  });
  process.exit(1);
});
