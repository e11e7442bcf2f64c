import {
  createResampler,
  describeAudioFormat,
  encodeFromPcm16,
  pcm16ToBytes,
} from '@realtime-assistant/protocol';
import type { PcmAudio } from '../voice/audio-renderer.js';

/** Converts voice PCM (any rate) into the bytes of one output format. */
export interface OutputEncoder {
  matches(format: unknown): boolean;
  encode(audio: PcmAudio): Uint8Array;
}

export function createOutputEncoder(format: unknown): OutputEncoder {
  const key = JSON.stringify(format);
  const described = describeAudioFormat(format as Parameters<typeof describeAudioFormat>[0]);
  return {
    matches: (other) => JSON.stringify(other) === key,
    encode(audio) {
      let samples = audio.samples;
      if (audio.sampleRate !== described.sampleRate) {
        const resampler = createResampler({
          inputRate: audio.sampleRate,
          outputRate: described.sampleRate,
        });
        const head = resampler.process(samples);
        const tail = resampler.flush();
        samples = new Int16Array(head.length + tail.length);
        samples.set(head, 0);
        samples.set(tail, head.length);
      }
      return described.codec === 'pcm16'
        ? pcm16ToBytes(samples)
        : encodeFromPcm16(format as Parameters<typeof encodeFromPcm16>[0], samples);
    },
  };
}
