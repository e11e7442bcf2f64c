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

/** Switches the session to text output and waits for the echo. */
export async function useTextOutput(client: SessionClient): Promise<Json> {
  client.send({
    type: 'session.update',
    session: { type: 'realtime', output_modalities: ['text'] },
  });
  return client.expectNext('session.updated');
}

/** The `error` object of the next event, which must be an `error`. */
export async function expectError(client: SessionClient): Promise<Json> {
  const event = await client.expectNext('error');
  return event.error as Json;
}

/** One event of `type` from `events` (throws when there is none). */
export function eventOf(events: Json[], type: string): Json {
  const event = events.find((e) => e.type === type);
  if (!event) throw new Error(`no ${type} in ${shape(events).join(', ')}`);
  return event;
}

/** The concatenated `delta` strings of every event of `type`. */
export function joinDeltas(events: Json[], type: string): string {
  return events
    .filter((e) => e.type === type)
    .map((e) => String(e.delta))
    .join('');
}

/** The decoded bytes of every `response.output_audio.delta` in `events`. */
export function audioBytes(events: Json[], type = 'response.output_audio.delta'): Buffer {
  return Buffer.concat(
    events.filter((e) => e.type === type).map((e) => Buffer.from(String(e.delta), 'base64')),
  );
}

/** `ms` of 24 kHz PCM16 silence-free noise (a low tone), base64, for `input_audio_buffer.append`. */
export function pcmBase64(ms: number): string {
  const samples = Math.round(ms * 24);
  const bytes = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) bytes.writeInt16LE(Math.round(3000 * Math.sin(i / 10)), i * 2);
  return bytes.toString('base64');
}

/** A text turn: sends a user message and `response.create`, returns the events up to `rate_limits.updated`. */
export async function textTurn(client: SessionClient, text = 'Hello there'): Promise<Json[]> {
  client.send(userText(text));
  client.send({ type: 'response.create' });
  return client.until('rate_limits.updated');
}
