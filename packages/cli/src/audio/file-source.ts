/**
 * A WAV file played as if it were the microphone (`--audio-file`): any rate and channel count,
 * delivered as PCM16 mono 24 kHz chunks at real time, or as fast as the consumer takes them.
 */
import { readFile } from 'node:fs/promises';
import { downmixToMono, pcm16ToBytes, readWav, resamplePcm16 } from '@realtime-assistant/protocol';

const OUTPUT_RATE = 24_000;

/** Waits until a time on the source's clock; injectable so tests need no real sleeps. */
export interface SourceClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** The real clock (`performance.now` and `setTimeout`). */
export const realClock: SourceClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Options for {@link fileSource} and {@link wavSource}. */
export interface FileSourceOptions {
  /** Chunk length in ms (default 20). */
  chunkMs?: number;
  /** Deliver as fast as possible instead of at real time. */
  fast?: boolean;
  clock?: SourceClock;
  signal?: AbortSignal;
}

/** Converts decoded WAV samples to PCM16 mono 24 kHz. */
export function toRealtimePcm(
  samples: Int16Array,
  sampleRate: number,
  channels: number,
): Int16Array {
  return resamplePcm16(downmixToMono(samples, channels), sampleRate, OUTPUT_RATE);
}

/**
 * Streams WAV bytes as PCM16 mono 24 kHz chunks (little-endian bytes). Chunk `k` is released at
 * `start + k·chunkMs` on the clock (deadlines, not sleeps in a row, so timing does not drift);
 * the last chunk may be shorter.
 * @throws WavError (from `readWav`) when the bytes are not a readable WAV.
 */
export async function* wavSource(
  wav: Uint8Array,
  options: FileSourceOptions = {},
): AsyncGenerator<Uint8Array> {
  const { sampleRate, channels, samples } = readWav(wav);
  const pcm = toRealtimePcm(samples, sampleRate, channels);
  const chunkMs = options.chunkMs ?? 20;
  const chunkSamples = Math.round((OUTPUT_RATE * chunkMs) / 1000);
  const clock = options.clock ?? realClock;
  const start = clock.now();
  for (let k = 0, offset = 0; offset < pcm.length; k++, offset += chunkSamples) {
    if (options.signal?.aborted) return;
    if (!options.fast) {
      const wait = start + k * chunkMs - clock.now();
      if (wait > 0) await clock.sleep(wait);
      if (options.signal?.aborted) return;
    }
    yield pcm16ToBytes(pcm.subarray(offset, offset + chunkSamples));
  }
}

/** Like {@link wavSource}, reading the file from disk first. */
export async function* fileSource(
  path: string,
  options: FileSourceOptions = {},
): AsyncGenerator<Uint8Array> {
  yield* wavSource(new Uint8Array(await readFile(path)), options);
}
