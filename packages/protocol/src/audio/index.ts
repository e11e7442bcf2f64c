export {
  G711_RATE,
  REALTIME_PCM_RATE,
  audioFormatFromBeta,
  audioFormatToBeta,
  bytesToMs,
  decodeToPcm16,
  describeAudioFormat,
  encodeFromPcm16,
  msToBytes,
} from './format.js';
export type {
  AudioCodec,
  AudioFormatDescriptor,
  AudioFormatInfo,
  BetaAudioFormatName,
} from './format.js';
export {
  alawToLinear,
  decodeAlaw,
  decodeUlaw,
  encodeAlaw,
  encodeUlaw,
  linearToAlaw,
  linearToUlaw,
  ulawToLinear,
} from './g711.js';
export {
  bytesToPcm16,
  downmixToMono,
  float32ToPcm16,
  concatPcm16,
  pcm16ToBytes,
  pcm16ToFloat32,
} from './pcm16.js';
export { createFloat32Resampler, createResampler, resamplePcm16 } from './resampler.js';
export type {
  Float32Resampler,
  Pcm16Resampler,
  Resampler,
  ResamplerOptions,
  ResamplerQuality,
} from './resampler.js';
export { generateTone, measureRmsDb, toneLevelDb } from './tone.js';
export type { ToneOptions } from './tone.js';
export { WavError, readWav, tryReadWav } from './wav-read.js';
export type { WavData, WavErrorCode, WavReadResult } from './wav-read.js';
export { wavHeader, writeWav } from './wav-write.js';
export type { WavWriteInput } from './wav-write.js';
