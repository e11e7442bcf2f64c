#!/usr/bin/env node
// The `realtime-assistant` command as npm links it: runs the built CLI in dist/, which `npm install` builds (the
// repository's `prepare` script). Committed, so that npm finds it when it links the bins, before that build.
import { existsSync } from 'node:fs';

const built = new URL('../dist/bin/realtime-assistant.js', import.meta.url);
if (!existsSync(built)) {
  process.stderr.write(
    'realtime-assistant: the CLI is not built yet (packages/cli/dist is missing). Run `npm run build` at the root of the repository (npm install runs it too).\n',
  );
  process.exit(1);
}
await import(built.href);
