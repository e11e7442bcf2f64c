import { ConnectError, urlWithoutSecrets } from '@realtime-assistant/assistant';
import type { LoadConfigResult } from '@realtime-assistant/assistant';
import { createEngine } from '@realtime-assistant/engine';
import type { LocalRealtimeEngine } from '@realtime-assistant/engine';
import type { Logger } from 'pino';

type Loaded = Extract<LoadConfigResult, { ok: true }>;

/** Where the conversation goes, and the embedded engine when the CLI started one. */
export interface ConversationTarget {
  readonly url: string;
  readonly apiKey: string;
  readonly engine: LocalRealtimeEngine | null;
  /** A sentence for the screen. */
  readonly description: string;
  /** What to do when the first connection fails (said after the reason). */
  readonly connectHint: string;
  /** What to do when the server refuses the key. */
  readonly keyHint: string;
}

/**
 * OpenAI (with a key), a given URL, or an embedded LocalRealtime engine started in-process on a free loopback
 * port. Throws when the embedded engine cannot start (a bad scenario, for one).
 */
export async function openTarget(
  loaded: Loaded,
  scenario: string,
  logger: Logger,
): Promise<ConversationTarget> {
  const key = loaded.config.api.apiKey?.reveal();
  if (loaded.target.kind === 'openai') {
    return {
      url: loaded.target.url,
      apiKey: key ?? '',
      engine: null,
      description: `Talking to OpenAI (${loaded.config.api.model}).`,
      connectHint:
        'Check the network, or leave OPENAI_API_KEY unset to talk to the embedded offline engine.',
      keyHint:
        'Check OPENAI_API_KEY (in the environment or .env), or leave it unset to talk to the embedded offline engine.',
    };
  }
  if (loaded.target.kind === 'custom') {
    return {
      url: loaded.target.url,
      apiKey: key ?? 'local',
      engine: null,
      description: `Talking to ${loaded.target.url}.`,
      connectHint:
        'Is a Realtime server running there? Start one with `realtime-assistant engine`, or leave out --base-url (REALTIME_URL) to use the embedded engine.',
      keyHint:
        'Set OPENAI_API_KEY to a key that server accepts (for local-realtime, one of its --api-key values).',
    };
  }
  const timeZone = loaded.config.scheduler.timeZone;
  const engine = await createEngine({
    port: 0,
    host: '127.0.0.1',
    scenario,
    // Dates the scenario reads ("tomorrow at 3 pm") are in the desk's zone, as the tools read them.
    ...(timeZone ? { timeZone } : {}),
    logger: logger.child({ component: 'engine' }),
  });
  const info = await engine.listen();
  return {
    url: info.url,
    apiKey: 'local',
    engine,
    description: `No OPENAI_API_KEY: talking to the embedded LocalRealtime engine (scenario: ${engine.scenario.name}).`,
    connectHint: 'The embedded engine did not answer: run with --debug and see the log for why.',
    keyHint:
      'The embedded engine refused the connection: run with --debug and see the log for why.',
  };
}

/** How a conversation's target is stored in the history: `embedded`, `openai`, or the URL without credentials. */
export function targetLabel(loaded: Loaded): string {
  if (loaded.target.kind !== 'custom') return loaded.target.kind;
  return urlWithoutSecrets(loaded.target.url) ?? 'custom';
}

/** "Could not connect to <url>: <reason>. <what to do>" (any other failure as its message). */
export function connectFailureText(error: unknown, target: ConversationTarget): string {
  if (error instanceof ConnectError) {
    const refusedKey = error.code === 'invalid_api_key' || /\b(?:401|403)\b/.test(error.reason);
    return `${error.message} ${refusedKey ? target.keyHint : target.connectHint}`;
  }
  return `Could not connect: ${error instanceof Error ? error.message : String(error)}`;
}
