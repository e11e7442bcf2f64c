/**
 * Turn detection modes with real speech (the engine's own synthesiser): the idle timeout, `semantic_vad`,
 * `turn_detection: null` with manual commits, and the minimum commit length.
 */
import { describe, expect, it } from 'vitest';
import { startLocalRealtime } from '../src/testing/index.js';
import {
  audioBytes,
  eventOf,
  expectError,
  joinDeltas,
  openSession,
  shape,
} from './helpers/session-client.js';
import type { SessionClient } from './helpers/session-client.js';
import { stream, utterance, useSpeechFixture } from './helpers/utterance.js';
import type { Json } from './helpers/ws-client.js';

const fixture = useSpeechFixture();

/** Opens a session and applies `input` (merged into `audio.input`), returning the `session.updated` echo. */
async function start(input: Json): Promise<{ c: SessionClient; session: Json }> {
  fixture.engine = await startLocalRealtime();
  fixture.client = await openSession(fixture.engine);
  await fixture.client.expectNext('session.created');
  fixture.client.send({
    type: 'session.update',
    session: {
      type: 'realtime',
      audio: { input: { transcription: { model: 'gpt-4o-transcribe' }, ...input } },
    },
  });
  const updated = await fixture.client.expectNext('session.updated');
  return { c: fixture.client, session: updated.session as Json };
}

function turnDetectionOf(session: Json): Json | null {
  return ((session.audio as Json).input as Json).turn_detection as Json | null;
}

const VAD_EVENTS = [
  'input_audio_buffer.speech_started',
  'input_audio_buffer.speech_stopped',
  'input_audio_buffer.timeout_triggered',
];

describe('idle timeout', () => {
  it('commits the silence and responds once idle_timeout_ms passes after a response', async () => {
    const { c, session } = await start({
      turn_detection: { type: 'server_vad', idle_timeout_ms: 5000 },
    });
    expect(turnDetectionOf(session)).toMatchObject({ type: 'server_vad', idle_timeout_ms: 5000 });
    const said = await utterance(fixture.tts, 'play a tone');
    stream(c, said.pcm);
    const first = await c.until('rate_limits.updated');
    const replyMs = audioBytes(first).length / 48;
    const streamedMs = said.pcm.length / 24;

    // 4 s of silence is not enough: the timer starts once the 800 ms reply has played (a retrieve is the barrier
    // that shows nothing fired meanwhile)
    stream(c, new Int16Array(24 * 4000));
    c.send({
      type: 'conversation.item.retrieve',
      item_id: eventOf(first, 'input_audio_buffer.committed').item_id,
    });
    const meanwhile = await c.until('conversation.item.retrieved');
    expect(meanwhile.map((e) => e.type)).not.toContain('input_audio_buffer.timeout_triggered');

    stream(c, new Int16Array(24 * 3000));
    const events = await c.until('rate_limits.updated');
    const timeout = eventOf(events, 'input_audio_buffer.timeout_triggered');
    const idleAt = streamedMs + replyMs + 5000;
    expect(timeout.audio_end_ms as number).toBeGreaterThanOrEqual(idleAt - 40);
    expect(timeout.audio_end_ms as number).toBeLessThanOrEqual(idleAt + 40);
    expect(timeout.audio_start_ms as number).toBeLessThanOrEqual(timeout.audio_end_ms as number);
    expect(timeout.item_id).toEqual(expect.any(String));
    expect(
      shape(events).slice(shape(events).indexOf('input_audio_buffer.timeout_triggered')),
    ).toEqual(
      expect.arrayContaining([
        'input_audio_buffer.committed',
        'conversation.item.added',
        'response.created',
        'response.done',
      ]),
    );
    expect(eventOf(events, 'input_audio_buffer.committed').item_id).toBe(timeout.item_id);
    expect(eventOf(events, 'response.done').response).toMatchObject({ status: 'completed' });
  });
});

describe('manual commits', () => {
  it('rejects a commit of under 100 ms with input_audio_buffer_commit_empty', async () => {
    const { c, session } = await start({ turn_detection: null });
    expect(turnDetectionOf(session)).toBeNull();
    c.send({
      type: 'input_audio_buffer.append',
      audio: Buffer.alloc(24 * 2 * 80).toString('base64'), // 80 ms
    });
    c.send({ type: 'input_audio_buffer.commit' });
    expect(await expectError(c)).toMatchObject({ code: 'input_audio_buffer_commit_empty' });
  });

  it('emits no VAD events with turn_detection null, and answers a manual commit by keyword', async () => {
    const { c } = await start({ turn_detection: null });
    // a push-to-talk client commits everything, the silence after the words included
    stream(c, (await utterance(fixture.tts, 'play a tone', { tailMs: 3_000 })).pcm);
    c.send({ type: 'input_audio_buffer.commit' });
    const toCommit = await c.until('input_audio_buffer.committed');
    for (const type of VAD_EVENTS) expect(toCommit.map((e) => e.type)).not.toContain(type);
    c.send({ type: 'response.create' });
    const events = await c.until('rate_limits.updated');
    for (const type of VAD_EVENTS) expect(events.map((e) => e.type)).not.toContain(type);
    expect(joinDeltas(events, 'response.output_audio_transcript.delta')).toBe(
      'Here is a test tone.',
    );
    const all = [...toCommit, ...events];
    const completed =
      all.find((e) => e.type === 'conversation.item.input_audio_transcription.completed') ??
      (await c.until('conversation.item.input_audio_transcription.completed')).at(-1)!;
    expect(completed.transcript).toBe('play a tone');
  });
});

describe('semantic_vad', () => {
  it('accepts every eagerness and echoes it', async () => {
    const { c } = await start({ turn_detection: { type: 'semantic_vad' } });
    for (const eagerness of ['low', 'medium', 'high', 'auto']) {
      c.send({
        type: 'session.update',
        session: {
          type: 'realtime',
          audio: { input: { turn_detection: { type: 'semantic_vad', eagerness } } },
        },
      });
      const updated = await c.expectNext('session.updated');
      expect(turnDetectionOf(updated.session as Json)).toMatchObject({
        type: 'semantic_vad',
        eagerness,
      });
    }
  });

  it('still detects a spoken turn and answers it', async () => {
    const { c } = await start({ turn_detection: { type: 'semantic_vad', eagerness: 'high' } });
    // high eagerness waits at most 2 s of silence
    const said = await utterance(fixture.tts, 'play a tone', { tailMs: 2_500 });
    stream(c, said.pcm);
    const events = await c.until('rate_limits.updated');
    const started = eventOf(events, 'input_audio_buffer.speech_started');
    const stopped = eventOf(events, 'input_audio_buffer.speech_stopped');
    expect(Math.abs((started.audio_start_ms as number) - said.startMs)).toBeLessThanOrEqual(100);
    expect(Math.abs((stopped.audio_end_ms as number) - said.endMs)).toBeLessThanOrEqual(100);
    expect(eventOf(events, 'input_audio_buffer.committed').item_id).toBe(started.item_id);
    expect(joinDeltas(events, 'response.output_audio_transcript.delta')).toBe(
      'Here is a test tone.',
    );
    // recognised while spoken (semantic_vad's live recognition), reported only after the commit
    const all = events.some(
      (e) => e.type === 'conversation.item.input_audio_transcription.completed',
    )
      ? events
      : [...events, ...(await c.until('conversation.item.input_audio_transcription.completed'))];
    const types = all.map((e) => e.type);
    expect(types.indexOf('conversation.item.input_audio_transcription.delta')).toBeGreaterThan(
      types.indexOf('input_audio_buffer.committed'),
    );
    expect(eventOf(all, 'conversation.item.input_audio_transcription.completed')).toMatchObject({
      item_id: started.item_id,
      transcript: 'play a tone',
    });
  });
});
