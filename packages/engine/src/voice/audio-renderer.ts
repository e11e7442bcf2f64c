import type { ReplyAudio } from '../responder/responder.js';

/** PCM16 mono at some rate: what a voice produces before it is converted to the session's output format. */
export interface PcmAudio {
  samples: Int16Array;
  sampleRate: number;
}

/** One piece of a reply's audio (a sentence or clause) with the part of the reply's text it speaks. */
export interface SpokenPiece extends PcmAudio {
  /** A slice of the reply text: the pieces of one reply joined give its whole text. */
  text: string;
}

/** What a renderer is asked to voice. */
export interface RenderInput {
  text: string;
  audio?: ReplyAudio;
  voice: string;
  /** The session's `audio.output.speed` (0.25–1.5). */
  speed?: number;
}

/** Turns a reply into audio: speech for its text, a WAV file, or a tone. */
export interface AudioRenderer {
  render(input: RenderInput, signal?: AbortSignal): Promise<PcmAudio>;
  /**
   * Optional: the reply's audio piece by piece as it is produced, so a response can start sending its audio before
   * the whole reply is rendered. Rendering starts at once; `return()` on the iterator stops reading it (and the
   * rendering, unless it is shared with other readers).
   */
  stream?(input: RenderInput): AsyncIterator<SpokenPiece, void>;
}
