#!/usr/bin/env node
// The `local-realtime` command as npm links it: runs the built engine in dist/, which `npm install` builds (the
// repository's `prepare` script). Committed, so that npm finds it when it links the bins, before that build.
import { existsSync } from 'node:fs';

const built = new URL('../dist/bin/local-realtime.js', import.meta.url);
if (!existsSync(built)) {
  process.stderr.write(
    'local-realtime: the engine is not built yet (packages/engine/dist is missing). Run `npm run build` at the root of the repository (npm install runs it too).\n',
  );
  process.exit(1);
}
await import(built.href);
