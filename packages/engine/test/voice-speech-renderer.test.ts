import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeWav } from '@realtime-assistant/protocol';
import { FliteSynthesizer } from '../src/voice/flite/flite-synthesizer.js';
import { SpeechRenderer } from '../src/voice/speech-renderer.js';

function recordingLogger(): {
  warn: (details: Record<string, unknown>, message: string) => void;
  lines: string[];
} {
  const lines: string[] = [];
  return { lines, warn: (details, message) => lines.push(`${message} ${JSON.stringify(details)}`) };
}

describe('SpeechRenderer', () => {
  let dir: string;
  let renderer: SpeechRenderer;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'speech-renderer-'));
    renderer = new SpeechRenderer();
  });

  afterAll(async () => {
    await renderer.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('speaks reply text with Flite, at 24 kHz by default and at 16 kHz with outputRate null', async () => {
    const text = 'Your table is booked for seven tonight.';
    const pcm = await renderer.render({ text, voice: 'marin' });
    expect(pcm.sampleRate).toBe(24000);
    expect(pcm.samples.length / pcm.sampleRate).toBeGreaterThan(1);
    const native = new SpeechRenderer({ outputRate: null, cache: false });
    try {
      const flite = await native.render({ text, voice: 'marin' });
      expect(flite.sampleRate).toBe(16000);
      expect(flite.samples.length / flite.sampleRate).toBeCloseTo(
        pcm.samples.length / pcm.sampleRate,
        2,
      );
    } finally {
      await native.close();
    }
  });

  it('serves a repeated reply from its cache, keyed by text, voice and speed', async () => {
    const cached = new SpeechRenderer();
    try {
      const text = 'Sorry, say that again?';
      const [a, b] = await Promise.all([
        cached.render({ text, voice: 'alloy' }),
        cached.render({ text, voice: 'alloy' }),
      ]);
      expect(b).toBe(a);
      expect(cached.cacheStats).toMatchObject({ misses: 1, hits: 1, entries: 1 });
      expect(await cached.render({ text, voice: 'alloy' })).toBe(a);
      expect(await cached.render({ text, voice: 'alloy', speed: 0.8 })).not.toBe(a);
      expect(await cached.render({ text, voice: 'ash' })).not.toBe(a);
      expect(cached.cacheStats).toMatchObject({ misses: 3, hits: 2, entries: 3 });
      expect(cached.cacheStats.bytes).toBeGreaterThan(a.samples.byteLength * 2);
    } finally {
      await cached.close();
    }
  });

  it('prepares replies ahead of use, so their first use is a cache hit', async () => {
    const cached = new SpeechRenderer();
    try {
      await cached.prepare(['Here is a test tone.', '', 'Goodbye!'], 'marin');
      expect(cached.cacheStats).toMatchObject({ misses: 2, hits: 0, entries: 2 });
      await cached.render({ text: 'Goodbye!', voice: 'marin' });
      expect(cached.cacheStats).toMatchObject({ misses: 2, hits: 1 });
    } finally {
      await cached.close();
    }
  });

  it('stops waiting for a cached synthesis when its caller aborts', async () => {
    const cached = new SpeechRenderer();
    try {
      const controller = new AbortController();
      const pending = cached.render(
        { text: 'This one is abandoned.', voice: 'alloy' },
        controller.signal,
      );
      controller.abort(new Error('cancelled'));
      await expect(pending).rejects.toThrow('cancelled');
      const later = await cached.render({ text: 'This one is abandoned.', voice: 'alloy' });
      expect(later.samples.length).toBeGreaterThan(0);
    } finally {
      await cached.close();
    }
  });

  it('speaks more slowly at a lower session speed', async () => {
    const text = 'Your table is booked for seven tonight.';
    const normal = await renderer.render({ text, voice: 'ash' });
    const slow = await renderer.render({ text, voice: 'ash', speed: 0.5 });
    expect(slow.samples.length / normal.samples.length).toBeGreaterThan(1.6);
  });

  it('plays scenario WAV files and tones instead of speaking', async () => {
    const path = join(dir, 'clip.wav');
    await writeFile(
      path,
      writeWav({ sampleRate: 8000, channels: 1, samples: new Int16Array(800).fill(1000) }),
    );
    const wav = await renderer.render({
      text: 'ignored',
      voice: 'alloy',
      audio: { kind: 'wav', path },
    });
    expect(wav).toMatchObject({ sampleRate: 8000 });
    expect(wav.samples.length).toBe(800);
    const tone = await renderer.render({
      text: 'ignored',
      voice: 'alloy',
      audio: { kind: 'tone', frequency: 1000, durationMs: 250 },
    });
    expect(tone.samples.length / tone.sampleRate).toBeCloseTo(0.25, 2);
  });

  it('streams a reply sentence by sentence', async () => {
    const texts: string[] = [];
    for await (const sentence of renderer.renderSentences({
      text: 'One moment. Let me check. Done!',
      voice: 'cedar',
    })) {
      texts.push(sentence.text);
      expect(sentence.sampleRate).toBe(16000);
    }
    expect(texts).toEqual(['One moment.', 'Let me check.', 'Done!']);
  });

  it('streams a reply piece by piece at 24 kHz, its pieces joining to the reply text, and caches the whole', async () => {
    const cached = new SpeechRenderer();
    try {
      const text = 'One moment.  Let me check. Done!';
      const texts: string[] = [];
      let samples = 0;
      const pieces = cached.stream({ text, voice: 'cedar', speed: 1 });
      for (let next = await pieces.next(); next.done !== true; next = await pieces.next()) {
        texts.push(next.value.text);
        expect(next.value.sampleRate).toBe(24000);
        samples += next.value.samples.length;
      }
      expect(texts).toEqual(['One moment.  ', 'Let me check. ', 'Done!']);
      expect(cached.cacheStats).toMatchObject({ misses: 1, entries: 1 });
      const again = await cached.render({ text, voice: 'cedar', speed: 1 });
      expect(again.samples.length).toBe(samples);
      expect(cached.cacheStats).toMatchObject({ misses: 1, hits: 1 });
    } finally {
      await cached.close();
    }
  });

  it('splits a long first sentence at its first clause boundary, so its audio comes sooner', async () => {
    const text =
      "I'm the LocalRealtime assistant: a scripted stand-in for a real model, running on your machine.";
    const pieces = renderer.stream({ text, voice: 'alloy' });
    const first = await pieces.next();
    expect(first.value).toMatchObject({ text: "I'm the LocalRealtime assistant: " });
    const second = await pieces.next();
    expect(second.value).toMatchObject({
      text: 'a scripted stand-in for a real model, running on your machine.',
    });
    expect((await pieces.next()).done).toBe(true);
  });

  it('stops reading a stream at once when its reader returns', async () => {
    const pieces = renderer.stream({ text: 'First. Second. Third.', voice: 'alloy' });
    expect((await pieces.next()).value).toMatchObject({ text: 'First. ' });
    await pieces.return?.();
    expect(await pieces.next()).toEqual({ done: true, value: undefined });
  });

  it('falls back to a tone with one logged warning when Flite cannot be loaded', async () => {
    const wasmPath = join(dir, 'corrupt.wasm');
    await writeFile(wasmPath, new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 255, 255]));
    const logger = recordingLogger();
    const broken = new SpeechRenderer({ synthesizer: new FliteSynthesizer({ wasmPath }), logger });
    const first = await broken.render({ text: 'Hello there, how are you?', voice: 'alloy' });
    const second = await broken.render({ text: 'Still a tone.', voice: 'alloy' });
    const streamed: number[] = [];
    for await (const piece of broken.renderSentences({ text: 'And again.', voice: 'alloy' }))
      streamed.push(piece.samples.length);
    const pieces = broken.stream({ text: 'Once more.', voice: 'alloy' });
    const tone = await pieces.next();
    expect(tone.value).toMatchObject({ text: 'Once more.', sampleRate: 24000 });
    expect((await pieces.next()).done).toBe(true);
    expect(first.sampleRate).toBe(24000);
    expect(first.samples.length).toBeGreaterThan(0);
    expect(second.samples.length).toBeGreaterThan(0);
    expect(streamed).toHaveLength(1);
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toContain('load_failed');
  });
});
