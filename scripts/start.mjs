// `npm start`: runs the product on the embedded default.
// The CLI voice assistant is not built yet; until it is, this starts the LocalRealtime engine if it is built.
import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const engineBin = fileURLToPath(
  new URL('../packages/engine/dist/bin/local-realtime.js', import.meta.url),
);
if (!existsSync(engineBin)) {
  console.log('Realtime Assistant: the CLI voice assistant is coming. Nothing to start yet.');
  process.exit(0);
}
const child = spawn(process.execPath, [engineBin, ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
