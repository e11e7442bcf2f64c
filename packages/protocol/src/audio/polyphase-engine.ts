/**
 * The streaming core of the resampler: a rational L/M polyphase FIR over a growing history
 * buffer. Output k is the filtered signal at upsampled time k·M + D (D = the prototype's group
 * delay), so the output is time-aligned with the input and the first D/M outputs wait for input.
 */
import type { PolyphaseFilter } from './polyphase-filter.js';

/** Input is taken in blocks of at most this many samples (bounds buffer and scratch memory). */
const BLOCK = 16384;

/** The streaming polyphase engine shared by the Int16 and Float32 front ends. */
export class PolyphaseEngine {
  readonly #filter: PolyphaseFilter;
  readonly #up: number;
  readonly #down: number;
  readonly #taps: number;
  readonly #direct: boolean;
  #buffer: Float32Array;
  #length = 0;
  /** Upsampled-time index of the next output, relative to buffer[0]. */
  #time = 0;
  #totalIn = 0;
  #totalOut = 0;
  /** Per-output partial sums for #run(). */
  #sums = new Float64Array(1024);

  constructor(filter: PolyphaseFilter) {
    this.#filter = filter;
    this.#up = filter.up;
    this.#down = filter.down;
    this.#taps = filter.tapsPerPhase;
    // Residue groups pay off only when they are long enough to amortise the per-group overhead.
    this.#direct = filter.tapsPerPhase < filter.down * 8;
    this.#buffer = new Float32Array(Math.max(4096, this.#taps * 4));
    this.reset();
  }

  reset(): void {
    // K − 1 zeros of history stand for the signal before the stream started.
    this.#buffer.fill(0, 0, this.#taps - 1);
    this.#length = this.#taps - 1;
    this.#time = this.#filter.delay + this.#up * (this.#taps - 1);
    this.#totalIn = 0;
    this.#totalOut = 0;
  }

  /** How many outputs {@link process} will return for `inputLength` more input samples. */
  readyAfter(inputLength: number): number {
    const available = Math.ceil(
      ((this.#length + inputLength) * this.#up - this.#time) / this.#down,
    );
    return Math.max(0, available);
  }

  /**
   * Appends input and writes every output now computable into `out` (exactly
   * `readyAfter(input.length)` long). Long inputs go through in blocks to bound the memory used.
   */
  process(input: Int16Array | Float32Array, out: Int16Array | Float32Array, round: boolean): void {
    let written = 0;
    for (let i = 0; i < input.length || i === 0; i += BLOCK) {
      const block = input.subarray(i, i + BLOCK);
      this.#append(block.length);
      this.#buffer.set(block, this.#length - block.length);
      this.#totalIn += block.length;
      const count = this.#ready(Infinity);
      this.#run(out.subarray(written, written + count), count, round);
      written += count;
    }
  }

  /** How many outputs {@link finish} will return. */
  tailLength(): number {
    const target = Math.ceil((this.#totalIn * this.#up) / this.#down);
    return Math.max(0, target - this.#totalOut);
  }

  /** Pads with zeros to compute the held-back tail into `out` (`tailLength()` long), then resets. */
  finish(out: Int16Array | Float32Array, round: boolean): void {
    const remaining = this.tailLength();
    if (remaining > 0) {
      const lastIndex = Math.floor((this.#time + (remaining - 1) * this.#down) / this.#up);
      const missing = lastIndex + 1 - this.#length;
      if (missing > 0) {
        this.#append(missing);
        this.#buffer.fill(0, this.#length - missing, this.#length);
      }
      this.#run(out, this.#ready(remaining), round);
    }
    this.reset();
  }

  #ready(limit: number): number {
    const available = Math.ceil((this.#length * this.#up - this.#time) / this.#down);
    return Math.max(0, Math.min(limit, available));
  }

  #append(count: number): void {
    const needed = this.#length + count;
    if (needed > this.#buffer.length) {
      const grown = new Float32Array(Math.max(needed, this.#buffer.length * 2));
      grown.set(this.#buffer.subarray(0, this.#length));
      this.#buffer = grown;
    }
    this.#length = needed;
  }

  /** Computes the next `count` outputs into `out`, then drops input no longer needed. */
  #run(out: Int16Array | Float32Array, count: number, round: boolean): void {
    if (this.#sums.length < count)
      this.#sums = new Float64Array(Math.max(count, this.#sums.length * 2));
    const sums = this.#sums;
    sums.fill(0, 0, count);
    const up = this.#up;
    const down = this.#down;
    const taps = this.#taps;
    const { groupOffsets, groupLengths } = this.#filter;
    // Outputs v, v + L, v + 2L, … share a phase and start M inputs apart.
    for (let v = 0; v < up && v < count; v++) {
      const time = this.#time + v * down;
      const index = Math.floor(time / up);
      const phase = time - index * up;
      const first = index - taps + 1;
      const n = Math.floor((count - 1 - v) / up) + 1;
      if (this.#direct) {
        this.#accumulateDirect(phase * taps, first, v, n);
        continue;
      }
      if (up === 1) {
        this.#accumulateSymmetric(first, n);
        continue;
      }
      for (let r = 0; r < down; r++) {
        const length = groupLengths[r]!;
        if (length > 0) {
          this.#accumulate(groupOffsets[phase * down + r]!, length, first + r, v, n);
        }
      }
    }
    if (round) {
      for (let o = 0; o < count; o++) {
        const v = Math.round(sums[o]!);
        out[o] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
      }
    } else {
      for (let o = 0; o < count; o++) out[o] = sums[o]!;
    }
    this.#totalOut += count;
    let time = this.#time + count * down;
    // Keep only the K − 1 samples of history the next output needs.
    const drop = Math.min(this.#length, Math.floor(time / up) - (taps - 1));
    if (drop > 0) {
      this.#buffer.copyWithin(0, drop, this.#length);
      this.#length -= drop;
      time -= drop * up;
    }
    this.#time = time;
  }

  /** Plain dot products, one output at a time (for ratios with M large next to K). */
  #accumulateDirect(offset: number, first: number, v: number, n: number): void {
    const buffer = this.#buffer;
    const phases = this.#filter.phases;
    const sums = this.#sums;
    const up = this.#up;
    const stride = this.#down;
    const taps = this.#taps;
    for (let u = 0; u < n; u++) {
      const start = first + u * stride;
      let a0 = 0;
      let a1 = 0;
      let j = 0;
      for (; j + 1 < taps; j += 2) {
        a0 += phases[offset + j]! * buffer[start + j]!;
        a1 += phases[offset + j + 1]! * buffer[start + j + 1]!;
      }
      if (j < taps) a0 += phases[offset + j]! * buffer[start + j]!;
      sums[v + u * up] = a0 + a1;
    }
  }

  /**
   * Decimation (L = 1) has a single, symmetric phase: c[j] = c[K − 1 − j]. Group r mirrors group
   * r' = (K − 1 − r) mod M, so each tap pair is summed first and multiplied once.
   */
  #accumulateSymmetric(first: number, n: number): void {
    const { groupOffsets, groupLengths } = this.#filter;
    const down = this.#down;
    const last = this.#taps - 1;
    for (let r = 0; r < down; r++) {
      const mirror = (last - r) % down;
      const length = groupLengths[r]!;
      const offset = groupOffsets[r]!;
      if (mirror > r) {
        this.#accumulateFolded(offset, length, first + r, first + last - r, n);
      } else if (mirror === r) {
        const half = length >> 1;
        if (half > 0) this.#accumulateFolded(offset, half, first + r, first + last - r, n);
        if (length % 2 === 1) this.#accumulate(offset + half, 1, first + r + half * down, 0, n);
      }
    }
  }

  /**
   * Adds Σ_q c[q] · (x[forward + q·M] + x[backward − q·M]) to sums[0 … n − 1], output u reading
   * from forward + u·M and backward + u·M. Same four-at-a-time load sharing as #accumulate, with
   * the backward window rotating the other way.
   */
  #accumulateFolded(
    offset: number,
    pairs: number,
    forward: number,
    backward: number,
    n: number,
  ): void {
    const buffer = this.#buffer;
    const groups = this.#filter.groups;
    const sums = this.#sums;
    const stride = this.#down;
    const end = offset + pairs;
    let u = 0;
    for (; u + 3 < n; u += 4) {
      let a0 = sums[u]!;
      let a1 = sums[u + 1]!;
      let a2 = sums[u + 2]!;
      let a3 = sums[u + 3]!;
      let f = forward + u * stride;
      let x0 = buffer[f]!;
      let x1 = buffer[f + stride]!;
      let x2 = buffer[f + 2 * stride]!;
      f += 3 * stride;
      let b = backward + u * stride;
      let y1 = buffer[b + stride]!;
      let y2 = buffer[b + 2 * stride]!;
      let y3 = buffer[b + 3 * stride]!;
      for (let g = offset; g < end; g++) {
        const x3 = buffer[f]!;
        const y0 = buffer[b]!;
        f += stride;
        b -= stride;
        const c = groups[g]!;
        a0 += c * (x0 + y0);
        a1 += c * (x1 + y1);
        a2 += c * (x2 + y2);
        a3 += c * (x3 + y3);
        x0 = x1;
        x1 = x2;
        x2 = x3;
        y3 = y2;
        y2 = y1;
        y1 = y0;
      }
      sums[u] = a0;
      sums[u + 1] = a1;
      sums[u + 2] = a2;
      sums[u + 3] = a3;
    }
    for (; u < n; u++) {
      let a = sums[u]!;
      let f = forward + u * stride;
      let b = backward + u * stride;
      for (let g = offset; g < end; g++) {
        a += groups[g]! * (buffer[f]! + buffer[b]!);
        f += stride;
        b -= stride;
      }
      sums[u] = a;
    }
  }

  /**
   * Adds one coefficient group to `n` outputs sums[v], sums[v + L], … whose inputs start at
   * buffer[start], buffer[start + M], …. Four outputs at a time share every load (the inputs of
   * neighbouring outputs are the same samples shifted by one stride); each sum is still
   * accumulated in the same order whatever the chunking, so streaming is bit-exact.
   */
  #accumulate(offset: number, length: number, start: number, v: number, n: number): void {
    const buffer = this.#buffer;
    const groups = this.#filter.groups;
    const sums = this.#sums;
    const up = this.#up;
    const stride = this.#down;
    const end = offset + length;
    let u = 0;
    for (; u + 3 < n; u += 4) {
      const o = v + u * up;
      let a0 = sums[o]!;
      let a1 = sums[o + up]!;
      let a2 = sums[o + 2 * up]!;
      let a3 = sums[o + 3 * up]!;
      let p = start + u * stride;
      let x0 = buffer[p]!;
      let x1 = buffer[p + stride]!;
      let x2 = buffer[p + 2 * stride]!;
      p += 3 * stride;
      for (let g = offset; g < end; g++) {
        const x3 = buffer[p]!;
        p += stride;
        const c = groups[g]!;
        a0 += c * x0;
        a1 += c * x1;
        a2 += c * x2;
        a3 += c * x3;
        x0 = x1;
        x1 = x2;
        x2 = x3;
      }
      sums[o] = a0;
      sums[o + up] = a1;
      sums[o + 2 * up] = a2;
      sums[o + 3 * up] = a3;
    }
    for (; u < n; u++) {
      const o = v + u * up;
      let a = sums[o]!;
      let p = start + u * stride;
      for (let g = offset; g < end; g++) {
        a += groups[g]! * buffer[p]!;
        p += stride;
      }
      sums[o] = a;
    }
  }
}
