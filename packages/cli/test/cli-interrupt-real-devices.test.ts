/**
 * Interruption on real devices: an isolated PulseAudio (null sink `spk`, pipe source `mic`, see
 * scripts/pulse-test-env.sh), the CLI in voice mode against an engine this test starts with the test kit. Speech
 * fed into the microphone gets a long spoken reply; more speech fed in while the reply plays stops the playback,
 * and the `conversation.item.truncate` the engine received cuts the item where the speaker actually stopped, as
 * heard on the sink's monitor.
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { FliteSynthesizer } from '@realtime-assistant/engine';
import { startLocalRealtime } from '@realtime-assistant/engine/testing';
import type { LocalRealtimeHandle } from '@realtime-assistant/engine/testing';
import {
  base64ToBytes,
  bytesToPcm16,
  pcm16ToBytes,
  resamplePcm16,
} from '@realtime-assistant/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_AUDIO_IO_BLOCK_MS } from '../src/audio/index.js';
import { cleanEnv } from './helpers/clean-env.js';
import { cliCommand } from './helpers/cli-tmux.js';
import { Monitor, PER_MS, playedSpan } from './helpers/sink-monitor.js';

const script = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../scripts/pulse-test-env.sh',
);
const dir = mkdtempSync(join(tmpdir(), 'ra-cli-interrupt-'));
const env: Record<string, string> = {};

// The question gets the long story (about 15 s of speech): the interruption lands in its middle. The interruption
// is answered with a tone, which no part of the story's speech can be taken for on the monitor.
const STORY_SCENARIO = `name: story
description: One long spoken reply to interrupt.
grammar: [tell me a story please, wait stop stop]
fallback:
  reply:
    text: Stopped.
    audio: { tone: { frequency: 440, duration_ms: 300 } }
responses:
  - when: { keywords: [story] }
    reply:
      text: Once upon a time there was a small robot who lived in a lighthouse. Every night it counted the waves, one by one, until the sun came up and the gulls woke and the fishermen went out to sea. Then it started counting all over again, because a lighthouse robot never runs out of waves to count.
`;

let question: Uint8Array;
let interruption: Uint8Array;
/** Where the speech starts in `interruption`, in ms. */
const INTERRUPTION_LEAD_MS = 200;

/** 16 kHz PCM16 (the pipe source's format): `lead` ms of silence, the words, `tail` ms of silence. */
async function spoken(tts: FliteSynthesizer, text: string, lead: number, tail: number) {
  const voice = await tts.synthesize(text, 'kal16');
  const speech = resamplePcm16(voice.samples, voice.sampleRate, 16_000);
  const padded = new Int16Array(16 * lead + speech.length + 16 * tail);
  padded.set(speech, 16 * lead);
  return pcm16ToBytes(padded);
}

beforeAll(async () => {
  const out = execFileSync('bash', [script, 'start', dir], { encoding: 'utf8' });
  for (const m of out.matchAll(/^export (\w+)=(.*)$/gm)) env[m[1]!] = m[2]!;
  const tts = new FliteSynthesizer({ poolSize: 1 });
  question = await spoken(tts, 'tell me a story please', 500, 2_000);
  interruption = await spoken(tts, 'wait, stop, stop', INTERRUPTION_LEAD_MS, 1_500);
  await tts.close();
}, 60_000);

afterAll(() => {
  execFileSync('bash', [script, 'stop', dir]);
});

/** Writes PCM into the microphone fifo at real time (20 ms pieces on a deadline schedule); resolves at its start. */
async function speak(pcm: Uint8Array): Promise<{ startedAt: number; done: Promise<void> }> {
  const fifo = await open(env.PULSE_TEST_MIC_FIFO!, 'w');
  const startedAt = performance.now();
  const done = (async () => {
    for (let k = 0, at = 0; at < pcm.length; k++, at += 640) {
      await fifo.write(pcm.subarray(at, at + 640));
      const wait = startedAt + (k + 1) * 20 - performance.now();
      if (wait > 0) await delay(wait);
    }
    await fifo.close();
  })();
  return { startedAt, done };
}

/** Polls `test` every 20 ms until it holds or `timeoutMs` passes (then throws with `what`). */
async function until(test: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(20);
  }
}

type JsonEvent = { event: string } & Record<string, unknown>;

describe('realtime-assistant chat interrupted on real audio devices', () => {
  let engine: LocalRealtimeHandle | null = null;
  let cli: ChildProcess | null = null;
  let monitor: Monitor | null = null;

  afterAll(async () => {
    cli?.kill('SIGINT');
    await monitor?.stop();
    await engine?.close();
  });

  it('stops playback when the user speaks over the reply and truncates the item where the speaker stopped', async () => {
    const scenario = join(dir, 'story.yaml');
    writeFileSync(scenario, STORY_SCENARIO);
    engine = await startLocalRealtime({ scenario });
    monitor = new Monitor(env);
    const [node, ...args] = cliCommand(['--json']);
    const child = (cli = spawn(node!, args, {
      cwd: dir,
      env: cleanEnv({ ...env, REALTIME_URL: engine.url }),
      stdio: ['pipe', 'pipe', 'pipe'],
    }));
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    const events = (): JsonEvent[] =>
      out
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as JsonEvent);
    const has = (name: string): boolean => events().some((e) => e.event === name);

    await until(() => has('session_started'), `the session to start; stderr:\n${err}`);
    const backend = /speaker via ([\w-]+)/.exec(err)?.[1];
    expect(backend, err).toBeDefined();
    const session = engine.sessions()[0]!;

    const asked = await speak(question);
    await asked.done;
    // The reply plays: wait until the speaker has played 2 s of it.
    await until(() => monitor!.audibleMs() > 2_000, `the reply to be heard; stderr:\n${err}`);
    const spokeOver = await speak(interruption);
    await until(() => has('interrupted'), `the interruption; stderr:\n${err}`);
    await spokeOver.done;

    // What the engine received: one truncate of the reply's audio.
    const truncates = session.received.filter((e) => e.type === 'conversation.item.truncate');
    expect(truncates).toHaveLength(1);
    const truncate = truncates[0]! as unknown as {
      item_id: string;
      content_index: number;
      audio_end_ms: number;
    };
    const interrupted = events().find((e) => e.event === 'interrupted')!;
    expect(interrupted).toMatchObject({ action: 'truncate', itemId: truncate.item_id });
    expect(interrupted.truncated_ms).toBeCloseTo(truncate.audio_end_ms, 0);

    // The reply's audio as the engine sent it.
    const reply = bytesToPcm16(
      Buffer.concat(
        session.sent
          .filter((e) => e.type === 'response.output_audio.delta' && e.item_id === truncate.item_id)
          .map((e) => base64ToBytes(e.delta as string)),
      ),
    );
    const replyMs = reply.length / PER_MS;
    expect(truncate.audio_end_ms).toBeGreaterThan(2_000);
    expect(truncate.audio_end_ms).toBeLessThan(replyMs - 1_000);

    // Let the speaker fall silent (1 s of monitor after the cut), then compare.
    const heardUpTo = monitor.length;
    await until(() => monitor!.length > heardUpTo + 1_000 * PER_MS, 'more monitor audio');
    const played = playedSpan(monitor.samples(), reply);
    // Tolerance: the 20 ms the issue allows, plus the device buffer the player cannot take back once the audio is
    // handed over — audio-io fills ALSA one block ahead and may have the next block queued (2 blocks);
    // aplay/paplay run as separate processes whose buffer is estimated (60 / 40 ms, see playback-process.ts).
    const deviceBufferMs =
      backend === 'audio-io' ? 2 * DEFAULT_AUDIO_IO_BLOCK_MS : backend === 'aplay' ? 60 : 40;
    const tolerance = 20 + deviceBufferMs;
    console.info(
      `interrupt (${backend}): audio_end_ms ${truncate.audio_end_ms.toFixed(1)}; monitor played ${played.lastMatchedMs.toFixed(1)}…${played.firstMissingMs.toFixed(1)} ms of ${replyMs.toFixed(0)} ms; tolerance ±${tolerance} ms`,
    );
    // Playback stopped: the half second after the cut is silent, though the reply went on for seconds there (the
    // answer to the interruption itself comes later, after the user's words and the VAD's silence).
    const after = monitor.samples().subarray(played.cutIndex, played.cutIndex + 500 * PER_MS);
    expect(after.length).toBe(500 * PER_MS);
    expect(Math.max(...after.map((x) => Math.abs(x)))).toBeLessThan(64);
    const replyAfter = reply
      .subarray(Math.ceil(played.firstMissingMs * PER_MS))
      .subarray(0, 500 * PER_MS);
    expect(Math.max(...replyAfter.map((x) => Math.abs(x)))).toBeGreaterThan(1_000);

    expect(truncate.audio_end_ms).toBeGreaterThanOrEqual(played.lastMatchedMs - tolerance);
    expect(truncate.audio_end_ms).toBeLessThanOrEqual(played.firstMissingMs + tolerance);

    child.stdin.write('/quit\n');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  }, 120_000);
});
