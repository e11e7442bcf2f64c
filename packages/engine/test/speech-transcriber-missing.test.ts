/**
 * An engine whose pocketsphinx library is missing still runs speech sessions: turns are detected, each gets a clear
 * `conversation.item.input_audio_transcription.failed` naming the Debian packages to install, the reply falls back to
 * the scenario's "not understood" answer, and typed turns keep working.
 */
import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../src/scenario/index.js';
import { startLocalRealtime } from '../src/testing/index.js';
import { eventOf, joinDeltas, openSession, textTurn } from './helpers/session-client.js';
import { stream, utterance, useSpeechFixture } from './helpers/utterance.js';
import type { Json } from './helpers/ws-client.js';

const MISSING = '/nonexistent/libpocketsphinx.so.3';

const fixture = useSpeechFixture();

describe('speech with pocketsphinx missing', () => {
  it('fails the transcription clearly, answers with the fallback and keeps the session usable', async () => {
    fixture.engine = await startLocalRealtime({
      transcriber: { kind: 'pocketsphinx', library: MISSING },
    });
    const c = (fixture.client = await openSession(fixture.engine));
    await c.expectNext('session.created');
    c.send({
      type: 'session.update',
      session: {
        type: 'realtime',
        audio: { input: { transcription: { model: 'gpt-4o-transcribe' } } },
      },
    });
    await c.expectNext('session.updated');

    const said = await utterance(fixture.tts, 'play a tone');
    stream(c, said.pcm);
    const events = await c.until('rate_limits.updated');
    const started = eventOf(events, 'input_audio_buffer.speech_started');
    expect(Math.abs((started.audio_start_ms as number) - said.startMs)).toBeLessThanOrEqual(100);
    const committed = eventOf(events, 'input_audio_buffer.committed');

    const failed =
      events.find((e) => e.type === 'conversation.item.input_audio_transcription.failed') ??
      (await c.until('conversation.item.input_audio_transcription.failed')).at(-1)!;
    expect(failed.item_id).toBe(committed.item_id);
    const error = failed.error as Json;
    expect(error).toMatchObject({ type: 'transcription_error', code: 'transcriber_unavailable' });
    expect(error.message).toContain(MISSING);
    expect(error.message).toContain('apt-get install pocketsphinx-en-us libpocketsphinx3');
    expect(events.map((e) => e.type)).not.toContain(
      'conversation.item.input_audio_transcription.completed',
    );

    // nothing was heard, so the reply is the scenario's fallback, spoken
    expect(eventOf(events, 'response.done').response).toMatchObject({ status: 'completed' });
    const shipped = await resolveScenario('default');
    if (!shipped.ok) throw shipped.error;
    const fallback = shipped.scenario.definition.fallback?.reply?.text;
    expect(fallback).toMatch(/^I'm not sure I understood\./);
    expect(joinDeltas(events, 'response.output_audio_transcript.delta')).toBe(fallback);

    // a typed turn still completes, chosen by its words
    const typed = await textTurn(c, 'what is your name');
    expect(eventOf(typed, 'response.done').response).toMatchObject({ status: 'completed' });
    expect(joinDeltas(typed, 'response.output_audio_transcript.delta')).toMatch(
      /^I'm the LocalRealtime assistant/,
    );
  });
});
