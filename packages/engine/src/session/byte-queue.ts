/**
 * An append-only list of byte chunks with a running length: appends are O(1), no re-copying per chunk.
 * Used for the input audio buffer and for the audio of assistant items.
 */
export class ByteQueue {
  #chunks: Uint8Array[] = [];
  #length = 0;

  get length(): number {
    return this.#length;
  }

  push(chunk: Uint8Array): void {
    if (chunk.byteLength === 0) return;
    this.#chunks.push(chunk);
    this.#length += chunk.byteLength;
  }

  clear(): void {
    this.#chunks = [];
    this.#length = 0;
  }

  /** All bytes as one array (one copy; the queue keeps its chunks). */
  concat(): Uint8Array {
    if (this.#chunks.length === 1) return this.#chunks[0]!;
    const out = new Uint8Array(this.#length);
    let offset = 0;
    for (const chunk of this.#chunks) {
      out.set(chunk, offset);
      offset += chunk.byteLength;
    }
    this.#chunks = this.#length > 0 ? [out] : [];
    return out;
  }

  /** Takes everything out, leaving the queue empty. */
  take(): Uint8Array {
    const all = this.concat();
    this.clear();
    return all;
  }
}
