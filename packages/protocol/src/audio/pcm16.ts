/**
 * 16-bit PCM conversions: Int16 ⇄ Float32 and little-endian bytes ⇄ Int16.
 */

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Converts 16-bit PCM to floats in [-1, 1): each sample is divided by 32768, so the
 * conversion is exact and {@link float32ToPcm16} inverts it.
 */
export function pcm16ToFloat32(samples: Int16Array): Float32Array {
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = samples[i]! / 32768;
  return out;
}

/**
 * Converts floats to 16-bit PCM: scales by 32768, rounds to the nearest integer and clips to
 * [-32768, 32767]. NaN becomes 0.
 */
export function float32ToPcm16(samples: Float32Array | Float64Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const v = Math.round(samples[i]! * 32768);
    // `v > 32767` and `v < -32768` are false for NaN, and Int16Array stores NaN as 0.
    out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
  return out;
}

/**
 * Reads little-endian 16-bit PCM from bytes. The input may start at any byte offset (it need not
 * be 2-byte aligned). A trailing odd byte cannot form a sample and is ignored. Always returns a
 * new array that does not share memory with the input.
 */
export function bytesToPcm16(bytes: Uint8Array): Int16Array {
  const count = bytes.length >> 1;
  if (LITTLE_ENDIAN_HOST) {
    // slice() copies into a fresh, aligned ArrayBuffer.
    return new Int16Array(bytes.slice(0, count * 2).buffer);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, count * 2);
  const out = new Int16Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getInt16(i * 2, true);
  return out;
}

/**
 * The parts joined into one new array. Always a fresh buffer sharing memory with none of the parts, so the result
 * may be transferred to another thread.
 */
export function concatPcm16(parts: readonly Int16Array[]): Int16Array<ArrayBuffer> {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Int16Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Writes 16-bit PCM as little-endian bytes (2 per sample) into a new array. */
export function pcm16ToBytes(samples: Int16Array): Uint8Array {
  if (LITTLE_ENDIAN_HOST) {
    return new Uint8Array(
      samples.buffer.slice(samples.byteOffset, samples.byteOffset + samples.byteLength),
    );
  }
  const out = new Uint8Array(samples.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < samples.length; i++) view.setInt16(i * 2, samples[i]!, true);
  return out;
}

/**
 * Averages interleaved channels into one (rounding to the nearest integer). Mono input is
 * returned as is; a trailing partial frame is dropped.
 * @throws RangeError when `channels` is not a positive integer.
 */
export function downmixToMono(samples: Int16Array, channels: number): Int16Array {
  if (!Number.isInteger(channels) || channels <= 0) {
    throw new RangeError(`channels must be a positive integer, got ${channels}`);
  }
  if (channels === 1) return samples;
  const frames = Math.floor(samples.length / channels);
  const out = new Int16Array(frames);
  for (let f = 0, p = 0; f < frames; f++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += samples[p++]!;
    out[f] = Math.round(sum / channels);
  }
  return out;
}
