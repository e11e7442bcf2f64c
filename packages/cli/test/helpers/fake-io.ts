/** A {@link CliIo} for calling `main()` in-process: scripted stdin, captured stdout/stderr, no real signals. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { CliIo } from '../../src/cli-io.js';

/** A fake terminal-less process. */
export interface FakeIo extends CliIo {
  readonly stdin: PassThrough;
  readonly stdout: PassThrough;
  out(): string;
  err(): string;
  /** Delivers a signal to the command's listeners. */
  signal(name: NodeJS.Signals): void;
}

/** A fake IO in a fresh working directory (logs and replies land there), or in `cwd` when given. */
export function fakeIo(env: Record<string, string> = {}, cwd?: string): FakeIo {
  cwd ??= mkdtempSync(join(tmpdir(), 'ra-cli-io-'));
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const listeners = new Set<(signal: NodeJS.Signals) => void>();
  return {
    stdin: new PassThrough(),
    stdout,
    stderr,
    env: { PATH: process.env.PATH ?? '', ...env },
    cwd,
    onSignal(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    out: () => out,
    err: () => err,
    signal(name) {
      for (const listener of [...listeners]) listener(name);
    },
  };
}
