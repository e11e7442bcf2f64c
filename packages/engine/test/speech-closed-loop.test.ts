/**
 * The closed loop with no fixture files: the engine's own synthesiser speaks a scenario phrase, the test streams it
 * in as a microphone would (20 ms appends, silence around it), and the engine detects the turn, recognises it,
 * chooses the scenario reply by the recognised words and speaks it back.
 */
import { describe, expect, it } from 'vitest';
import { startLocalRealtime } from '../src/testing/index.js';
import type { StartLocalRealtimeOptions } from '../src/testing/index.js';
import { eventOf, openSession } from './helpers/session-client.js';
import type { SessionClient } from './helpers/session-client.js';
import { wordErrorRate } from './helpers/speak.js';
import { stream, utterance, useSpeechFixture } from './helpers/utterance.js';
import { spokenMs } from './helpers/spoken-duration.js';
import type { Json } from './helpers/ws-client.js';

const fixture = useSpeechFixture();

async function start(options: StartLocalRealtimeOptions = {}): Promise<SessionClient> {
  fixture.engine = await startLocalRealtime(options);
  fixture.client = await openSession(fixture.engine);
  await fixture.client.expectNext('session.created');
  fixture.client.send({
    type: 'session.update',
    session: {
      type: 'realtime',
      audio: { input: { transcription: { model: 'gpt-4o-transcribe' } } },
    },
  });
  await fixture.client.expectNext('session.updated');
  return fixture.client;
}

describe('speech in, speech out', () => {
  it('detects the turn, recognises the phrase exactly with the scenario grammar and answers by keyword', async () => {
    const c = await start();
    const said = await utterance(fixture.tts, 'play a tone');
    stream(c, said.pcm);
    const events = await c.until('rate_limits.updated');
    const transcriptDone = await (async (): Promise<Json> => {
      const seen = events.find(
        (e) => e.type === 'conversation.item.input_audio_transcription.completed',
      );
      return (
        seen ?? (await c.until('conversation.item.input_audio_transcription.completed')).at(-1)!
      );
    })();

    const started = eventOf(events, 'input_audio_buffer.speech_started');
    const stopped = eventOf(events, 'input_audio_buffer.speech_stopped');
    expect(Math.abs((started.audio_start_ms as number) - said.startMs)).toBeLessThanOrEqual(100);
    expect(Math.abs((stopped.audio_end_ms as number) - said.endMs)).toBeLessThanOrEqual(100);
    expect(stopped.item_id).toBe(started.item_id);

    const order = events.map((e) => e.type);
    expect(order.indexOf('input_audio_buffer.speech_stopped')).toBeLessThan(
      order.indexOf('input_audio_buffer.committed'),
    );
    const committed = eventOf(events, 'input_audio_buffer.committed');
    expect(committed.item_id).toBe(started.item_id);
    const userItem = eventOf(events, 'conversation.item.added').item as Json;
    expect(userItem).toMatchObject({
      role: 'user',
      content: [{ type: 'input_audio', transcript: null }],
    });

    expect(transcriptDone.transcript).toBe('play a tone');
    expect(transcriptDone.item_id).toBe(committed.item_id);

    const transcript = events
      .filter((e) => e.type === 'response.output_audio_transcript.delta')
      .map((e) => e.delta)
      .join('');
    expect(transcript).toBe('Here is a test tone.');
    const replyBytes = events
      .filter((e) => e.type === 'response.output_audio.delta')
      .reduce((n, e) => n + Buffer.from(String(e.delta), 'base64').length, 0);
    expect(replyBytes / 48).toBe(800); // the scenario's 800 ms tone, at 24 kHz PCM16

    // retrieve shows the transcript once recognition finished
    c.send({ type: 'conversation.item.retrieve', item_id: committed.item_id });
    const retrieved = (await c.until('conversation.item.retrieved')).at(-1)!;
    expect(((retrieved.item as Json).content as Json[])[0]).toMatchObject({
      transcript: 'play a tone',
    });
  });

  it('speaks a text reply with the synthesiser, for as long as the words take', async () => {
    const c = await start();
    stream(c, (await utterance(fixture.tts, 'what is your name')).pcm);
    const events = await c.until('rate_limits.updated');
    const transcript = events
      .filter((e) => e.type === 'response.output_audio_transcript.delta')
      .map((e) => e.delta)
      .join('');
    expect(transcript).toMatch(/^I'm the LocalRealtime assistant/);
    const ms =
      events
        .filter((e) => e.type === 'response.output_audio.delta')
        .reduce((n, e) => n + Buffer.from(String(e.delta), 'base64').length, 0) / 48;
    const expected = await spokenMs(fixture.tts, transcript);
    expect(Math.abs(ms - expected)).toBeLessThan(50);
  });

  it('recognises with the general model too, within a bounded word error rate', async () => {
    const phrases = ['what time is it', 'what is your name', 'thank you very much'];
    let errors = 0;
    for (const phrase of phrases) {
      const c = await start({ recognitionGrammar: false, speed: 0 });
      stream(c, (await utterance(fixture.tts, phrase)).pcm);
      const completed = (await c.until('conversation.item.input_audio_transcription.completed')).at(
        -1,
      )!;
      errors += wordErrorRate(phrase, String(completed.transcript));
      await c.close();
      fixture.client = null;
      await fixture.engine!.close();
      fixture.engine = null;
    }
    const wer = errors / phrases.length;
    console.log(`general-model word error rate over ${phrases.length} phrases: ${wer.toFixed(3)}`);
    expect(wer).toBeLessThanOrEqual(0.5);
  });
});

describe('barge-in', () => {
  it('cancels the running response with turn_detected when the user starts speaking', async () => {
    const c = await start({ speed: 1 });
    c.send({ type: 'session.update', session: { type: 'realtime', output_modalities: ['audio'] } });
    await c.expectNext('session.updated');
    c.send({
      type: 'conversation.item.create',
      item: {
        type: 'message',
        role: 'user',
        content: [{ type: 'input_text', text: 'what is your name' }],
      },
    });
    c.send({ type: 'response.create' });
    await c.until('response.output_audio.delta');
    stream(c, (await utterance(fixture.tts, 'play a tone')).pcm);
    const events = await c.until('response.done');
    expect(eventOf(events, 'response.done').response).toMatchObject({
      status: 'cancelled',
      status_details: { type: 'cancelled', reason: 'turn_detected' },
    });
    const order = events.map((e) => e.type);
    expect(order.indexOf('input_audio_buffer.speech_started')).toBeLessThan(
      order.indexOf('response.done'),
    );
    for (const done of [
      'response.output_audio.done',
      'response.output_audio_transcript.done',
      'response.content_part.done',
      'response.output_item.done',
    ]) {
      expect(order).toContain(done);
    }
  });

  it('does not cancel when interrupt_response is false', async () => {
    const c = await start({ speed: 1 });
    c.send({
      type: 'session.update',
      session: {
        type: 'realtime',
        audio: { input: { turn_detection: { type: 'server_vad', interrupt_response: false } } },
      },
    });
    await c.expectNext('session.updated');
    c.send({
      type: 'conversation.item.create',
      item: {
        type: 'message',
        role: 'user',
        content: [{ type: 'input_text', text: 'play a tone' }],
      },
    });
    c.send({ type: 'response.create' });
    await c.until('response.output_audio.delta');
    stream(c, (await utterance(fixture.tts, 'thank you')).pcm);
    const events = await c.until('response.done');
    expect(events.map((e) => e.type)).toContain('input_audio_buffer.speech_started');
    expect(eventOf(events, 'response.done').response).toMatchObject({ status: 'completed' });
  });
});
