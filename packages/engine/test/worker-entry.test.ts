import { mkdirSync, mkdtempSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { processEntry, workerEntry } from '../src/worker-entry.js';

/** A package with `src/voice/{caller,worker}.ts`, `src/other.ts` and a built `dist/voice/worker.js`. */
function fakePackage(times: { worker: number; other: number; built: number }): string {
  const root = mkdtempSync(join(tmpdir(), 'ra-worker-entry-'));
  // The workspace's packages (tsx among them) resolve from it as from the real one.
  symlinkSync(
    fileURLToPath(new URL('../../../node_modules', import.meta.url)),
    join(root, 'node_modules'),
  );
  mkdirSync(join(root, 'src', 'voice'), { recursive: true });
  mkdirSync(join(root, 'dist', 'voice'), { recursive: true });
  const files: [string, number][] = [
    [join(root, 'src', 'voice', 'caller.ts'), times.worker],
    [join(root, 'src', 'voice', 'worker.ts'), times.worker],
    [join(root, 'src', 'other.ts'), times.other],
    [join(root, 'dist', 'voice', 'worker.js'), times.built],
  ];
  for (const [path, seconds] of files) {
    writeFileSync(path, '');
    utimesSync(path, seconds, seconds);
  }
  return pathToFileURL(join(root, 'src', 'voice', 'caller.ts')).href;
}

/** Seconds from now: the workspace's real protocol sources (which count too) are about now. */
const at = (offset: number): number => Date.now() / 1000 + offset;

describe('workerEntry from the sources', () => {
  it('runs the built copy when it is newer than every source of the package', () => {
    const [entry, options] = workerEntry(
      fakePackage({ worker: at(-100), other: at(-100), built: at(3600) }),
      'worker',
    );
    expect(String(entry)).toMatch(/\/dist\/voice\/worker\.js$/);
    expect(options.eval).toBeUndefined();
  });

  it('runs the source when a module the worker may import changed after the build', () => {
    const [, options] = workerEntry(
      fakePackage({ worker: at(-100), other: at(7200), built: at(3600) }),
      'worker',
    );
    expect(options).toEqual({ eval: true, execArgv: ['--conditions=source'] });
  });

  it('gives a child process tsx by its resolved URL, so it starts from any working directory', () => {
    const url = fakePackage({ worker: at(-100), other: at(7200), built: at(3600) });
    const { script, execArgv } = processEntry(url, 'worker');
    expect(script).toMatch(/\/src\/voice\/worker\.ts$/);
    expect(execArgv[0]).toBe('--conditions=source');
    expect(execArgv[1]).toBe('--import');
    expect(execArgv[2]).toMatch(/^file:\/\/.*\/tsx\/dist\/loader\.mjs$/);
  });
});
