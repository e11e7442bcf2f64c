/**
 * `semantic_vad` with live recognition: the session's speech input recognises a turn while it is spoken, and the
 * partial results decide how long a pause ends it. A scripted transcriber stands in for pocketsphinx (its partials
 * arrive synchronously, as soon as enough audio was written), so the waits are exact in stream time.
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Transcriber, TranscriptionStream } from '../src/transcription/index.js';
import { InputAudioBuffer } from '../src/session/input-buffer.js';
import type { ConversationOps } from '../src/session/conversation-ops.js';
import type { OutboundEvent } from '../src/session/response-types.js';
import { SpeechInput } from '../src/session/speech-input.js';
import { synthesizeSpeech } from '../src/vad/index.js';

const RATE = 24_000;
const CHUNK = 480; // 20 ms
const SPEECH_START_MS = 500;
const SPEECH_MS = 1000;

/** A transcriber that "hears" `text` once 600 ms of audio (at 16 kHz) has been written to a stream. */
function scriptedTranscriber(text: string): Transcriber & { opened: number; written: number[] } {
  const self = {
    kind: 'pocketsphinx' as const,
    sampleRate: 16_000,
    opened: 0,
    written: [] as number[],
    open(): TranscriptionStream {
      self.opened++;
      const index = self.written.push(0) - 1;
      let heard = false;
      let finished = false;
      const listeners: ((p: { text: string; delta: string }) => void)[] = [];
      return {
        write(samples) {
          if (finished) return;
          self.written[index]! += samples.length;
          if (!heard && self.written[index]! >= 16 * 600) {
            heard = true;
            for (const listener of listeners) listener({ text, delta: text });
          }
        },
        onPartial(listener) {
          listeners.push(listener);
          return () => undefined;
        },
        finish() {
          finished = true;
          return Promise.resolve({
            text,
            finalDelta: heard ? '' : text,
            usage: { type: 'duration' as const, seconds: self.written[index]! / 16_000 },
          });
        },
        abort() {
          finished = true;
        },
      };
    },
    available: () => Promise.resolve({ ok: true }),
    prepare: () => Promise.resolve(),
    stats: () => Promise.resolve({ activeStreams: 0, warmDecoders: 0 }),
    close: () => Promise.resolve(),
  };
  return self;
}

const NO_TRANSCRIBER: Transcriber = {
  ...scriptedTranscriber(''),
  kind: 'none',
};

interface Turn {
  /** Silence after the end of speech when speech_stopped was emitted (stream ms). */
  waitMs: number | undefined;
  events: OutboundEvent[];
  transcript: string | undefined;
}

/** Streams 1 s of speech and `tailMs` of silence at 24 kHz through a SpeechInput; reports the end-of-turn wait. */
async function turn(
  transcriber: Transcriber,
  eagerness: 'low' | 'medium' | 'high',
  tailMs = 9000,
): Promise<Turn> {
  const signal = synthesizeSpeech({
    sampleRate: RATE,
    parts: [{ silenceMs: SPEECH_START_MS }, { speechMs: SPEECH_MS }, { silenceMs: tailMs }],
    noiseDb: -55,
  });
  const buffer = new InputAudioBuffer(64 * 1024 * 1024);
  const events: OutboundEvent[] = [];
  const transcripts = new Map<string, string>();
  let positionMs = 0;
  let stoppedAt: number | undefined;
  let audioEndMs = 0;
  const items = {
    commitAudio: (_bytes: Uint8Array, itemId: string) => itemId,
    setInputTranscript: (itemId: string, text: string) => transcripts.set(itemId, text),
  } as unknown as ConversationOps;
  const input = new SpeechInput({
    logger: pino({ level: 'silent' }),
    transcriber,
    grammar: undefined,
    buffer,
    items,
    emit: (event) => {
      events.push(event);
      if (event.type === 'input_audio_buffer.speech_stopped' && stoppedAt === undefined) {
        stoppedAt = positionMs;
        audioEndMs = event.audio_end_ms as number;
      }
    },
    config: () => ({
      audio: {
        input: {
          format: { type: 'audio/pcm', rate: RATE },
          turn_detection: { type: 'semantic_vad', eagerness },
          transcription: { model: 'gpt-4o-transcribe' },
        },
      },
    }),
    onSpeechStarted: () => undefined,
    onTurnCommitted: () => undefined,
  });
  const bytes = new Uint8Array(signal.samples.buffer);
  for (let at = 0; at < signal.samples.length; at += CHUNK) {
    const chunk = bytes.slice(at * 2, (at + CHUNK) * 2);
    buffer.append(chunk);
    positionMs = buffer.streamBytes / 48;
    input.appended(chunk);
  }
  const itemId = events.find((e) => e.type === 'input_audio_buffer.speech_stopped')?.item_id;
  const heard = typeof itemId === 'string' ? await input.heard(itemId) : undefined;
  input.dispose();
  return {
    waitMs: stoppedAt === undefined ? undefined : stoppedAt - audioEndMs,
    events,
    transcript: heard,
  };
}

describe('semantic_vad with live recognition', () => {
  it.each([
    ['what time is it', 'medium', 600],
    ['book a table for two thank you', 'medium', 600],
    ['what time is it', 'high', 300],
    ['what time is it', 'low', 1000],
    ['turn on the lights', 'medium', 2000],
    ['turn on the lights', 'high', 1000],
    ['i want to book a', 'medium', 4000],
    ['i want to book a', 'low', 8000],
    ['i want to book a', 'high', 2000],
  ] as const)(
    'ends the turn on %j at %s eagerness after %i ms of silence',
    async (text, eagerness, wait) => {
      const { waitMs } = await turn(scriptedTranscriber(text), eagerness);
      expect(waitMs).toBeGreaterThanOrEqual(wait);
      expect(waitMs).toBeLessThanOrEqual(wait + 20);
    },
  );

  it('waits the eagerness maximum when recognition is off', async () => {
    const { waitMs } = await turn(NO_TRANSCRIBER, 'medium');
    expect(waitMs).toBeGreaterThanOrEqual(4000);
    expect(waitMs).toBeLessThanOrEqual(4020);
  });

  it('recognises the turn once, from its onset, and sends its transcript after the commit', async () => {
    const transcriber = scriptedTranscriber('what time is it');
    const { events, transcript } = await turn(transcriber, 'medium', 1500);
    expect(transcriber.opened).toBe(1);
    // prefix padding + speech + the 600 ms wait (+ a frame or two), at 16 kHz
    const writtenMs = transcriber.written[0]! / 16;
    expect(writtenMs).toBeGreaterThanOrEqual(300 + SPEECH_MS + 600 - 40);
    expect(writtenMs).toBeLessThanOrEqual(300 + SPEECH_MS + 600 + 140);
    expect(transcript).toBe('what time is it');
    const types = events.map((e) => e.type);
    expect(types).toEqual([
      'input_audio_buffer.speech_started',
      'input_audio_buffer.speech_stopped',
      'conversation.item.input_audio_transcription.delta',
      'conversation.item.input_audio_transcription.completed',
    ]);
    expect(events[2]).toMatchObject({ delta: 'what time is it' });
    expect(events[3]).toMatchObject({ transcript: 'what time is it' });
  });
});
