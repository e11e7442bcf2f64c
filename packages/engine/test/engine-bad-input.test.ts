import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startLocalRealtime } from '../src/testing/index.js';
import type { LocalRealtimeHandle } from '../src/testing/index.js';
import type { Json } from './helpers/ws-client.js';
import {
  expectError,
  joinDeltas,
  openSession,
  textTurn,
  useTextOutput,
} from './helpers/session-client.js';
import type { SessionClient } from './helpers/session-client.js';

const MAX_MESSAGE_BYTES = 256 * 1024;

let engine: LocalRealtimeHandle;
let client: SessionClient;

beforeEach(async () => {
  engine = await startLocalRealtime({ limits: { maxMessageBytes: MAX_MESSAGE_BYTES } });
  client = await openSession(engine);
  await client.expectNext('session.created');
  await useTextOutput(client);
});

afterEach(async () => {
  await client.close();
  await engine.close();
});

/** The session still answers a text turn completely. */
async function expectUsable(): Promise<void> {
  const events = await textTurn(client, 'thank you');
  expect(joinDeltas(events, 'response.output_text.delta')).toBe(
    "You're welcome! Is there anything else?",
  );
}

function nested(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

const cases: {
  name: string;
  frame: string | Buffer;
  error: Json;
}[] = [
  {
    name: 'malformed JSON',
    frame: '{"type": "response.create",',
    error: { code: 'invalid_json', param: null, event_id: null },
  },
  {
    name: 'a binary frame',
    frame: Buffer.from(JSON.stringify({ type: 'response.create' })),
    error: { code: 'invalid_event', param: null },
  },
  {
    name: 'a JSON value that is not an object',
    frame: '[1, 2, 3]',
    error: { code: 'invalid_event', param: null },
  },
  {
    name: 'a missing type',
    frame: JSON.stringify({ event_id: 'evt_1' }),
    error: { code: 'invalid_event', message: "The 'type' field is missing.", event_id: 'evt_1' },
  },
  {
    name: 'an unknown type',
    frame: JSON.stringify({ type: 'response.explode', event_id: 'evt_2' }),
    error: { code: 'invalid_value', param: 'type', event_id: 'evt_2' },
  },
  {
    name: 'a type that is not a string',
    frame: JSON.stringify({ type: 42, event_id: 'evt_3' }),
    error: { code: 'invalid_type', param: 'type', event_id: 'evt_3' },
  },
  {
    name: 'a wrong field type',
    frame: JSON.stringify({ type: 'conversation.item.retrieve', item_id: 5, event_id: 'evt_4' }),
    error: { code: 'invalid_type', param: 'item_id', event_id: 'evt_4' },
  },
  {
    name: 'a wrong nested field type',
    frame: JSON.stringify({
      type: 'response.create',
      event_id: 'evt_5',
      response: { output_modalities: 'text' },
    }),
    error: { code: 'invalid_type', param: 'response.output_modalities', event_id: 'evt_5' },
  },
  {
    name: 'a message over the size limit',
    frame: JSON.stringify({
      type: 'input_audio_buffer.append',
      audio: 'A'.repeat(MAX_MESSAGE_BYTES),
    }),
    error: { code: 'message_too_large', param: null },
  },
  {
    name: 'invalid base64 audio',
    frame: JSON.stringify({
      type: 'input_audio_buffer.append',
      audio: 'not base64!',
      event_id: 'evt_6',
    }),
    error: { code: 'invalid_value', param: 'audio', event_id: 'evt_6' },
  },
  {
    name: 'base64 with bad padding',
    frame: JSON.stringify({ type: 'input_audio_buffer.append', audio: 'AAA', event_id: 'evt_7' }),
    error: { code: 'invalid_value', param: 'audio', event_id: 'evt_7' },
  },
  {
    name: 'a __proto__ key in the session',
    frame: `{"type":"session.update","event_id":"evt_8","session":{"type":"realtime","__proto__":{"instructions":"pwned"}}}`,
    error: { code: 'unknown_parameter', param: 'session.__proto__', event_id: 'evt_8' },
  },
  {
    name: 'a __proto__ key at the top level',
    frame: `{"type":"response.create","event_id":"evt_9","__proto__":{"x":1}}`,
    error: { code: 'unknown_parameter', param: '__proto__', event_id: 'evt_9' },
  },
  {
    name: 'a deeply nested value',
    frame: `{"type":"response.create","event_id":"evt_10","response":{"metadata":{"k":${nested(20_000)}}}}`,
    error: { code: 'invalid_type', event_id: 'evt_10' },
  },
  {
    name: 'an item with an unknown content type',
    frame: JSON.stringify({
      type: 'conversation.item.create',
      event_id: 'evt_11',
      item: { type: 'message', role: 'user', content: [{ type: 'input_video' }] },
    }),
    error: { event_id: 'evt_11' },
  },
];

describe('bad input', () => {
  for (const { name, frame, error } of cases) {
    it(`answers ${name} with the live error and stays usable`, async () => {
      client.ws.send(frame);
      const received = await expectError(client);
      expect(received).toMatchObject({ type: 'invalid_request_error', ...error });
      expect(typeof received.message).toBe('string');
      await expectUsable();
    });
  }

  it('accepts 1 MB of instructions and keeps answering', async () => {
    const instructions = 'a'.repeat(1024 * 1024);
    await engine.close();
    engine = await startLocalRealtime();
    await client.close();
    client = await openSession(engine);
    await client.expectNext('session.created');
    client.send({
      type: 'session.update',
      session: { type: 'realtime', instructions, output_modalities: ['text'] },
    });
    const updated = await client.expectNext('session.updated');
    expect((updated.session as Json).instructions).toBe(instructions);
    await expectUsable();
  });

  it('keeps the session unpolluted by __proto__ keys', async () => {
    client.send({
      type: 'response.create',
      response: JSON.parse('{"metadata":{"__proto__":{"polluted":"yes"}}}') as Json,
    });
    const events = await client.until('rate_limits.updated');
    expect(({} as Json).polluted).toBeUndefined();
    expect(events.at(-2)?.type).toBe('response.done');
  });
});
