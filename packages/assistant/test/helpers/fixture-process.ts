import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** A fixture script running in its own Node process, read line by line. */
export interface FixtureProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** Every stdout line so far. */
  readonly lines: string[];
  /** Resolves with the first stdout line (from now on) that satisfies `predicate`, counting earlier lines too. */
  waitFor(predicate: (line: string, lines: readonly string[]) => boolean): Promise<void>;
  /** Resolves when the process has exited and its output is read to the end. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Runs `test/fixtures/<name>.ts` with tsx and the `source` condition (like the tests themselves). */
export function runFixture(name: string, args: readonly string[]): FixtureProcess {
  const script = fileURLToPath(new URL(`../fixtures/${name}.ts`, import.meta.url));
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', script, ...args],
    {
      cwd: REPO_ROOT,
      // Its own environment: the machine's (a DATABASE_URL, say) must not change what the fixture does.
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  const lines: string[] = [];
  const waiters: {
    predicate: (line: string, lines: readonly string[]) => boolean;
    resolve: () => void;
  }[] = [];
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const reader = createInterface({ input: child.stdout });
  reader.on('line', (line) => {
    lines.push(line);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(line, lines)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  });
  const readerClosed = new Promise<void>((resolve) => reader.once('close', resolve));
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stderr: string;
  }>((resolve) => {
    child.once('exit', (code, signal) => {
      void readerClosed.then(() => resolve({ code, signal, stderr }));
    });
  });
  return {
    child,
    lines,
    exited,
    waitFor: (predicate) =>
      new Promise<void>((resolve, reject) => {
        if (lines.some((line) => predicate(line, lines))) {
          resolve();
          return;
        }
        waiters.push({ predicate, resolve });
        void exited.then(({ code, signal, stderr: errors }) =>
          reject(
            new Error(
              `fixture ${name} exited (${code ?? signal}) before the awaited line:\n${errors}`,
            ),
          ),
        );
      }),
  };
}
