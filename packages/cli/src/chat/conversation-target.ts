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
    };
  }
  if (loaded.target.kind === 'custom') {
    return {
      url: loaded.target.url,
      apiKey: key ?? 'local',
      engine: null,
      description: `Talking to ${loaded.target.url}.`,
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
  };
}

/** How a conversation's target is stored in the history: `embedded`, `openai`, or the URL without credentials. */
export function targetLabel(loaded: Loaded): string {
  if (loaded.target.kind !== 'custom') return loaded.target.kind;
  try {
    const url = new URL(loaded.target.url);
    url.username = '';
    url.password = '';
    url.search = '';
    return url.toString();
  } catch {
    return 'custom';
  }
}
