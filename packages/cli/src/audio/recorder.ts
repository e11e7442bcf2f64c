/**
 * A session recording (`--save-recordings`): one stereo WAV, left = the user's microphone,
 * right = the assistant as played, both on the session's timeline (ms since it started).
 *
 * Written as it goes: the header carries the streaming sentinel (data size 0xFFFFFFFF, which
 * `readWav` reads as "to the end of the file"), audio is appended with synchronous writes once it
 * is `holdMs` old, and `close()` patches the real sizes. A crash leaves a readable file missing at
 * most the last `holdMs`.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { bytesToPcm16, pcm16ToBytes, wavHeader } from '@realtime-assistant/protocol';

/** Which side of the conversation a write belongs to. */
export type RecorderChannel = 'user' | 'assistant';

/** Options for {@link SessionRecorder.open}. */
export interface RecorderOptions {
  /** Rate of the PCM written (default 24000). */
  sampleRate?: number;
  /** How long written audio stays in memory before it goes to disk (default 250 ms). */
  holdMs?: number;
  /**
   * A chunk that starts within this many ms of the end of the previous one on its channel is
   * appended right after it, so arrival jitter does not chop a continuous stream (default 60).
   */
  jitterMs?: number;
  /** Session clock in ms (default `performance.now`); time 0 is when the recorder opened. */
  now?: () => number;
}

/** Samples of one channel not yet on disk, starting at the file's current end. */
class PendingChannel {
  data = new Int16Array(4800);
  /** Frames used, counted from the flushed end of the file. */
  length = 0;

  place(offset: number, samples: Int16Array): void {
    const end = offset + samples.length;
    if (end > this.data.length) {
      const grown = new Int16Array(Math.max(end, this.data.length * 2));
      grown.set(this.data.subarray(0, this.length));
      this.data = grown;
    }
    if (offset > this.length) this.data.fill(0, this.length, offset);
    this.data.set(samples, offset);
    this.length = Math.max(this.length, end);
  }

  /** Removes the first `frames` frames (zeros where nothing was written). */
  shift(frames: number): Int16Array {
    const out = new Int16Array(frames);
    out.set(this.data.subarray(0, Math.min(frames, this.length)));
    this.data.copyWithin(0, Math.min(frames, this.length), this.length);
    this.length = Math.max(0, this.length - frames);
    return out;
  }
}

/** A stereo WAV being recorded. Create with {@link SessionRecorder.open}. */
export class SessionRecorder {
  readonly path: string;
  readonly sampleRate: number;
  readonly #fd: number;
  readonly #holdFrames: number;
  readonly #jitterFrames: number;
  readonly #now: () => number;
  readonly #startedAt: number;
  readonly #channels = { user: new PendingChannel(), assistant: new PendingChannel() };
  /** Where each channel's last chunk ended (absolute frames); −1 before the first. */
  readonly #cursor = { user: -1, assistant: -1 };
  /** Frames already on disk. */
  #flushed = 0;
  #closed = false;

  private constructor(path: string, fd: number, options: RecorderOptions) {
    this.path = path;
    this.#fd = fd;
    this.sampleRate = options.sampleRate ?? 24_000;
    this.#holdFrames = Math.round(((options.holdMs ?? 250) * this.sampleRate) / 1000);
    this.#jitterFrames = Math.round(((options.jitterMs ?? 60) * this.sampleRate) / 1000);
    this.#now = options.now ?? (() => performance.now());
    this.#startedAt = this.#now();
  }

  /** Creates (or truncates) the file and writes the streaming header. */
  static open(path: string, options: RecorderOptions = {}): SessionRecorder {
    const fd = openSync(path, 'w');
    const recorder = new SessionRecorder(path, fd, options);
    writeSync(fd, wavHeader(recorder.sampleRate, 2));
    return recorder;
  }

  /** Ms since the recorder opened, on its clock. */
  elapsedMs(): number {
    return this.#now() - this.#startedAt;
  }

  /**
   * Adds PCM16 mono audio to one channel, starting at `atMs` on the session timeline (default:
   * now). Audio placed before what is already on disk is moved to the end of the file.
   */
  write(channel: RecorderChannel, pcm: Uint8Array, atMs: number = this.elapsedMs()): void {
    if (this.#closed) return;
    const samples = bytesToPcm16(pcm);
    if (samples.length === 0) return;
    let frame = Math.max(0, Math.round((atMs * this.sampleRate) / 1000));
    const cursor = this.#cursor[channel];
    if (cursor >= 0 && Math.abs(frame - cursor) <= this.#jitterFrames) frame = cursor;
    frame = Math.max(frame, this.#flushed);
    this.#channels[channel].place(frame - this.#flushed, samples);
    this.#cursor[channel] = frame + samples.length;
    this.#flushUntil(Math.max(this.#cursor.user, this.#cursor.assistant) - this.#holdFrames);
  }

  /** Ms of audio in the file so far (on disk or held). */
  durationMs(): number {
    const end = Math.max(this.#flushed, this.#cursor.user, this.#cursor.assistant);
    return (end * 1000) / this.sampleRate;
  }

  /** Writes everything held, patches the header sizes and closes the file. Idempotent. */
  close(): { path: string; durationMs: number } {
    if (!this.#closed) {
      this.#flushUntil(Math.max(this.#cursor.user, this.#cursor.assistant));
      this.#closed = true;
      writeSync(this.#fd, wavHeader(this.sampleRate, 2, this.#flushed * 4), 0, 44, 0);
      closeSync(this.#fd);
    }
    return { path: this.path, durationMs: (this.#flushed * 1000) / this.sampleRate };
  }

  #flushUntil(frame: number): void {
    const frames = frame - this.#flushed;
    if (frames <= 0) return;
    const left = this.#channels.user.shift(frames);
    const right = this.#channels.assistant.shift(frames);
    const stereo = new Int16Array(frames * 2);
    for (let i = 0; i < frames; i++) {
      stereo[2 * i] = left[i]!;
      stereo[2 * i + 1] = right[i]!;
    }
    writeSync(this.#fd, pcm16ToBytes(stereo));
    this.#flushed = frame;
  }
}
