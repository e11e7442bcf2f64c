#!/usr/bin/env node
/** The `realtime-assistant` entry point: the only place that touches `process.exit`. */
import { processIo } from '../cli-io.js';
import { main } from '../main.js';

main(process.argv.slice(2), processIo()).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `realtime-assistant: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
