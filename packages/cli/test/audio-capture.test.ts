/**
 * AudioCapture's two ways out — `data` events and iteration — with a real child process standing in for the
 * recorder (`head` writing PCM bytes, then exiting: to the capture, a recorder that stopped on its own).
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { AudioCapture, CaptureError } from '../src/audio/capture.js';

/** A "recorder" that writes `bytes` of PCM16 at 24 kHz and exits. */
function recorder(bytes: number): AudioCapture {
  const child = spawn('head', ['-c', String(bytes), '/dev/urandom'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new AudioCapture('arecord', child, 24_000, 20);
}

async function iterate(capture: AudioCapture): Promise<{ chunks: Uint8Array[]; error: unknown }> {
  const chunks: Uint8Array[] = [];
  try {
    for await (const chunk of capture) chunks.push(chunk);
    return { chunks, error: null };
  } catch (error) {
    return { chunks, error };
  }
}

describe('AudioCapture', () => {
  it('gives an iterator every chunk from when it starts', async () => {
    const capture = recorder(9_600);
    const { chunks, error } = await iterate(capture);
    expect(Buffer.concat(chunks).length).toBe(9_600);
    expect(chunks.every((c) => c.length === 960)).toBe(true);
    // The recorder exited by itself: the iterator ends with the failure.
    expect(error).toBeInstanceOf(CaptureError);
  });

  it('holds nothing back when it is only listened to (no iterator to keep chunks for)', async () => {
    const capture = recorder(96_000);
    let heard = 0;
    capture.on('data', (chunk) => (heard += chunk.length));
    // (Not events.once: it would listen for `error` too, and the capture reports its recorder's exit there.)
    await new Promise<void>((resolve) => capture.once('close', () => resolve()));
    expect(heard).toBe(96_000);
    // An iterator started now has nothing queued from before it: it ends at once.
    const late = await iterate(capture);
    expect(late.chunks).toEqual([]);
    expect(late.error).toBeInstanceOf(CaptureError);
  });
});
