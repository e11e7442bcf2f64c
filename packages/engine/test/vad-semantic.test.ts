import { describe, expect, it } from 'vitest';
import type { TurnDetection } from '@realtime-assistant/protocol';
import {
  SEMANTIC_MAX_WAIT_MS,
  TurnDetector,
  looksLikeCompleteTurn,
  pushInChunks,
  turnEnding,
  synthesizeSpeech,
  turnParameters,
  type TurnEvent,
} from '../src/vad/index.js';

const RATE = 24000;

/** Feeds 1 s of speech then `silenceMs` of silence; returns how long after the speech speech_stopped came. */
function waitAfterSpeech(
  turnDetection: TurnDetection,
  silenceMs: number,
  transcript?: string,
): number | undefined {
  const signal = synthesizeSpeech({
    sampleRate: RATE,
    parts: [{ silenceMs: 500 }, { speechMs: 1000 }, { silenceMs }],
    noiseDb: -55,
  });
  let stoppedAt: number | undefined;
  let audioEndMs = 0;
  const detector: TurnDetector = new TurnDetector({
    turnDetection,
    onEvent: (event: TurnEvent) => {
      if (event.type === 'speech_started' && transcript !== undefined) {
        detector.noteTranscript(transcript);
      }
      if (event.type === 'speech_stopped') {
        stoppedAt = detector.positionMs;
        audioEndMs = event.audioEndMs;
      }
    },
  });
  pushInChunks(detector, signal.samples, RATE);
  return stoppedAt === undefined ? undefined : stoppedAt - audioEndMs;
}

describe('semantic_vad', () => {
  it('maps eagerness to the documented maximum waits (low 8 s, medium 4 s, high 2 s, auto = medium)', () => {
    expect(SEMANTIC_MAX_WAIT_MS).toEqual({ low: 8000, medium: 4000, high: 2000, auto: 4000 });
    for (const [eagerness, wait] of [
      ['low', 8000],
      ['medium', 4000],
      ['high', 2000],
      ['auto', 4000],
    ] as const) {
      expect(turnParameters({ type: 'semantic_vad', eagerness }).silenceDurationMs).toBe(wait);
    }
    expect(turnParameters({ type: 'semantic_vad' }).silenceDurationMs).toBe(4000);
  });

  for (const [eagerness, wait] of [
    ['low', 8000],
    ['medium', 4000],
    ['high', 2000],
  ] as const) {
    it(`ends a ${eagerness}-eagerness turn after ${wait} ms of silence when nothing says it is complete`, () => {
      const after = waitAfterSpeech({ type: 'semantic_vad', eagerness }, wait + 1000);
      expect(after).toBeGreaterThanOrEqual(wait);
      expect(after).toBeLessThanOrEqual(wait + 20);
      expect(waitAfterSpeech({ type: 'semantic_vad', eagerness }, wait - 200)).toBeUndefined();
    });
  }

  it('ends the turn after a short silence once the transcript reads as a finished sentence', () => {
    const after = waitAfterSpeech(
      { type: 'semantic_vad', eagerness: 'medium' },
      5000,
      'What time is it?',
    );
    expect(after).toBeGreaterThanOrEqual(600);
    expect(after).toBeLessThanOrEqual(620);
    const unfinished = waitAfterSpeech(
      { type: 'semantic_vad', eagerness: 'medium' },
      5000,
      'I want to',
    );
    expect(unfinished).toBeGreaterThanOrEqual(4000);
  });

  it('ends the turn after half the maximum when the transcript shows no sign either way', () => {
    const after = waitAfterSpeech(
      { type: 'semantic_vad', eagerness: 'high' },
      3000,
      'turn on the lights',
    );
    expect(after).toBeGreaterThanOrEqual(1000);
    expect(after).toBeLessThanOrEqual(1020);
  });

  it('leaves server_vad silence as configured whatever the transcript says', () => {
    const after = waitAfterSpeech({ type: 'server_vad', silence_duration_ms: 700 }, 2000, 'Done.');
    expect(after).toBeGreaterThanOrEqual(700);
    expect(after).toBeLessThanOrEqual(720);
  });

  it('has no idle timeout', () => {
    expect(turnParameters({ type: 'semantic_vad', eagerness: 'high' }).idleTimeoutMs).toBeNull();
  });
});

describe('turnParameters', () => {
  it('fills in the GA server_vad defaults', () => {
    const params = turnParameters({ type: 'server_vad' });
    expect(params).toMatchObject({
      kind: 'server_vad',
      startThreshold: 0.5,
      prefixPaddingMs: 300,
      silenceDurationMs: 200,
      idleTimeoutMs: null,
    });
    expect(params.continueThreshold).toBeLessThan(params.startThreshold);
  });

  it('takes the session values', () => {
    expect(
      turnParameters({
        type: 'server_vad',
        threshold: 0.8,
        prefix_padding_ms: 100,
        silence_duration_ms: 900,
        idle_timeout_ms: 6000,
      }),
    ).toMatchObject({
      startThreshold: 0.8,
      prefixPaddingMs: 100,
      silenceDurationMs: 900,
      idleTimeoutMs: 6000,
    });
  });
});

describe('looksLikeCompleteTurn', () => {
  it.each([
    ['What time is it?', true],
    ['Book a table for two.', true],
    ['Great!', true],
    ['"Stop."', true],
    ['I want to go to the.', false],
    ['and then', false],
    ['so um', false],
    ['Well...', false],
    ['', false],
    ['turn on the lights', false],
    ['what time is it', true],
    ['book a table for two thank you', true],
  ])('reads %j as complete: %s', (text, complete) => {
    expect(looksLikeCompleteTurn(text)).toBe(complete);
  });
});

describe('turnEnding', () => {
  it.each([
    ['what time is it', 'complete'],
    ['can you play a tone', 'complete'],
    ['that is all thank you', 'complete'],
    ['goodbye', 'complete'],
    ['play a tone please', 'complete'],
    ['Book it.', 'complete'],
    ['what is', 'open'],
    ['play a tone', 'open'],
    ['turn on the lights', 'open'],
    ['', 'open'],
    ['i want to book a', 'unfinished'],
    ['can you tell me about', 'unfinished'],
    ['what time is it and', 'unfinished'],
    ['I would like', 'unfinished'],
    ['Well...', 'unfinished'],
    ['so um', 'unfinished'],
  ] as const)('reads %j as %s', (text, ending) => {
    expect(turnEnding(text)).toBe(ending);
  });
});
