import { ByteQueue } from './byte-queue.js';

/**
 * The session's input audio buffer: bytes in the session's input format, appended without acknowledgement,
 * committed into a user item or cleared. Tracks the stream position in milliseconds since the session began
 * (VAD timestamps are relative to it).
 */
export class InputAudioBuffer {
  #bytes = new ByteQueue();
  /** Total bytes ever appended (stream position). */
  #streamBytes = 0;

  constructor(readonly maxBytes: number) {}

  get byteLength(): number {
    return this.#bytes.length;
  }

  get streamBytes(): number {
    return this.#streamBytes;
  }

  /** Appends; returns false (and keeps nothing) when the buffer would exceed its limit. */
  append(chunk: Uint8Array): boolean {
    if (this.#bytes.length + chunk.byteLength > this.maxBytes) return false;
    this.#bytes.push(chunk);
    this.#streamBytes += chunk.byteLength;
    return true;
  }

  /** Stream position (bytes) of the first byte still in the buffer. */
  get startByte(): number {
    return this.#streamBytes - this.#bytes.length;
  }

  /**
   * Takes the bytes between two stream positions (clamped to what the buffer holds): bytes before `from` are
   * dropped, bytes after `to` stay for the next turn.
   */
  takeRange(from: number, to: number): Uint8Array {
    const all = this.#bytes.take();
    const start = Math.max(
      0,
      Math.min(all.byteLength, from - (this.#streamBytes - all.byteLength)),
    );
    const end = Math.max(
      start,
      Math.min(all.byteLength, to - (this.#streamBytes - all.byteLength)),
    );
    const rest = all.subarray(end);
    this.#bytes.push(rest);
    return all.slice(start, end);
  }

  take(): Uint8Array {
    return this.#bytes.take();
  }

  clear(): void {
    this.#bytes.clear();
  }
}
