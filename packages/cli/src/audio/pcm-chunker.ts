/**
 * Re-chunks a byte stream into fixed-size frames without copying the whole backlog on every push
 * (a list of pending chunks plus an offset).
 */
export class PcmChunker {
  readonly #frameBytes: number;
  readonly #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  #offset = 0;

  constructor(frameBytes: number) {
    if (!Number.isInteger(frameBytes) || frameBytes <= 0) {
      throw new RangeError(`frameBytes must be a positive integer, got ${frameBytes}`);
    }
    this.#frameBytes = frameBytes;
  }

  /** Adds bytes and returns every complete frame now available. */
  push(bytes: Uint8Array): Uint8Array[] {
    if (bytes.length > 0) {
      this.#pending.push(bytes);
      this.#pendingBytes += bytes.length;
    }
    const frames: Uint8Array[] = [];
    while (this.#pendingBytes - this.#offset >= this.#frameBytes) {
      frames.push(this.#take(this.#frameBytes));
    }
    return frames;
  }

  /** Returns what is left (shorter than a frame, possibly empty) and empties the chunker. */
  flush(): Uint8Array {
    const rest = this.#take(this.#pendingBytes - this.#offset);
    this.#pending.length = 0;
    this.#pendingBytes = 0;
    this.#offset = 0;
    return rest;
  }

  #take(count: number): Uint8Array {
    const out = new Uint8Array(count);
    let filled = 0;
    while (filled < count) {
      const head = this.#pending[0]!;
      const n = Math.min(count - filled, head.length - this.#offset);
      out.set(head.subarray(this.#offset, this.#offset + n), filled);
      filled += n;
      this.#offset += n;
      if (this.#offset === head.length) {
        this.#pending.shift();
        this.#pendingBytes -= head.length;
        this.#offset = 0;
      }
    }
    return out;
  }
}
