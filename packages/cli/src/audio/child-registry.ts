import type { ChildProcess } from 'node:child_process';

/**
 * Every audio child process this module spawned and that is still running. They are killed
 * (SIGKILL, synchronously) when the Node process exits, so none is ever left behind, even when the
 * owner forgot to stop it. A SIGINT/SIGTERM handler of the CLI must end with `process.exit()` for
 * this to run; Node's default signal handling skips `exit` listeners.
 */
const live = new Set<ChildProcess>();
let hooked = false;

function killAll(): void {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      // Already gone.
    }
  }
  live.clear();
}

/** Registers a freshly spawned child; it is forgotten when it exits. */
export function trackChild(child: ChildProcess): void {
  if (!hooked) {
    process.on('exit', killAll);
    hooked = true;
  }
  live.add(child);
  child.once('exit', () => live.delete(child));
  child.once('error', () => live.delete(child));
}

/** How many tracked children are still running (for tests and diagnostics). */
export function liveChildCount(): number {
  return live.size;
}

/**
 * Ends a child and waits for it: SIGTERM, then SIGKILL if it has not exited after `graceMs`.
 * Resolves at once when the child has already exited.
 */
export function terminateChild(child: ChildProcess, graceMs = 1000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
