import { describe, expect, it } from 'vitest';
import { generateTone, measureRmsDb, toneLevelDb } from '../src/audio/index.js';

describe('generateTone', () => {
  it('generates the requested number of samples starting at phase 0', () => {
    const tone = generateTone({ frequency: 1000, durationMs: 20, sampleRate: 24000 });
    expect(tone.length).toBe(480);
    expect(tone[0]).toBe(0);
    expect(tone[6]).toBe(Math.round(0.5 * 32767)); // a quarter period of 1 kHz at 24 kHz
  });

  it('scales to the amplitude and clamps it to full scale', () => {
    const loud = generateTone({ frequency: 100, durationMs: 100, sampleRate: 8000, amplitude: 2 });
    expect(Math.max(...loud)).toBe(32767);
    const quiet = generateTone({
      frequency: 100,
      durationMs: 100,
      sampleRate: 8000,
      amplitude: 0.01,
    });
    expect(Math.max(...quiet)).toBe(328);
  });
});

describe('measureRmsDb', () => {
  it('reads a sine at amplitude A as 20·log10(A) − 3.01 dB', () => {
    const tone = generateTone({
      frequency: 1000,
      durationMs: 1000,
      sampleRate: 48000,
      amplitude: 0.5,
    });
    expect(measureRmsDb(tone)).toBeCloseTo(20 * Math.log10(0.5) - 3.01, 1);
  });

  it('reads silence and empty input as −Infinity', () => {
    expect(measureRmsDb(new Int16Array(10))).toBe(-Infinity);
    expect(measureRmsDb(new Int16Array(0))).toBe(-Infinity);
  });
});

describe('toneLevelDb', () => {
  it('agrees with measureRmsDb on a pure tone', () => {
    const tone = generateTone({
      frequency: 1000,
      durationMs: 500,
      sampleRate: 16000,
      amplitude: 0.25,
    });
    expect(toneLevelDb(tone, 16000, 1000)).toBeCloseTo(measureRmsDb(tone), 1);
  });

  it('measures each component of a mixture separately', () => {
    const a = generateTone({ frequency: 1000, durationMs: 500, sampleRate: 16000, amplitude: 0.5 });
    const b = generateTone({
      frequency: 3000,
      durationMs: 500,
      sampleRate: 16000,
      amplitude: 0.005,
    });
    const mix = a.map((v, i) => v + b[i]!);
    expect(toneLevelDb(mix, 16000, 1000)).toBeCloseTo(20 * Math.log10(0.5) - 3.01, 1);
    expect(toneLevelDb(mix, 16000, 3000)).toBeCloseTo(20 * Math.log10(0.005) - 3.01, 0);
  });

  it('reads an absent frequency far below the present one', () => {
    const tone = generateTone({
      frequency: 1000,
      durationMs: 500,
      sampleRate: 16000,
      amplitude: 0.5,
    });
    expect(toneLevelDb(tone, 16000, 1200) - toneLevelDb(tone, 16000, 1000)).toBeLessThan(-90);
    expect(toneLevelDb(new Int16Array(0), 16000, 1000)).toBe(-Infinity);
  });
});
