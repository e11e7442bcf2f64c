import { afterEach, describe, expect, it } from 'vitest';
import { startLocalRealtime } from '../src/testing/index.js';
import type { LocalRealtimeHandle } from '../src/testing/index.js';
import type { Json } from './helpers/ws-client.js';
import {
  eventOf,
  expectError,
  joinDeltas,
  openSession,
  shape,
  textTurn,
  useTextOutput,
  userText,
} from './helpers/session-client.js';
import type { SessionClient } from './helpers/session-client.js';

let engine: LocalRealtimeHandle;
let client: SessionClient;

async function start(options: { speed?: number } = {}): Promise<void> {
  engine = await startLocalRealtime(options);
  client = await openSession(engine);
  await client.expectNext('session.created');
}

afterEach(async () => {
  await client.close();
  await engine.close();
});

const weatherTool = {
  type: 'function',
  name: 'get_weather',
  description: 'The weather in a city.',
  parameters: { type: 'object', properties: { city: { type: 'string' } } },
};

/** Events until `count` events of `type` were seen. */
async function untilCount(type: string, count: number): Promise<Json[]> {
  const events: Json[] = [];
  let seen = 0;
  while (seen < count) {
    const event = await client.next();
    events.push(event);
    if (event.type === type) seen += 1;
  }
  return events;
}

describe('response.create overrides', () => {
  it('uses output_modalities and metadata for one response and echoes them', async () => {
    await start();
    client.send(userText('Hello there'));
    client.send({
      type: 'response.create',
      response: { output_modalities: ['text'], metadata: { topic: 'greeting' } },
    });
    const events = await client.until('rate_limits.updated');
    expect(shape(events)).toContain('response.output_text.delta*');
    expect(shape(events)).not.toContain('response.output_audio.delta*');
    for (const type of ['response.created', 'response.done']) {
      expect(eventOf(events, type).response).toMatchObject({
        output_modalities: ['text'],
        metadata: { topic: 'greeting' },
      });
    }
    // The session keeps its own modalities.
    const next = await textTurn(client, 'thank you');
    expect(eventOf(next, 'response.done').response).toMatchObject({
      output_modalities: ['audio'],
      metadata: null,
    });
  });

  it('offers the tools given to the response and calls none with tool_choice none', async () => {
    await start();
    await useTextOutput(client);
    client.send(userText("what's the weather in Paris"));
    client.send({ type: 'response.create', response: { tools: [weatherTool] } });
    const withTool = await client.until('rate_limits.updated');
    expect(shape(withTool)).toContain('response.function_call_arguments.done');

    client.send(userText("what's the weather in Rome"));
    client.send({
      type: 'response.create',
      response: { tools: [weatherTool], tool_choice: 'none' },
    });
    const without = await client.until('rate_limits.updated');
    expect(shape(without)).not.toContain('response.function_call_arguments.done');
    const done = eventOf(without, 'response.done').response as Json;
    expect(done.status).toBe('completed');
    expect((done.output as Json[]).map((i) => i.type)).toEqual(['message']);
  });

  it('passes instructions to the reply and counts them as input tokens', async () => {
    await start();
    await useTextOutput(client);
    client.send(userText('thank you'));
    client.send({ type: 'response.create', response: { instructions: 'x'.repeat(4000) } });
    const long = eventOf(await client.until('rate_limits.updated'), 'response.done');
    client.send(userText('thank you'));
    client.send({ type: 'response.create', response: { instructions: 'short' } });
    const short = eventOf(await client.until('rate_limits.updated'), 'response.done');
    const tokens = (e: Json): number => ((e.response as Json).usage as Json).input_tokens as number;
    expect(tokens(long) - tokens(short)).toBeGreaterThanOrEqual(900);
  });

  it('stops at max_output_tokens with status incomplete and an incomplete item', async () => {
    await start();
    await useTextOutput(client);
    client.send(userText('help'));
    client.send({ type: 'response.create', response: { max_output_tokens: 3 } });
    const events = await client.until('rate_limits.updated');
    const done = eventOf(events, 'response.done').response as Json;
    expect(done).toMatchObject({
      status: 'incomplete',
      status_details: { type: 'incomplete', reason: 'max_output_tokens' },
      max_output_tokens: 3,
    });
    expect((done.usage as Json).output_tokens).toBeLessThanOrEqual(3);
    const text = joinDeltas(events, 'response.output_text.delta');
    expect(text.length).toBeGreaterThan(0);
    expect(text.length).toBeLessThanOrEqual(12);
    expect((done.output as Json[])[0]).toMatchObject({
      status: 'incomplete',
      content: [{ type: 'output_text', text }],
    });
    expect(eventOf(events, 'response.output_item.done').item).toMatchObject({
      status: 'incomplete',
    });
  });
});

describe('out-of-band responses', () => {
  it('answers from its input items and references, outside the default conversation', async () => {
    await start();
    await useTextOutput(client);
    client.send(userText('thank you'));
    const created = await client.until('conversation.item.done');
    const referenced = String((created[1]!.item as Json).id);
    client.send({
      type: 'response.create',
      response: {
        conversation: 'none',
        metadata: { purpose: 'summary' },
        input: [
          { type: 'item_reference', id: referenced },
          { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hello' }] },
        ],
      },
    });
    const events = await client.until('rate_limits.updated');
    expect(shape(events)).toEqual([
      'response.created',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta*',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.done',
      'rate_limits.updated',
    ]);
    const done = eventOf(events, 'response.done').response as Json;
    expect(done).toMatchObject({ conversation_id: null, metadata: { purpose: 'summary' } });
    // The last user message of the input decides the reply: a greeting.
    expect(joinDeltas(events, 'response.output_text.delta')).toMatch(/^(Hello|Hi there)!/);
    const outputId = String((done.output as Json[])[0]!.id);
    client.send({ type: 'conversation.item.retrieve', item_id: outputId });
    expect(await expectError(client)).toMatchObject({ code: 'item_retrieve_invalid_item_id' });
    // The default conversation still ends with the user's message.
    client.send(userText('one more'));
    expect((await client.until('conversation.item.done'))[0]!.previous_item_id).toBe(referenced);
  });

  it('runs while an in-band response runs', async () => {
    await start({ speed: 1 });
    await useTextOutput(client);
    client.send(userText('Hello there'));
    client.send({ type: 'response.create' });
    await client.until('response.output_text.delta');
    client.send({
      type: 'response.create',
      response: {
        conversation: 'none',
        input: [
          { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'thanks' }] },
        ],
      },
    });
    const events = await untilCount('rate_limits.updated', 2);
    const dones = events.filter((e) => e.type === 'response.done').map((e) => e.response as Json);
    expect(dones.map((r) => r.status)).toEqual(['completed', 'completed']);
    expect(dones.map((r) => r.conversation_id === null).sort()).toEqual([false, true]);
    expect(events.some((e) => e.type === 'error')).toBe(false);
  });
});

describe('response.cancel', () => {
  it('stops a paced response, still closing every open part, with status cancelled', async () => {
    await start({ speed: 1 });
    await useTextOutput(client);
    client.send(userText('help'));
    client.send({ type: 'response.create' });
    const head = await client.until('response.output_text.delta');
    const responseId = (eventOf(head, 'response.created').response as Json).id;
    client.send({ type: 'response.cancel' });
    const tail = await client.until('rate_limits.updated');
    expect(shape(tail).filter((t) => t !== 'response.output_text.delta*')).toEqual([
      'response.output_text.done',
      'response.content_part.done',
      'conversation.item.done',
      'response.output_item.done',
      'response.done',
      'rate_limits.updated',
    ]);
    const done = eventOf(tail, 'response.done').response as Json;
    expect(done).toMatchObject({
      id: responseId,
      status: 'cancelled',
      status_details: { type: 'cancelled', reason: 'client_cancelled' },
    });
    const sent = joinDeltas([...head, ...tail], 'response.output_text.delta');
    expect(eventOf(tail, 'response.output_text.done').text).toBe(sent);
    expect(eventOf(tail, 'response.output_item.done').item).toMatchObject({
      status: 'incomplete',
      content: [{ type: 'output_text', text: sent }],
    });
    // The full help text is far longer than what went out before the cancel.
    expect(sent.length).toBeLessThan(60);
    // Nothing is left to cancel.
    client.send({ type: 'response.cancel', event_id: 'evt_again' });
    expect(await expectError(client)).toMatchObject({
      code: 'response_cancel_not_active',
      event_id: 'evt_again',
    });
  });

  it('cancels a paced audio response and bounds truncation by the audio sent', async () => {
    await start({ speed: 1 });
    client.send(userText('play a tone'));
    client.send({ type: 'response.create' });
    const head = await client.until('response.output_audio.delta');
    client.send({
      type: 'response.cancel',
      response_id: (eventOf(head, 'response.created').response as Json).id,
    });
    const tail = await client.until('rate_limits.updated');
    const done = eventOf(tail, 'response.done').response as Json;
    expect(done.status).toBe('cancelled');
    const item = (done.output as Json[])[0]!;
    expect(item.status).toBe('incomplete');
    client.send({
      type: 'conversation.item.truncate',
      item_id: item.id,
      content_index: 0,
      audio_end_ms: 800,
    });
    const error = await expectError(client);
    expect(error.message).toMatch(/^Audio content of \d+ms is already shorter than 800ms$/);
  });

  it('refuses a cancel with nothing running, echoing the event id', async () => {
    await start();
    client.send({ type: 'response.cancel', event_id: 'evt_c' });
    expect(await expectError(client)).toMatchObject({
      type: 'invalid_request_error',
      code: 'response_cancel_not_active',
      event_id: 'evt_c',
    });
  });

  it('refuses a cancel naming another response and leaves the running one alone', async () => {
    await start({ speed: 1 });
    await useTextOutput(client);
    client.send(userText('Hello there'));
    client.send({ type: 'response.create' });
    await client.until('response.created');
    client.send({ type: 'response.cancel', response_id: 'resp_other', event_id: 'evt_w' });
    const events = await client.until('rate_limits.updated');
    expect(eventOf(events, 'error').error).toMatchObject({
      code: 'response_cancel_not_active',
      event_id: 'evt_w',
    });
    expect(eventOf(events, 'response.done').response).toMatchObject({ status: 'completed' });
  });
});

describe('one in-band response at a time', () => {
  it('refuses a second response.create while one runs, echoing the event id', async () => {
    await start();
    await useTextOutput(client);
    client.send(userText('Hello there'));
    client.send({ type: 'response.create', event_id: 'evt_1' });
    client.send({ type: 'response.create', event_id: 'evt_2' });
    const events = await client.until('rate_limits.updated');
    const error = eventOf(events, 'error').error as Json;
    expect(error).toMatchObject({
      type: 'invalid_request_error',
      code: 'conversation_already_has_active_response',
      event_id: 'evt_2',
    });
    const created = eventOf(events, 'response.created').response as Json;
    expect(String(error.message)).toContain(String(created.id));
    expect(events.filter((e) => e.type === 'response.created')).toHaveLength(1);
  });
});

describe('truncating audio that is still streaming', () => {
  it('leaves the response running when the truncate is refused', async () => {
    await start({ speed: 1 });
    client.send(userText('play a tone'));
    client.send({ type: 'response.create' });
    const head = await client.until('response.output_audio.delta');
    const itemId = (eventOf(head, 'response.output_item.added').item as Json).id;
    client.send({
      type: 'conversation.item.truncate',
      item_id: itemId,
      content_index: 0,
      audio_end_ms: 5000,
    });
    const events = await client.until('rate_limits.updated');
    expect(eventOf(events, 'error').error).toMatchObject({ param: 'audio_end_ms' });
    expect(eventOf(events, 'response.done').response).toMatchObject({ status: 'completed' });
  });

  it('stops the response and keeps the cut when the truncate is accepted', async () => {
    await start({ speed: 1 });
    client.send(userText('play a tone'));
    client.send({ type: 'response.create' });
    const head = await client.until('response.output_audio.delta');
    const itemId = (eventOf(head, 'response.output_item.added').item as Json).id;
    client.send({
      type: 'conversation.item.truncate',
      item_id: itemId,
      content_index: 0,
      audio_end_ms: 50,
    });
    const events = await client.until('rate_limits.updated');
    expect(shape(events).slice(0, 1)).toEqual(['conversation.item.truncated']);
    expect(eventOf(events, 'response.done').response).toMatchObject({ status: 'cancelled' });
    client.send({ type: 'conversation.item.retrieve', item_id: itemId });
    const retrieved = await client.expectNext('conversation.item.retrieved');
    const part = ((retrieved.item as Json).content as Json[])[0]!;
    expect(Buffer.from(String(part.audio), 'base64').length).toBe(50 * 48);
    expect(part.transcript).toBe('');
  });

  it('cancels a response that is still being prepared', async () => {
    await start();
    await useTextOutput(client);
    client.send(userText('Hello there'));
    client.send({ type: 'response.create' });
    client.send({ type: 'response.cancel' });
    const events = await client.until('rate_limits.updated');
    expect(events.some((e) => e.type === 'error')).toBe(false);
    expect(eventOf(events, 'response.done').response).toMatchObject({
      status: 'cancelled',
      status_details: { reason: 'client_cancelled' },
    });
  });
});
