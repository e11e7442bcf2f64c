import { bytesToPcm16, generateTone, toneLevelDb, writeWav } from '@realtime-assistant/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { realClock, wavSource } from '../src/audio/file-source.js';

function collect(source: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  return (async () => {
    const out: Uint8Array[] = [];
    for await (const chunk of source) out.push(chunk);
    return out;
  })();
}

const wav24k = writeWav({
  sampleRate: 24_000,
  channels: 1,
  samples: generateTone({ frequency: 1000, durationMs: 1010, sampleRate: 24_000 }),
});

describe('wavSource', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('releases 20 ms chunks at real time on the clock', async () => {
    vi.useFakeTimers();
    const times: number[] = [];
    const start = realClock.now();
    const done = (async () => {
      const sizes: number[] = [];
      for await (const chunk of wavSource(wav24k)) {
        times.push(realClock.now() - start);
        sizes.push(chunk.length);
      }
      return sizes;
    })();
    await vi.advanceTimersByTimeAsync(500);
    expect(times.length).toBe(26);
    await vi.runAllTimersAsync();
    const sizes = await done;
    expect(sizes.length).toBe(51);
    expect(sizes.slice(0, 50).every((n) => n === 960)).toBe(true);
    expect(sizes[50]).toBe(480);
    times.forEach((t, k) => expect(t).toBeCloseTo(k * 20, 0));
  });

  it('delivers everything at once in fast mode', async () => {
    const sleep = vi.fn(() => Promise.resolve());
    const chunks = await collect(wavSource(wav24k, { fast: true, clock: { now: () => 0, sleep } }));
    expect(chunks.length).toBe(51);
    expect(sleep).not.toHaveBeenCalled();
  });

  it('converts a 16 kHz stereo WAV to 24 kHz mono', async () => {
    const left = generateTone({ frequency: 1000, durationMs: 500, sampleRate: 16_000 });
    const stereo = new Int16Array(left.length * 2);
    left.forEach((v, i) => {
      stereo[2 * i] = v;
      stereo[2 * i + 1] = v;
    });
    const wav = writeWav({ sampleRate: 16_000, channels: 2, samples: stereo });
    const chunks = await collect(wavSource(wav, { fast: true, chunkMs: 40 }));
    const pcm = bytesToPcm16(Buffer.concat(chunks));
    expect(pcm.length).toBe(12_000);
    expect(chunks[0]!.length).toBe(1920);
    expect(toneLevelDb(pcm.subarray(1000, 11_000), 24_000, 1000)).toBeCloseTo(-9.03, 0);
  });

  it('stops when its signal is aborted', async () => {
    const controller = new AbortController();
    const chunks: Uint8Array[] = [];
    for await (const chunk of wavSource(wav24k, { fast: true, signal: controller.signal })) {
      chunks.push(chunk);
      if (chunks.length === 3) controller.abort();
    }
    expect(chunks.length).toBe(3);
  });
});
