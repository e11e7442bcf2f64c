/**
 * WAV writing: 16-bit PCM, any channel count, and a header for streaming writers.
 */
import { pcm16ToBytes } from './pcm16.js';

/** Input to {@link writeWav}. */
export interface WavWriteInput {
  sampleRate: number;
  channels: number;
  /** Interleaved 16-bit PCM (frames × channels). */
  samples: Int16Array;
}

const HEADER_BYTES = 44;
const MAX_DATA_BYTES = 0xffffffff - 36;

function writeAscii(view: DataView, offset: number, text: string): void {
  for (let i = 0; i < text.length; i++) view.setUint8(offset + i, text.charCodeAt(i));
}

function checkLayout(sampleRate: number, channels: number): void {
  if (!Number.isInteger(sampleRate) || sampleRate <= 0 || sampleRate > 0xffffffff) {
    throw new RangeError(`sampleRate must be a positive integer, got ${sampleRate}`);
  }
  if (!Number.isInteger(channels) || channels <= 0 || channels > 0xffff) {
    throw new RangeError(`channels must be an integer from 1 to 65535, got ${channels}`);
  }
}

/**
 * Builds the 44-byte header of a 16-bit PCM WAV file. Pass `dataBytes` when the length is known;
 * leave it out when streaming to write the 0xFFFFFFFF "unknown length" sentinel, which
 * {@link readWav} (and most players) read as "to the end of the file". A writer that can seek may
 * instead patch bytes 4–7 (RIFF size = 36 + data bytes) and 40–43 (data bytes) when done.
 * @throws RangeError for an invalid rate or channel count, or more data than a WAV can hold.
 */
export function wavHeader(sampleRate: number, channels: number, dataBytes?: number): Uint8Array {
  checkLayout(sampleRate, channels);
  if (
    dataBytes !== undefined &&
    (!Number.isInteger(dataBytes) || dataBytes < 0 || dataBytes > MAX_DATA_BYTES)
  ) {
    throw new RangeError(
      `dataBytes must be an integer from 0 to ${MAX_DATA_BYTES}, got ${dataBytes}`,
    );
  }
  const header = new Uint8Array(HEADER_BYTES);
  const view = new DataView(header.buffer);
  const blockAlign = channels * 2;
  writeAscii(view, 0, 'RIFF');
  // An odd-sized data chunk is followed by a pad byte that the RIFF size counts.
  const riffSize =
    dataBytes === undefined ? 0xffffffff : Math.min(0xffffffff, 36 + dataBytes + (dataBytes % 2));
  view.setUint32(4, riffSize, true);
  writeAscii(view, 8, 'WAVE');
  writeAscii(view, 12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * blockAlign, true);
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, 16, true);
  writeAscii(view, 36, 'data');
  view.setUint32(40, dataBytes ?? 0xffffffff, true);
  return header;
}

/**
 * Writes interleaved 16-bit PCM as a complete WAV file.
 * @throws RangeError when `samples.length` is not a multiple of `channels`, or for an invalid
 * rate or channel count.
 */
export function writeWav(input: WavWriteInput): Uint8Array {
  const { sampleRate, channels, samples } = input;
  checkLayout(sampleRate, channels);
  if (samples.length % channels !== 0) {
    throw new RangeError(
      `samples.length (${samples.length}) is not a multiple of channels (${channels}); samples must be interleaved frames.`,
    );
  }
  const data = pcm16ToBytes(samples);
  const out = new Uint8Array(HEADER_BYTES + data.length);
  out.set(wavHeader(sampleRate, channels, data.length));
  out.set(data, HEADER_BYTES);
  return out;
}
