import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FliteSynthesizer } from '@realtime-assistant/engine';
import { readWav, writeWav } from '@realtime-assistant/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import { fakeIo } from './helpers/fake-io.js';

const NAME_REPLY =
  "I'm the LocalRealtime assistant: a scripted stand-in for a real model, running on your machine.";

let tts: FliteSynthesizer;
let question: Uint8Array;
let replyMs: number;

beforeAll(async () => {
  tts = new FliteSynthesizer({ poolSize: 1 });
  const spoken = await tts.synthesize('what is your name', 'kal16');
  question = writeWav({ sampleRate: spoken.sampleRate, channels: 1, samples: spoken.samples });
  const reply = await tts.synthesize(NAME_REPLY, 'kal16');
  replyMs = (reply.samples.length / reply.sampleRate) * 1000;
}, 30_000);

afterAll(async () => {
  await tts.close();
});

describe('realtime-assistant --audio-file', () => {
  it('streams a spoken WAV as the microphone, prints both transcripts and saves the reply audio', async () => {
    const io = fakeIo();
    const input = join(io.cwd, 'question.wav');
    writeFileSync(input, question);
    expect(await main(['--audio-file', input, '--fast'], io)).toBe(0);
    const out = io.out();
    expect(out).toContain('You: what is your name');
    expect(out).toContain(`Assistant: ${NAME_REPLY}`);
    expect(out.indexOf('You: what is your name')).toBeLessThan(out.indexOf('Assistant:'));
    const replyPath = join(io.cwd, 'question.reply.wav');
    expect(out).toContain(`Reply audio: ${replyPath}`);
    const reply = readWav(new Uint8Array(readFileSync(replyPath)));
    expect(reply.sampleRate).toBe(24_000);
    expect(reply.channels).toBe(1);
    const ms = (reply.samples.length / reply.sampleRate) * 1000;
    // The engine speaks the reply with the same synthesiser: the saved audio is that long, give or take.
    expect(ms).toBeGreaterThan(replyMs * 0.8);
    expect(ms).toBeLessThan(replyMs * 1.25 + 500);
  }, 40_000);

  it('writes the reply where --out says and a stereo session recording with --save-recordings', async () => {
    const io = fakeIo();
    const input = join(io.cwd, 'question.wav');
    writeFileSync(input, question);
    const code = await main(
      ['--audio-file', input, '--fast', '--out', 'answer.wav', '--save-recordings'],
      io,
    );
    expect(code).toBe(0);
    expect(
      readWav(new Uint8Array(readFileSync(join(io.cwd, 'answer.wav')))).samples.length,
    ).toBeGreaterThan(0);
    const saved = /Recording saved: (\S+\.wav)/.exec(io.out());
    expect(saved).not.toBeNull();
    const recording = readWav(new Uint8Array(readFileSync(saved![1]!)));
    expect(recording.channels).toBe(2);
    // Left = the user: the question is in it; right = the assistant: the reply is in it.
    let left = 0;
    let right = 0;
    for (let i = 0; i < recording.samples.length; i += 2) {
      left = Math.max(left, Math.abs(recording.samples[i]!));
      right = Math.max(right, Math.abs(recording.samples[i + 1]!));
    }
    expect(left).toBeGreaterThan(1000);
    expect(right).toBeGreaterThan(1000);
  }, 40_000);
});
