/**
 * Spoken replies stream: the response sends a reply's first piece of audio (with its transcript) as soon as that
 * piece is synthesised, keeps going with the next pieces, and can be cancelled or truncated while it waits for them.
 * A renderer the test feeds by hand stands in for Flite, so "before the rest is synthesised" is an ordering of events
 * the test controls, not a timing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AudioRenderer, RenderInput } from '../src/voice/audio-renderer.js';
import { PieceStream } from '../src/voice/piece-stream.js';
import { startLocalRealtime } from '../src/testing/index.js';
import type { LocalRealtimeHandle } from '../src/testing/index.js';
import {
  audioBytes,
  expectError,
  joinDeltas,
  openSession,
  shape,
  userText,
} from './helpers/session-client.js';
import type { SessionClient } from './helpers/session-client.js';
import type { Json } from './helpers/ws-client.js';

const RATE = 24_000;

/** A renderer whose reply streams are filled by the test, piece by piece. */
class HandFedRenderer implements AudioRenderer {
  readonly streams: { input: RenderInput; pieces: PieceStream; stopped: () => boolean }[] = [];

  render(): Promise<never> {
    return Promise.reject(new Error('a streaming renderer is asked for a whole reply'));
  }

  stream(input: RenderInput): PieceStream {
    let stopped = false;
    const pieces = new PieceStream(() => {
      stopped = true;
    });
    this.streams.push({ input, pieces, stopped: () => stopped });
    return pieces;
  }

  /** The stream of the latest reply. */
  get latest(): { input: RenderInput; pieces: PieceStream; stopped: () => boolean } {
    const last = this.streams.at(-1);
    if (!last) throw new Error('no reply stream yet');
    return last;
  }
}

/** `ms` of a non-silent 24 kHz tone. */
function pcm(ms: number): Int16Array {
  const samples = new Int16Array(Math.round((ms * RATE) / 1000));
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round(2000 * Math.sin(i / 7));
  return samples;
}

/** The next `count` events of `type`, with everything before them. */
async function untilNth(client: SessionClient, type: string, count: number): Promise<Json[]> {
  const events: Json[] = [];
  for (let seen = 0; seen < count; seen++) events.push(...(await client.until(type)));
  return events;
}

let engine: LocalRealtimeHandle;
let client: SessionClient;
let renderer: HandFedRenderer;

beforeEach(async () => {
  renderer = new HandFedRenderer();
  engine = await startLocalRealtime({ renderer });
  client = await openSession(engine);
  await client.expectNext('session.created');
});

afterEach(async () => {
  await client.close();
  await engine.close();
});

/** Asks for a spoken reply to `text` and returns the events up to the (empty) audio content part. */
async function startReply(text = 'Hello there'): Promise<Json[]> {
  client.send(userText(text));
  client.send({ type: 'response.create' });
  return client.until('response.content_part.added');
}

describe('a streamed spoken reply', () => {
  it('sends the first piece of audio and its transcript before the next piece is synthesised', async () => {
    await startReply();
    const reply = renderer.latest;
    const text = reply.input.text;
    const cut = text.indexOf(' ') + 1;
    expect(cut).toBeGreaterThan(0);

    reply.pieces.push({ text: text.slice(0, cut), samples: pcm(300), sampleRate: RATE });
    const first = await untilNth(client, 'response.output_audio.delta', 3);
    // Three 100 ms chunks of the first piece, its words leading them; nothing of the second piece yet.
    expect(shape(first)).toEqual([
      'response.output_audio_transcript.delta*',
      'response.output_audio.delta*',
    ]);
    expect(joinDeltas(first, 'response.output_audio_transcript.delta')).toBe(text.slice(0, cut));
    expect(audioBytes(first).length).toBe(300 * 48);

    reply.pieces.push({ text: text.slice(cut), samples: pcm(500), sampleRate: RATE });
    reply.pieces.end();
    const rest = await client.until('rate_limits.updated');
    const all = [...first, ...rest];
    expect(joinDeltas(all, 'response.output_audio_transcript.delta')).toBe(text);
    expect(audioBytes(all).length).toBe(800 * 48);
    expect(shape(rest).slice(-8)).toEqual([
      'response.output_audio.delta*',
      'response.output_audio.done',
      'response.output_audio_transcript.done',
      'response.content_part.done',
      'conversation.item.done',
      'response.output_item.done',
      'response.done',
      'rate_limits.updated',
    ]);
    const done = rest.find((e) => e.type === 'response.done')!.response as Json;
    expect(done.status).toBe('completed');
    expect((done.output as Json[])[0]).toMatchObject({
      status: 'completed',
      content: [{ type: 'output_audio', transcript: text }],
    });
  });

  it('interleaves each piece’s words with its audio chunks, so the transcript advances with the audio', async () => {
    await startReply();
    const reply = renderer.latest;
    // Words of equal length, so each starts in its own 100 ms chunk.
    reply.pieces.push({ text: 'one two six ten ', samples: pcm(400), sampleRate: RATE });
    reply.pieces.push({ text: 'red fox.', samples: pcm(200), sampleRate: RATE });
    reply.pieces.end();
    const events = (await client.until('response.output_audio.done')).filter((e) =>
      String(e.type).endsWith('.delta'),
    );
    // Each chunk is preceded by the words that start within it: one word per 100 ms chunk here.
    expect(
      events.map((e) => (e.type === 'response.output_audio.delta' ? 'audio' : e.delta)),
    ).toEqual([
      'one ',
      'audio',
      'two ',
      'audio',
      'six ',
      'audio',
      'ten ',
      'audio',
      'red ',
      'audio',
      'fox.',
      'audio',
    ]);
  });

  it('is cancelled while it waits for its next piece, stopping the synthesis, and keeps only the audio sent', async () => {
    await startReply();
    const reply = renderer.latest;
    const text = reply.input.text;
    const cut = text.indexOf(' ') + 1;
    reply.pieces.push({ text: text.slice(0, cut), samples: pcm(300), sampleRate: RATE });
    const first = await untilNth(client, 'response.output_audio.delta', 3);
    const itemId = String(first.find((e) => e.type === 'response.output_audio.delta')!.item_id);

    client.send({ type: 'response.cancel' });
    const rest = await client.until('rate_limits.updated');
    expect(shape(rest)).toEqual([
      'response.output_audio.done',
      'response.output_audio_transcript.done',
      'response.content_part.done',
      'conversation.item.done',
      'response.output_item.done',
      'response.done',
      'rate_limits.updated',
    ]);
    const done = rest.find((e) => e.type === 'response.done')!.response as Json;
    expect(done).toMatchObject({
      status: 'cancelled',
      status_details: { type: 'cancelled', reason: 'client_cancelled' },
    });
    expect((done.output as Json[])[0]).toMatchObject({
      status: 'incomplete',
      content: [{ type: 'output_audio', transcript: text.slice(0, cut) }],
    });
    expect(reply.stopped()).toBe(true);
    // A piece finished after the cancel is never sent.
    reply.pieces.push({ text: text.slice(cut), samples: pcm(500), sampleRate: RATE });

    // The item holds the 300 ms that were sent: a cut beyond it is refused, one inside it is kept.
    client.send({
      type: 'conversation.item.truncate',
      item_id: itemId,
      content_index: 0,
      audio_end_ms: 500,
    });
    expect(await expectError(client)).toMatchObject({
      code: 'invalid_value',
      message: 'Audio content of 300ms is already shorter than 500ms',
    });
    client.send({
      type: 'conversation.item.truncate',
      item_id: itemId,
      content_index: 0,
      audio_end_ms: 200,
    });
    expect(await client.expectNext('conversation.item.truncated')).toMatchObject({
      item_id: itemId,
      audio_end_ms: 200,
    });
  });

  it('is cancelled before its first piece arrives, sending no audio', async () => {
    await startReply();
    const reply = renderer.latest;
    client.send({ type: 'response.cancel' });
    const rest = await client.until('rate_limits.updated');
    expect(rest.some((e) => e.type === 'response.output_audio.delta')).toBe(false);
    expect((rest.find((e) => e.type === 'response.done')!.response as Json).status).toBe(
      'cancelled',
    );
    expect(reply.stopped()).toBe(true);
  });

  it('cuts a streamed reply at max_output_tokens across its pieces', async () => {
    client.send(userText('Hello there'));
    // 10 tokens = 500 ms of audio: the first piece whole and 200 ms of the second.
    client.send({ type: 'response.create', response: { max_output_tokens: 10 } });
    await client.until('response.content_part.added');
    const reply = renderer.latest;
    reply.pieces.push({ text: 'One two three ', samples: pcm(300), sampleRate: RATE });
    reply.pieces.push({ text: 'four five.', samples: pcm(500), sampleRate: RATE });
    reply.pieces.end();
    const events = await client.until('rate_limits.updated');
    expect(audioBytes(events).length).toBe(500 * 48);
    const done = events.find((e) => e.type === 'response.done')!.response as Json;
    expect(done).toMatchObject({
      status: 'incomplete',
      status_details: { type: 'incomplete', reason: 'max_output_tokens' },
    });
    // The cut piece keeps the share of its text that its kept audio bears (200 of 500 ms).
    expect(joinDeltas(events, 'response.output_audio_transcript.delta')).toBe('One two three four');
    expect(reply.stopped()).toBe(true);
  });
});
