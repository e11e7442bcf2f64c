import { runEngineCommand } from '@realtime-assistant/engine';
import type { CliIo } from './cli-io.js';

/**
 * `realtime-assistant engine [flags]`: the LocalRealtime engine, the very command line of `local-realtime` (the
 * same flags, `--workers` included, the same start-up banner and shutdown).
 */
export function runEngine(argv: readonly string[], io: CliIo): Promise<number> {
  return runEngineCommand(argv, io, { program: 'realtime-assistant engine' });
}
