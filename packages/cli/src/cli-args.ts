import { parseArgs } from 'node:util';
import { AppConfigSchema } from '@realtime-assistant/assistant';
import type { TypedWhileAnswering } from '@realtime-assistant/assistant';

/** The sub-commands; `web` is announced but not built yet. */
export const COMMANDS = ['chat', 'engine', 'web', 'history'] as const;
export type CommandName = (typeof COMMANDS)[number];

type FlagType = 'string' | 'boolean';
interface FlagSpec {
  readonly type: FlagType;
  readonly description: string;
  /** Shown in `--help`; `config` = taken from the assistant's config defaults. */
  readonly shown?: string;
  readonly short?: string;
  /** Passed to `loadConfig` as a config flag (same name). */
  readonly config?: boolean;
  /** Accepted only so that `loadConfig` can refuse it with a readable reason. */
  readonly hidden?: boolean;
}

const defaults = AppConfigSchema.parse({});

/** The `chat` flags, in `--help` order. */
export const CHAT_FLAGS: Readonly<Record<string, FlagSpec>> = {
  'assistant-id': {
    type: 'string',
    config: true,
    description: 'a stored prompt id (pmpt_…) sent as the session prompt, or a local profile name',
  },
  instructions: { type: 'string', config: true, description: 'system instructions' },
  voice: { type: 'string', config: true, shown: defaults.api.voice, description: 'voice' },
  model: { type: 'string', config: true, shown: defaults.api.model, description: 'model' },
  temperature: {
    type: 'string',
    config: true,
    description: '0.6–1.2; beta protocol only (a warning on GA)',
  },
  protocol: {
    type: 'string',
    config: true,
    shown: defaults.api.protocol,
    description: 'ga or beta',
  },
  'base-url': {
    type: 'string',
    config: true,
    description: 'a realtime ws(s):// URL (default: OpenAI with OPENAI_API_KEY, else embedded)',
  },
  'vad-threshold': {
    type: 'string',
    config: true,
    shown: String(defaults.turnDetection.threshold),
    description: 'server VAD threshold, 0–1',
  },
  'silence-ms': {
    type: 'string',
    config: true,
    shown: String(defaults.turnDetection.silenceMs),
    description: 'silence that ends a turn, ms',
  },
  'prefix-ms': {
    type: 'string',
    config: true,
    shown: String(defaults.turnDetection.prefixMs),
    description: 'audio kept before speech starts, ms',
  },
  greet: { type: 'boolean', shown: 'false', description: 'the assistant speaks first' },
  'type-over': {
    type: 'string',
    description:
      'typing during a reply: interrupt or queue (default: interrupt at a terminal, queue when piped)',
  },
  'save-recordings': {
    type: 'boolean',
    config: true,
    shown: 'false',
    description: `a stereo WAV per session (left you, right the assistant) in ${defaults.audio.recordingsDir}/`,
  },
  'audio-file': {
    type: 'string',
    description: 'stream a WAV as the microphone, print the transcripts, save the reply audio',
  },
  fast: {
    type: 'boolean',
    shown: 'false',
    description: 'with --audio-file: faster than real time',
  },
  out: {
    type: 'string',
    description: 'with --audio-file: the reply WAV (default <file>.reply.wav)',
  },
  json: { type: 'boolean', shown: 'false', description: 'NDJSON of every app event on stdout' },
  debug: { type: 'boolean', shown: 'false', description: 'debug logging, also on stderr' },
  'list-devices': { type: 'boolean', description: 'list audio devices and exit' },
  'input-device': { type: 'string', config: true, description: 'microphone device' },
  'output-device': { type: 'string', config: true, description: 'speaker device' },
  text: { type: 'boolean', shown: 'false', description: 'text mode: type instead of speaking' },
  scenario: {
    type: 'string',
    description:
      "the embedded engine scenario (a name or a YAML path; default: the assistant's, e.g. scheduler)",
  },
  'data-dir': {
    type: 'string',
    config: true,
    shown: defaults.storage.dataDir,
    description:
      'where conversations and appointments are stored (SQLite; DATABASE_URL for PostgreSQL)',
  },
  'time-zone': {
    type: 'string',
    config: true,
    description: "the appointment desk's IANA time zone (default: this machine's)",
  },
  'log-dir': {
    type: 'string',
    config: true,
    shown: defaults.logging.dir,
    description: 'log directory',
  },
  'log-level': {
    type: 'string',
    config: true,
    shown: defaults.logging.level,
    description: 'log level of the log files',
  },
  help: { type: 'boolean', short: 'h', description: 'this help' },
  'api-key': { type: 'string', hidden: true, description: '' },
  'openai-api-key': { type: 'string', hidden: true, description: '' },
  key: { type: 'string', hidden: true, description: '' },
};

/** Parsed `chat` flags: config flags for `loadConfig`, and the CLI's own. */
export interface ChatArgs {
  readonly configFlags: Record<string, string | boolean>;
  readonly greet: boolean;
  /** `--type-over`; unset = interrupt at a terminal, queue for piped input. */
  readonly typeOver?: TypedWhileAnswering;
  readonly audioFile?: string;
  readonly fast: boolean;
  readonly out?: string;
  readonly json: boolean;
  readonly debug: boolean;
  readonly listDevices: boolean;
  readonly text: boolean;
  /** The embedded engine's scenario; unset = the assistant profile's. */
  readonly scenario?: string;
  readonly help: boolean;
}

/** The outcome of {@link parseCommandLine}. */
export type ParsedCommandLine =
  | { ok: true; command: 'chat'; args: ChatArgs }
  | { ok: true; command: Exclude<CommandName, 'chat'>; rest: string[] }
  | { ok: true; command: 'help' }
  | { ok: true; command: 'version' }
  | { ok: false; message: string };

/** Splits off the sub-command (default `chat`) and parses the chat flags. Never throws. */
export function parseCommandLine(argv: readonly string[]): ParsedCommandLine {
  const [first, ...others] = argv;
  if (first === 'help') return { ok: true, command: 'help' };
  if (argv.length === 1 && (first === '--version' || first === '-v')) {
    return { ok: true, command: 'version' };
  }
  if (first !== undefined && !first.startsWith('-')) {
    if (!(COMMANDS as readonly string[]).includes(first)) {
      return {
        ok: false,
        message: `unknown command "${first}"; the commands are ${COMMANDS.join(', ')}.`,
      };
    }
    if (first !== 'chat')
      return { ok: true, command: first as Exclude<CommandName, 'chat'>, rest: others };
    return parseChat(others);
  }
  return parseChat(argv);
}

function parseChat(argv: readonly string[]): ParsedCommandLine {
  const options: Record<string, { type: FlagType; short?: string }> = {};
  for (const [name, spec] of Object.entries(CHAT_FLAGS)) {
    options[name] = spec.short ? { type: spec.type, short: spec.short } : { type: spec.type };
  }
  let values: Record<string, string | boolean | undefined>;
  try {
    const parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false });
    values = parsed.values;
  } catch (error) {
    return { ok: false, message: readableParseError(error) };
  }
  const configFlags: Record<string, string | boolean> = {};
  for (const [name, spec] of Object.entries(CHAT_FLAGS)) {
    const value = values[name];
    if (value !== undefined && (spec.config || spec.hidden)) configFlags[name] = value;
  }
  if (values.debug === true && configFlags['log-level'] === undefined) {
    configFlags['log-level'] = 'debug';
  }
  const str = (name: string): string | undefined =>
    typeof values[name] === 'string' ? values[name] : undefined;
  const audioFile = str('audio-file');
  const out = str('out');
  const scenario = str('scenario');
  const typeOver = str('type-over');
  if (typeOver !== undefined && typeOver !== 'interrupt' && typeOver !== 'queue') {
    return { ok: false, message: `--type-over: "${typeOver}" is not interrupt or queue.` };
  }
  return {
    ok: true,
    command: 'chat',
    args: {
      configFlags,
      greet: values.greet === true,
      ...(typeOver !== undefined ? { typeOver } : {}),
      ...(audioFile !== undefined ? { audioFile } : {}),
      fast: values.fast === true,
      ...(out !== undefined ? { out } : {}),
      json: values.json === true,
      debug: values.debug === true,
      listDevices: values['list-devices'] === true,
      text: values.text === true,
      ...(scenario !== undefined ? { scenario } : {}),
      help: values.help === true,
    },
  };
}

function readableParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const unknown = /Unknown option '([^']+)'/.exec(message);
  if (unknown) return `unknown flag ${unknown[1]}.`;
  const missing = /Option '([^']+?)(?: <value>)?' argument missing/.exec(message);
  if (missing) return `${missing[1]} needs a value.`;
  return message.split('\n')[0] ?? message;
}

/** The `--help` text: commands, then every chat flag with its default. */
export function helpText(): string {
  const lines = [
    'Usage: realtime-assistant [command] [flags]',
    '',
    'A voice assistant in the terminal: OpenAI Realtime with OPENAI_API_KEY, otherwise the embedded',
    'LocalRealtime engine. Settings: defaults < .env < environment < flags. Keys only from the environment.',
    '',
    'Commands:',
    '  chat      talk to the assistant (default)',
    '  engine    run the LocalRealtime engine (engine --help for its flags)',
    '  web       the browser assistant (coming)',
    '  history   past conversations: list, show <id>, export <id> (history --help)',
    '',
    'Chat flags:',
  ];
  for (const [name, spec] of Object.entries(CHAT_FLAGS)) {
    if (spec.hidden) continue;
    const flag = `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.type === 'string' ? ' <value>' : ''}`;
    const shown = spec.shown !== undefined ? ` (default: ${spec.shown})` : '';
    lines.push(`  ${flag.padEnd(28)} ${spec.description}${shown}`);
  }
  lines.push(
    '',
    'Assistants (--assistant-id): default (a general assistant), scheduler (an appointment desk that books,',
    'moves and cancels appointments through tools). Past conversations: realtime-assistant history.',
    '',
    'Other: realtime-assistant --version prints the version.',
    '',
    'In the chat: /quit /help /restart /pause /resume /interrupt /status /timestamps /compact;',
    'any other line is sent as a message; "goodbye" ends the conversation.',
    '',
  );
  return lines.join('\n');
}
