import { beforeAll, describe, expect, it } from 'vitest';
import { resamplePcm16 } from '@realtime-assistant/protocol';
import { FliteSynthesizer } from '../src/voice/flite/flite-synthesizer.js';
import {
  createTurnDetector,
  pushInChunks,
  seededRandom,
  speechBoundaries,
  type SpeechSpan,
  type TurnEvent,
  type VadKind,
} from '../src/vad/index.js';

const RATE = 24000;
const PHRASES = ['What is the weather like in Paris today?', 'Book a table for two at eight.'];

/** Real Flite speech, 1 s of silence around each phrase, at 24 kHz; optional white noise. */
async function spokenSignal(
  noiseDb?: number,
): Promise<{ samples: Int16Array; truth: SpeechSpan[]; audible: SpeechSpan[] }> {
  const flite = new FliteSynthesizer({ poolSize: 1 });
  const parts: Int16Array[] = [new Int16Array(RATE)];
  try {
    for (const phrase of PHRASES) {
      const audio = await flite.synthesize(phrase, 'kal16');
      parts.push(resamplePcm16(audio.samples, audio.sampleRate, RATE), new Int16Array(RATE));
    }
  } finally {
    await flite.close();
  }
  const samples = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    samples.set(part, at);
    at += part.length;
  }
  // Every sound Flite made, however faint; and the part that stands 10 dB above −50 dBFS noise
  // (a whispered "wh" at −56 dBFS is lost in such noise for any detector).
  const truth = speechBoundaries(samples, RATE, { mergeGapMs: 500 });
  const audible = speechBoundaries(samples, RATE, { mergeGapMs: 500, thresholdDb: -40 });
  if (noiseDb !== undefined) {
    const random = seededRandom(4);
    const amplitude = 32768 * 10 ** (noiseDb / 20) * Math.sqrt(3);
    for (let i = 0; i < samples.length; i++) {
      samples[i] = Math.max(-32768, Math.min(32767, samples[i]! + (random() * 2 - 1) * amplitude));
    }
  }
  return { samples, truth, audible };
}

async function turnsOf(vad: VadKind, samples: Int16Array): Promise<SpeechSpan[]> {
  const events: TurnEvent[] = [];
  const detector = await createTurnDetector({
    vad,
    turnDetection: { type: 'server_vad', silence_duration_ms: 500 },
    onEvent: (event) => events.push(event),
  });
  pushInChunks(detector, samples, RATE, 20);
  await detector.drain();
  const starts = events.flatMap((e) => (e.type === 'speech_started' ? [e.audioStartMs] : []));
  const stops = events.flatMap((e) => (e.type === 'speech_stopped' ? [e.audioEndMs] : []));
  return starts.map((startMs, i) => ({ startMs, endMs: stops[i] ?? Number.NaN }));
}

describe('turn detection on real Flite speech', () => {
  let clean: Awaited<ReturnType<typeof spokenSignal>>;
  let noisy: Awaited<ReturnType<typeof spokenSignal>>;

  beforeAll(async () => {
    clean = await spokenSignal();
    noisy = await spokenSignal(-50);
  }, 60_000);

  it('finds one true span per phrase', () => {
    expect(clean.truth).toHaveLength(PHRASES.length);
  });

  /**
   * Each edge lies between the faintest sound's edge and the audible speech's edge, give or take
   * `toleranceMs` (a detector may or may not hear a whispered onset; both are right).
   */
  function expectEdges(turns: SpeechSpan[], toleranceMs: number): void {
    const { truth, audible } = clean;
    expect(turns).toHaveLength(truth.length);
    turns.forEach((turn, i) => {
      expect(turn.startMs).toBeGreaterThanOrEqual(truth[i]!.startMs - toleranceMs);
      expect(turn.startMs).toBeLessThanOrEqual(audible[i]!.startMs + toleranceMs);
      expect(turn.endMs).toBeGreaterThanOrEqual(audible[i]!.endMs - toleranceMs);
      expect(turn.endMs).toBeLessThanOrEqual(truth[i]!.endMs + toleranceMs);
    });
  }

  it('puts energy VAD edges within ±40 ms of every sound in clean speech', async () => {
    const turns = await turnsOf('energy', clean.samples);
    expect(turns).toHaveLength(clean.truth.length);
    turns.forEach((turn, i) => {
      expect(Math.abs(turn.startMs - clean.truth[i]!.startMs)).toBeLessThanOrEqual(40);
      expect(Math.abs(turn.endMs - clean.truth[i]!.endMs)).toBeLessThanOrEqual(40);
    });
  });

  it('puts energy VAD edges within ±40 ms of the speech over −50 dBFS noise', async () => {
    expectEdges(await turnsOf('energy', noisy.samples), 40);
  });

  it('puts Silero edges within ±100 ms of the speech', async () => {
    expectEdges(await turnsOf('silero', clean.samples), 100);
  }, 60_000);
});
