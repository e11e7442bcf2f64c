/**
 * WAV (RIFF/WAVE) reading. Accepts integer PCM (8/16/24/32-bit), IEEE float (32/64-bit), G.711
 * A-law/µ-law and WAVE_FORMAT_EXTENSIBLE with a PCM or float subformat, and converts everything to
 * interleaved 16-bit PCM.
 */
import { alawToLinear, ulawToLinear } from './g711.js';

/** Why a WAV file could not be read. */
export type WavErrorCode =
  | 'not_riff'
  | 'not_wave'
  | 'no_fmt_chunk'
  | 'no_data_chunk'
  | 'truncated'
  | 'invalid_format'
  | 'unsupported_format';

/** A WAV file that is malformed or uses an encoding this reader does not support. */
export class WavError extends Error {
  override readonly name = 'WavError';
  readonly code: WavErrorCode;

  constructor(code: WavErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** A decoded WAV file. */
export interface WavData {
  sampleRate: number;
  channels: number;
  /** Interleaved 16-bit PCM (frames × channels). */
  samples: Int16Array;
  /** Duration of the audio in milliseconds. */
  durationMs: number;
}

/** The result of {@link tryReadWav}. */
export type WavReadResult = { ok: true; wav: WavData } | { ok: false; error: WavError };

const WAVE_FORMAT_PCM = 0x0001;
const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
const WAVE_FORMAT_ALAW = 0x0006;
const WAVE_FORMAT_MULAW = 0x0007;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

const FORMAT_NAMES: Record<number, string> = {
  0x0002: 'Microsoft ADPCM',
  0x0011: 'IMA ADPCM',
  0x0031: 'GSM 6.10',
  0x0040: 'G.721 ADPCM',
  0x0050: 'MPEG',
  0x0055: 'MPEG Layer 3',
  0x0092: 'Dolby AC-3',
  0x00ff: 'AAC',
  0x1610: 'HE-AAC',
  0x2000: 'Dolby AC-3',
  0x674f: 'Ogg Vorbis',
  0xf1ac: 'FLAC',
};

/** Streaming recorders write this (or 0) as the data size before they know the length. */
const UNKNOWN_SIZE = 0xffffffff;

interface Chunk {
  id: string;
  offset: number;
  size: number;
  /** The declared size runs past the end of the file. */
  overruns: boolean;
}

function hex(tag: number): string {
  return `0x${tag.toString(16).padStart(4, '0')}`;
}

function fourCC(bytes: Uint8Array, offset: number): string {
  return String.fromCharCode(
    bytes[offset]!,
    bytes[offset + 1]!,
    bytes[offset + 2]!,
    bytes[offset + 3]!,
  );
}

function isPrintableId(bytes: Uint8Array, offset: number): boolean {
  for (let i = 0; i < 4; i++) {
    const c = bytes[offset + i]!;
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

interface ChunkList {
  chunks: Chunk[];
  /** The file ends inside a chunk (its header or its declared body). */
  cut: boolean;
}

function listChunks(bytes: Uint8Array, view: DataView): ChunkList {
  const chunks: Chunk[] = [];
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = fourCC(bytes, offset);
    let size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    const remaining = bytes.length - body;
    let overruns = size > remaining;
    if (id === 'data' && (size === UNKNOWN_SIZE || size === 0)) {
      // The streaming sentinel: the data runs to the end of the file. A real empty data chunk
      // followed by another chunk is told apart by that chunk's header.
      const emptyFollowedByChunk =
        size === 0 && (remaining === 0 || (remaining >= 8 && isPrintableId(bytes, body)));
      if (!emptyFollowedByChunk) {
        size = remaining;
        overruns = false;
      }
    }
    chunks.push({ id, offset: body, size: Math.min(size, remaining), overruns });
    if (overruns) return { chunks, cut: true };
    offset = body + size + (size % 2);
  }
  // Bytes too few for a chunk header. Harmless after a complete fmt and data; a cut otherwise.
  return { chunks, cut: offset < bytes.length };
}

interface SampleFormat {
  kind: 'int' | 'float' | 'alaw' | 'mulaw';
  bits: number;
}

function sampleFormat(bytes: Uint8Array, view: DataView, fmt: Chunk): SampleFormat {
  if (fmt.size < 16) {
    throw new WavError('truncated', `WAV fmt chunk is ${fmt.size} bytes; at least 16 are needed.`);
  }
  let tag = view.getUint16(fmt.offset, true);
  const bits = view.getUint16(fmt.offset + 14, true);
  if (tag === WAVE_FORMAT_EXTENSIBLE) {
    if (fmt.size < 40) {
      throw new WavError(
        'truncated',
        `WAV fmt chunk says WAVE_FORMAT_EXTENSIBLE but is ${fmt.size} bytes; 40 are needed.`,
      );
    }
    // The subformat GUID starts with the plain format tag (…-0000-0010-8000-00AA00389B71).
    tag = view.getUint16(fmt.offset + 24, true);
    if (tag !== WAVE_FORMAT_PCM && tag !== WAVE_FORMAT_IEEE_FLOAT) {
      throw new WavError(
        'unsupported_format',
        `Unsupported WAV encoding: WAVE_FORMAT_EXTENSIBLE with subformat ${hex(tag)}${
          FORMAT_NAMES[tag] ? ` (${FORMAT_NAMES[tag]})` : ''
        }. Only PCM and IEEE float are supported.`,
      );
    }
  }
  switch (tag) {
    case WAVE_FORMAT_PCM:
      if (bits === 8 || bits === 16 || bits === 24 || bits === 32) return { kind: 'int', bits };
      throw new WavError(
        'unsupported_format',
        `Unsupported WAV sample size: ${bits}-bit integer PCM. Only 8, 16, 24 and 32 bits are supported.`,
      );
    case WAVE_FORMAT_IEEE_FLOAT:
      if (bits === 32 || bits === 64) return { kind: 'float', bits };
      throw new WavError(
        'unsupported_format',
        `Unsupported WAV sample size: ${bits}-bit float. Only 32 and 64 bits are supported.`,
      );
    case WAVE_FORMAT_ALAW:
    case WAVE_FORMAT_MULAW:
      if (bits === 8) return { kind: tag === WAVE_FORMAT_ALAW ? 'alaw' : 'mulaw', bits };
      throw new WavError(
        'invalid_format',
        `WAV G.711 data must be 8 bits per sample, not ${bits}.`,
      );
    default:
      throw new WavError(
        'unsupported_format',
        `Unsupported WAV encoding: format tag ${hex(tag)}${
          FORMAT_NAMES[tag] ? ` (${FORMAT_NAMES[tag]})` : ''
        }. Only PCM and IEEE float are supported.`,
      );
  }
}

function clip16(v: number): number {
  return v > 32767 ? 32767 : v < -32768 ? -32768 : v;
}

function decodeSamples(
  view: DataView,
  offset: number,
  count: number,
  format: SampleFormat,
): Int16Array {
  const out = new Int16Array(count);
  const bytes = format.bits >> 3;
  switch (format.kind) {
    case 'int':
      for (let i = 0, p = offset; i < count; i++, p += bytes) {
        if (bytes === 2) out[i] = view.getInt16(p, true);
        else if (bytes === 1) out[i] = (view.getUint8(p) - 128) << 8;
        else if (bytes === 3) {
          const v = (view.getInt8(p + 2) << 16) | view.getUint16(p, true);
          out[i] = clip16(Math.round(v / 256));
        } else out[i] = clip16(Math.round(view.getInt32(p, true) / 65536));
      }
      break;
    case 'float':
      for (let i = 0, p = offset; i < count; i++, p += bytes) {
        const f = bytes === 4 ? view.getFloat32(p, true) : view.getFloat64(p, true);
        out[i] = clip16(Math.round(f * 32768));
      }
      break;
    case 'alaw':
      for (let i = 0; i < count; i++) out[i] = alawToLinear(view.getUint8(offset + i));
      break;
    case 'mulaw':
      for (let i = 0; i < count; i++) out[i] = ulawToLinear(view.getUint8(offset + i));
      break;
  }
  return out;
}

/**
 * Reads a WAV file into interleaved 16-bit PCM. Unknown chunks (LIST, fact, …) are skipped. A data
 * chunk whose size is the streaming sentinel (0xFFFFFFFF or 0) is read to the end of the file; a
 * trailing partial frame is dropped.
 * @throws WavError with a `code` and a readable message when the file is malformed, truncated
 * (a declared size runs past the end) or uses an unsupported encoding. See {@link tryReadWav}.
 */
export function readWav(bytes: Uint8Array): WavData {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12 || fourCC(bytes, 0) !== 'RIFF') {
    const head = bytes.length >= 4 ? fourCC(bytes, 0) : '';
    const detail =
      head === 'RIFX'
        ? ' (big-endian RIFX is not supported)'
        : head === 'RF64'
          ? ' (RF64 is not supported)'
          : '';
    throw new WavError('not_riff', `Not a WAV file: it does not start with "RIFF"${detail}.`);
  }
  if (fourCC(bytes, 8) !== 'WAVE') {
    throw new WavError('not_wave', `Not a WAV file: the RIFF form type is not "WAVE".`);
  }
  const { chunks, cut } = listChunks(bytes, view);
  const fmt = chunks.find((c) => c.id === 'fmt ');
  if (!fmt) {
    throw cut
      ? new WavError('truncated', 'WAV file is truncated before its fmt chunk.')
      : new WavError(
          'no_fmt_chunk',
          'WAV file has no fmt chunk (it does not say how its audio is encoded).',
        );
  }
  if (fmt.overruns) {
    throw new WavError('truncated', 'WAV file is truncated inside its fmt chunk.');
  }
  const format = sampleFormat(bytes, view, fmt);
  const channels = view.getUint16(fmt.offset + 2, true);
  const sampleRate = view.getUint32(fmt.offset + 4, true);
  if (channels === 0) throw new WavError('invalid_format', 'WAV fmt chunk says 0 channels.');
  if (sampleRate === 0)
    throw new WavError('invalid_format', 'WAV fmt chunk says a sample rate of 0 Hz.');
  const data = chunks.find((c) => c.id === 'data');
  if (!data) {
    throw cut
      ? new WavError('truncated', 'WAV file is truncated before its data chunk.')
      : new WavError('no_data_chunk', 'WAV file has no data chunk (no audio).');
  }
  const frameBytes = channels * (format.bits >> 3);
  if (data.overruns) {
    const declared = view.getUint32(data.offset - 4, true);
    throw new WavError(
      'truncated',
      `WAV file is truncated: the data chunk declares ${declared} bytes but only ${data.size} are present.`,
    );
  }
  const frames = Math.floor(data.size / frameBytes);
  const samples = decodeSamples(view, data.offset, frames * channels, format);
  return { sampleRate, channels, samples, durationMs: (frames * 1000) / sampleRate };
}

/** Like {@link readWav}, but returns the error instead of throwing it. */
export function tryReadWav(bytes: Uint8Array): WavReadResult {
  try {
    return { ok: true, wav: readWav(bytes) };
  } catch (error) {
    if (error instanceof WavError) return { ok: false, error };
    // Not expected (every bound is checked), but a parse function must not throw.
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: new WavError('invalid_format', `Malformed WAV file: ${message}`) };
  }
}
