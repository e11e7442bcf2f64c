import type { ReplyAudio } from '../responder/responder.js';

/** PCM16 mono at some rate: what a voice produces before it is converted to the session's output format. */
export interface PcmAudio {
  samples: Int16Array;
  sampleRate: number;
}

/** Turns a reply into audio: speech for its text, a WAV file, or a tone. */
export interface AudioRenderer {
  render(
    input: {
      text: string;
      audio?: ReplyAudio;
      voice: string;
      /** The session's `audio.output.speed` (0.25–1.5). */
      speed?: number;
    },
    signal?: AbortSignal,
  ): Promise<PcmAudio>;
}
