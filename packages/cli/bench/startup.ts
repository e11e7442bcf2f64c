/**
 * `npm start` → ready: the time from spawning the command to the CLI's first `connection_changed` event with
 * status `connected` on its `--json` stream (the moment its status line turns from "connecting" to "listening":
 * the embedded engine is up, the session created and configured).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One way of starting the CLI. */
export interface StartupVariant {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
}

/** The ways measured: the built entry point as `npm start` runs it, and `npm start` itself. */
export function startupVariants(root: string): StartupVariant[] {
  const built = join(root, 'packages/cli/dist/bin/realtime-assistant.js');
  if (!existsSync(built)) {
    throw new Error(`${built} is missing: run \`npm run build\` first (npm start runs the build).`);
  }
  return [
    {
      name: 'node packages/cli/dist/bin/realtime-assistant.js --text --json',
      command: process.execPath,
      args: [built, '--text', '--json'],
      cwd: root,
    },
    {
      name: 'npm start -- --text --json',
      command: 'npm',
      args: ['start', '--silent', '--', '--text', '--json'],
      cwd: root,
    },
    {
      // What a person runs: voice mode when a microphone and a speaker open (here: whatever this machine has).
      name: 'npm start -- --json',
      command: 'npm',
      args: ['start', '--silent', '--', '--json'],
      cwd: root,
    },
  ];
}

/** Spawns `variant` once and resolves with the ms until it is ready; the process is then stopped. */
export async function timeStartup(variant: StartupVariant, timeoutMs = 30_000): Promise<number> {
  const logDir = mkdtempSync(join(tmpdir(), 'ra-bench-startup-'));
  const start = performance.now();
  const child = spawn(variant.command, [...variant.args], {
    cwd: variant.cwd,
    // No key: the embedded engine. Logs away from the repository.
    env: { ...process.env, OPENAI_API_KEY: '', REALTIME_URL: '', LOG_DIR: logDir },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  let buffered = '';
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  try {
    return await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${variant.name}: not ready after ${timeoutMs} ms\n${err}`)),
        timeoutMs,
      );
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        for (const line of buffered.split('\n')) {
          if (!line.startsWith('{')) continue;
          const event = JSON.parse(line) as { event?: string; state?: { status?: string } };
          if (event.event === 'connection_changed' && event.state?.status === 'connected') {
            clearTimeout(timer);
            resolve(performance.now() - start);
            return;
          }
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${variant.name}: exited (${code}) before it was ready\n${err}`));
      });
    });
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // npm runs the CLI as a child of its own: stop the whole group.
    if (child.exitCode === null) process.kill(-child.pid!, 'SIGTERM');
    await exited;
    rmSync(logDir, { recursive: true, force: true });
  }
}
