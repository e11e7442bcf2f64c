/**
 * A WAV file played as if it were the microphone (`--audio-file`): any rate and channel count,
 * delivered as PCM16 mono 24 kHz chunks at real time, or as fast as the consumer takes them.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import {
  downmixToMono,
  pcm16ToBytes,
  readWav,
  resamplePcm16,
  tryReadWav,
} from '@realtime-assistant/protocol';
import type { WavData } from '@realtime-assistant/protocol';

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
 * Streams WAV bytes as PCM16 mono 24 kHz chunks (little-endian bytes); see {@link decodedWavSource}.
 * @throws WavError (from `readWav`) when the bytes are not a readable WAV.
 */
export async function* wavSource(
  wav: Uint8Array,
  options: FileSourceOptions = {},
): AsyncGenerator<Uint8Array> {
  yield* decodedWavSource(readWav(wav), options);
}

/**
 * Streams decoded WAV audio as PCM16 mono 24 kHz chunks (little-endian bytes). Chunk `k` is released at
 * `start + k·chunkMs` on the clock (deadlines, not sleeps in a row, so timing does not drift);
 * the last chunk may be shorter.
 */
export async function* decodedWavSource(
  { sampleRate, channels, samples }: WavData,
  options: FileSourceOptions = {},
): AsyncGenerator<Uint8Array> {
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

/**
 * Reads and decodes a WAV file for `--audio-file` before anything connects: its audio, or why it cannot be used
 * (a sentence to follow the file's name).
 */
export function loadWavFile(
  path: string,
): { ok: true; wav: WavData } | { ok: false; reason: string } {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, reason: 'does not exist.' };
    if (code === 'EISDIR') return { ok: false, reason: 'is a directory, not a WAV file.' };
    return { ok: false, reason: `cannot be read (${code ?? 'unknown error'}).` };
  }
  const decoded = tryReadWav(bytes);
  return decoded.ok
    ? decoded
    : { ok: false, reason: `is not a WAV file it can read: ${decoded.error.message}` };
}

/** Like {@link wavSource}, reading the file from disk first. */
export async function* fileSource(
  path: string,
  options: FileSourceOptions = {},
): AsyncGenerator<Uint8Array> {
  yield* wavSource(new Uint8Array(await readFile(path)), options);
}
