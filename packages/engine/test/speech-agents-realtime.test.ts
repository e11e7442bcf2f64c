/**
 * `@openai/agents-realtime`, unchanged, over its WebSocket transport: the user's speech goes in through
 * `sendAudio` in 20 ms frames; the SDK's history gets the user's transcript and the spoken reply's transcript, and
 * its `audio` events carry the whole synthesised reply.
 */
import { OpenAIRealtimeWebSocket, RealtimeAgent, RealtimeSession } from '@openai/agents-realtime';
import type { RealtimeItem } from '@openai/agents-realtime';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRealtime } from '../src/testing/index.js';
import type { LocalRealtimeHandle } from '../src/testing/index.js';
import { FliteSynthesizer } from '../src/voice/flite/flite-synthesizer.js';
import { spokenMs } from './helpers/spoken-duration.js';
import { utterance } from './helpers/utterance.js';

const REPLY =
  "I'm the LocalRealtime assistant: a scripted stand-in for a real model, running on your machine.";

let tts: FliteSynthesizer;
let engine: LocalRealtimeHandle | null = null;
let session: RealtimeSession | null = null;

beforeAll(() => {
  tts = new FliteSynthesizer({ poolSize: 1 });
});
afterAll(async () => {
  await tts.close();
});
afterEach(async () => {
  session?.close();
  session = null;
  await engine?.close();
  engine = null;
});

/** Resolves when `predicate` holds for the session's history. */
function historyWhere(
  s: RealtimeSession,
  predicate: (history: RealtimeItem[]) => boolean,
): Promise<void> {
  if (predicate(s.history)) return Promise.resolve();
  return new Promise((resolve) => {
    const check = (): void => {
      if (!predicate(s.history)) return;
      s.off('history_updated', check);
      resolve();
    };
    s.on('history_updated', check);
  });
}

function transcriptOf(history: RealtimeItem[], role: 'user' | 'assistant'): string | null {
  for (const item of history) {
    if (item.type !== 'message' || item.role !== role) continue;
    for (const part of item.content) {
      if ((part.type === 'input_audio' || part.type === 'output_audio') && part.transcript) {
        return part.transcript;
      }
    }
  }
  return null;
}

describe('@openai/agents-realtime with audio over WebSocket', () => {
  it('hears the user through sendAudio and speaks the reply', async () => {
    engine = await startLocalRealtime();
    const transport = new OpenAIRealtimeWebSocket({ url: `${engine.url}?model=gpt-realtime` });
    const s = (session = new RealtimeSession(
      new RealtimeAgent({ name: 'Listener', instructions: 'Be brief.' }),
      {
        transport,
        model: 'gpt-realtime',
        config: {
          outputModalities: ['audio'],
          audio: {
            input: {
              transcription: { model: 'gpt-4o-transcribe' },
              turnDetection: { type: 'server_vad' },
            },
          },
        },
      },
    ));
    const updated = new Promise<void>((resolve) => {
      s.on('transport_event', (event) => {
        if (event.type === 'session.updated') resolve();
      });
    });
    const errors: unknown[] = [];
    s.on('error', (error) => errors.push(error));
    let audioBytes = 0;
    s.on('audio', (event) => (audioBytes += event.data.byteLength));
    const stopped = new Promise<void>((resolve) => s.on('audio_stopped', () => resolve()));
    await s.connect({ apiKey: 'sk-local-test' });
    await updated;

    const said = await utterance(tts, 'what is your name');
    const pcm = said.pcm;
    for (let at = 0; at < pcm.length; at += 480) {
      const frame = pcm.slice(at, at + 480);
      s.sendAudio(frame.buffer);
    }

    await historyWhere(
      s,
      (history) =>
        transcriptOf(history, 'user') !== null && transcriptOf(history, 'assistant') === REPLY,
    );
    await stopped;
    expect(transcriptOf(s.history, 'user')).toBe('what is your name');
    expect(transcriptOf(s.history, 'assistant')).toBe(REPLY);
    const expectedMs = await spokenMs(tts, REPLY);
    expect(Math.abs(audioBytes / 48 - expectedMs)).toBeLessThan(50);
    expect(errors).toEqual([]);
  });
});
