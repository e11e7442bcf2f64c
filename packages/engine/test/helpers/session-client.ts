import type { LocalRealtimeHandle } from '../../src/testing/index.js';
import type { Json, TestClient } from './ws-client.js';
import { connect } from './ws-client.js';

/** A connected client with helpers to send events and read server events in order. */
export interface SessionClient extends TestClient {
  send(event: Json): void;
  /** Server events up to and including the first of `type` (rejects if the socket closes first). */
  until(type: string): Promise<Json[]>;
  /** The next event, which must be of `type`. */
  expectNext(type: string): Promise<Json>;
  close(): Promise<void>;
}

export async function openSession(
  engine: LocalRealtimeHandle,
  options: {
    query?: string;
    headers?: Record<string, string>;
    protocols?: string[];
    ca?: string;
  } = {},
): Promise<SessionClient> {
  const client = connect(`${engine.url}?${options.query ?? 'model=gpt-realtime'}`, {
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.protocols ? { protocols: options.protocols } : {}),
    ...(options.ca ? { ca: options.ca } : {}),
  });
  await client.opened;
  return wrap(client);
}

export function wrap(client: TestClient): SessionClient {
  return {
    ...client,
    send: (event) => client.ws.send(JSON.stringify(event)),
    async until(type) {
      const events: Json[] = [];
      for (;;) {
        const event = await client.next();
        events.push(event);
        if (event.type === type) return events;
      }
    },
    async expectNext(type) {
      const event = await client.next();
      if (event.type !== type) {
        throw new Error(
          `expected ${type}, got ${String(event.type)}: ${JSON.stringify(event).slice(0, 300)}`,
        );
      }
      return event;
    },
    async close() {
      client.ws.close();
      await client.closed;
    },
  };
}

/** Event types in order, with deltas of one kind collapsed to one entry (`type*`). */
export function shape(events: Json[]): string[] {
  const out: string[] = [];
  for (const event of events) {
    const type = String(event.type);
    const collapsed = type.endsWith('.delta') ? `${type}*` : type;
    if (collapsed.endsWith('*') && out.at(-1) === collapsed) continue;
    out.push(collapsed);
  }
  return out;
}

/** A user text message. */
export function userText(text: string, eventId?: string): Json {
  return {
    type: 'conversation.item.create',
    ...(eventId ? { event_id: eventId } : {}),
    item: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] },
  };
}
