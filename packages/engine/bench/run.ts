/**
 * `npm run bench -w packages/engine`: the LocalRealtime engine under load from a separate process (issue #3).
 *
 * 1. latency   `response.create` → first `response.output_text.delta` at 100 sessions streaming audio at real
 *              time and running unpaced text turns once a second (client side, and the engine's histogram).
 * 2. capacity  sessions held with engine event-loop lag p99 < 20 ms and every append delivered, ramping N.
 * 3. memory    RSS and heap per idle session, 1000 sessions, after GC.
 *
 * Every figure is a median over `--runs` runs (default 3); machines are shared and noisy, so nothing asserts.
 * Flags: --only latency|capacity|memory (repeatable), --workers 1,2 (engine processes; 2+ = node:cluster),
 * --runs N, --sessions 200,400,… (capacity ramp), --latency-sessions N, --memory-sessions N,
 * --duration S (seconds measured per step), --cpu-prof DIR (profile the engine during one capacity ramp),
 * --vad (keep the GA default server VAD on the streamed audio; off by default, see `LoadGenerator`),
 * --pattern spread|burst (sends spread over each 20 ms tick, the default, or all at once as the first version did),
 * --source (bench the TypeScript sources through tsx instead of the built engine; see engine-build.ts),
 * --floor (capacity: first ramp a bare `ws` server with the same generator, appends only: the transport's floor).
 */
import { mkdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { benchArgs } from './bench-args.js';
import { ensureBuiltEngine } from './engine-build.js';
import { EngineProcess, LATENCY_METRIC } from './engine-process.js';
import type { EngineSnapshot } from './engine-process.js';
import { LoadGenerator } from './load.js';
import type { LoadWindow } from './load.js';
import {
  fmt,
  histogramPercentile,
  median,
  parsePrometheusHistogram,
  percentile,
  subtractHistogram,
  table,
} from './stats.js';

const LAG_LIMIT_MS = 20;
/** Engine-received appends / appends due, at or above which the rate counts as sustained. */
const SUSTAINED = 0.98;
const MiB = 1024 * 1024;

const { values: flags } = benchArgs(
  'npm run bench -w packages/engine --',
  'The LocalRealtime engine under load from a separate process: latency, capacity and memory (medians of --runs).',
  {
    options: {
      only: { type: 'string', multiple: true },
      workers: { type: 'string', default: '1,2' },
      runs: { type: 'string', default: '3' },
      sessions: { type: 'string', default: '200,400,600,800,1000,1200,1400,1600' },
      'latency-sessions': { type: 'string', default: '100' },
      'memory-sessions': { type: 'string', default: '1000' },
      duration: { type: 'string', default: '5' },
      'cpu-prof': { type: 'string' },
      vad: { type: 'boolean', default: false },
      pattern: { type: 'string', default: 'spread' },
      'turn-interval': { type: 'string', default: '1000' },
      source: { type: 'boolean', default: false },
      floor: { type: 'boolean', default: false },
    },
  },
);
ensureBuiltEngine({ source: flags.source });

const list = (raw: string): number[] =>
  raw
    .split(',')
    .map((v) => Number(v.trim()))
    .filter((v) => Number.isInteger(v) && v > 0);
const only = new Set(flags.only ?? ['latency', 'capacity', 'memory']);
const workerModes = list(flags.workers);
const runs = Math.max(1, Number(flags.runs));
const ramp = list(flags.sessions);
const latencySessions = Number(flags['latency-sessions']);
const memorySessions = Number(flags['memory-sessions']);
const measureMs = Number(flags.duration) * 1000;
if (flags.pattern !== 'spread' && flags.pattern !== 'burst') {
  throw new Error(`--pattern: expected spread or burst, got ${flags.pattern}.`);
}
const pattern: 'spread' | 'burst' = flags.pattern;
/** Each session's text-turn period in the capacity ramp, ms; 0 = appends only (engine CPU is then per append). */
const turnIntervalMs = Number(flags['turn-interval']);
/** CPU (percent of one core) per session → ms of CPU per session-second. */
const msPerSessionSecond = (cpuPercent: number, sessions: number): number =>
  (cpuPercent * 10) / sessions;
/** `0` stands for the transport floor (`--floor`: the bare `ws` server of floor-server.ts, capacity only). */
const FLOOR = 0;
const mode = (workers: number): string =>
  workers === FLOOR ? 'ws floor' : workers > 1 ? `cluster×${workers}` : 'single';

// ---------------------------------------------------------------------------------------------- 1. latency

interface LatencyRun {
  clientP50: number;
  clientP99: number;
  /** Ping → pong on an idle session (NaN with `--pattern burst`). */
  pingP50: number;
  pingP99: number;
  engineP50: number;
  engineP99: number;
  turns: number;
  window: LoadWindow;
  engine: EngineSnapshot;
}

async function scrapeLatency(
  httpUrl: string,
): Promise<ReturnType<typeof parsePrometheusHistogram>> {
  const response = await fetch(`${httpUrl}/metrics`);
  return parsePrometheusHistogram(await response.text(), LATENCY_METRIC);
}

async function latencyRun(workers: number): Promise<LatencyRun> {
  const engine = await EngineProcess.start({ workers });
  const load = new LoadGenerator(engine.url, { vad: flags.vad });
  try {
    await load.openUntil(latencySessions);
    load.drive({ audio: true, turns: true, turnIntervalMs: 1000, pattern });
    await sleep(2000); // warm-up: JIT, first turns
    await engine.request('reset');
    // GET /metrics reaches one process; with workers, the IPC snapshot merges them all.
    const before =
      workers > 1 ? (await engine.request('stats')).latency : await scrapeLatency(engine.httpUrl);
    const end = load.beginWindow();
    await sleep(Math.max(measureMs, 10_000));
    const window = end();
    const snapshot = await engine.request('stats');
    const after = workers > 1 ? snapshot.latency : await scrapeLatency(engine.httpUrl);
    const histogram = subtractHistogram(after, before);
    return {
      clientP50: percentile(window.latenciesMs, 50),
      clientP99: percentile(window.latenciesMs, 99),
      pingP50: percentile(window.pingRttMs, 50),
      pingP99: percentile(window.pingRttMs, 99),
      engineP50: histogramPercentile(histogram, 50) * 1000,
      engineP99: histogramPercentile(histogram, 99) * 1000,
      turns: window.latenciesMs.length,
      window,
      engine: snapshot,
    };
  } finally {
    await load.close();
    await engine.stop();
  }
}

// ---------------------------------------------------------------------------------------------- 2. capacity

interface CapacityStep {
  sessions: number;
  lagP50: number;
  lagP99: number;
  lagMax: number;
  primaryLagP99: number;
  cpu: number;
  rssMiB: number;
  /** Engine-received appends / appends due in the window. */
  delivered: number;
  turnsSkipped: number;
  generatorCpu: number;
  held: boolean;
}

async function capacityRun(workers: number, cpuProfDir?: string): Promise<CapacityStep[]> {
  const floor = workers === FLOOR;
  const engine = await EngineProcess.start({
    workers: Math.max(1, workers),
    floor,
    ...(cpuProfDir ? { cpuProfDir } : {}),
  });
  const load = new LoadGenerator(engine.url, { vad: flags.vad });
  const steps: CapacityStep[] = [];
  try {
    load.drive({
      audio: true,
      // The floor server answers no turn: its sessions only stream (and clear once a second).
      turns: turnIntervalMs > 0 && !floor,
      turnIntervalMs: turnIntervalMs > 0 ? turnIntervalMs : 1000,
      pattern,
    });
    let failures = 0;
    for (const sessions of ramp) {
      try {
        await load.openUntil(sessions, 30_000);
      } catch (err) {
        process.stdout.write(
          `  ${mode(workers)} ${sessions} sessions: ${(err as Error).message}; ramp stopped\n`,
        );
        break;
      }
      await sleep(1500); // settle: handshakes done, first turns of the new sessions
      const start = await engine.request('reset');
      const end = load.beginWindow();
      await sleep(measureMs);
      const window = end();
      const stats = await engine.request('stats');
      const delivered =
        window.appendsExpected > 0
          ? (stats.appendsIn - start.appendsIn) / window.appendsExpected
          : 1;
      const held = stats.lagP99Ms < LAG_LIMIT_MS && delivered >= SUSTAINED;
      steps.push({
        sessions,
        lagP50: stats.lagP50Ms,
        lagP99: stats.lagP99Ms,
        lagMax: stats.lagMaxMs,
        primaryLagP99: stats.primaryLagP99Ms,
        cpu: stats.cpuPercent,
        rssMiB: stats.rss / MiB,
        delivered,
        turnsSkipped: window.turnsSkipped,
        generatorCpu: window.cpuPercent,
        held,
      });
      process.stdout.write(
        `  ${mode(workers)} ${sessions} sessions: lag p99 ${fmt(stats.lagP99Ms)} ms, cpu ${fmt(Math.round(stats.cpuPercent))}% ` +
          `(${fmt(msPerSessionSecond(stats.cpuPercent, sessions))} ms per session-second; generator ` +
          `${fmt(Math.round(window.cpuPercent))}%, ${fmt(msPerSessionSecond(window.cpuPercent, sessions))}), delivered ${fmt(delivered * 100)}%${held ? '' : ' (not held)'}\n`,
      );
      failures = held ? 0 : failures + 1;
      if (failures >= 2) break;
    }
    return steps;
  } finally {
    await load.close();
    await engine.stop();
  }
}

/** The largest N held, counting only the steps before the second consecutive failure. */
function mostHeld(steps: readonly CapacityStep[]): number {
  let best = 0;
  for (const step of steps) if (step.held) best = Math.max(best, step.sessions);
  return best;
}

// ---------------------------------------------------------------------------------------------- 3. memory

interface MemoryRun {
  rssPerSessionKiB: number;
  heapPerSessionKiB: number;
}

async function memoryRun(workers: number): Promise<MemoryRun> {
  const engine = await EngineProcess.start({ workers });
  const load = new LoadGenerator(engine.url, { vad: flags.vad });
  try {
    // One session first, so lazily loaded code (parsers, schemas) is not counted per session.
    await load.openUntil(1);
    await sleep(200);
    const before = await engine.request('gc');
    await load.openUntil(memorySessions + 1);
    await sleep(1000);
    const after = await engine.request('gc');
    return {
      rssPerSessionKiB: (after.rss - before.rss) / memorySessions / 1024,
      heapPerSessionKiB: (after.heapUsed - before.heapUsed) / memorySessions / 1024,
    };
  } finally {
    await load.close();
    await engine.stop();
  }
}

// ---------------------------------------------------------------------------------------------- report

const started = performance.now();
const say = (text: string): void => console.log(text);
const load1 = (): string => loadavg()[0]!.toFixed(1);
say(
  `engine bench: ${runs} run(s) each, medians; ${measureMs / 1000} s per step; engine processes: ${workerModes.join(', ')}; ` +
    `${cpus().length} cores, load average ${load1()} at start; server VAD ${flags.vad ? 'on' : 'off'}`,
);

if (only.has('latency')) {
  const rows: string[][] = [];
  for (const workers of workerModes.slice(0, 1)) {
    const results: LatencyRun[] = [];
    for (let i = 0; i < runs; i++) results.push(await latencyRun(workers));
    const m = (pick: (r: LatencyRun) => number): number => median(results.map(pick));
    rows.push([
      mode(workers),
      String(latencySessions),
      fmt(
        m((r) => r.clientP50),
        ' ms',
      ),
      fmt(
        m((r) => r.clientP99),
        ' ms',
      ),
      `≤${fmt(
        m((r) => r.engineP50),
        ' ms',
      )}`,
      `≤${fmt(
        m((r) => r.engineP99),
        ' ms',
      )}`,
      fmt(
        m((r) => r.pingP50),
        ' ms',
      ),
      fmt(
        m((r) => r.pingP99),
        ' ms',
      ),
      fmt(m((r) => r.turns)),
      fmt(
        m((r) => r.engine.lagP99Ms),
        ' ms',
      ),
      fmt(Math.round(m((r) => r.engine.cpuPercent)), '%'),
      fmt(Math.round(m((r) => r.window.cpuPercent)), '%'),
      fmt(m((r) => r.window.errors)),
    ]);
  }
  say(
    '\n1. response.create → first text delta (goal p50 ≤ 1 ms, p99 ≤ 5 ms), audio streaming at real time',
  );
  say(
    table(
      [
        'engine',
        'sessions',
        'client p50',
        'client p99',
        'engine p50',
        'engine p99',
        'ping p50',
        'ping p99',
        'turns',
        'lag p99',
        'engine cpu',
        'gen cpu',
        'errors',
      ],
      rows,
    ),
  );
  say(
    '   engine p50/p99: bucket bound of /metrics local_realtime_response_latency_seconds (response.create handled → first delta sent)',
  );
  say(
    `   ping p50/p99: WebSocket ping → pong on an idle session, once a tick (the transport's floor; --pattern spread only); load generator: --pattern ${pattern}`,
  );
}

if (only.has('capacity')) {
  const summary: string[][] = [];
  const detail: string[][] = [];
  for (const workers of flags.floor ? [FLOOR, ...workerModes] : workerModes) {
    const perRun: CapacityStep[][] = [];
    for (let i = 0; i < runs; i++) {
      const profile = flags['cpu-prof'] !== undefined && i === 0 ? flags['cpu-prof'] : undefined;
      if (profile) mkdirSync(profile, { recursive: true });
      console.log(`capacity ${mode(workers)}, run ${i + 1}/${runs}`);
      perRun.push(await capacityRun(workers, profile));
    }
    summary.push([
      mode(workers),
      perRun.map(mostHeld).join(' / '),
      fmt(median(perRun.map(mostHeld))),
    ]);
    for (const sessions of ramp) {
      const steps = perRun.flatMap((r) => r.filter((s) => s.sessions === sessions));
      if (steps.length === 0) continue;
      const m = (pick: (s: CapacityStep) => number): number => median(steps.map(pick));
      detail.push([
        mode(workers),
        String(sessions),
        `${steps.length}`,
        fmt(
          m((s) => s.lagP50),
          ' ms',
        ),
        fmt(
          m((s) => s.lagP99),
          ' ms',
        ),
        fmt(
          m((s) => s.lagMax),
          ' ms',
        ),
        workers > 1
          ? fmt(
              m((s) => s.primaryLagP99),
              ' ms',
            )
          : '-',
        fmt(Math.round(m((s) => s.cpu)), '%'),
        fmt(
          m((s) => msPerSessionSecond(s.cpu, s.sessions)),
          ' ms',
        ),
        fmt(Math.round(m((s) => s.rssMiB)), ' MiB'),
        fmt(m((s) => s.delivered) * 100, '%'),
        fmt(m((s) => s.turnsSkipped)),
        fmt(Math.round(m((s) => s.generatorCpu)), '%'),
        fmt(
          m((s) => msPerSessionSecond(s.generatorCpu, s.sessions)),
          ' ms',
        ),
        `${steps.filter((s) => s.held).length}/${steps.length}`,
      ]);
    }
  }
  say(
    `\n2. sessions held with engine event-loop lag p99 < ${LAG_LIMIT_MS} ms and ≥ ${SUSTAINED * 100}% of appends delivered (goal ≥ 1000)`,
  );
  say(table(['engine', 'held per run', 'median'], summary));
  say('');
  say(
    table(
      [
        'engine',
        'sessions',
        'runs',
        'lag p50',
        'lag p99',
        'lag max',
        'primary p99',
        'engine cpu',
        'per session-s',
        'rss',
        'appends in',
        'turns skipped',
        'gen cpu',
        'gen per session-s',
        'held',
      ],
      detail,
    ),
  );
  say(
    '   engine cpu: all engine processes together, % of one core (200% = both cores); lag: worst worker',
  );
  say(
    '   per session-s: ms of CPU per session-second (engine, and the load generator sharing the cores): the capacity figure ' +
      `that does not depend on what else runs; 1000 sessions need 1000 × it ms per second of cores. ` +
      (turnIntervalMs > 0
        ? `Load: 50 appends/s and a text turn every ${turnIntervalMs} ms per session.`
        : 'Load: appends only (--turn-interval 0), so engine per session-s / 50 = engine CPU per append.'),
  );
}

if (only.has('memory')) {
  const rows: string[][] = [];
  for (const workers of workerModes) {
    const results: MemoryRun[] = [];
    for (let i = 0; i < runs; i++) results.push(await memoryRun(workers));
    rows.push([
      mode(workers),
      String(memorySessions),
      fmt(median(results.map((r) => r.rssPerSessionKiB)), ' KiB'),
      fmt(median(results.map((r) => r.heapPerSessionKiB)), ' KiB'),
    ]);
  }
  say('\n3. memory per idle session after GC (goal ≤ 100 KB)');
  say(table(['engine', 'sessions', 'rss / session', 'heap / session'], rows));
}

// ---------------------------------------------------------------------------------------------- 4. speech (issue #4)
// Turn latency, VAD error, synthesis speed and audio-session capacity with speech in and out (bench/speech.ts).
// Part of the default run; `--only speech` runs it alone.
if (only.has('speech') || flags.only === undefined) {
  const { runSpeechBench } = await import('./speech.js');
  await runSpeechBench();
}

say(
  `\nengine bench done in ${Math.round((performance.now() - started) / 1000)} s; load average ${load1()} at the end ` +
    '(well above the core count = other work on the machine shares the cores; figures are then pessimistic)',
);
