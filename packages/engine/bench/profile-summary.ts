/**
 * Top self-time functions of `.cpuprofile` files (from `--cpu-prof`):
 * `node --import tsx bench/profile-summary.ts <file.cpuprofile>… [--top N] [--inclusive]`.
 * `--inclusive` ranks by time with callees included (a sample counts once per function on its stack), which shows
 * what a whole path (an append, a turn) costs where self time spreads it over many small functions.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { benchArgs } from './bench-args.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = benchArgs(
  'node --import tsx bench/profile-summary.ts <file.cpuprofile>…',
  'Top self-time (or, with --inclusive, inclusive-time) functions of .cpuprofile files from --cpu-prof.',
  {
    allowPositionals: true,
    options: {
      top: { type: 'string', default: '25' },
      inclusive: { type: 'boolean', default: false },
    },
  },
);

for (const file of positionals) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) =>
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)),
  );
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const keyOf = (frame: ProfileNode['callFrame']): string => {
    const where = frame.url
      ? `${relative(process.cwd(), frame.url.replace(/^file:\/\//, ''))}:${frame.lineNumber + 1}`
      : '';
    return `${frame.functionName || '(anonymous)'} ${where}`.trim();
  };
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byFunction = new Map<string, number>();
  for (const [id, us] of self) {
    const node = byId.get(id);
    if (node === undefined) continue;
    if (!values.inclusive) {
      const key = keyOf(node.callFrame);
      byFunction.set(key, (byFunction.get(key) ?? 0) + us);
      continue;
    }
    const onStack = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (frame !== undefined) onStack.add(keyOf(frame));
    }
    for (const key of onStack) byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  }
  const idle = [...byFunction]
    .filter(([k]) => k.startsWith('(idle)'))
    .reduce((a, [, v]) => a + v, 0);
  console.log(
    `\n${file}: ${(total / 1e6).toFixed(1)} s sampled, ${((1 - idle / total) * 100).toFixed(0)}% busy`,
  );
  const rows = [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top));
  for (const [name, us] of rows) {
    console.log(`  ${((us / total) * 100).toFixed(1).padStart(5)}%  ${name}`);
  }
}
