/**
 * A spoken (Flite) reply is truncated where the client stopped playing it: the engine checks the cut against the
 * audio it actually sent, and `conversation.item.retrieve` returns both items' audio — the user's as committed,
 * the assistant's cut to the truncation.
 */
import { describe, expect, it } from 'vitest';
import { startLocalRealtime } from '../src/testing/index.js';
import {
  audioBytes,
  eventOf,
  expectError,
  joinDeltas,
  openSession,
} from './helpers/session-client.js';
import type { SessionClient } from './helpers/session-client.js';
import { stream, utterance, useSpeechFixture } from './helpers/utterance.js';
import { spokenMs } from './helpers/spoken-duration.js';
import type { Json } from './helpers/ws-client.js';

const REPLY =
  "I'm the LocalRealtime assistant: a scripted stand-in for a real model, running on your machine.";

const fixture = useSpeechFixture();

async function start(speed: number): Promise<SessionClient> {
  fixture.engine = await startLocalRealtime({ speed });
  fixture.client = await openSession(fixture.engine);
  await fixture.client.expectNext('session.created');
  return fixture.client;
}

async function retrieve(c: SessionClient, itemId: unknown): Promise<Json> {
  c.send({ type: 'conversation.item.retrieve', item_id: itemId });
  const retrieved = await c.until('conversation.item.retrieved');
  return ((retrieved.at(-1)!.item as Json).content as Json[])[0]!;
}

describe('truncating a spoken reply', () => {
  it('cuts a reply still streaming at the audio played, and refuses a cut beyond what was sent', async () => {
    const c = await start(1);
    const said = await utterance(fixture.tts, 'what is your name');
    stream(c, said.pcm);

    // play ~1 s of the reply as it arrives (paced at real time), then stop it there
    const events: Json[] = [];
    while (audioBytes(events).length < 1000 * 48)
      events.push(...(await c.until('response.output_audio.delta')));
    const received = audioBytes(events);
    const assistantItem = eventOf(events, 'response.output_item.added').item as Json;
    const playedMs = Math.floor(received.length / 48);
    c.send({
      type: 'conversation.item.truncate',
      item_id: assistantItem.id,
      content_index: 0,
      audio_end_ms: playedMs,
    });
    const after = await c.until('conversation.item.truncated');
    expect(after.at(-1)).toMatchObject({
      item_id: assistantItem.id,
      content_index: 0,
      audio_end_ms: playedMs,
    });
    // the truncate stops the response that was still speaking
    const done =
      after.find((e) => e.type === 'response.done') ?? (await c.until('response.done')).at(-1)!;
    expect((done.response as Json).status).toBe('cancelled');

    const part = await retrieve(c, assistantItem.id);
    expect(part.type).toBe('output_audio');
    const kept = Buffer.from(String(part.audio), 'base64');
    expect(kept.length).toBe(playedMs * 48);
    expect(kept.equals(received.subarray(0, playedMs * 48))).toBe(true);
    // whole words of the reply, fewer than all of them
    expect(REPLY.startsWith(String(part.transcript))).toBe(true);
    expect(String(part.transcript).length).toBeLessThan(REPLY.length);

    // the item now holds only the played audio: a cut past it is refused with the live message
    c.send({
      type: 'conversation.item.truncate',
      event_id: 'evt_past',
      item_id: assistantItem.id,
      content_index: 0,
      audio_end_ms: playedMs + 500,
    });
    expect(await expectError(c)).toMatchObject({
      code: 'invalid_value',
      message: `Audio content of ${playedMs}ms is already shorter than ${playedMs + 500}ms`,
      event_id: 'evt_past',
    });
  });

  it("checks a cut of a finished reply against its whole audio, and retrieve returns both items' audio", async () => {
    const c = await start(0);
    const said = await utterance(fixture.tts, 'what is your name');
    stream(c, said.pcm);
    const events = await c.until('rate_limits.updated');
    expect(joinDeltas(events, 'response.output_audio_transcript.delta')).toBe(REPLY);
    const sent = audioBytes(events);
    const sentMs = Math.floor(sent.length / 48);
    const expectedMs = await spokenMs(fixture.tts, REPLY);
    expect(Math.abs(sentMs - expectedMs)).toBeLessThan(50);
    const assistantId = (eventOf(events, 'response.output_item.added').item as Json).id;

    // the user's item holds the committed span of what was streamed, the speech included
    const userPart = await retrieve(c, eventOf(events, 'input_audio_buffer.committed').item_id);
    expect(userPart.type).toBe('input_audio');
    const userAudio = Buffer.from(String(userPart.audio), 'base64');
    const streamed = Buffer.from(said.pcm.buffer, said.pcm.byteOffset, said.pcm.byteLength);
    const at = streamed.indexOf(userAudio);
    expect(at).toBeGreaterThanOrEqual(0);
    expect(at / 48).toBeLessThanOrEqual(said.startMs);
    expect((at + userAudio.length) / 48).toBeGreaterThanOrEqual(said.endMs);

    c.send({
      type: 'conversation.item.truncate',
      event_id: 'evt_long',
      item_id: assistantId,
      content_index: 0,
      audio_end_ms: sentMs + 1,
    });
    expect(await expectError(c)).toMatchObject({
      message: `Audio content of ${sentMs}ms is already shorter than ${sentMs + 1}ms`,
    });

    const cutMs = Math.floor(sentMs / 2);
    c.send({
      type: 'conversation.item.truncate',
      item_id: assistantId,
      content_index: 0,
      audio_end_ms: cutMs,
    });
    await c.until('conversation.item.truncated');
    const part = await retrieve(c, assistantId);
    expect(Buffer.from(String(part.audio), 'base64').equals(sent.subarray(0, cutMs * 48))).toBe(
      true,
    );
    const words = String(part.transcript).split(' ').length;
    expect(REPLY.startsWith(String(part.transcript))).toBe(true);
    expect(words).toBeGreaterThan(2);
    expect(words).toBeLessThan(REPLY.split(' ').length);
  });
});
