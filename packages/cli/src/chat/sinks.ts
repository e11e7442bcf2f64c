import type { AudioSink } from '@realtime-assistant/assistant';
import type { SessionRecorder } from '../audio/index.js';

/** A sink that also writes what it is given to the recording's assistant channel. */
export class RecordingSink implements AudioSink {
  readonly #inner: AudioSink;
  readonly #recorder: SessionRecorder;

  constructor(inner: AudioSink, recorder: SessionRecorder) {
    this.#inner = inner;
    this.#recorder = recorder;
  }

  write(pcm: Uint8Array): void {
    this.#inner.write(pcm);
    this.#recorder.write('assistant', pcm);
  }

  stop(): number {
    return this.#inner.stop();
  }

  playedMs(): number {
    return this.#inner.playedMs();
  }

  unplayedMs(): number {
    // Unknown without the inner sink's own count: the transport then goes by what it sent.
    return this.#inner.unplayedMs?.() ?? Number.POSITIVE_INFINITY;
  }
}

/**
 * A sink that keeps the reply audio instead of playing it (`--audio-file`): everything written counts as heard at
 * once, so the conversation moves on as fast as the server sends.
 */
export class CollectingSink implements AudioSink {
  readonly #chunks: Uint8Array[] = [];
  #bytes = 0;
  #sinceStop = 0;

  write(pcm: Uint8Array): void {
    this.#chunks.push(pcm.slice());
    this.#bytes += pcm.byteLength;
    this.#sinceStop += pcm.byteLength;
  }

  stop(): number {
    const played = this.playedMs();
    this.#sinceStop = 0;
    return played;
  }

  playedMs(): number {
    return this.#sinceStop / 48;
  }

  /** Everything received, as one PCM16 mono 24 kHz buffer. */
  audio(): Uint8Array {
    const out = new Uint8Array(this.#bytes);
    let offset = 0;
    for (const chunk of this.#chunks) {
      out.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return out;
  }
}
