import { mkdtempSync, readFileSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTone, pcm16ToBytes, readWav } from '@realtime-assistant/protocol';
import { describe, expect, it } from 'vitest';
import { SessionRecorder } from '../src/audio/recorder.js';

const dir = mkdtempSync(join(tmpdir(), 'ra-recorder-'));
const tone = (ms: number, amplitude: number): Uint8Array =>
  pcm16ToBytes(generateTone({ frequency: 500, durationMs: ms, sampleRate: 24_000, amplitude }));

/** Index of the first frame whose sample on `channel` is non-zero. */
function firstSound(samples: Int16Array, channel: 0 | 1): number {
  for (let i = channel; i < samples.length; i += 2)
    if (samples[i] !== 0 && samples[i + 2] !== 0) return (i - channel) / 2;
  return -1;
}

describe('SessionRecorder', () => {
  it('writes the user left and the assistant right on the shared timeline', () => {
    let now = 1000;
    const path = join(dir, 'session.wav');
    const recorder = SessionRecorder.open(path, { now: () => now });
    // The user speaks at 0–400 ms in 20 ms chunks; the assistant replies from 600 ms.
    for (let t = 0; t < 400; t += 20) recorder.write('user', tone(20, 0.5), t);
    now += 600;
    recorder.write('assistant', tone(300, 0.25));
    const { durationMs } = recorder.close();

    const wav = readWav(readFileSync(path));
    expect(wav.channels).toBe(2);
    expect(wav.sampleRate).toBe(24_000);
    expect(durationMs).toBe(900);
    expect(wav.durationMs).toBe(900);
    expect(firstSound(wav.samples, 0)).toBe(1);
    expect(firstSound(wav.samples, 1)).toBe(600 * 24 + 1);
    // Left is silent where the assistant speaks, and right where the user speaks.
    expect(wav.samples[2 * (700 * 24)]).toBe(0);
    expect(wav.samples[2 * (200 * 24) + 1]).toBe(0);
  });

  it('appends a chunk that arrives a little late right after the previous one', () => {
    const path = join(dir, 'jitter.wav');
    const recorder = SessionRecorder.open(path, { now: () => 0 });
    recorder.write('user', tone(20, 0.5), 0);
    recorder.write('user', tone(20, 0.5), 31);
    recorder.close();
    expect(readWav(readFileSync(path)).durationMs).toBe(40);
  });

  it('leaves a readable file when it is never closed', () => {
    const path = join(dir, 'crash.wav');
    const recorder = SessionRecorder.open(path, { now: () => 0, holdMs: 100 });
    for (let t = 0; t < 1000; t += 20) recorder.write('user', tone(20, 0.5), t);
    // The process "crashes" here: the header still says "unknown length", and the last write
    // may be cut mid-frame.
    const size = readFileSync(path).length;
    truncateSync(path, size - 3);
    const wav = readWav(readFileSync(path));
    expect(wav.channels).toBe(2);
    expect(wav.durationMs).toBeGreaterThanOrEqual(850);
    expect(wav.durationMs).toBeLessThan(1000);
    recorder.close();
  });
});
