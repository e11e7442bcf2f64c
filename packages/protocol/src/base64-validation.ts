/**
 * Checks that a string is well-formed standard base64 without decoding it: charset, length and
 * padding. Used on the hot `input_audio_buffer.append` path, so it allocates nothing.
 */

/** 1 for the 64 base64 alphabet characters, 0 otherwise. */
const ALPHABET = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') {
  ALPHABET[c.charCodeAt(0)] = 1;
}
const EQUALS = 61;

/** The largest base64 text for the live 15 MiB `input_audio_buffer.append` limit. */
export const MAX_APPEND_BASE64_LENGTH = Math.ceil((15 * 1024 * 1024) / 3) * 4;

/**
 * True when `s` is padded standard base64 (RFC 4648 §4): a multiple of 4 characters from
 * `A–Z a–z 0–9 + /`, with at most two `=` at the end. The empty string is valid (zero bytes).
 */
export function isWellFormedBase64(s: string): boolean {
  const n = s.length;
  if (n % 4 !== 0) return false;
  let end = n;
  if (n > 0 && s.charCodeAt(n - 1) === EQUALS) {
    end = s.charCodeAt(n - 2) === EQUALS ? n - 2 : n - 1;
  }
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c > 127 || ALPHABET[c] === 0) return false;
  }
  return true;
}

const encoder = new TextEncoder();
/** Scratch for {@link isWellFormedBase64Range}: checking bytes is about twice as fast as `charCodeAt`. */
const scratch = new Uint8Array(64 * 1024);

/**
 * {@link isWellFormedBase64} for `s.slice(start, end)`, without slicing: used by the append fast path on the
 * frame's own text. Up to 64 KiB it checks an ASCII copy in a reused buffer (no allocation but the transient
 * slice that `encodeInto` reads).
 */
export function isWellFormedBase64Range(s: string, start: number, end: number): boolean {
  const n = end - start;
  if (n < 0 || n % 4 !== 0) return false;
  let stop = end;
  if (n > 0 && s.charCodeAt(end - 1) === EQUALS) {
    stop = s.charCodeAt(end - 2) === EQUALS ? end - 2 : end - 1;
  }
  const length = stop - start;
  if (length > scratch.length) return isWellFormedBase64(s.slice(start, end));
  const { read, written } = encoder.encodeInto(s.slice(start, stop), scratch);
  // Anything outside ASCII takes more than one byte, so the counts differ.
  if (read !== length || written !== length) return false;
  for (let i = 0; i < length; i++) {
    if (ALPHABET[scratch[i]!] !== 1) return false;
  }
  return true;
}
