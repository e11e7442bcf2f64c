/**
 * A reply's audio pieces as they are produced: a buffered async iterator that one producer pushes into and one
 * reader pulls from, and that the reader can stop at any time (even while it waits for the next piece).
 */
import type { SpokenPiece } from './audio-renderer.js';

/** See the file comment. */
export class PieceStream implements AsyncIterator<SpokenPiece, void> {
  readonly #queue: SpokenPiece[] = [];
  readonly #onStop: () => void;
  #ended = false;
  #stopped = false;
  #failure: { error: unknown } | null = null;
  #wake: (() => void) | null = null;

  /** `onStop` runs once when the reader stops early with `return()`. */
  constructor(onStop: () => void = () => undefined) {
    this.#onStop = onStop;
  }

  /** True once the reader stopped reading. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** Adds the next piece (ignored after the stream ended or its reader stopped). */
  push(piece: SpokenPiece): void {
    if (this.#ended || this.#stopped) return;
    this.#queue.push(piece);
    this.#notify();
  }

  /** No more pieces: the reader gets the queued ones, then the end. */
  end(): void {
    this.#ended = true;
    this.#notify();
  }

  /** The producer failed: the reader gets the queued pieces, then `error`. */
  fail(error: unknown): void {
    if (this.#ended) return;
    this.#failure = { error };
    this.#ended = true;
    this.#notify();
  }

  async next(): Promise<IteratorResult<SpokenPiece, void>> {
    for (;;) {
      if (this.#stopped) return { done: true, value: undefined };
      const piece = this.#queue.shift();
      if (piece) return { done: false, value: piece };
      if (this.#failure) {
        const { error } = this.#failure;
        this.#failure = null;
        throw error;
      }
      if (this.#ended) return { done: true, value: undefined };
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  return(): Promise<IteratorResult<SpokenPiece, void>> {
    if (!this.#stopped) {
      this.#stopped = true;
      this.#queue.length = 0;
      this.#notify();
      this.#onStop();
    }
    return Promise.resolve({ done: true, value: undefined });
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }
}

/**
 * Maps the sanitised sentence texts Flite speaks back onto slices of the original reply text, by counting the
 * characters that are not white space, so the slices joined give the original exactly (spacing, control characters
 * and all). A slice takes the white space that follows it.
 */
export class TextSlicer {
  readonly #text: string;
  #offset = 0;

  constructor(text: string) {
    this.#text = text;
  }

  /** The next slice of the original that holds as many visible characters as `spoken`. */
  take(spoken: string): string {
    let wanted = spoken.replace(/\s+/g, '').length;
    const text = this.#text;
    let end = this.#offset;
    while (end < text.length && wanted > 0) {
      if (!/\s/.test(text[end]!)) wanted--;
      end++;
    }
    while (end < text.length && /\s/.test(text[end]!)) end++;
    const slice = text.slice(this.#offset, end);
    this.#offset = end;
    return slice;
  }

  /** What is left of the original (text Flite did not speak, e.g. beyond its length cap). */
  rest(): string {
    const slice = this.#text.slice(this.#offset);
    this.#offset = this.#text.length;
    return slice;
  }
}
