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

/** The real process as a {@link CliIo}. */
export function processIo(): CliIo {
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    onSignal(listener) {
      process.on('SIGINT', listener);
      process.on('SIGTERM', listener);
      return () => {
        process.off('SIGINT', listener);
        process.off('SIGTERM', listener);
      };
    },
  };
}

/** Exit codes of the command. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
/** Bad flags or bad settings. */
export const EXIT_USAGE = 2;
