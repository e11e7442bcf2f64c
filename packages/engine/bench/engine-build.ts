/**
 * The benches measure the engine as `local-realtime` runs it: the built JavaScript in `dist/`, not the TypeScript
 * sources through tsx (whose transform adds work of its own, e.g. a `__name` call per closure). `engineModules()`
 * says where the engine processes import from; `ensureBuiltEngine()` (in the bench's own process, before it starts
 * any engine) rebuilds the protocol and engine packages when `dist/` is older than a source, and `--source` (or
 * `ENGINE_BENCH_SOURCE=1`) benches the sources instead.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newestSource } from '../src/worker-entry.js';

const engineRoot = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = join(engineRoot, '..', '..');

/** `'../src/'` or `'../dist/'`: the folder (relative to a bench file) the engine processes import from. */
export function engineModules(): '../src/' | '../dist/' {
  return process.env.ENGINE_BENCH_SOURCE === '1' ? '../src/' : '../dist/';
}

/** When a package was last built (0 when it never was). */
function builtAt(root: string): number {
  const index = join(root, 'dist', 'index.js');
  return existsSync(index) ? statSync(index).mtimeMs : 0;
}

/**
 * Makes the engine processes use the built engine, building it first when a source is newer than its build;
 * with `source: true` they load the TypeScript sources through tsx instead. Call before starting an engine.
 */
export function ensureBuiltEngine(options: { source?: boolean } = {}): void {
  if (options.source === true || process.env.ENGINE_BENCH_SOURCE === '1') {
    process.env.ENGINE_BENCH_SOURCE = '1';
    return;
  }
  // The sources the engine's worker threads check their build against: this package's and the protocol's.
  const sources = newestSource(new URL('../src/engine.ts', import.meta.url).href);
  const stale = [join(engineRoot, '..', 'protocol'), engineRoot].some(
    (root) => builtAt(root) < sources,
  );
  if (stale) {
    process.stdout.write('engine build older than its sources: npm run build (protocol, engine)\n');
    execFileSync('npm', ['run', 'build', '-w', 'packages/protocol', '-w', 'packages/engine'], {
      cwd: repoRoot,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  process.env.ENGINE_BENCH_SOURCE = '0';
}
