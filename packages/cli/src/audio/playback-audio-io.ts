/**
 * Playback through `@echogarden/audio-io` (a prebuilt ALSA addon that opens ALSA `default`).
 *
 * The addon's native thread waits until the ALSA buffer holds at most one block (`blockMs`), then
 * calls us to fill the next block. So at each callback about one block is still unplayed, and
 * the played position is `frames handed over before this block − one block + time since the
 * callback`, mapped through {@link PlaybackTimeline} to skip silence padding.
 *
 * Accuracy: `playedMs()` is within about ±(ALSA poll granularity 1 ms + the block's jitter, a few
 * ms) of the ALSA read pointer, plus any latency the sound server adds after ALSA (PulseAudio's
 * sink latency, 0 for a null sink). `stop()` cannot flush what ALSA already holds (the addon only
 * offers drain-and-close), so it returns the audio handed over, which is exactly what will be
 * heard: the tail after `stop()` is at most two blocks (2 × `blockMs`).
 */
import { createAudioOutput } from '@echogarden/audio-io';
import type { AudioOutput } from '@echogarden/audio-io';
import { PlaybackBase, PlaybackError } from './playback-base.js';
import { PlaybackTimeline } from './playback-timeline.js';

/** Options for {@link AudioIoPlayback}. */
export interface AudioIoPlaybackOptions {
  /** Device rate (default 24000; ALSA `default` converts as needed). */
  deviceRate?: number;
  /** Block length in ms: smaller reacts faster, larger survives event-loop stalls (default 10). */
  blockMs?: number;
  /** Clock in ms (default `performance.now`). */
  now?: () => number;
}

/**
 * Default block length. 10 ms keeps the tail heard after `stop()` (at most two blocks) under the 20 ms an
 * interruption may take; the real-device tests and `npm run bench -w packages/cli` ran without underruns at a load
 * average of 5–10 on 2 cores. 20 ms blocks left a 25–65 ms tail.
 */
export const DEFAULT_AUDIO_IO_BLOCK_MS = 10;

export class AudioIoPlayback extends PlaybackBase {
  readonly backend = 'audio-io' as const;
  readonly #blockMs: number;
  readonly #now: () => number;
  readonly #queue: Int16Array[] = [];
  #queueOffset = 0;
  readonly #timeline = new PlaybackTimeline();
  /** Device frames handed over before the latest block, and when that block was asked for. */
  #deviceBeforeLast = 0;
  #lastCallbackAt: number | null = null;
  #playedFloor = 0;
  #output: Promise<AudioOutput> | null = null;

  constructor(options: AudioIoPlaybackOptions = {}) {
    super(options.deviceRate ?? 24_000);
    this.#blockMs = options.blockMs ?? DEFAULT_AUDIO_IO_BLOCK_MS;
    this.#now = options.now ?? (() => performance.now());
  }

  /** Opens the device now (it otherwise opens on the first write). Rejects when ALSA fails. */
  async open(): Promise<void> {
    await this.#ensureOutput();
  }

  protected enqueue(samples: Int16Array): void {
    this.#queue.push(samples);
    this.#ensureOutput().catch((error: unknown) => {
      this.#output = null;
      this.#queue.length = 0;
      this.#queueOffset = 0;
      const message = error instanceof Error ? error.message : String(error);
      this.fail(new PlaybackError(`Cannot open the audio output (ALSA default): ${message}`));
    });
  }

  protected dropQueued(): number {
    this.#queue.length = 0;
    this.#queueOffset = 0;
    return this.#timeline.audioFrames;
  }

  protected playedFrames(): number {
    if (this.#lastCallbackAt === null) return this.#timeline.audioFrames;
    const elapsed = ((this.#now() - this.#lastCallbackAt) * this.deviceRate) / 1000;
    const block = Math.round((this.#blockMs * this.deviceRate) / 1000);
    const device = Math.min(this.#timeline.deviceFrames, this.#deviceBeforeLast - block + elapsed);
    const played = this.#timeline.audioPlayedAt(Math.max(0, device));
    this.#playedFloor = Math.max(this.#playedFloor, played);
    return this.#playedFloor;
  }

  protected async release(): Promise<void> {
    const output = this.#output;
    this.#output = null;
    if (output) await (await output).dispose();
  }

  #ensureOutput(): Promise<AudioOutput> {
    this.#output ??= createAudioOutput(
      { sampleRate: this.deviceRate, channelCount: 1, bufferDuration: this.#blockMs },
      (buffer) => this.#fill(buffer),
    );
    return this.#output;
  }

  /** The addon's callback: `buffer` is zeroed; copy queued audio into its start. */
  #fill(buffer: Int16Array): void {
    let filled = 0;
    while (filled < buffer.length) {
      const head = this.#queue[0];
      if (!head) break;
      const n = Math.min(buffer.length - filled, head.length - this.#queueOffset);
      buffer.set(head.subarray(this.#queueOffset, this.#queueOffset + n), filled);
      filled += n;
      this.#queueOffset += n;
      if (this.#queueOffset === head.length) {
        this.#queue.shift();
        this.#queueOffset = 0;
      }
    }
    this.#deviceBeforeLast = this.#timeline.deviceFrames;
    this.#lastCallbackAt = this.#now();
    this.#timeline.append(buffer.length, filled);
  }
}
