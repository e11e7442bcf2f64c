import { describe, expect, it } from 'vitest';
import {
  createFloat32Resampler,
  createResampler,
  generateTone,
  measureRmsDb,
  resamplePcm16,
  toneLevelDb,
} from '../src/audio/index.js';
import type { Resampler } from '../src/audio/index.js';

const RATES = [8000, 16000, 24000, 48000];
const PAIRS = RATES.flatMap((a) => RATES.filter((b) => b !== a).map((b) => [a, b] as const));
const DOWN = PAIRS.filter(([a, b]) => b < a);
const UP = PAIRS.filter(([a, b]) => b > a);

/** A small deterministic PRNG (mulberry32). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function noise(length: number, seed: number): Int16Array {
  const next = random(seed);
  return Int16Array.from({ length }, () => Math.round((next() * 2 - 1) * 20000));
}

/** Feeds `input` in random chunk sizes (0, 1, 2, 3 … up to `max`) and flushes. */
function streamInChunks<T extends Int16Array | Float32Array>(
  resampler: Resampler<T>,
  input: T,
  seed: number,
  max: number,
): number[] {
  const next = random(seed);
  const out: number[] = [];
  let i = 0;
  while (i < input.length) {
    const r = next();
    const size = r < 0.2 ? 1 : r < 0.25 ? 0 : r < 0.35 ? 2 : Math.floor(next() * max) + 1;
    out.push(...resampler.process(input.subarray(i, i + size) as T));
    i += size;
  }
  out.push(...resampler.flush());
  return out;
}

/** The steady-state part of an output: skips the start and end transients. */
function middle(samples: Int16Array, outputRate: number): Int16Array {
  const skip = Math.round(outputRate * 0.05);
  return samples.subarray(skip, samples.length - skip);
}

function toneThrough(
  inputRate: number,
  outputRate: number,
  frequency: number,
  quality?: 'standard' | 'high',
) {
  const tone = generateTone({ frequency, durationMs: 400, sampleRate: inputRate, amplitude: 0.5 });
  return middle(resamplePcm16(tone, inputRate, outputRate, quality), outputRate);
}

describe('createResampler', () => {
  it.each(PAIRS)('keeps a 1 kHz tone within 1 dB from %i Hz to %i Hz', (inputRate, outputRate) => {
    const tone = generateTone({
      frequency: 1000,
      durationMs: 400,
      sampleRate: inputRate,
      amplitude: 0.5,
    });
    const out = toneThrough(inputRate, outputRate, 1000);
    const change = measureRmsDb(out) - measureRmsDb(tone);
    expect(Math.abs(change)).toBeLessThan(1);
    expect(toneLevelDb(out, outputRate, 1000) - measureRmsDb(out)).toBeGreaterThan(-0.1);
  });

  it.each(DOWN)(
    'rejects tones above the output Nyquist by ≥ 60 dB from %i Hz to %i Hz',
    (inputRate, outputRate) => {
      const reference = measureRmsDb(toneThrough(inputRate, outputRate, 1000));
      const nyquist = outputRate / 2;
      for (const frequency of [1.15 * nyquist, 0.97 * (inputRate / 2), 1.02 * nyquist]) {
        const leaked = measureRmsDb(toneThrough(inputRate, outputRate, frequency));
        expect(leaked - reference, `${frequency} Hz`).toBeLessThan(-60);
      }
    },
  );

  it.each(DOWN)(
    'rejects every stopband tone by ≥ 60 dB from %i Hz to %i Hz',
    (inputRate, outputRate) => {
      const reference = measureRmsDb(toneThrough(inputRate, outputRate, 1000));
      let worst = -Infinity;
      for (
        let frequency = outputRate / 2;
        frequency < inputRate / 2;
        frequency += outputRate / 97
      ) {
        const tone = generateTone({
          frequency,
          durationMs: 150,
          sampleRate: inputRate,
          amplitude: 0.5,
        });
        const out = resamplePcm16(tone, inputRate, outputRate);
        const skip = Math.round(outputRate * 0.02);
        worst = Math.max(worst, measureRmsDb(out.subarray(skip, out.length - skip)));
      }
      expect(worst - reference).toBeLessThan(-60);
    },
  );

  it.each(UP)('suppresses images by ≥ 60 dB from %i Hz to %i Hz', (inputRate, outputRate) => {
    const reference = measureRmsDb(toneThrough(inputRate, outputRate, 1000));
    for (const frequency of [1000, 0.9 * (inputRate / 2), 0.97 * (inputRate / 2)]) {
      const out = toneThrough(inputRate, outputRate, frequency);
      for (let image = inputRate - frequency; image < outputRate / 2; image += inputRate) {
        expect(
          toneLevelDb(out, outputRate, image) - reference,
          `${frequency} Hz → ${image} Hz`,
        ).toBeLessThan(-60);
      }
      for (let image = inputRate + frequency; image < outputRate / 2; image += inputRate) {
        expect(
          toneLevelDb(out, outputRate, image) - reference,
          `${frequency} Hz → ${image} Hz`,
        ).toBeLessThan(-60);
      }
    }
  });

  it.each(PAIRS)(
    'streams in random chunks exactly as in one go from %i Hz to %i Hz',
    (inputRate, outputRate) => {
      const input = noise(Math.round(inputRate * 0.25) + 7, inputRate + outputRate);
      const whole = resamplePcm16(input, inputRate, outputRate);
      const resampler = createResampler({ inputRate, outputRate });
      for (const seed of [1, 2]) {
        expect(streamInChunks(resampler, input, seed, 700)).toEqual(Array.from(whole));
      }
      expect(streamInChunks(resampler, input, 3, 3)).toEqual(Array.from(whole));
    },
  );

  it.each(PAIRS)(
    'emits ceil(N · out / in) samples in total from %i Hz to %i Hz',
    (inputRate, outputRate) => {
      const resampler = createResampler({ inputRate, outputRate });
      for (const length of [0, 1, 2, 3, 5, 7, 160, 161, 999, 1000]) {
        const input = noise(length, length);
        const total = resampler.process(input).length + resampler.flush().length;
        expect(total, `N = ${length}`).toBe(Math.ceil((length * outputRate) / inputRate));
      }
    },
  );

  it('aligns the output in time with the input', () => {
    for (const [inputRate, outputRate] of [
      [48000, 24000],
      [24000, 16000],
      [16000, 24000],
      [8000, 48000],
    ] as const) {
      const input = new Int16Array(inputRate / 10);
      input[inputRate / 20] = 30000;
      const out = resamplePcm16(input, inputRate, outputRate);
      const peak = out.indexOf(Math.max(...out));
      expect(peak, `${inputRate} → ${outputRate}`).toBe(outputRate / 20);
    }
  });

  it('holds back at most latencySamples outputs until flush', () => {
    for (const [inputRate, outputRate] of PAIRS) {
      const resampler = createResampler({ inputRate, outputRate });
      const input = noise(inputRate / 10, 5);
      const ready = resampler.process(input).length;
      const held = (input.length * outputRate) / inputRate - ready;
      expect(held).toBeGreaterThan(0);
      expect(held).toBeLessThanOrEqual(resampler.latencySamples);
      expect(resampler.delayMs).toBeCloseTo((resampler.latencySamples / outputRate) * 1000, 0);
      expect(resampler.delayMs).toBeLessThan(5);
    }
  });

  it('forgets earlier input on reset and after flush', () => {
    const resampler = createResampler({ inputRate: 24000, outputRate: 16000 });
    const a = noise(999, 11);
    const b = noise(1234, 12);
    const fresh = Array.from(resamplePcm16(b, 24000, 16000));
    resampler.process(a);
    resampler.reset();
    expect([...resampler.process(b), ...resampler.flush()]).toEqual(fresh);
    resampler.process(a);
    resampler.flush();
    expect([...resampler.process(b), ...resampler.flush()]).toEqual(fresh);
  });

  it('returns the input unchanged when the rates are equal', () => {
    const resampler = createResampler({ inputRate: 24000, outputRate: 24000 });
    const input = noise(100, 1);
    expect(resampler.process(input)).toBe(input);
    expect(resampler.flush().length).toBe(0);
    expect(resampler.latencySamples).toBe(0);
    expect(resampler.delayMs).toBe(0);
    expect(resamplePcm16(input, 24000, 24000)).toBe(input);
  });

  it('clips instead of wrapping when ringing exceeds full scale', () => {
    const square = Int16Array.from({ length: 4800 }, (_, i) =>
      Math.floor(i / 40) % 2 ? -32768 : 32767,
    );
    const out = resamplePcm16(square, 48000, 16000);
    const float = createFloat32Resampler({ inputRate: 48000, outputRate: 16000 });
    const exact = [...float.process(Float32Array.from(square, (v) => v / 32768)), ...float.flush()];
    expect(exact.length).toBe(out.length);
    let clipped = 0;
    for (let i = 0; i < out.length; i++) {
      const v = exact[i]! * 32768;
      if (v > 32767.5) expect(out[i]).toBe(32767);
      else if (v < -32768.5) expect(out[i]).toBe(-32768);
      else expect(Math.abs(out[i]! - v)).toBeLessThanOrEqual(0.51);
      if (Math.abs(v) > 32768) clipped++;
    }
    expect(clipped).toBeGreaterThan(10);
  });

  it('rejects invalid rates and ratios with a RangeError', () => {
    expect(() => createResampler({ inputRate: 0, outputRate: 16000 })).toThrow(RangeError);
    expect(() => createResampler({ inputRate: 24000, outputRate: 16000.5 })).toThrow(/outputRate/);
    expect(() => createResampler({ inputRate: 48000, outputRate: 47999 })).toThrow(/ratio/);
    expect(() =>
      createResampler({ inputRate: 48000, outputRate: 24000, quality: 'best' as never }),
    ).toThrow(/quality/);
  });

  it('rejects aliases by ≥ 90 dB at high quality', () => {
    const reference = measureRmsDb(toneThrough(48000, 24000, 1000, 'high'));
    expect(
      Math.abs(
        reference -
          measureRmsDb(generateTone({ frequency: 1000, durationMs: 10, sampleRate: 48000 })),
      ),
    ).toBeLessThan(1);
    for (const frequency of [12000, 13800, 20000]) {
      expect(measureRmsDb(toneThrough(48000, 24000, frequency, 'high')) - reference).toBeLessThan(
        -90,
      );
    }
    expect(measureRmsDb(toneThrough(24000, 16000, 8100, 'high')) - reference).toBeLessThan(-90);
  });

  it('converts other rates such as 44.1 kHz with the same quality', () => {
    for (const [inputRate, outputRate] of [
      [44100, 24000],
      [22050, 16000],
      [48000, 44100],
    ] as const) {
      const tone = generateTone({ frequency: 1000, durationMs: 400, sampleRate: inputRate });
      const reference = measureRmsDb(toneThrough(inputRate, outputRate, 1000));
      expect(Math.abs(reference - measureRmsDb(tone))).toBeLessThan(1);
      const alias = measureRmsDb(toneThrough(inputRate, outputRate, 1.15 * (outputRate / 2)));
      expect(alias - reference).toBeLessThan(-60);
      const input = noise(inputRate / 20 + 3, 9);
      const whole = Array.from(resamplePcm16(input, inputRate, outputRate));
      expect(streamInChunks(createResampler({ inputRate, outputRate }), input, 4, 500)).toEqual(
        whole,
      );
    }
  });
});

describe('createFloat32Resampler', () => {
  it('matches the Int16 resampler on the same signal, without rounding', () => {
    const input = noise(2400, 21);
    const floats = Float32Array.from(input, (v) => v / 32768);
    const resampler = createFloat32Resampler({ inputRate: 24000, outputRate: 16000 });
    const out = [...resampler.process(floats), ...resampler.flush()];
    const reference = resamplePcm16(input, 24000, 16000);
    expect(out.length).toBe(reference.length);
    for (let i = 0; i < out.length; i++)
      expect(Math.abs(out[i]! * 32768 - reference[i]!)).toBeLessThanOrEqual(0.5 + 1e-3);
  });

  it('streams in random chunks exactly as in one go', () => {
    const input = Float32Array.from(noise(4801, 22), (v) => v / 32768);
    const oneShot = createFloat32Resampler({ inputRate: 48000, outputRate: 16000 });
    const whole = [...oneShot.process(input), ...oneShot.flush()];
    const chunked = streamInChunks(
      createFloat32Resampler({ inputRate: 48000, outputRate: 16000 }),
      input,
      8,
      300,
    );
    expect(chunked).toEqual(whole);
  });

  it('does not clip', () => {
    const loud = Float32Array.from(
      { length: 480 },
      (_, i) => 1.5 * Math.sin((2 * Math.PI * 1000 * i) / 48000),
    );
    const resampler = createFloat32Resampler({ inputRate: 48000, outputRate: 24000 });
    const out = [...resampler.process(loud), ...resampler.flush()];
    expect(Math.max(...out)).toBeGreaterThan(1.4);
  });
});
