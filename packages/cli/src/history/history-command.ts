import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  conversationToJson,
  conversationToMarkdown,
  formatConversationList,
  formatConversationText,
  loadConfig,
  openStorage,
} from '@realtime-assistant/assistant';
import type { Storage } from '@realtime-assistant/assistant';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../cli-io.js';
import type { CliIo } from '../cli-io.js';

const HELP = `Usage: realtime-assistant history [list] [--limit <n>]
       realtime-assistant history show <id>
       realtime-assistant history export <id> --format json|md [--output <file>]

Past conversations, newest first. <id> is a conversation id or any unique prefix of it (the list shows 8
characters). Stored in <data-dir>/realtime-assistant.db (SQLite), or in PostgreSQL when DATABASE_URL is set.

Flags:
  --limit <n>           how many to list (default: 20)
  --format json|md      export format (default: md)
  --output <file>       write the export to a file (default: stdout)
  --data-dir <dir>      where the SQLite database lives (default: data)
  --time-zone <zone>    show times in this IANA zone (default: this machine's)
  -h, --help            this help
`;

const FLAGS = {
  limit: { type: 'string' },
  format: { type: 'string' },
  output: { type: 'string' },
  'data-dir': { type: 'string' },
  'time-zone': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type HistoryRequest =
  | { action: 'list'; limit: number }
  | { action: 'show'; id: string }
  | { action: 'export'; id: string; format: 'json' | 'md'; output?: string };

/** `realtime-assistant history`: lists, shows and exports stored conversations. Resolves with the exit code. */
export async function runHistory(argv: readonly string[], io: CliIo): Promise<number> {
  let values: { [K in keyof typeof FLAGS]?: string | boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      options: FLAGS,
      strict: true,
      allowPositionals: true,
    }));
  } catch (error) {
    return usage(io, error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error));
  }
  if (values.help === true) {
    io.stdout.write(HELP);
    return EXIT_OK;
  }
  const request = toRequest(positionals, values);
  if (typeof request === 'string') return usage(io, request);

  const flags: Record<string, string> = {};
  if (typeof values['data-dir'] === 'string') flags['data-dir'] = values['data-dir'];
  if (typeof values['time-zone'] === 'string') flags['time-zone'] = values['time-zone'];
  const loaded = loadConfig({ flags, env: io.env, cwd: io.cwd });
  if (!loaded.ok) {
    for (const error of loaded.errors)
      io.stderr.write(`realtime-assistant history: ${error.message}\n`);
    return EXIT_USAGE;
  }
  const { config } = loaded;
  const timeZone = config.scheduler.timeZone;
  const formatOptions = timeZone ? { timeZone } : {};

  let storage: Storage;
  try {
    storage = await openStorage({
      dataDir: resolve(io.cwd, config.storage.dataDir),
      databaseUrl: config.storage.databaseUrl?.reveal(),
    });
  } catch (error) {
    io.stderr.write(`realtime-assistant history: ${messageOf(error)}\n`);
    return EXIT_FAILURE;
  }
  try {
    if (request.action === 'list') {
      const list = await storage.conversations.list({ limit: request.limit });
      io.stdout.write(formatConversationList(list, formatOptions));
      return EXIT_OK;
    }
    const found = await storage.conversations.find(request.id);
    if (!found.found) {
      io.stderr.write(
        found.reason === 'ambiguous'
          ? `realtime-assistant history: "${request.id}" names more than one conversation; give more of its id.\n`
          : `realtime-assistant history: no conversation "${request.id}". 'realtime-assistant history' lists them.\n`,
      );
      return EXIT_FAILURE;
    }
    const { conversation, items } = found;
    if (request.action === 'show') {
      io.stdout.write(formatConversationText(conversation, items, formatOptions));
      return EXIT_OK;
    }
    const text =
      request.format === 'json'
        ? conversationToJson(conversation, items)
        : conversationToMarkdown(conversation, items, formatOptions);
    if (request.output === undefined) {
      io.stdout.write(text);
      return EXIT_OK;
    }
    const path = resolve(io.cwd, request.output);
    try {
      writeFileSync(path, text);
    } catch (error) {
      io.stderr.write(`realtime-assistant history: could not write ${path}: ${messageOf(error)}\n`);
      return EXIT_FAILURE;
    }
    io.stdout.write(`Wrote ${path}\n`);
    return EXIT_OK;
  } catch (error) {
    io.stderr.write(`realtime-assistant history: ${messageOf(error)}\n`);
    return EXIT_FAILURE;
  } finally {
    await storage.close().catch(() => undefined);
  }
}

function toRequest(
  positionals: readonly string[],
  values: { [K in keyof typeof FLAGS]?: string | boolean },
): HistoryRequest | string {
  const [action = 'list', id, ...extra] = positionals;
  if (extra.length > 0) return `unexpected argument "${extra[0]}".`;
  if (action === 'list') {
    if (id !== undefined) return `unexpected argument "${id}".`;
    const limitText = typeof values.limit === 'string' ? values.limit : '20';
    const limit = Number(limitText);
    if (!/^\d+$/.test(limitText) || limit < 1 || limit > 10_000) {
      return `--limit: "${limitText}" is not a whole number from 1 to 10000.`;
    }
    return { action: 'list', limit };
  }
  if (action !== 'show' && action !== 'export') {
    return `unknown history command "${action}"; use list, show or export.`;
  }
  if (id === undefined || id.trim() === '') return `history ${action} needs a conversation id.`;
  if (action === 'show') return { action, id };
  const format = typeof values.format === 'string' ? values.format : 'md';
  if (format !== 'json' && format !== 'md') return `--format: "${format}" is not json or md.`;
  return {
    action,
    id,
    format,
    ...(typeof values.output === 'string' ? { output: values.output } : {}),
  };
}

function usage(io: CliIo, message: string): number {
  io.stderr.write(
    `realtime-assistant history: ${message}\nRun 'realtime-assistant history --help' for the flags.\n`,
  );
  return EXIT_USAGE;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
