import { describe, expect, it } from 'vitest';
import type { PcmAudio } from '../src/voice/audio-renderer.js';
import { SpeechCache } from '../src/voice/speech-cache.js';

const audio = (samples: number): PcmAudio => ({
  samples: new Int16Array(samples),
  sampleRate: 24000,
});

describe('SpeechCache', () => {
  it('evicts the least recently used replies once over its byte budget', async () => {
    const cache = new SpeechCache({ maxBytes: 4000 });
    const key = (text: string): { text: string; voice: string; speed: number } => ({
      text,
      voice: 'kal16',
      speed: 1,
    });
    let calls = 0;
    const make = (): Promise<PcmAudio> => {
      calls++;
      return Promise.resolve(audio(500)); // 1000 bytes
    };
    for (const text of ['a', 'b', 'c', 'd']) await cache.get(key(text), make);
    await cache.get(key('a'), make); // a becomes the most recent
    await cache.get(key('e'), make); // evicts b
    expect(calls).toBe(5);
    expect(cache.stats).toMatchObject({ entries: 4, bytes: 4000 });
    await cache.get(key('a'), make);
    expect(calls).toBe(5);
    await cache.get(key('b'), make);
    expect(calls).toBe(6);
  });

  it('does not keep failures, replies over a quarter of the budget, or long texts', async () => {
    const cache = new SpeechCache({ maxBytes: 4000, maxTextChars: 10 });
    const failing = cache.get({ text: 'x', voice: 'v', speed: 1 }, () =>
      Promise.reject(new Error('boom')),
    );
    await expect(failing).rejects.toThrow('boom');
    await cache.get({ text: 'big', voice: 'v', speed: 1 }, () => Promise.resolve(audio(1001)));
    await cache.get({ text: 'a long reply text', voice: 'v', speed: 1 }, () =>
      Promise.resolve(audio(10)),
    );
    expect(cache.stats).toMatchObject({ entries: 0, bytes: 0, misses: 3 });
  });

  it('passes every request through when its budget is zero', async () => {
    const cache = new SpeechCache({ maxBytes: 0 });
    let calls = 0;
    const make = (): Promise<PcmAudio> => {
      calls++;
      return Promise.resolve(audio(10));
    };
    await cache.get({ text: 'a', voice: 'v', speed: 1 }, make);
    await cache.get({ text: 'a', voice: 'v', speed: 1 }, make);
    expect(calls).toBe(2);
  });
});
