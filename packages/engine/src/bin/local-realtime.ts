#!/usr/bin/env node
/** The `local-realtime` command (see `server/engine-command.ts`): the only place that touches `process.exit`. */
import { runEngineCommand } from '../server/engine-command.js';

const io = {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  onSignal(listener: (signal: NodeJS.Signals) => void): () => void {
    process.on('SIGINT', listener);
    process.on('SIGTERM', listener);
    return () => {
      process.off('SIGINT', listener);
      process.off('SIGTERM', listener);
    };
  },
};

runEngineCommand(process.argv.slice(2), io, { program: 'local-realtime' }).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`local-realtime: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
