import { runChat } from './chat/chat-command.js';
import { helpText, parseCommandLine } from './cli-args.js';
import { EXIT_OK, EXIT_USAGE } from './cli-io.js';
import type { CliIo } from './cli-io.js';
import { runEngine } from './engine-command.js';
import { runHistory } from './history/history-command.js';
import { cliVersion } from './version.js';

/**
 * The `realtime-assistant` command tree: `chat` (default), `engine`, `history`, and `web` (coming). Takes the
 * arguments after the program name; resolves with the exit code (2 for bad flags or settings). Touches the world
 * only through `io`.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(argv);
  if (!parsed.ok) {
    io.stderr.write(
      `realtime-assistant: ${parsed.message}\nRun 'realtime-assistant --help' for the flags.\n`,
    );
    return EXIT_USAGE;
  }
  switch (parsed.command) {
    case 'help':
      io.stdout.write(helpText());
      return EXIT_OK;
    case 'version':
      io.stdout.write(`${cliVersion()}\n`);
      return EXIT_OK;
    case 'chat':
      return runChat(parsed.args, io);
    case 'engine':
      return runEngine(parsed.rest, io);
    case 'history':
      return runHistory(parsed.rest, io);
    case 'web':
      io.stderr.write(`realtime-assistant ${parsed.command}: coming in a later release.\n`);
      return EXIT_USAGE;
  }
}
