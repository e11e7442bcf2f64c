import { homedir } from 'node:os';
import {
  createEngine,
  parseCliArgs,
  ScenarioError,
  ServerConfigError,
} from '@realtime-assistant/engine';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './cli-io.js';
import type { CliIo } from './cli-io.js';

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
    await new Promise<void>((resolve) => {
      const off = io.onSignal(() => {
        off();
        resolve();
      });
    });
    await engine.close();
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
