import { describe, expect, it } from 'vitest';
import { decodeAlaw, decodeUlaw, toneLevelDb } from '@realtime-assistant/protocol';
import { useEngineSession } from './helpers/engine-session.js';
import type { Json } from './helpers/ws-client.js';
import {
  audioBytes,
  eventOf,
  joinDeltas,
  pcmBase64,
  shape,
  userText,
} from './helpers/session-client.js';
import type { SessionClient } from './helpers/session-client.js';

let client: SessionClient;

useEngineSession((opened) => ({ client } = opened));

async function textMode(): Promise<void> {
  client.send({
    type: 'session.update',
    session: { type: 'realtime', output_modalities: ['text'] },
  });
  await client.expectNext('session.updated');
}

describe('a text turn', () => {
  it('follows the live GA order from the user item to rate_limits.updated', async () => {
    await textMode();
    client.send(userText('Hello there'));
    client.send({ type: 'response.create' });
    const events = await client.until('rate_limits.updated');
    expect(shape(events)).toEqual([
      'conversation.item.added',
      'conversation.item.done',
      'response.created',
      'response.output_item.added',
      'conversation.item.added',
      'response.content_part.added',
      'response.output_text.delta*',
      'response.output_text.done',
      'response.content_part.done',
      'conversation.item.done',
      'response.output_item.done',
      'response.done',
      'rate_limits.updated',
    ]);
    const text = events
      .filter((e) => e.type === 'response.output_text.delta')
      .map((e) => e.delta)
      .join('');
    expect(['Hello! How can I help you today?', 'Hi there! What can I do for you?']).toContain(
      text,
    );
    const done = events.find((e) => e.type === 'response.done') as { response: Json };
    expect(done.response).toMatchObject({ object: 'realtime.response', status: 'completed' });
    const usage = done.response.usage as Json;
    expect(usage.output_tokens).toBeGreaterThan(0);
    expect(usage.total_tokens).toBe(
      (usage.input_tokens as number) + (usage.output_tokens as number),
    );
    const output = done.response.output as Json[];
    expect(output[0]).toMatchObject({
      type: 'message',
      role: 'assistant',
      status: 'completed',
      content: [{ type: 'output_text', text }],
    });
  });

  it('carries ids consistently through every event of the response', async () => {
    await textMode();
    client.send(userText('thank you'));
    client.send({ type: 'response.create' });
    const events = await client.until('response.done');
    const created = events.find((e) => e.type === 'response.created') as {
      response: { id: string };
    };
    const itemAdded = events.find((e) => e.type === 'response.output_item.added') as {
      item: { id: string };
    };
    for (const event of events.filter(
      (e) =>
        String(e.type).startsWith('response.') &&
        e.type !== 'response.created' &&
        e.type !== 'response.done',
    )) {
      expect(event.response_id).toBe(created.response.id);
      if ('item_id' in event) expect(event.item_id).toBe(itemAdded.item.id);
    }
    for (const event of events) expect(String(event.event_id)).toMatch(/^event_[A-Za-z0-9]+$/);
  });
});

describe('an audio turn', () => {
  it('interleaves transcript and audio deltas and closes every part in order', async () => {
    client.send(userText('play a tone'));
    client.send({ type: 'response.create' });
    const events = await client.until('rate_limits.updated');
    const types = shape(events);
    expect(types.slice(0, 6)).toEqual([
      'conversation.item.added',
      'conversation.item.done',
      'response.created',
      'response.output_item.added',
      'conversation.item.added',
      'response.content_part.added',
    ]);
    expect(types.slice(-8)).toEqual([
      'response.output_audio.delta*',
      'response.output_audio.done',
      'response.output_audio_transcript.done',
      'response.content_part.done',
      'conversation.item.done',
      'response.output_item.done',
      'response.done',
      'rate_limits.updated',
    ]);
    const part = events.find((e) => e.type === 'response.content_part.added') as { part: Json };
    expect(part.part).toEqual({ type: 'audio', transcript: '' });
    const audioBytes = events
      .filter((e) => e.type === 'response.output_audio.delta')
      .reduce((n, e) => n + Buffer.from(String(e.delta), 'base64').length, 0);
    expect(audioBytes).toBeGreaterThan(0);
    expect(audioBytes % 2).toBe(0);
    const transcript = events
      .filter((e) => e.type === 'response.output_audio_transcript.delta')
      .map((e) => e.delta)
      .join('');
    const transcriptDone = events.find(
      (e) => e.type === 'response.output_audio_transcript.done',
    ) as Json;
    expect(transcriptDone.transcript).toBe(transcript);
    expect(transcript.length).toBeGreaterThan(0);
    // The first transcript delta comes before the last audio delta: the transcript advances with the audio.
    const firstTranscript = events.findIndex(
      (e) => e.type === 'response.output_audio_transcript.delta',
    );
    const lastAudio = events.map((e) => e.type).lastIndexOf('response.output_audio.delta');
    expect(firstTranscript).toBeLessThan(lastAudio);
  });
});

describe('an audio turn in G.711', () => {
  for (const [type, decode] of [
    ['audio/pcmu', decodeUlaw],
    ['audio/pcma', decodeAlaw],
  ] as const) {
    it(`sends ${type} at 8 kHz, one byte a sample, that decodes to the tone`, async () => {
      client.send({
        type: 'session.update',
        session: { type: 'realtime', audio: { output: { format: { type } } } },
      });
      const updated = await client.expectNext('session.updated');
      expect(((updated.session as Json).audio as Json).output).toMatchObject({
        format: { type },
      });
      client.send(userText('play a tone'));
      client.send({ type: 'response.create' });
      const events = await client.until('rate_limits.updated');
      const bytes = audioBytes(events);
      // The default scenario's tone lasts 800 ms: 8000 samples a second, one byte each.
      expect(bytes.length).toBe(6400);
      const samples = decode(new Uint8Array(bytes));
      expect(toneLevelDb(samples, 8000, 440)).toBeGreaterThan(-16);
      expect(toneLevelDb(samples, 8000, 1000)).toBeLessThan(-50);
      const done = eventOf(events, 'response.done').response as Json;
      expect(done.audio).toEqual({ output: { format: { type }, voice: 'alloy' } });
    });
  }
});

describe('a function call turn', () => {
  const weatherTool = {
    type: 'function',
    name: 'get_weather',
    description: 'The weather in a city.',
    parameters: { type: 'object', properties: { city: { type: 'string' } } },
  };

  it('follows the reference order and answers the function output with a follow-up', async () => {
    client.send({
      type: 'session.update',
      session: { type: 'realtime', output_modalities: ['text'], tools: [weatherTool] },
    });
    await client.expectNext('session.updated');
    client.send(userText("what's the weather in Paris"));
    client.send({ type: 'response.create' });
    const events = await client.until('rate_limits.updated');
    expect(shape(events)).toEqual([
      'conversation.item.added',
      'conversation.item.done',
      'response.created',
      'response.output_item.added',
      'conversation.item.added',
      'response.function_call_arguments.delta*',
      'response.function_call_arguments.done',
      'conversation.item.done',
      'response.output_item.done',
      'response.done',
      'rate_limits.updated',
    ]);
    const added = eventOf(events, 'response.output_item.added').item as Json;
    expect(added).toMatchObject({
      type: 'function_call',
      status: 'in_progress',
      name: 'get_weather',
      arguments: '',
    });
    const callId = String(added.call_id);
    expect(callId).toMatch(/^call_/);
    const args = joinDeltas(events, 'response.function_call_arguments.delta');
    expect(JSON.parse(args)).toEqual({ city: 'Paris' });
    expect(eventOf(events, 'response.function_call_arguments.done')).toMatchObject({
      call_id: callId,
      name: 'get_weather',
      arguments: args,
      item_id: added.id,
    });
    for (const delta of events.filter((e) => e.type === 'response.function_call_arguments.delta')) {
      expect(delta.call_id).toBe(callId);
    }
    expect(eventOf(events, 'response.output_item.done').item).toMatchObject({
      id: added.id,
      status: 'completed',
      call_id: callId,
      arguments: args,
    });
    const done = eventOf(events, 'response.done').response as Json;
    expect(done.status).toBe('completed');
    expect(done.output).toEqual([
      expect.objectContaining({ type: 'function_call', call_id: callId }),
    ]);

    client.send({
      type: 'conversation.item.create',
      item: {
        type: 'function_call_output',
        call_id: callId,
        output: JSON.stringify({ summary: 'sunny, 21 °C' }),
      },
    });
    expect(shape(await client.until('conversation.item.done'))).toEqual([
      'conversation.item.added',
      'conversation.item.done',
    ]);
    client.send({ type: 'response.create' });
    const followUp = await client.until('rate_limits.updated');
    expect(joinDeltas(followUp, 'response.output_text.delta')).toBe(
      "Here's the forecast: sunny, 21 °C",
    );
  });
  it('follows up a tool output that lands before a later call instead of calling again (no tool loop)', async () => {
    // What a client does when the user speaks while a tool runs: the next turn's call comes first, then the first
    // call's output, inserted after its own call. The response must follow that output up, not answer the user's
    // last words again (which called the tool again on every turn before).
    client.send({
      type: 'session.update',
      session: { type: 'realtime', output_modalities: ['text'], tools: [weatherTool] },
    });
    await client.expectNext('session.updated');
    const call = async (text: string): Promise<{ id: string; callId: string }> => {
      client.send(userText(text));
      client.send({ type: 'response.create' });
      const events = await client.until('rate_limits.updated');
      const item = eventOf(events, 'response.output_item.added').item as Json;
      expect(item).toMatchObject({ type: 'function_call', name: 'get_weather' });
      return { id: String(item.id), callId: String(item.call_id) };
    };
    const paris = await call("what's the weather in Paris");
    const rome = await call("what's the weather in Rome");
    const output = (callId: string, summary: string, previous?: string): void =>
      client.send({
        type: 'conversation.item.create',
        ...(previous ? { previous_item_id: previous } : {}),
        item: {
          type: 'function_call_output',
          call_id: callId,
          output: JSON.stringify({ summary }),
        },
      });
    output(paris.callId, 'sunny, 21 °C', paris.id);
    await client.until('conversation.item.done');
    client.send({ type: 'response.create' });
    const first = await client.until('rate_limits.updated');
    expect(eventOf(first, 'response.output_item.added').item).toMatchObject({ type: 'message' });
    expect(joinDeltas(first, 'response.output_text.delta')).toBe(
      "Here's the forecast: sunny, 21 °C",
    );
    output(rome.callId, 'rain, 14 °C');
    await client.until('conversation.item.done');
    client.send({ type: 'response.create' });
    const second = await client.until('rate_limits.updated');
    expect(joinDeltas(second, 'response.output_text.delta')).toBe(
      "Here's the forecast: rain, 14 °C",
    );
  });
});

describe('a push-to-talk turn', () => {
  it('commits the appended audio as a user item and answers response.create', async () => {
    client.send({
      type: 'session.update',
      session: { type: 'realtime', audio: { input: { turn_detection: null } } },
    });
    await client.expectNext('session.updated');
    client.send({ type: 'input_audio_buffer.append', audio: pcmBase64(60) });
    client.send({ type: 'input_audio_buffer.append', audio: pcmBase64(60) });
    client.send({ type: 'input_audio_buffer.commit' });
    const events = await client.until('conversation.item.done');
    expect(shape(events)).toEqual([
      'input_audio_buffer.committed',
      'conversation.item.added',
      'conversation.item.done',
    ]);
    const committed = events[0]!;
    const item = events[2]!.item as Json;
    expect(item).toMatchObject({
      id: committed.item_id,
      type: 'message',
      role: 'user',
      status: 'completed',
      content: [{ type: 'input_audio', transcript: null }],
    });
    expect(committed.previous_item_id).toBeNull();
    client.send({ type: 'response.create' });
    const response = await client.until('rate_limits.updated');
    expect(shape(response).slice(0, 2)).toEqual(['response.created', 'response.output_item.added']);
    expect(eventOf(response, 'response.done').response).toMatchObject({ status: 'completed' });
  });
});
