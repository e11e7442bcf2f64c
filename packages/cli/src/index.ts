/** @realtime-assistant/cli — the `realtime-assistant` command and its audio device layer. */
export { main } from './main.js';
export { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, processIo } from './cli-io.js';
export type { CliIo } from './cli-io.js';
export { CHAT_FLAGS, COMMANDS, helpText, parseCommandLine } from './cli-args.js';
export type { ChatArgs, CommandName, ParsedCommandLine } from './cli-args.js';
export { TerminalUi } from './chat/terminal-ui.js';
export type { TerminalUiOptions, UiOutput } from './chat/terminal-ui.js';
export { isGoodbye } from './chat/farewell.js';
export { SLASH_COMMANDS, runSlashCommand, slashHelp } from './chat/slash-commands.js';
export type { ChatActions } from './chat/slash-commands.js';
export * from './audio/index.js';
