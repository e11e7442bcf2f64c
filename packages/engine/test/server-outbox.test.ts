/**
 * The outbox frames server events itself (one buffer per event-loop round) when no extension is negotiated: the
 * frames must be exactly what a WebSocket client reads back, at every length encoding, in order.
 */
import * as wsModule from 'ws';
import { describe, expect, it } from 'vitest';
import { frameTexts } from '../src/server/outbox.js';

/** `ws`'s frame reader, as a client uses it (exported by `ws`, not typed). */
const Receiver = (
  wsModule as unknown as {
    Receiver: new (options: { isServer: boolean }) => NodeJS.WritableStream & {
      on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): void;
      on(event: 'error', listener: (err: Error) => void): void;
    };
  }
).Receiver;

function readBack(frames: Buffer, splitAt: number[] = []): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const receiver = new Receiver({ isServer: false });
    const got: string[] = [];
    receiver.on('message', (data, isBinary) => {
      expect(isBinary).toBe(false);
      got.push(data.toString('utf8'));
    });
    receiver.on('error', reject);
    let at = 0;
    for (const cut of [...splitAt, frames.length]) {
      receiver.write(frames.subarray(at, cut));
      at = cut;
    }
    receiver.end(() => resolve(got));
  });
}

describe('the outbox framing', () => {
  it('writes text frames a client reads back, at every length encoding', async () => {
    const texts = [
      '',
      'a',
      'x'.repeat(125),
      'x'.repeat(126),
      'é'.repeat(63), // 126 bytes in 63 characters: the length is counted in bytes
      'y'.repeat(65_535),
      'z'.repeat(65_536),
      `{"type":"response.output_audio.delta","delta":"${'A'.repeat(200_000)}"}`,
      '{"text":"naïve café — 日本語 🎙️"}',
    ];
    expect(await readBack(frameTexts(texts))).toEqual(texts);
  });

  it('survives the frames arriving in arbitrary pieces', async () => {
    const texts = ['{"type":"a"}', 'b'.repeat(300), 'ü'.repeat(70_000), '{"type":"c"}'];
    const frames = frameTexts(texts);
    expect(await readBack(frames, [1, 3, 17, 400, 70_000, frames.length - 2])).toEqual(texts);
  });
});
