/**
 * The commands npm links at install: `node_modules/.bin/local-realtime` and `node_modules/.bin/realtime-assistant`
 * exist right after `npm install` in a fresh clone (their entry files are committed, not built), run the built
 * code, and say what to do when it has not been built.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cleanEnv } from './helpers/clean-env.js';

const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const BIN_DIR = join(ROOT, 'node_modules', '.bin');

function version(pkg: string): string {
  const raw = readFileSync(join(ROOT, 'packages', pkg, 'package.json'), 'utf8');
  return (JSON.parse(raw) as { version: string }).version;
}

function run(
  command: string,
  args: string[],
  input?: string,
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, {
    cwd: mkdtempSync(join(tmpdir(), 'ra-bin-')),
    env: cleanEnv(),
    encoding: 'utf8',
    timeout: 30_000,
    ...(input !== undefined ? { input } : {}),
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the installed commands', () => {
  it('links local-realtime and realtime-assistant into node_modules/.bin, and both run', () => {
    for (const name of ['local-realtime', 'realtime-assistant']) {
      expect(existsSync(join(BIN_DIR, name)), `${name} in node_modules/.bin`).toBe(true);
    }
    expect(run(join(BIN_DIR, 'local-realtime'), ['--version'])).toMatchObject({
      status: 0,
      stdout: `${version('engine')}\n`,
    });
    const help = run(join(BIN_DIR, 'realtime-assistant'), ['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: realtime-assistant \[command\] \[flags\]/);
    expect(run(join(BIN_DIR, 'realtime-assistant'), ['--version'])).toMatchObject({
      status: 0,
      stdout: `${version('cli')}\n`,
    });
    const engineHelp = run(join(BIN_DIR, 'realtime-assistant'), ['engine', '--help']);
    expect(engineHelp.stdout).toMatch(/^realtime-assistant engine: an offline server/);
  });

  it('gives output a program can read: every line of --json is JSON, nothing else on stdout', () => {
    const result = run(join(BIN_DIR, 'realtime-assistant'), ['--text', '--json'], 'hello\n');
    expect(result.status, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    const events = lines.map((line) => (JSON.parse(line) as { event: string }).event);
    expect(events).toContain('session_started');
    expect(events).toContain('transcript_final');
  });

  it('says how to build when the built code is missing, and exits 1', () => {
    for (const [pkg, name] of [
      ['engine', 'local-realtime'],
      ['cli', 'realtime-assistant'],
    ] as const) {
      // The entry file alone, as in a clone whose build has not run.
      const bin = join(mkdtempSync(join(tmpdir(), 'ra-unbuilt-')), 'bin');
      mkdirSync(bin);
      copyFileSync(join(ROOT, 'packages', pkg, 'bin', `${name}.js`), join(bin, `${name}.js`));
      const result = run(process.execPath, [join(bin, `${name}.js`), '--help']);
      expect(result.status).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`${name}: the`);
      expect(result.stderr).toContain('Run `npm run build`');
    }
  });
});
