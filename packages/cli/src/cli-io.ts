/** What a command may touch of the outside world; the entry point passes the real process, tests pass fakes. */
export interface CliIo {
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly stderr: NodeJS.WritableStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Calls `listener` on SIGINT / SIGTERM; returns a function that stops listening. */
  onSignal(listener: (signal: NodeJS.Signals) => void): () => void;
}

/**
 * The real process as a {@link CliIo}. Signals go through one dispatcher registered for the process's lifetime,
 * so a command that stops listening while it shuts down is not cut short: without it, the first SIGINT with no
 * listener left would reach `@openai/agents-core`'s own handler, which exits with 130 at once. With no listener,
 * a signal ends the process as the shell expects (128 + the signal number).
 */
export function processIo(): CliIo {
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    onSignal(listener) {
      installSignalDispatcher();
      signalListeners.add(listener);
      return () => {
        signalListeners.delete(listener);
      };
    },
  };
}

const signalListeners = new Set<(signal: NodeJS.Signals) => void>();
let dispatcherInstalled = false;

function installSignalDispatcher(): void {
  if (dispatcherInstalled) return;
  dispatcherInstalled = true;
  const dispatch = (signal: NodeJS.Signals): void => {
    // Nobody listens (a second Ctrl+C while shutting down): leave now.
    if (signalListeners.size === 0) process.exit(signal === 'SIGINT' ? 130 : 143);
    for (const listener of [...signalListeners]) listener(signal);
  };
  process.on('SIGINT', dispatch);
  process.on('SIGTERM', dispatch);
}

/** Exit codes of the command. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
/** Bad flags or bad settings. */
export const EXIT_USAGE = 2;
