import { describe, expect, it } from 'vitest';
import type { TurnDetection } from '@realtime-assistant/protocol';
import {
  TurnDetector,
  pushInChunks,
  synthesizeSpeech,
  type SyntheticPart,
  type TurnEvent,
} from '../src/vad/index.js';

const RATE = 24000;
const TOLERANCE_MS = 40;

interface Recorded {
  events: TurnEvent[];
  /** Stream position when each event was emitted (same order as events). */
  emittedAt: number[];
  detector: TurnDetector;
}

function detect(turnDetection: TurnDetection = { type: 'server_vad' }): Recorded {
  const events: TurnEvent[] = [];
  const emittedAt: number[] = [];
  const detector: TurnDetector = new TurnDetector({
    turnDetection,
    onEvent: (event) => {
      events.push(event);
      emittedAt.push(detector.positionMs);
    },
  });
  return { events, emittedAt, detector };
}

const ofType = <T extends TurnEvent['type']>(events: TurnEvent[], type: T) =>
  events.filter((e): e is Extract<TurnEvent, { type: T }> => e.type === type);

function turns(events: TurnEvent[]): { startMs: number; endMs: number }[] {
  const starts = ofType(events, 'speech_started');
  const stops = ofType(events, 'speech_stopped');
  expect(stops).toHaveLength(starts.length);
  return starts.map((s, i) => ({ startMs: s.audioStartMs, endMs: stops[i]!.audioEndMs }));
}

function expectWithin(actual: number, expected: number, tolerance = TOLERANCE_MS): void {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

const THREE_UTTERANCES: SyntheticPart[] = [
  { silenceMs: 700 },
  { speechMs: 350 },
  { silenceMs: 900 },
  { speechMs: 1200 },
  { silenceMs: 700 },
  { speechMs: 2000 },
  { silenceMs: 800 },
];

describe('TurnDetector with the energy VAD', () => {
  for (const noiseDb of [undefined, -50]) {
    for (const seed of [1, 2, 3]) {
      it(`finds speech edges within ±40 ms in 20 ms chunks at 24 kHz (noise ${noiseDb ?? 'none'}, seed ${seed})`, () => {
        const signal = synthesizeSpeech({
          sampleRate: RATE,
          parts: THREE_UTTERANCES,
          noiseDb,
          seed,
        });
        const { events, detector } = detect();
        pushInChunks(detector, signal.samples, RATE, 20);
        const found = turns(events);
        expect(found).toHaveLength(signal.utterances.length);
        found.forEach((turn, i) => {
          expectWithin(turn.startMs, signal.utterances[i]!.startMs);
          expectWithin(turn.endMs, signal.utterances[i]!.endMs);
        });
      });
    }
  }

  for (const [rate, chunkMs] of [
    [8000, 20],
    [16000, 7],
    [44100, 33],
    [48000, 10],
  ] as const) {
    it(`keeps the edges within ±40 ms at ${rate} Hz in ${chunkMs} ms chunks`, () => {
      const signal = synthesizeSpeech({ sampleRate: rate, parts: THREE_UTTERANCES, seed: 4 });
      const { events, detector } = detect();
      pushInChunks(detector, signal.samples, rate, chunkMs);
      const found = turns(events);
      expect(found).toHaveLength(3);
      found.forEach((turn, i) => {
        expectWithin(turn.startMs, signal.utterances[i]!.startMs);
        expectWithin(turn.endMs, signal.utterances[i]!.endMs);
      });
      expectWithin(detector.positionMs, signal.durationMs, 1);
    });
  }

  it('emits speech_started, then speech_stopped and commit once the silence window has passed', () => {
    const signal = synthesizeSpeech({
      sampleRate: RATE,
      parts: [{ silenceMs: 500 }, { speechMs: 800 }, { silenceMs: 1000 }],
    });
    const { events, emittedAt, detector } = detect({
      type: 'server_vad',
      silence_duration_ms: 500,
    });
    pushInChunks(detector, signal.samples, RATE);
    expect(events.map((e) => e.type)).toEqual(['speech_started', 'speech_stopped', 'commit']);
    const stopped = ofType(events, 'speech_stopped')[0]!;
    // Reported at the last speech frame, announced a silence window later (within one chunk).
    expect(emittedAt[1]! - stopped.audioEndMs).toBeGreaterThanOrEqual(500);
    expect(emittedAt[1]! - stopped.audioEndMs).toBeLessThanOrEqual(520);
    // Start is announced after the minimum speech duration, not at the first loud frame.
    expect(
      emittedAt[0]! - ofType(events, 'speech_started')[0]!.audioStartMs,
    ).toBeGreaterThanOrEqual(100);
  });

  it('ignores short clicks', () => {
    const signal = synthesizeSpeech({
      sampleRate: RATE,
      parts: [
        { silenceMs: 500 },
        { clickMs: 5 },
        { silenceMs: 400 },
        { clickMs: 30 },
        { silenceMs: 400 },
        { clickMs: 60 },
        { silenceMs: 500 },
      ],
      noiseDb: -55,
    });
    const { events, detector } = detect();
    pushInChunks(detector, signal.samples, RATE);
    expect(events).toEqual([]);
  });

  it('does not trigger on a steady background at −50 dBFS', () => {
    const signal = synthesizeSpeech({
      sampleRate: RATE,
      parts: [{ silenceMs: 10000 }],
      noiseDb: -50,
      seed: 9,
    });
    const { events, detector } = detect();
    pushInChunks(detector, signal.samples, RATE);
    expect(events).toEqual([]);
  });

  it('does not split an utterance at a pause shorter than silence_duration_ms', () => {
    const signal = synthesizeSpeech({
      sampleRate: RATE,
      parts: [
        { silenceMs: 500 },
        { speechMs: 600 },
        { silenceMs: 400 },
        { speechMs: 700 },
        { silenceMs: 1000 },
      ],
    });
    const long = detect({ type: 'server_vad', silence_duration_ms: 600 });
    pushInChunks(long.detector, signal.samples, RATE);
    expect(turns(long.events)).toHaveLength(1);
    expectWithin(turns(long.events)[0]!.startMs, signal.utterances[0]!.startMs);
    expectWithin(turns(long.events)[0]!.endMs, signal.utterances[1]!.endMs);

    const short = detect({ type: 'server_vad', silence_duration_ms: 200 });
    pushInChunks(short.detector, signal.samples, RATE);
    expect(turns(short.events)).toHaveLength(2);
  });

  it('starts the committed span prefix_padding_ms before the speech and ends it just after', () => {
    const signal = synthesizeSpeech({
      sampleRate: RATE,
      parts: [{ silenceMs: 1000 }, { speechMs: 700 }, { silenceMs: 800 }],
    });
    for (const prefix of [0, 300, 500]) {
      const { events, detector } = detect({ type: 'server_vad', prefix_padding_ms: prefix });
      pushInChunks(detector, signal.samples, RATE);
      const started = ofType(events, 'speech_started')[0]!;
      const stopped = ofType(events, 'speech_stopped')[0]!;
      const commit = ofType(events, 'commit')[0]!;
      expect(commit.startMs).toBe(started.audioStartMs - prefix);
      expect(commit.endMs).toBeGreaterThan(stopped.audioEndMs);
      expect(commit.endMs).toBeLessThanOrEqual(stopped.audioEndMs + 100);
    }
  });

  it('never reaches back before the start of the stream or the previous commit', () => {
    const signal = synthesizeSpeech({
      sampleRate: RATE,
      parts: [
        { silenceMs: 100 },
        { speechMs: 500 },
        { silenceMs: 250 },
        { speechMs: 500 },
        { silenceMs: 500 },
      ],
    });
    const { events, detector } = detect({ type: 'server_vad', prefix_padding_ms: 300 });
    pushInChunks(detector, signal.samples, RATE);
    const commits = ofType(events, 'commit');
    expect(commits).toHaveLength(2);
    expect(commits[0]!.startMs).toBe(0);
    expect(commits[1]!.startMs).toBe(commits[0]!.endMs);
  });

  it('fires timeout once, idle_timeout_ms after the armed time, when nobody speaks', () => {
    const silence = synthesizeSpeech({
      sampleRate: RATE,
      parts: [{ silenceMs: 15000 }],
      noiseDb: -60,
    });
    const { events, emittedAt, detector } = detect({ type: 'server_vad', idle_timeout_ms: 5000 });
    pushInChunks(detector, silence.samples.subarray(0, RATE), RATE);
    detector.armIdle(1000);
    pushInChunks(detector, silence.samples.subarray(RATE), RATE);
    expect(events).toEqual([{ type: 'timeout', audioStartMs: 1000, audioEndMs: 6000 }]);
    expectWithin(emittedAt[0]!, 6000, 20);
  });

  it('does not fire timeout when speech starts before the idle deadline, and fires again after re-arming', () => {
    const signal = synthesizeSpeech({
      sampleRate: RATE,
      parts: [{ silenceMs: 3000 }, { speechMs: 800 }, { silenceMs: 9000 }],
    });
    const { events, detector } = detect({ type: 'server_vad', idle_timeout_ms: 5000 });
    detector.armIdle(0);
    pushInChunks(detector, signal.samples.subarray(0, RATE * 5), RATE);
    detector.armIdle(detector.positionMs);
    pushInChunks(detector, signal.samples.subarray(RATE * 5), RATE);
    expect(events.map((e) => e.type)).toEqual([
      'speech_started',
      'speech_stopped',
      'commit',
      'timeout',
    ]);
    expect(ofType(events, 'timeout')[0]).toEqual({
      type: 'timeout',
      audioStartMs: 5000,
      audioEndMs: 10000,
    });
  });

  it('ignores armIdle when idle_timeout_ms is null', () => {
    const silence = synthesizeSpeech({ sampleRate: RATE, parts: [{ silenceMs: 40000 }] });
    const { events, detector } = detect({ type: 'server_vad', idle_timeout_ms: null });
    detector.armIdle(0);
    pushInChunks(detector, silence.samples, RATE);
    expect(events).toEqual([]);
  });

  it('applies a new silence_duration_ms mid-stream from the next frame', () => {
    const signal = synthesizeSpeech({
      sampleRate: RATE,
      parts: [
        { silenceMs: 500 },
        { speechMs: 600 },
        { silenceMs: 400 },
        { speechMs: 600 },
        { silenceMs: 400 },
        { speechMs: 600 },
        { silenceMs: 1000 },
      ],
    });
    const { events, detector } = detect({ type: 'server_vad', silence_duration_ms: 200 });
    // 0–1.5 s at 200 ms: the first pause splits. Then 800 ms: the second pause does not.
    pushInChunks(detector, signal.samples.subarray(0, RATE * 1.5), RATE);
    detector.updateConfig({ type: 'server_vad', silence_duration_ms: 800 });
    expect(detector.params.silenceDurationMs).toBe(800);
    pushInChunks(detector, signal.samples.subarray(RATE * 1.5), RATE);
    const found = turns(events);
    expect(found).toHaveLength(2);
    expectWithin(found[1]!.startMs, signal.utterances[1]!.startMs);
    expectWithin(found[1]!.endMs, signal.utterances[2]!.endMs);
  });

  it('applies a new threshold mid-stream', () => {
    const quiet = synthesizeSpeech({
      sampleRate: RATE,
      speechDb: -42,
      parts: [
        { silenceMs: 500 },
        { speechMs: 800 },
        { silenceMs: 700 },
        { speechMs: 800 },
        { silenceMs: 700 },
      ],
    });
    const { events, detector } = detect({ type: 'server_vad', threshold: 0.95 });
    pushInChunks(detector, quiet.samples.subarray(0, RATE * 2), RATE);
    expect(events).toEqual([]);
    detector.updateConfig({ type: 'server_vad', threshold: 0.3 });
    pushInChunks(detector, quiet.samples.subarray(RATE * 2), RATE);
    expect(turns(events)).toHaveLength(1);
    expectWithin(turns(events)[0]!.startMs, quiet.utterances[1]!.startMs);
  });

  it('forgets speech in progress on reset and keeps the stream position', () => {
    const signal = synthesizeSpeech({
      sampleRate: RATE,
      parts: [{ silenceMs: 500 }, { speechMs: 1000 }, { silenceMs: 1000 }],
    });
    const { events, detector } = detect();
    pushInChunks(detector, signal.samples.subarray(0, RATE), RATE);
    expect(detector.speaking).toBe(true);
    detector.reset();
    expect(detector.speaking).toBe(false);
    expect(detector.positionMs).toBe(1000);
    pushInChunks(detector, new Int16Array(RATE), RATE);
    expect(events.map((e) => e.type)).toEqual(['speech_started']);
    detector.reset(0);
    expect(detector.positionMs).toBe(0);
  });

  it('rejects a non-positive sample rate with a RangeError', () => {
    const { detector } = detect();
    expect(() => detector.push(new Int16Array(10), 0)).toThrow(RangeError);
  });
});
