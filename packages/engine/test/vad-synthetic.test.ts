import { describe, expect, it } from 'vitest';
import { measureRmsDb } from '@realtime-assistant/protocol';
import {
  NoiseFloor,
  PcmFramer,
  createEnergyClassifier,
  speechBoundaries,
  synthesizeSpeech,
} from '../src/vad/index.js';

describe('synthesizeSpeech', () => {
  it('lays parts end to end and reports each utterance span', () => {
    const signal = synthesizeSpeech({
      sampleRate: 24000,
      parts: [
        { silenceMs: 250 },
        { speechMs: 600 },
        { silenceMs: 400 },
        { speechMs: 1500 },
        { silenceMs: 250 },
      ],
    });
    expect(signal.durationMs).toBe(3000);
    expect(signal.samples).toHaveLength(72000);
    expect(signal.utterances).toEqual([
      { startMs: 250, endMs: 850 },
      { startMs: 1250, endMs: 2750 },
    ]);
    expect(measureRmsDb(signal.samples.subarray(0, 6000))).toBe(-Infinity);
    expect(measureRmsDb(signal.samples.subarray(6000, 20400))).toBeGreaterThan(-30);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const parts = [{ speechMs: 500 }];
    const a = synthesizeSpeech({ sampleRate: 16000, parts, seed: 7 });
    const b = synthesizeSpeech({ sampleRate: 16000, parts, seed: 7 });
    const c = synthesizeSpeech({ sampleRate: 16000, parts, seed: 8 });
    expect(a.samples).toEqual(b.samples);
    expect(a.samples).not.toEqual(c.samples);
  });

  it('adds background noise at the requested level', () => {
    const signal = synthesizeSpeech({
      sampleRate: 24000,
      parts: [{ silenceMs: 2000 }],
      noiseDb: -50,
    });
    expect(measureRmsDb(signal.samples)).toBeCloseTo(-50, 0);
  });
});

describe('speechBoundaries', () => {
  it('recovers the true utterance spans of a clean synthetic signal within one window', () => {
    const signal = synthesizeSpeech({
      sampleRate: 24000,
      parts: [
        { silenceMs: 500 },
        { speechMs: 900 },
        { silenceMs: 800 },
        { speechMs: 400 },
        { silenceMs: 300 },
      ],
      seed: 3,
    });
    const spans = speechBoundaries(signal.samples, 24000);
    expect(spans).toHaveLength(2);
    spans.forEach((span, i) => {
      expect(Math.abs(span.startMs - signal.utterances[i]!.startMs)).toBeLessThanOrEqual(5);
      expect(Math.abs(span.endMs - signal.utterances[i]!.endMs)).toBeLessThanOrEqual(5);
    });
  });
});

describe('PcmFramer', () => {
  it('frames chunks of any size and keeps positions exact across a rate change', () => {
    const framer = new PcmFramer(10);
    const spans: [number, number, number][] = [];
    const sink = (frame: Int16Array, startMs: number, endMs: number) =>
      spans.push([frame.length, startMs, endMs]);
    framer.push(new Int16Array(250), 24000, sink);
    framer.push(new Int16Array(230), 24000, sink);
    expect(spans).toEqual([
      [240, 0, 10],
      [240, 10, 20],
    ]);
    framer.push(new Int16Array(165), 16000, sink);
    expect(spans.slice(2)).toEqual([[160, 20, 30]]);
    expect(framer.receivedMs).toBeCloseTo(30.3125, 6);
  });
});

describe('the energy classifier', () => {
  it('scores a frame by its level above the tracked noise floor', () => {
    const classifier = createEnergyClassifier();
    const frame = (db: number) => new Int16Array(240).fill(Math.round(32768 * 10 ** (db / 20)));
    expect(classifier.classify(frame(-45), 24000)).toBeCloseTo(0.5, 1);
    expect(classifier.classify(frame(-20), 24000)).toBe(1);
    expect(classifier.classify(new Int16Array(240), 24000)).toBe(0);
  });

  it('raises the noise floor to a steady background within its window and drops it at once', () => {
    const floor = new NoiseFloor({ blockMs: 200, blocks: 10 });
    for (let t = 0; t < 2400; t += 10) floor.update(-40, 10);
    expect(floor.db).toBe(-40);
    floor.update(-55, 10);
    expect(floor.db).toBe(-55);
    floor.update(-90, 10);
    expect(floor.db).toBe(-60);
  });
});
