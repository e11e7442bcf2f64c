/**
 * Base64 (RFC 4648 §4, standard alphabet, with padding) for the JSON edge: audio stays bytes
 * everywhere else. In Node the native `Buffer` codec is used (found on `globalThis` once, at load,
 * without importing `node:buffer`); elsewhere a table-based codec. This file is the only place
 * that choice is made.
 */

/** Invalid base64 input. */
export class Base64Error extends Error {
  override readonly name = 'Base64Error';
  readonly code = 'invalid_base64';
  /** Index of the offending character, when there is one. */
  readonly position: number | undefined;

  constructor(message: string, position?: number) {
    super(message);
    this.position = position;
  }
}

/** The result of {@link tryBase64ToBytes}. */
export type Base64DecodeResult =
  { ok: true; bytes: Uint8Array } | { ok: false; error: Base64Error };

interface Codec {
  encode(bytes: Uint8Array): string;
  /** Decodes a string already known to be valid. */
  decode(text: string): Uint8Array;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const INVALID = 255;
const DECODE_TABLE = new Uint8Array(128).fill(INVALID);
const ENCODE_TABLE = new Uint8Array(64);
for (let i = 0; i < 64; i++) {
  DECODE_TABLE[ALPHABET.charCodeAt(i)] = i;
  ENCODE_TABLE[i] = ALPHABET.charCodeAt(i);
}
const PAD = 0x3d; // '='
const INVALID_CHARACTER = /[^A-Za-z0-9+/]/;

/** Finds what is wrong with `text`, or undefined when it is valid base64. */
function findError(text: string): Base64Error | undefined {
  if (text.length % 4 !== 0) {
    return new Base64Error(
      `Invalid base64: length ${text.length} is not a multiple of 4 (is the padding missing?).`,
    );
  }
  let end = text.length;
  if (end > 0 && text.charCodeAt(end - 1) === PAD) end--;
  if (end > 0 && text.charCodeAt(end - 1) === PAD) end--;
  const body = end === text.length ? text : text.slice(0, end);
  const match = INVALID_CHARACTER.exec(body);
  if (match) {
    const at = match.index;
    const code = text.charCodeAt(at);
    const shown =
      code >= 0x21 && code <= 0x7e ? `'${text[at]}'` : `U+${code.toString(16).padStart(4, '0')}`;
    const hint = code === PAD ? ' (padding may only end the string)' : '';
    return new Base64Error(
      `Invalid base64: unexpected character ${shown} at position ${at}${hint}.`,
      at,
    );
  }
  return undefined;
}

function decodedLength(text: string): number {
  let pad = 0;
  if (text.length > 0 && text.charCodeAt(text.length - 1) === PAD) pad++;
  if (text.length > 1 && text.charCodeAt(text.length - 2) === PAD) pad++;
  return (text.length / 4) * 3 - pad;
}

const asciiDecoder = new TextDecoder();

/** @internal The portable table-based codec; exported for tests. */
export const _tableBase64Codec: Codec = {
  encode(bytes) {
    const length = bytes.length;
    const out = new Uint8Array(Math.ceil(length / 3) * 4);
    let o = 0;
    let i = 0;
    for (; i + 2 < length; i += 3) {
      const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
      out[o++] = ENCODE_TABLE[n >> 18]!;
      out[o++] = ENCODE_TABLE[(n >> 12) & 63]!;
      out[o++] = ENCODE_TABLE[(n >> 6) & 63]!;
      out[o++] = ENCODE_TABLE[n & 63]!;
    }
    if (i < length) {
      const n = (bytes[i]! << 16) | (i + 1 < length ? bytes[i + 1]! << 8 : 0);
      out[o++] = ENCODE_TABLE[n >> 18]!;
      out[o++] = ENCODE_TABLE[(n >> 12) & 63]!;
      out[o++] = i + 1 < length ? ENCODE_TABLE[(n >> 6) & 63]! : PAD;
      out[o++] = PAD;
    }
    return asciiDecoder.decode(out);
  },
  decode(text) {
    const out = new Uint8Array(decodedLength(text));
    let o = 0;
    const full = out.length - (out.length % 3);
    let i = 0;
    for (; o < full; i += 4) {
      const n =
        (DECODE_TABLE[text.charCodeAt(i)]! << 18) |
        (DECODE_TABLE[text.charCodeAt(i + 1)]! << 12) |
        (DECODE_TABLE[text.charCodeAt(i + 2)]! << 6) |
        DECODE_TABLE[text.charCodeAt(i + 3)]!;
      out[o++] = n >> 16;
      out[o++] = (n >> 8) & 255;
      out[o++] = n & 255;
    }
    if (o < out.length) {
      const n =
        (DECODE_TABLE[text.charCodeAt(i)]! << 18) |
        (DECODE_TABLE[text.charCodeAt(i + 1)]! << 12) |
        (out.length - o > 1 ? DECODE_TABLE[text.charCodeAt(i + 2)]! << 6 : 0);
      out[o++] = n >> 16;
      if (o < out.length) out[o++] = (n >> 8) & 255;
    }
    return out;
  },
};

/** The subset of Node's Buffer this file uses. */
interface NodeBufferClass {
  from(
    data: ArrayBufferLike,
    byteOffset: number,
    length: number,
  ): { toString(encoding: 'base64'): string };
  from(data: string, encoding: 'base64'): Uint8Array;
}

function nodeCodec(NodeBuffer: NodeBufferClass): Codec {
  return {
    encode: (bytes) =>
      NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
    decode(text) {
      const buffer = NodeBuffer.from(text, 'base64');
      // A plain Uint8Array, not a Buffer (whose slice() shares memory). Small results live in
      // Node's shared pool, so the view may not start at byteOffset 0: copying into an
      // ArrayBuffer of its own would cost more than the decode.
      return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    },
  };
}

const detectedBuffer = (globalThis as unknown as { Buffer?: NodeBufferClass }).Buffer;

/** @internal The codec in use: Node's Buffer when present, else the table codec. */
export const _activeBase64Codec: Codec =
  typeof detectedBuffer?.from === 'function' ? nodeCodec(detectedBuffer) : _tableBase64Codec;

/** Encodes bytes as base64 (standard alphabet, padded). */
export function bytesToBase64(bytes: Uint8Array): string {
  return _activeBase64Codec.encode(bytes);
}

/**
 * Decodes base64 (standard alphabet, padding required, no whitespace). The result may be a view
 * into a larger ArrayBuffer (Node's pool): use its byteOffset and byteLength, not `.buffer` alone.
 * @throws Base64Error saying what is wrong and where. See {@link tryBase64ToBytes}.
 */
export function base64ToBytes(text: string): Uint8Array {
  const error = findError(text);
  if (error) throw error;
  return _activeBase64Codec.decode(text);
}

/** Like {@link base64ToBytes}, but returns the error instead of throwing it. */
export function tryBase64ToBytes(text: string): Base64DecodeResult {
  if (typeof text !== 'string') {
    return {
      ok: false,
      error: new Base64Error(`Invalid base64: expected a string, got ${typeof text}.`),
    };
  }
  const error = findError(text);
  return error ? { ok: false, error } : { ok: true, bytes: _activeBase64Codec.decode(text) };
}

/** Whether `text` is valid base64 as {@link base64ToBytes} accepts it. */
export function isBase64(text: string): boolean {
  return typeof text === 'string' && findError(text) === undefined;
}
