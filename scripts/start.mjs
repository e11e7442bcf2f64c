// `npm start`: the voice assistant, `realtime-assistant chat` (extra arguments pass through: `npm start -- --text`;
// a command name first picks another command: `npm start -- engine`).
// Runs the built CLI in this process; before a build, runs it from its TypeScript sources through tsx.
import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const built = fileURLToPath(
  new URL('../packages/cli/dist/bin/realtime-assistant.js', import.meta.url),
);
const given = process.argv.slice(2);
const args = given[0] !== undefined && !given[0].startsWith('-') ? given : ['chat', ...given];
if (existsSync(built)) {
  process.argv = [process.argv[0], built, ...args];
  await import(built);
} else {
  const source = fileURLToPath(
    new URL('../packages/cli/src/bin/realtime-assistant.ts', import.meta.url),
  );
  const tsx = fileURLToPath(new URL('../node_modules/tsx/dist/esm/index.mjs', import.meta.url));
  const child = spawn(process.execPath, ['--conditions=source', '--import', tsx, source, ...args], {
    stdio: 'inherit',
  });
  child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
  // Ctrl+C reaches the child through the terminal; the child decides when to exit.
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => undefined);
}
