import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTone } from '@realtime-assistant/protocol';
import { FliteError } from '../src/voice/flite/flite-errors.js';
import { FliteSynthesizer } from '../src/voice/flite/flite-synthesizer.js';
import type { FliteVoice } from '../src/voice/flite/flite-voices.js';
import { FLITE_VOICES } from '../src/voice/flite/flite-voices.js';

const TEN_WORDS = 'I can help you book a table for two tonight.';
const LONG_REPLY = Array.from(
  { length: 12 },
  (_, i) =>
    `This is sentence number ${i + 1} of a long reply, spoken so that a listener can follow it.`,
).join(' ');

/** RMS level in dBFS of a stretch of PCM16. */
function levelDb(samples: Int16Array, from = 0, to = samples.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += (samples[i]! / 32768) ** 2;
  return 10 * Math.log10(sum / Math.max(1, to - from) + 1e-12);
}

/** Levels of consecutive 50 ms frames. */
function frameLevels(samples: Int16Array, sampleRate: number): number[] {
  const frame = Math.round(sampleRate * 0.05);
  const levels: number[] = [];
  for (let i = 0; i + frame <= samples.length; i += frame)
    levels.push(levelDb(samples, i, i + frame));
  return levels;
}

/** Spread (dB) between the loud and quiet frames among those above silence: speech varies, a tone does not. */
function energySpreadDb(samples: Int16Array, sampleRate: number): number {
  const voiced = frameLevels(samples, sampleRate)
    .filter((db) => db > -60)
    .sort((a, b) => a - b);
  const quantile = (q: number): number => voiced[Math.floor(q * (voiced.length - 1))]!;
  return quantile(0.9) - quantile(0.1);
}

const seconds = (pcm: { samples: Int16Array; sampleRate: number }): number =>
  pcm.samples.length / pcm.sampleRate;

describe('FliteSynthesizer', () => {
  let synth: FliteSynthesizer;

  beforeAll(async () => {
    synth = new FliteSynthesizer({ poolSize: 2 });
    await synth.ready();
  });

  afterAll(async () => {
    await synth.close();
  });

  it.each(Object.keys(FLITE_VOICES) as FliteVoice[])(
    'speaks a ten-word sentence with voice %s at a plausible length and with speech-like energy',
    async (voice) => {
      const pcm = await synth.synthesize(TEN_WORDS, voice);
      expect(pcm.sampleRate).toBe(FLITE_VOICES[voice].sampleRate);
      expect(seconds(pcm)).toBeGreaterThan(0.8);
      expect(seconds(pcm)).toBeLessThan(6);
      expect(levelDb(pcm.samples)).toBeGreaterThan(-35);
      expect(energySpreadDb(pcm.samples, pcm.sampleRate)).toBeGreaterThan(10);
    },
  );

  it('tells speech from a tone by its varying frame energy', () => {
    const tone = generateTone({
      frequency: 440,
      durationMs: 2000,
      sampleRate: 16000,
      amplitude: 0.3,
    });
    expect(energySpreadDb(tone, 16000)).toBeLessThan(1);
  });

  it('completes many concurrent calls, each with its own speech', async () => {
    const voices: FliteVoice[] = [
      'kal16',
      'rms',
      'awb',
      'kal16',
      'rms',
      'awb',
      'kal16',
      'slt',
      'kal',
      'rms',
      'kal16',
      'awb',
    ];
    const results = await Promise.all(
      voices.map((voice, i) => synth.synthesize(`Caller ${i + 1} says ${TEN_WORDS}`, voice)),
    );
    for (const [i, pcm] of results.entries()) {
      expect(pcm.sampleRate).toBe(FLITE_VOICES[voices[i]!].sampleRate);
      expect(seconds(pcm)).toBeGreaterThan(1);
      expect(levelDb(pcm.samples)).toBeGreaterThan(-35);
    }
  });

  it('keeps the event loop responsive while synthesising a long reply', async () => {
    const delay = monitorEventLoopDelay({ resolution: 5 });
    let ticks = 0;
    const interval = setInterval(() => ticks++, 20);
    delay.enable();
    const started = performance.now();
    const pcm = await synth.synthesize(LONG_REPLY, 'rms');
    const elapsedMs = performance.now() - started;
    delay.disable();
    clearInterval(interval);

    expect(seconds(pcm)).toBeGreaterThan(30);
    // The 20 ms timer kept firing throughout, and no single stall came near the synthesis time.
    expect(ticks).toBeGreaterThanOrEqual(Math.floor(elapsedMs / 20 / 4));
    expect(delay.max / 1e6).toBeLessThan(Math.max(100, elapsedMs / 4));
  });

  it('yields the first sentence of a long reply before the rest is synthesised', async () => {
    const events: string[] = [];
    // Flite calls under way at each sentence handed over: the next one only (it is synthesised while the caller
    // handles this one), none of the later ones. Were the reply synthesised whole before the first sentence came
    // out, no call (or every remaining one) would be running then.
    const running: number[] = [];
    for await (const sentence of synth.synthesizeSentences(LONG_REPLY, 'kal16')) {
      running.push(synth.inFlight);
      events.push(sentence.text);
      expect(sentence.samples.length).toBeGreaterThan(0);
    }
    // The long first sentence is split at its first comma, so its audio is ready sooner.
    expect(events).toHaveLength(13);
    expect(events[0]).toBe('This is sentence number 1 of a long reply,');
    expect(events[1]).toBe('spoken so that a listener can follow it.');
    expect(events[2]).toBe(
      'This is sentence number 2 of a long reply, spoken so that a listener can follow it.',
    );
    expect(running).toEqual([...Array.from({ length: 12 }, () => 1), 0]);
  });

  it('stops synthesising when the caller stops reading sentences', async () => {
    const texts: string[] = [];
    for await (const sentence of synth.synthesizeSentences(LONG_REPLY, 'kal16')) {
      texts.push(sentence.text);
      if (texts.length === 2) break;
    }
    expect(texts).toHaveLength(2);
    // The pool is free again: a new call completes.
    expect(seconds(await synth.synthesize('Still here.', 'kal16'))).toBeGreaterThan(0.3);
  });

  it('gives a whole reply about as long as its sentences spoken one by one', async () => {
    const whole = await synth.synthesize(LONG_REPLY, 'kal16');
    let total = 0;
    for await (const sentence of synth.synthesizeSentences(LONG_REPLY, 'kal16'))
      total += sentence.samples.length;
    expect(whole.samples.length / total).toBeGreaterThan(0.9);
    expect(whole.samples.length / total).toBeLessThan(1.1);
  });

  it('speaks faster or slower with the speed setting', async () => {
    const normal = seconds(await synth.synthesize(TEN_WORDS, 'kal16'));
    const fast = seconds(await synth.synthesize(TEN_WORDS, 'kal16', undefined, { speed: 1.5 }));
    const slow = seconds(await synth.synthesize(TEN_WORDS, 'kal16', undefined, { speed: 0.5 }));
    const clamped = seconds(await synth.synthesize(TEN_WORDS, 'kal16', undefined, { speed: 9 }));
    expect(fast / normal).toBeGreaterThan(0.55);
    expect(fast / normal).toBeLessThan(0.8);
    expect(slow / normal).toBeGreaterThan(1.7);
    expect(slow / normal).toBeLessThan(2.3);
    expect(clamped).toBeCloseTo(fast, 1);
  });

  it('returns empty audio for empty text and text of only control characters', async () => {
    for (const text of ['', '   ', '\u0000\u0001\u001b\u0007\u200b\n']) {
      const pcm = await synth.synthesize(text, 'rms');
      expect(pcm.samples.length).toBe(0);
      expect(pcm.sampleRate).toBe(16000);
    }
  });

  it('speaks text with control characters mixed in', async () => {
    const pcm = await synth.synthesize(
      'Hello\u0000 there\u0007,\u001b how are\u200b you?',
      'kal16',
    );
    expect(seconds(pcm)).toBeGreaterThan(0.8);
  });

  it('caps 100 kB of text at about 4,000 characters of speech', async () => {
    const pcm = await synth.synthesize('All work and no play. '.repeat(5000), 'kal16');
    // 4,000 characters is about 180 sentences of 1.3 s each.
    expect(seconds(pcm)).toBeGreaterThan(100);
    expect(seconds(pcm)).toBeLessThan(400);
  });

  it('rejects with the abort reason when the signal is aborted', async () => {
    const controller = new AbortController();
    const pending = synth.synthesize(LONG_REPLY, 'rms', controller.signal);
    controller.abort(new Error('barge-in'));
    await expect(pending).rejects.toThrow('barge-in');
    const already = AbortSignal.abort(new Error('too late'));
    await expect(synth.synthesize(TEN_WORDS, 'kal16', already)).rejects.toThrow('too late');
  });
});

describe('FliteSynthesizer failures and shutdown', () => {
  it('terminates and replaces a worker whose call runs past the time limit', async () => {
    const synth = new FliteSynthesizer({ poolSize: 2, callTimeoutMs: 100 });
    try {
      const long = `${'one two three four five six seven eight nine ten, '.repeat(7)}end.`;
      const error = await synth.synthesize(long, 'rms').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FliteError);
      expect((error as FliteError).code).toBe('timeout');
      await synth.ready();
      expect(await synth.workerCount()).toBe(2);
    } finally {
      await synth.close();
    }
  });

  it('rejects with load_failed when flite.wasm is corrupt', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'flite-test-'));
    try {
      const wasmPath = join(dir, 'flite.wasm');
      await writeFile(wasmPath, 'not a wasm file');
      const synth = new FliteSynthesizer({ wasmPath });
      const error = await synth.synthesize(TEN_WORDS, 'kal16').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FliteError);
      expect((error as FliteError).code).toBe('load_failed');
      expect((error as FliteError).message).toContain(wasmPath);
      await synth.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects queued calls beyond the queue limit with queue_full', async () => {
    const synth = new FliteSynthesizer({ poolSize: 1, maxQueue: 1 });
    try {
      await synth.ready();
      const calls = [1, 2, 3].map((i) =>
        synth.synthesize(`Call ${i}. ${TEN_WORDS}`, 'kal16').catch((e: unknown) => e),
      );
      const results = await Promise.all(calls);
      const codes = results.map((r) => (r instanceof FliteError ? r.code : 'ok'));
      expect(codes.filter((c) => c === 'queue_full').length).toBeGreaterThanOrEqual(1);
      expect(codes[0]).toBe('ok');
    } finally {
      await synth.close();
    }
  });

  it('leaves no worker running after close and rejects later calls', async () => {
    const synth = new FliteSynthesizer({ poolSize: 3 });
    await synth.ready();
    expect(await synth.workerCount()).toBe(3);
    const pending = synth.synthesize(LONG_REPLY, 'rms').catch((e: unknown) => e);
    await synth.close();
    expect(await synth.workerCount()).toBe(0);
    const error = await pending;
    expect(error).toBeInstanceOf(FliteError);
    expect((error as FliteError).code).toBe('closed');
    await expect(synth.synthesize(TEN_WORDS, 'kal16')).rejects.toMatchObject({ code: 'closed' });
  });
});
