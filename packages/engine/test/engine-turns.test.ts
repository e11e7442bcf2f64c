import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startLocalRealtime } from '../src/testing/index.js';
import type { LocalRealtimeHandle } from '../src/testing/index.js';
import type { Json } from './helpers/ws-client.js';
import { openSession, shape, userText } from './helpers/session-client.js';
import type { SessionClient } from './helpers/session-client.js';

let engine: LocalRealtimeHandle;
let client: SessionClient;

beforeEach(async () => {
  engine = await startLocalRealtime();
  client = await openSession(engine);
  await client.expectNext('session.created');
});

afterEach(async () => {
  await client.close();
  await engine.close();
});

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
