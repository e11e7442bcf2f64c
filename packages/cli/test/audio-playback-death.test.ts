/**
 * A player that dies (here a real `aplay` on a device that does not exist): the playback reports it and forgets
 * the audio it lost, so nothing waits for audio that will never be heard.
 */
import { once } from 'node:events';
import { generateTone, pcm16ToBytes } from '@realtime-assistant/protocol';
import { describe, expect, it } from 'vitest';
import { ProcessPlayback } from '../src/audio/playback-process.js';
import type { PlaybackError } from '../src/audio/playback-base.js';

describe('ProcessPlayback whose player dies', () => {
  it('reports the death with the player stderr, counts nothing as unplayed, and drains', async () => {
    const playback = new ProcessPlayback({ program: 'aplay', device: 'ra_no_such_device' });
    const died = once(playback, 'error') as Promise<[PlaybackError]>;
    playback.write(
      pcm16ToBytes(generateTone({ frequency: 440, durationMs: 500, sampleRate: 24_000 })),
    );
    expect(playback.unplayedMs()).toBeGreaterThan(400);
    const [error] = await died;
    expect(error.message).toMatch(/^aplay stopped unexpectedly \(code \d+\)/);
    expect(error.stderr).not.toBe('');
    expect(playback.unplayedMs()).toBe(0);
    await playback.drain();
    await playback.close();
  });
});
