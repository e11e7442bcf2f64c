/**
 * `npm run bench -w packages/cli`: the client's figures (issue #5). Medians over `--runs` runs (default 5); the
 * machine is shared and noisy, so nothing asserts — the goals are printed next to the figures.
 *
 * 1. startup       spawn → the CLI's first `connection_changed: connected` (status "listening"), three ways.
 * 2. interruption  `speech_started` → speaker silent, and the truncation error, on the CLI's real speaker.
 *
 * Flags: --only startup|interruption (repeatable), --runs N.
 */
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchArgs } from '../../engine/bench/bench-args.js';
import { benchInterruption } from './interruption.js';
import type { InterruptionSample } from './interruption.js';
import { startupVariants, timeStartup } from './startup.js';

const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

// The engine's bench flags parser: --help from the options themselves, a bad flag in one line with exit code 2.
const { values: flags } = benchArgs(
  'npm run bench -w packages/cli --',
  `The client's figures, medians over --runs runs:
  startup       spawn → the CLI's first "connected" (status "listening"), three ways
  interruption  speech_started → speaker silent, and the truncation error, on the CLI's real speaker`,
  {
    options: {
      only: { type: 'string', multiple: true },
      runs: { type: 'string', default: '5' },
    },
  },
);
const only = new Set(flags.only ?? ['startup', 'interruption']);
const runs = Math.max(1, Number.parseInt(flags.runs, 10) || 5);

/** The median of the finite values; NaN when there are none. */
function median(values: readonly number[]): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const ms = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : 'n/a');
const list = (values: readonly number[]): string => values.map((v) => v.toFixed(0)).join(', ');
const out = (line = ''): boolean => process.stdout.write(`${line}\n`);

out(`realtime-assistant client bench: ${runs} runs each, load average ${loadavg()[0]!.toFixed(2)}`);

if (only.has('startup')) {
  out(
    '\nstartup: spawn → first connection_changed "connected" (status line: listening); goal ≤ 1500 ms',
  );
  for (const variant of startupVariants(ROOT)) {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) times.push(await timeStartup(variant));
    out(`  ${variant.name.padEnd(66)} median ${ms(median(times))}  (${list(times)})`);
  }
}

if (only.has('interruption')) {
  out(
    '\ninterruption: ConversationController + the CLI speaker + embedded engine, speech streamed as the mic',
  );
  const samples = await benchInterruption(ROOT, runs);
  const column = (pick: (s: InterruptionSample) => number): number[] => samples.map(pick);
  const rows: [string, (s: InterruptionSample) => number, string][] = [
    ['speech_started → speaker silent', (s) => s.stoppedMs, 'goal ≤ 20 ms'],
    ['  of which speech_started → stop()', (s) => s.reactionMs, ''],
    ['  of which device tail after stop()', (s) => s.tailMs, ''],
    ['truncation error (audio_end_ms − heard)', (s) => s.truncationErrorMs, 'goal ±20 ms'],
    ['|truncation error|', (s) => Math.abs(s.truncationErrorMs), ''],
    ['monitor uncertainty (pause at the cut)', (s) => s.uncertaintyMs, ''],
    ['speech onset → speech_started (engine VAD)', (s) => s.vadMs, 'server side'],
  ];
  out(
    `  speaker: ${samples[0]?.backend ?? 'none'}; cut at ${list(column((s) => s.audioEndMs))} ms`,
  );
  for (const [name, pick, goal] of rows) {
    const values = column(pick);
    out(
      `  ${name.padEnd(44)} median ${ms(median(values)).padStart(9)}  (${values.map((v) => (Number.isFinite(v) ? v.toFixed(1) : 'n/a')).join(', ')})  ${goal}`,
    );
  }
}
