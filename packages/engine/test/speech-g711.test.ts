/**
 * G.711 sessions end to end: the engine's own synthesiser speaks a phrase, the test resamples it to 8 kHz, encodes it
 * as μ-law or A-law and streams it in 20 ms (160-byte) appends; the engine detects the turn, recognises it, and
 * answers in the same format.
 */
import { decodeToPcm16, encodeAlaw, encodeUlaw, resamplePcm16 } from '@realtime-assistant/protocol';
import { describe, expect, it } from 'vitest';
import { startLocalRealtime } from '../src/testing/index.js';
import { audioBytes, eventOf, joinDeltas, openSession } from './helpers/session-client.js';
import { streamBytes, utterance, useSpeechFixture } from './helpers/utterance.js';
import { spokenMs } from './helpers/spoken-duration.js';
import type { Json } from './helpers/ws-client.js';

const fixture = useSpeechFixture();

// A-law input is decoded right (the first test below: A-law and μ-law both keep the synthesised speech at G.711's
// ≈ 37 dB quantisation SNR). "play a tone" band-limited to 8 kHz is a marginal case for pocketsphinx: checked
// offline, plain 8 kHz PCM with no codec at all was heard as "what" as often as A-law was, and which way it goes
// depends on the live cepstral-mean estimate a reused decoder carries over from earlier utterances. So A-law speaks
// a phrase that is recognised reliably at 8 kHz (its reply is synthesised speech rather than the tone).
const CODECS = [
  { type: 'audio/pcmu', encode: encodeUlaw, phrase: 'play a tone', reply: 'Here is a test tone.' },
  {
    type: 'audio/pcma',
    encode: encodeAlaw,
    phrase: 'what is your name',
    reply:
      "I'm the LocalRealtime assistant: a scripted stand-in for a real model, running on your machine.",
  },
] as const;

/** Signal-to-noise ratio of `decoded` against `reference`, in dB. */
function snrDb(reference: Int16Array, decoded: Int16Array): number {
  let signal = 0;
  let noise = 0;
  for (let i = 0; i < reference.length; i++) {
    signal += reference[i]! ** 2;
    noise += (reference[i]! - decoded[i]!) ** 2;
  }
  return 10 * Math.log10(signal / noise);
}

describe('G.711 sessions', () => {
  it('decodes A-law input as faithfully as μ-law (the synthesis within G.711 quantisation)', async () => {
    const spoken = await fixture.tts.synthesize('play a tone', 'kal16');
    const at8k = resamplePcm16(spoken.samples, spoken.sampleRate, 8000);
    const alaw = decodeToPcm16({ type: 'audio/pcma' }, encodeAlaw(at8k));
    const ulaw = decodeToPcm16({ type: 'audio/pcmu' }, encodeUlaw(at8k));
    expect(alaw).toHaveLength(at8k.length);
    expect(snrDb(at8k, alaw)).toBeGreaterThan(35);
    expect(Math.abs(snrDb(at8k, alaw) - snrDb(at8k, ulaw))).toBeLessThan(1.5);
  });

  for (const codec of CODECS) {
    it(`detect, recognise and answer in ${codec.type} at 8 kHz`, async () => {
      fixture.engine = await startLocalRealtime();
      fixture.client = await openSession(fixture.engine);
      const c = fixture.client;
      await c.expectNext('session.created');
      c.send({
        type: 'session.update',
        session: {
          type: 'realtime',
          audio: {
            input: {
              format: { type: codec.type },
              transcription: { model: 'gpt-4o-transcribe' },
            },
            output: { format: { type: codec.type } },
          },
        },
      });
      const updated = await c.expectNext('session.updated');
      const audio = (updated.session as Json).audio as Json;
      expect((audio.input as Json).format).toMatchObject({ type: codec.type });
      expect((audio.output as Json).format).toMatchObject({ type: codec.type });

      const said = await utterance(fixture.tts, codec.phrase, { rate: 8_000 });
      streamBytes(c, codec.encode(said.pcm), 160);
      const events = await c.until('rate_limits.updated');

      const started = eventOf(events, 'input_audio_buffer.speech_started');
      const stopped = eventOf(events, 'input_audio_buffer.speech_stopped');
      expect(Math.abs((started.audio_start_ms as number) - said.startMs)).toBeLessThanOrEqual(100);
      expect(Math.abs((stopped.audio_end_ms as number) - said.endMs)).toBeLessThanOrEqual(100);

      const committed = eventOf(events, 'input_audio_buffer.committed');
      const completed =
        events.find((e) => e.type === 'conversation.item.input_audio_transcription.completed') ??
        (await c.until('conversation.item.input_audio_transcription.completed')).at(-1)!;
      expect(completed).toMatchObject({ item_id: committed.item_id, transcript: codec.phrase });

      expect(joinDeltas(events, 'response.output_audio_transcript.delta')).toBe(codec.reply);
      // one byte a sample at 8 kHz: the reply lasts as long as the tone (800 ms) or the words take
      const replyMs = audioBytes(events).length / 8;
      const expectedMs =
        codec.phrase === 'play a tone' ? 800 : await spokenMs(fixture.tts, codec.reply);
      expect(Math.abs(replyMs - expectedMs)).toBeLessThan(50);
      expect((eventOf(events, 'response.done').response as Json).status).toBe('completed');
    });
  }
});
