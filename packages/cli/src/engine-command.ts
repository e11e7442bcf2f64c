import { homedir } from 'node:os';
import {
  createEngine,
  parseCliArgs,
  ScenarioError,
  ServerConfigError,
} from '@realtime-assistant/engine';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './cli-io.js';
import type { CliIo } from './cli-io.js';

/**
 * How long Ctrl+C waits for sessions to close (clients answer the 1001 close at once on loopback) and the
 * decoder children to stop before the command returns anyway; the entry point's `process.exit` ends what is left.
 */
export const ENGINE_STOP_GRACE_MS = 1_000;

/** `realtime-assistant engine [flags]`: the LocalRealtime engine, with the same flags as `local-realtime`. */
export async function runEngine(argv: readonly string[], io: CliIo): Promise<number> {
  const command = parseCliArgs(argv, { env: io.env, homeDir: homedir() });
  switch (command.kind) {
    case 'help':
      io.stdout.write(command.text.replaceAll('local-realtime', 'realtime-assistant engine'));
      return EXIT_OK;
    case 'version':
      io.stdout.write('realtime-assistant engine\n');
      return EXIT_OK;
    case 'error':
      io.stderr.write(`realtime-assistant engine: ${command.message}\n`);
      return EXIT_USAGE;
    case 'run':
      break;
  }
  if ((command.workers ?? 1) > 1) {
    io.stderr.write('realtime-assistant engine: --workers needs the local-realtime command.\n');
    return EXIT_USAGE;
  }
  try {
    const engine = await createEngine({ ...command.options, logDestination: io.stderr });
    const info = await engine.listen();
    io.stdout.write(
      `LocalRealtime listening on ${info.url} (scenario: ${engine.scenario.name}). Ctrl+C to stop.\n`,
    );
    await stopOnSignal(io, () => engine.close());
    return EXIT_OK;
  } catch (error) {
    io.stderr.write(
      `realtime-assistant engine: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return error instanceof ServerConfigError || error instanceof ScenarioError
      ? EXIT_USAGE
      : EXIT_FAILURE;
  }
}

/**
 * Waits for SIGINT / SIGTERM, then runs `close` for at most {@link ENGINE_STOP_GRACE_MS}; a second signal stops
 * waiting at once. A listener stays registered until the end: `@openai/agents-core` (loaded with the assistant)
 * calls `process.exit(130)` on SIGINT as soon as no other listener is left, which would cut the close short.
 */
async function stopOnSignal(io: CliIo, close: () => Promise<void>): Promise<void> {
  let first: () => void = () => {};
  let second: () => void = () => {};
  const firstSignal = new Promise<void>((resolve) => (first = resolve));
  const secondSignal = new Promise<void>((resolve) => (second = resolve));
  let seen = 0;
  const off = io.onSignal(() => (++seen === 1 ? first() : second()));
  try {
    await firstSignal;
    io.stderr.write('Stopping the engine (Ctrl+C again to stop at once).\n');
    let timer: ReturnType<typeof setTimeout> | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ENGINE_STOP_GRACE_MS);
      timer.unref();
    });
    await Promise.race([close().catch(() => undefined), secondSignal, grace]);
    clearTimeout(timer);
  } finally {
    off();
  }
}
