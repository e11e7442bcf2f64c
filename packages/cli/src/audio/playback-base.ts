import { EventEmitter } from 'node:events';
import { bytesToPcm16, createResampler } from '@realtime-assistant/protocol';
import type { Pcm16Resampler } from '@realtime-assistant/protocol';
import { stderrReason } from './stderr-reason.js';

/** The rate {@link AudioPlayback.write} takes (the Realtime API's PCM rate). */
export const PLAYBACK_INPUT_RATE = 24_000;

/** The ways to reach the speaker: the prebuilt ALSA addon or a spawned player. */
export type PlaybackBackend = 'audio-io' | 'aplay' | 'paplay';

/** A playback failure (the device could not be opened, or the player died). */
export class PlaybackError extends Error {
  override readonly name = 'PlaybackError';
  readonly stderr: string;

  constructor(message: string, stderr = '') {
    super(stderr ? `${message}: ${stderrReason(stderr)}` : message);
    this.stderr = stderr;
  }
}

/** Events of {@link AudioPlayback}. */
export interface PlaybackEvents {
  /** Everything written has been played (the speaker is silent). */
  idle: [];
  /** The device failed; written audio is dropped until the next write reopens it. Only emitted when someone listens. */
  error: [error: PlaybackError];
}

/**
 * A speaker for the assistant's voice (structurally an `AudioSink` of the assistant package):
 * PCM16 mono 24 kHz in, positions in ms of audio **heard**, counted from the last `stop()`.
 */
export interface AudioPlayback extends EventEmitter<PlaybackEvents> {
  readonly backend: PlaybackBackend;
  /** Queues PCM16 mono 24 kHz little-endian bytes. */
  write(pcm: Uint8Array): void;
  /** Stops at once, drops what is queued, and returns the ms played since the previous stop. */
  stop(): number;
  /** Ms of audio actually played by the speaker since the last stop. */
  playedMs(): number;
  /** Ms written since the last stop. */
  writtenMs(): number;
  /** Ms written and still to be played; audio a dead player lost is not counted. */
  unplayedMs(): number;
  /** Resolves when everything written has been played (at once when idle). */
  drain(): Promise<void>;
  /** Stops and releases the device (kills the player). */
  close(): Promise<void>;
}

/**
 * Shared bookkeeping: resampling to the device rate, positions in device frames, the stop base
 * and the idle event. Backends report how much audio (device frames) the speaker has played.
 */
export abstract class PlaybackBase extends EventEmitter<PlaybackEvents> implements AudioPlayback {
  abstract readonly backend: PlaybackBackend;
  protected readonly deviceRate: number;
  readonly #resampler: Pcm16Resampler;
  /** Audio frames written (device rate), absolute. */
  #written = 0;
  /** Absolute played position at the last stop. */
  #base = 0;
  #idleTimer: NodeJS.Timeout | undefined;
  #idle = true;

  constructor(deviceRate: number) {
    super();
    this.deviceRate = deviceRate;
    this.#resampler = createResampler({ inputRate: PLAYBACK_INPUT_RATE, outputRate: deviceRate });
  }

  /** Queues device-rate samples for the device. */
  protected abstract enqueue(samples: Int16Array): void;
  /** Drops queued audio; returns the absolute audio frames that will have been heard. */
  protected abstract dropQueued(): number;
  /** Absolute audio frames the speaker has played by now. */
  protected abstract playedFrames(): number;
  /** Releases the device. */
  protected abstract release(): Promise<void>;

  write(pcm: Uint8Array): void {
    const samples = this.#resampler.process(bytesToPcm16(pcm));
    if (samples.length === 0) return;
    this.#written += samples.length;
    this.#idle = false;
    this.enqueue(samples);
    this.scheduleIdleCheck();
  }

  stop(): number {
    const heard = Math.min(this.dropQueued(), this.#written);
    this.#resampler.reset();
    const played = Math.max(0, heard - this.#base);
    this.#base = heard;
    this.#written = heard;
    this.scheduleIdleCheck();
    return this.#toMs(played);
  }

  playedMs(): number {
    return this.#toMs(Math.max(0, Math.min(this.playedFrames(), this.#written) - this.#base));
  }

  writtenMs(): number {
    return this.#toMs(this.#written - this.#base);
  }

  /** What was written and is still to be played; audio a dead device lost is not counted. */
  unplayedMs(): number {
    return this.writtenMs() - this.playedMs();
  }

  drain(): Promise<void> {
    if (this.#idle) return Promise.resolve();
    return new Promise((resolve) => this.once('idle', resolve));
  }

  async close(): Promise<void> {
    this.stop();
    clearTimeout(this.#idleTimer);
    await this.release();
    this.#markIdle();
  }

  /** Reports a device failure to listeners (never throws when there are none). */
  protected fail(error: PlaybackError): void {
    if (this.listenerCount('error') > 0) this.emit('error', error);
  }

  /** The device lost what it had not played yet (it died): forget it, so `drain()` still ends. */
  protected abandonUnplayed(): void {
    this.#written = Math.max(this.#base, Math.min(this.#written, this.playedFrames()));
    this.scheduleIdleCheck();
  }

  /** Re-checks for idleness after the audio still unplayed should have been heard. */
  protected scheduleIdleCheck(): void {
    clearTimeout(this.#idleTimer);
    const remaining = this.#written - Math.min(this.playedFrames(), this.#written);
    if (remaining <= 0) {
      this.#markIdle();
      return;
    }
    const ms = Math.max(5, this.#toMs(remaining) + 2);
    this.#idleTimer = setTimeout(() => this.scheduleIdleCheck(), ms);
    this.#idleTimer.unref();
  }

  #markIdle(): void {
    if (this.#idle) return;
    this.#idle = true;
    this.emit('idle');
  }

  #toMs(frames: number): number {
    return (frames * 1000) / this.deviceRate;
  }
}
