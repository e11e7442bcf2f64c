import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** What `new Worker(entry, options)` needs to start one of the engine's worker threads. */
export type WorkerEntry = [entry: string | URL, options: { eval?: boolean; execArgv?: string[] }];

/**
 * Where the code of worker thread `name` is, for a module at `moduleUrl` in the same folder. Built code runs
 * `<name>.js`. From the TypeScript sources (tests, tsx) it runs the package's built copy in `dist/` when that is at
 * least as new as every source it may import (this package's and the protocol package's) — workers booted through
 * tsx's loader were seen to abort the process now and then — and otherwise loads `<name>.ts` through tsx with the
 * `source` export condition, as the main thread does.
 */
export function workerEntry(moduleUrl: string, name: string): WorkerEntry {
  if (!moduleUrl.endsWith('.ts')) return [new URL(`./${name}.js`, moduleUrl), {}];
  const source = fileURLToPath(new URL(`./${name}.ts`, moduleUrl));
  const built = source
    .replace(/([\\/])src([\\/])(?!.*[\\/]src[\\/])/, '$1dist$2')
    .replace(/\.ts$/, '.js');
  if (built !== source && existsSync(built) && statSync(built).mtimeMs >= newestSource(moduleUrl)) {
    return [pathToFileURL(built), {}];
  }
  const code = `import(${JSON.stringify(tsxApiUrl(moduleUrl))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(pathToFileURL(source).href)}); });`;
  return [code, { eval: true, execArgv: ['--conditions=source'] }];
}

const newestByRoot = new Map<string, number>();

/**
 * The newest modification time (ms) of the TypeScript sources a worker may load: this package's `src/` and the
 * protocol package's. Read once per process.
 */
export function newestSource(moduleUrl: string): number {
  const file = fileURLToPath(moduleUrl);
  const srcDir = file.slice(0, file.lastIndexOf(`${sep}src${sep}`) + 4);
  const cached = newestByRoot.get(srcDir);
  if (cached !== undefined) return cached;
  const roots = [srcDir];
  try {
    const require = createRequire(moduleUrl);
    // The package's entry is `dist/index.js`; its sources sit next to `dist/`.
    roots.push(join(dirname(dirname(require.resolve('@realtime-assistant/protocol'))), 'src'));
  } catch {
    // The protocol package is not built (or not there): only this package's sources count.
  }
  const newest = Math.max(...roots.map(newestUnder));
  newestByRoot.set(srcDir, newest);
  return newest;
}

function newestUnder(dir: string): number {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestUnder(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** tsx's `--import` entry (the package's main ESM export), found from `from`. */
function tsxLoaderUrl(from: string): string {
  const require = createRequire(from);
  const manifestPath = require.resolve('tsx/package.json');
  const manifest = require(manifestPath) as {
    exports: Record<string, { import?: { default?: string } } | string | undefined>;
  };
  const main = manifest.exports['.'];
  const entry = (typeof main === 'string' ? main : main?.import?.default) ?? './dist/loader.mjs';
  return new URL(entry, pathToFileURL(manifestPath)).href;
}

/** The ESM build of `tsx/esm/api` (its `import` export), found from `from`. */
function tsxApiUrl(from: string): string {
  const require = createRequire(from);
  const manifestPath = require.resolve('tsx/package.json');
  const manifest = require(manifestPath) as {
    exports: Record<string, { import: { default: string } } | undefined>;
  };
  const api = manifest.exports['./esm/api']?.import.default ?? './dist/esm/api/index.mjs';
  return new URL(api, pathToFileURL(manifestPath)).href;
}

/**
 * The script and `execArgv` for a child process running `name` (a module in the folder of `moduleUrl`): the built
 * `.js` (from `dist/` when running from sources and it is up to date), else the `.ts` through tsx.
 */
export function processEntry(
  moduleUrl: string,
  name: string,
): { script: string; execArgv: string[] } {
  const [entry, options] = workerEntry(moduleUrl, name);
  if (!options.eval) return { script: fileURLToPath(entry), execArgv: [] };
  return {
    script: fileURLToPath(new URL(`./${name}.ts`, moduleUrl)),
    // tsx by its resolved URL: `--import tsx` would be looked up from the process's working directory.
    execArgv: ['--conditions=source', '--import', tsxLoaderUrl(moduleUrl)],
  };
}
