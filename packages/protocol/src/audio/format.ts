/**
 * Realtime API audio formats: descriptors, beta names, byte ⇄ millisecond math and codecs.
 */
import { decodeAlaw, decodeUlaw, encodeAlaw, encodeUlaw } from './g711.js';
import { bytesToPcm16, pcm16ToBytes } from './pcm16.js';

/**
 * A GA audio format object (`session.audio.input.format`), structurally compatible with the wire
 * schema's type. `audio/pcm` is 16-bit little-endian mono PCM; the API accepts only 24 kHz.
 */
export type AudioFormatDescriptor =
  { type: 'audio/pcm'; rate?: number } | { type: 'audio/pcmu' } | { type: 'audio/pcma' };

/** The beta API's format strings. */
export type BetaAudioFormatName = 'pcm16' | 'g711_ulaw' | 'g711_alaw';

/** The codec behind a format. */
export type AudioCodec = 'pcm16' | 'pcmu' | 'pcma';

/** What a format means for byte and sample math. */
export interface AudioFormatInfo {
  codec: AudioCodec;
  sampleRate: number;
  bytesPerSample: number;
  channels: 1;
}

/** The Realtime API's PCM rate (GA `audio/pcm` and beta `pcm16`). */
export const REALTIME_PCM_RATE = 24000;
/** The G.711 sample rate. */
export const G711_RATE = 8000;

const BETA_TO_GA: Record<BetaAudioFormatName, AudioFormatDescriptor> = {
  pcm16: { type: 'audio/pcm', rate: REALTIME_PCM_RATE },
  g711_ulaw: { type: 'audio/pcmu' },
  g711_alaw: { type: 'audio/pcma' },
};

/** Converts a beta format name to the GA format object. */
export function audioFormatFromBeta(name: BetaAudioFormatName): AudioFormatDescriptor {
  const format = BETA_TO_GA[name];
  if (format === undefined) throw new RangeError(`Unknown beta audio format: ${String(name)}`);
  return { ...format };
}

/**
 * Converts a GA format object to the beta name.
 * @throws RangeError for `audio/pcm` at a rate other than 24000 Hz, which the beta API cannot name.
 */
export function audioFormatToBeta(format: AudioFormatDescriptor): BetaAudioFormatName {
  switch (format.type) {
    case 'audio/pcm': {
      const rate = format.rate ?? REALTIME_PCM_RATE;
      if (rate !== REALTIME_PCM_RATE) {
        throw new RangeError(`The beta API has no name for audio/pcm at ${rate} Hz (only 24000).`);
      }
      return 'pcm16';
    }
    case 'audio/pcmu':
      return 'g711_ulaw';
    case 'audio/pcma':
      return 'g711_alaw';
  }
}

/**
 * Describes a GA format object or a beta name: codec, sample rate, bytes per sample and channels.
 * `audio/pcm` without a rate means 24 kHz.
 */
export function describeAudioFormat(
  format: AudioFormatDescriptor | BetaAudioFormatName,
): AudioFormatInfo {
  const ga = typeof format === 'string' ? audioFormatFromBeta(format) : format;
  switch (ga.type) {
    case 'audio/pcm': {
      const rate = ga.rate ?? REALTIME_PCM_RATE;
      if (!Number.isInteger(rate) || rate <= 0) {
        throw new RangeError(`Invalid audio/pcm rate: ${rate}`);
      }
      return { codec: 'pcm16', sampleRate: rate, bytesPerSample: 2, channels: 1 };
    }
    case 'audio/pcmu':
      return { codec: 'pcmu', sampleRate: G711_RATE, bytesPerSample: 1, channels: 1 };
    case 'audio/pcma':
      return { codec: 'pcma', sampleRate: G711_RATE, bytesPerSample: 1, channels: 1 };
    default:
      throw new RangeError(`Unknown audio format type: ${String((ga as { type: unknown }).type)}`);
  }
}

/**
 * Duration in milliseconds of `byteLength` bytes of audio (pcm16 at 24 kHz: bytes / 48; G.711:
 * bytes / 8). Not rounded; round it yourself where the API wants integers (`audio_end_ms`).
 */
export function bytesToMs(
  format: AudioFormatDescriptor | BetaAudioFormatName,
  byteLength: number,
): number {
  const { sampleRate, bytesPerSample } = describeAudioFormat(format);
  return (byteLength * 1000) / (sampleRate * bytesPerSample);
}

/**
 * Byte length of `ms` milliseconds of audio, rounded down to a whole sample (so a pcm16 result is
 * always even). Negative and NaN durations give 0.
 */
export function msToBytes(format: AudioFormatDescriptor | BetaAudioFormatName, ms: number): number {
  const { sampleRate, bytesPerSample } = describeAudioFormat(format);
  if (!(ms > 0)) return 0;
  // The epsilon keeps 0.3 * 8000 / 1000 = 2.3999999999999995 from losing a sample.
  const samples = Math.floor((ms * sampleRate) / 1000 + 1e-9);
  return samples * bytesPerSample;
}

/**
 * Decodes wire bytes in `format` to 16-bit PCM at the format's own rate (8 kHz for G.711; resample
 * it yourself). For pcm16 a trailing odd byte is ignored.
 */
export function decodeToPcm16(
  format: AudioFormatDescriptor | BetaAudioFormatName,
  bytes: Uint8Array,
): Int16Array {
  const { codec } = describeAudioFormat(format);
  switch (codec) {
    case 'pcm16':
      return bytesToPcm16(bytes);
    case 'pcmu':
      return decodeUlaw(bytes);
    case 'pcma':
      return decodeAlaw(bytes);
  }
}

/**
 * Encodes 16-bit PCM, already at the format's rate (8 kHz for G.711), to wire bytes in `format`.
 */
export function encodeFromPcm16(
  format: AudioFormatDescriptor | BetaAudioFormatName,
  samples: Int16Array,
): Uint8Array {
  const { codec } = describeAudioFormat(format);
  switch (codec) {
    case 'pcm16':
      return pcm16ToBytes(samples);
    case 'pcmu':
      return encodeUlaw(samples);
    case 'pcma':
      return encodeAlaw(samples);
  }
}
