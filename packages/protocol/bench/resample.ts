/**
 * Resampler speed: 10 s of a 1 kHz tone pushed through in 20 ms chunks, as the engine does.
 * Reports times real time (audio seconds per CPU second), the median of 7 timed runs after a
 * warm-up, per rate pair.
 */
import { createResampler, generateTone } from '../src/audio/index.js';

const PAIRS: [number, number][] = [
  [48000, 24000],
  [24000, 16000],
  [24000, 8000],
  [8000, 24000],
  [16000, 24000],
  [24000, 48000],
];

const AUDIO_MS = 10_000;
const CHUNK_MS = 20;
const RUNS = 7;

function timeOnce(input: Int16Array, inputRate: number, outputRate: number): number {
  const resampler = createResampler({ inputRate, outputRate });
  const chunk = (inputRate * CHUNK_MS) / 1000;
  let produced = 0;
  const start = performance.now();
  for (let i = 0; i < input.length; i += chunk) {
    produced += resampler.process(input.subarray(i, i + chunk)).length;
  }
  produced += resampler.flush().length;
  const elapsed = performance.now() - start;
  if (produced !== Math.ceil((input.length * outputRate) / inputRate)) {
    throw new Error(`resampler produced ${produced} samples`);
  }
  return elapsed;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Returns `{ 'resample 48000->24000 (x realtime)': 512, … }`. */
export async function benchResample(): Promise<Record<string, number>> {
  const results: Record<string, number> = {};
  for (const [inputRate, outputRate] of PAIRS) {
    const input = generateTone({ frequency: 1000, durationMs: AUDIO_MS, sampleRate: inputRate });
    timeOnce(input, inputRate, outputRate);
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++) times.push(timeOnce(input, inputRate, outputRate));
    results[`resample ${inputRate}->${outputRate} (x realtime)`] = Math.round(
      AUDIO_MS / median(times),
    );
    // Let other work (and the event loop) in between pairs.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return results;
}
