import { beforeAll, describe, expect, it } from 'vitest';
import {
  createTurnDetector,
  loadSileroModel,
  pushInChunks,
  synthesizeSpeech,
  type SyntheticPart,
  type SyntheticSpeech,
  type TurnEvent,
  type VadKind,
} from '../src/vad/index.js';

const RATE = 24000;
/** Silero scores 32 ms frames and lags speech offsets a little; allow a bit more than the energy VAD. */
const SILERO_TOLERANCE_MS = 100;

async function turnsOf(
  vad: VadKind,
  signal: SyntheticSpeech,
): Promise<{ startMs: number; endMs: number }[]> {
  const events: TurnEvent[] = [];
  const detector = await createTurnDetector({
    vad,
    turnDetection: { type: 'server_vad' },
    onEvent: (event) => events.push(event),
  });
  expect(detector.vad).toBe(vad);
  pushInChunks(detector, signal.samples, RATE, 20);
  await detector.drain();
  await detector.dispose();
  expect(events.filter((e) => e.type === 'error')).toEqual([]);
  const starts = events.flatMap((e) => (e.type === 'speech_started' ? [e.audioStartMs] : []));
  const stops = events.flatMap((e) => (e.type === 'speech_stopped' ? [e.audioEndMs] : []));
  expect(stops).toHaveLength(starts.length);
  return starts.map((startMs, i) => ({ startMs, endMs: stops[i]! }));
}

function overlaps(turn: { startMs: number; endMs: number }, fromMs: number, toMs: number): boolean {
  return turn.startMs < toMs && turn.endMs > fromMs;
}

describe('TurnDetector with Silero VAD', () => {
  beforeAll(async () => {
    await loadSileroModel();
  }, 60_000);

  it('detects the same utterances as the energy VAD on clean speech', async () => {
    const parts: SyntheticPart[] = [
      { silenceMs: 700 },
      { speechMs: 500 },
      { silenceMs: 900 },
      { speechMs: 1600 },
      { silenceMs: 800 },
    ];
    const signal = synthesizeSpeech({ sampleRate: RATE, parts, seed: 2 });
    const silero = await turnsOf('silero', signal);
    const energy = await turnsOf('energy', signal);
    expect(silero).toHaveLength(2);
    expect(energy).toHaveLength(2);
    silero.forEach((turn, i) => {
      expect(Math.abs(turn.startMs - signal.utterances[i]!.startMs)).toBeLessThanOrEqual(
        SILERO_TOLERANCE_MS,
      );
      expect(Math.abs(turn.endMs - signal.utterances[i]!.endMs)).toBeLessThanOrEqual(
        SILERO_TOLERANCE_MS,
      );
    });
  }, 60_000);

  it('rejects a burst of white noise at −28 dBFS that the energy VAD takes for speech', async () => {
    const signal = synthesizeSpeech({
      sampleRate: RATE,
      seed: 5,
      parts: [
        { silenceMs: 800 },
        { speechMs: 900 },
        { silenceMs: 800 },
        { noiseMs: 1500, levelDb: -28 },
        { silenceMs: 800 },
        { speechMs: 1200 },
        { silenceMs: 800 },
      ],
    });
    const noiseFrom = 2500;
    const noiseTo = 4000;
    const energy = await turnsOf('energy', signal);
    const silero = await turnsOf('silero', signal);
    expect(energy.some((turn) => overlaps(turn, noiseFrom, noiseTo))).toBe(true);
    expect(silero.some((turn) => overlaps(turn, noiseFrom, noiseTo))).toBe(false);
    expect(silero).toHaveLength(2);
  }, 60_000);

  it('finds speech under continuous white noise at −28 dBFS where the energy VAD does not', async () => {
    const signal = synthesizeSpeech({
      sampleRate: RATE,
      seed: 5,
      noiseDb: -28,
      parts: [
        { silenceMs: 800 },
        { speechMs: 900 },
        { silenceMs: 800 },
        { speechMs: 1200 },
        { silenceMs: 800 },
      ],
    });
    const matches = (turns: { startMs: number; endMs: number }[]) =>
      signal.utterances.filter((u) =>
        turns.some(
          (t) =>
            Math.abs(t.startMs - u.startMs) <= SILERO_TOLERANCE_MS &&
            Math.abs(t.endMs - u.endMs) <= 2 * SILERO_TOLERANCE_MS,
        ),
      ).length;
    const silero = await turnsOf('silero', signal);
    const energy = await turnsOf('energy', signal);
    expect(matches(silero)).toBe(2);
    expect(silero).toHaveLength(2);
    expect(matches(energy)).toBeLessThan(2);
  }, 60_000);
});
