/**
 * The CLI in voice mode on real devices: an isolated PulseAudio (null sink `spk`, pipe source `mic`, see
 * scripts/pulse-test-env.sh), speech from the engine's synthesiser fed into the microphone, the reply heard on the
 * sink's monitor.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { FliteSynthesizer } from '@realtime-assistant/engine';
import { pcm16ToBytes, resamplePcm16 } from '@realtime-assistant/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv } from './helpers/clean-env.js';
import { childrenOf, isAlive, TmuxCli } from './helpers/cli-tmux.js';

const script = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../scripts/pulse-test-env.sh',
);
const dir = mkdtempSync(join(tmpdir(), 'ra-cli-pulse-'));
const env: Record<string, string> = {};
let question: Uint8Array;

beforeAll(async () => {
  const out = execFileSync('bash', [script, 'start', dir], { encoding: 'utf8' });
  for (const m of out.matchAll(/^export (\w+)=(.*)$/gm)) env[m[1]!] = m[2]!;
  const tts = new FliteSynthesizer({ poolSize: 1 });
  const spoken = await tts.synthesize('what is your name', 'kal16');
  await tts.close();
  // The pipe source takes 16 kHz PCM16 mono.
  const speech = resamplePcm16(spoken.samples, spoken.sampleRate, 16_000);
  const padded = new Int16Array(16_000 * 0.5 + speech.length + 16_000 * 2);
  padded.set(speech, 8_000);
  question = pcm16ToBytes(padded);
}, 60_000);

afterAll(() => {
  execFileSync('bash', [script, 'stop', dir]);
});

/** Writes PCM into the microphone fifo at real time (20 ms pieces on a deadline schedule). */
async function speak(pcm: Uint8Array): Promise<void> {
  const fifo = await open(env.PULSE_TEST_MIC_FIFO!, 'w');
  const start = performance.now();
  for (let k = 0, at = 0; at < pcm.length; k++, at += 640) {
    await fifo.write(pcm.subarray(at, at + 640));
    const wait = start + (k + 1) * 20 - performance.now();
    if (wait > 0) await delay(wait);
  }
  await fifo.close();
}

/** Records the sink's monitor; `peak()` is the loudest sample so far. */
function monitor(): { child: ChildProcess; peak: () => number } {
  const child = spawn(
    'parec',
    ['--device=spk.monitor', '--raw', '--format=s16le', '--rate=24000', '--channels=1'],
    { env: cleanEnv(env) },
  );
  let peak = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    for (let i = 0; i + 1 < chunk.length; i += 2)
      peak = Math.max(peak, Math.abs(chunk.readInt16LE(i)));
  });
  return { child, peak: () => peak };
}

describe('realtime-assistant chat on real audio devices', () => {
  it('answers speech fed into the microphone, plays the reply on the speaker and exits cleanly on Ctrl+C', async () => {
    const cli = TmuxCli.start([], env);
    const heard = monitor();
    try {
      await cli.waitFor(/Voice mode: microphone via \w+, speaker via [\w-]+/, 20_000);
      await cli.waitFor(/\[listening mic [^\]]*\] ›/);
      await speak(question);
      await cli.waitFor(/You: what is your name/, 20_000);
      await cli.waitFor(/Assistant: I'm the LocalRealtime assistant/, 20_000);
      // The reply is played: the monitor hears it (bounded wait on the condition).
      const deadline = Date.now() + 10_000;
      while (heard.peak() <= 1000 && Date.now() < deadline) await delay(50);
      expect(heard.peak()).toBeGreaterThan(1000);
      const shell = cli.shellPid();
      const [cliPid] = childrenOf(shell);
      // The recorder (arecord / parec / sox) runs as a child of the CLI.
      const children = childrenOf(cliPid!);
      expect(children.length).toBeGreaterThan(0);
      cli.key('C-c');
      expect(await cli.exitCode()).toBe(0);
      expect(childrenOf(shell)).toEqual([]);
      expect(isAlive(cliPid!)).toBe(false);
      expect(children.filter(isAlive)).toEqual([]);
    } finally {
      heard.child.kill();
      cli.close();
    }
  }, 90_000);

  it('says when the microphone stops mid-conversation, and goes on with typed messages', async () => {
    const cli = TmuxCli.start([], env);
    try {
      await cli.waitFor(/Voice mode: microphone via arecord/, 20_000);
      await cli.waitFor(/\[listening mic [^\]]*\] ›/);
      const [cliPid] = childrenOf(cli.shellPid());
      const recorder = spawnSync('pgrep', ['-P', String(cliPid), '-x', 'arecord'], {
        encoding: 'utf8',
      }).stdout.trim();
      expect(recorder).toMatch(/^\d+$/);
      process.kill(Number(recorder), 'SIGKILL');
      await cli.waitFor(
        /Error \(audio\): The microphone stopped \(arecord stopped unexpectedly \(signal SIGKILL\)\); type your messages\./,
      );
      // The status line no longer shows a microphone level.
      await cli.waitFor((text) => /\[listening\] ›$/.test(text.trimEnd()));
      cli.type('/status');
      await cli.waitFor(
        /Mode: +voice, microphone stopped: arecord stopped unexpectedly \(signal SIGKILL\) \(replies as audio\)/,
      );
      cli.type('hello');
      await cli.waitFor(/Assistant: Hello! How can I help you today\?/, 20_000);
      cli.type('/quit');
      expect(await cli.exitCode()).toBe(0);
    } finally {
      cli.close();
    }
  }, 60_000);
});
