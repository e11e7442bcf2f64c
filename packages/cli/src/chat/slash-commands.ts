/** What the slash commands act on; the chat session implements it. */
export interface ChatActions {
  quit(): void;
  restart(): Promise<void>;
  pause(): void;
  resume(): void;
  interrupt(): void;
  /** Lines describing the session now. */
  status(): string[];
  toggleTimestamps(): boolean;
  toggleCompact(): boolean;
  print(text: string): void;
  notice(text: string): void;
}

/** The slash commands and what they do, for `/help`. */
export const SLASH_COMMANDS: readonly (readonly [string, string])[] = [
  ['/quit', 'end the session'],
  ['/help', 'this list'],
  ['/restart', 'start a new conversation'],
  ['/pause', 'stop listening and mute the assistant'],
  ['/resume', 'listen and speak again'],
  ['/interrupt', 'stop the current reply'],
  ['/status', 'connection, turn, mode and usage'],
  ['/timestamps', 'show or hide timestamps'],
  ['/compact', 'compact transcript on or off'],
];

/** The `/help` text. */
export function slashHelp(): string {
  return [
    'Commands:',
    ...SLASH_COMMANDS.map(([name, what]) => `  ${name.padEnd(12)} ${what}`),
    'Anything else is sent as a message; "goodbye" ends the conversation.',
  ].join('\n');
}

/** Runs one slash command line (`/pause`); unknown commands are answered with the list. */
export async function runSlashCommand(line: string, actions: ChatActions): Promise<void> {
  const name = line.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  switch (name) {
    case '/quit':
    case '/exit':
      return actions.quit();
    case '/help':
      return actions.print(slashHelp());
    case '/restart':
      actions.notice('Restarting: a new conversation…');
      return actions.restart();
    case '/pause':
      actions.pause();
      return actions.notice(
        'Paused: the microphone is off and the assistant is muted. /resume to go on.',
      );
    case '/resume':
      actions.resume();
      return actions.notice('Resumed.');
    case '/interrupt':
      actions.interrupt();
      return actions.notice('Interrupt: the current reply is stopped.');
    case '/status':
      return actions.print(actions.status().join('\n'));
    case '/timestamps':
      return actions.notice(`Timestamps ${actions.toggleTimestamps() ? 'on' : 'off'}.`);
    case '/compact':
      return actions.notice(`Compact mode ${actions.toggleCompact() ? 'on' : 'off'}.`);
    default:
      return actions.print(`Unknown command ${name}.\n${slashHelp()}`);
  }
}
