import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../src/engine.js';
import type { LoadedScenario } from '../src/scenario/index.js';
import { DEFAULT_FALLBACK_TEXT } from '../src/scenario/index.js';
import { parseCliArgs } from '../src/server/cli-args.js';
import { SpeechRenderer } from '../src/voice/speech-renderer.js';
import { fixedReplyTexts, startSpeechWarmup } from '../src/voice/speech-warmup.js';

const SCENARIO = `
name: warmup
fallback:
  replies:
    - text: 'Sorry, say that again?'
    - text: 'Could you repeat that?'
responses:
  - when: { keywords: [hello] }
    reply: { text: 'Hello! How can I help?' }
  - when: { keywords: [name] }
    reply: { text: 'Nice to meet you, {{name | capitalize}}!' }
  - when: { keywords: [tone] }
    reply: { text: 'Here is a tone.', audio: { tone: { frequency: 440, duration_ms: 200 } } }
  - when: { keywords: [again] }
    reply: { text: 'Hello! How can I help?' }
`;

describe('speech warm-up', () => {
  let dir: string;
  let scenario: LoadedScenario;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'speech-warmup-'));
    const path = join(dir, 'warmup.yaml');
    await writeFile(path, SCENARIO);
    scenario = await loadScenario(path);
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lists the fixed reply texts, fallbacks first, without templates, own audio or repeats', () => {
    expect(fixedReplyTexts(scenario)).toEqual([
      'Sorry, say that again?',
      'Could you repeat that?',
      'Hello! How can I help?',
    ]);
  });

  it("includes the built-in fallback when a scenario declares none, and the shipped scenario's replies", async () => {
    const shipped = fixedReplyTexts(await loadScenario('default'));
    expect(shipped.length).toBeGreaterThan(3);
    expect(shipped.every((text) => !text.includes('{{'))).toBe(true);
    const minimal = { ...scenario, definition: { name: 'minimal' } } as LoadedScenario;
    expect(fixedReplyTexts(minimal)).toEqual([DEFAULT_FALLBACK_TEXT]);
  });

  it('synthesises the fixed replies into the cache in the background, so their first use is one cached piece', async () => {
    const renderer = new SpeechRenderer();
    try {
      const warmup = startSpeechWarmup(renderer, scenario, 0);
      await warmup.done;
      expect(renderer.cacheStats).toMatchObject({ entries: 3, hits: 0 });
      const pieces = renderer.stream({ text: 'Hello! How can I help?', voice: 'alloy', speed: 1 });
      const first = await pieces.next();
      expect(first.done).toBe(false);
      expect(first.value).toMatchObject({ text: 'Hello! How can I help?', sampleRate: 24_000 });
      expect((await pieces.next()).done).toBe(true);
      expect(renderer.cacheStats).toMatchObject({ entries: 3, hits: 1 });
    } finally {
      await renderer.close();
    }
  });

  it('does nothing when stopped before it starts', async () => {
    const renderer = new SpeechRenderer();
    try {
      const warmup = startSpeechWarmup(renderer, scenario, 60_000);
      warmup.stop();
      await warmup.done;
      expect(renderer.cacheStats).toMatchObject({ entries: 0, misses: 0 });
    } finally {
      await renderer.close();
    }
  });

  it('is turned off by the --no-speech-warmup flag', () => {
    const env = { env: {}, homeDir: dir };
    expect(parseCliArgs(['--no-speech-warmup'], env)).toMatchObject({
      kind: 'run',
      speechWarmup: false,
    });
    expect(parseCliArgs([], env)).not.toHaveProperty('speechWarmup');
  });
});
