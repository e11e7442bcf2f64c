import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** What `new Worker(entry, options)` needs to start one of the engine's worker threads. */
export type WorkerEntry = [entry: string | URL, options: { eval?: boolean; execArgv?: string[] }];

/**
 * Where the code of worker thread `name` is, for a module at `moduleUrl` in the same folder. Built code runs
 * `<name>.js`. From the TypeScript sources (tests, tsx) it runs the package's built copy in `dist/` when that is at
 * least as new as the source — workers booted through tsx's loader were seen to abort the process now and then —
 * and otherwise loads `<name>.ts` through tsx with the `source` export condition, as the main thread does.
 */
export function workerEntry(moduleUrl: string, name: string): WorkerEntry {
  if (!moduleUrl.endsWith('.ts')) return [new URL(`./${name}.js`, moduleUrl), {}];
  const source = fileURLToPath(new URL(`./${name}.ts`, moduleUrl));
  const built = source
    .replace(/([\\/])src([\\/])(?!.*[\\/]src[\\/])/, '$1dist$2')
    .replace(/\.ts$/, '.js');
  if (
    built !== source &&
    existsSync(built) &&
    statSync(built).mtimeMs >= statSync(source).mtimeMs
  ) {
    return [pathToFileURL(built), {}];
  }
  const code = `import(${JSON.stringify(tsxApiUrl(moduleUrl))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(pathToFileURL(source).href)}); });`;
  return [code, { eval: true, execArgv: ['--conditions=source'] }];
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
    execArgv: ['--conditions=source', '--import', 'tsx'],
  };
}
