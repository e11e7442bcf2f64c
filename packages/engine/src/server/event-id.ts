import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** 62 × 4: bytes at or above it are dropped so every character is equally likely. */
const UNBIASED_LIMIT = 248;
const POOL_SIZE = 4096;

let pool = randomBytes(POOL_SIZE);
let offset = 0;

function nextByte(): number {
  if (offset >= POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    offset = 0;
  }
  return pool[offset++] as number;
}

/** A random string of `length` characters from [A-Za-z0-9]. */
export function randomAlphanumeric(length: number): string {
  let out = '';
  while (out.length < length) {
    const byte = nextByte();
    if (byte < UNBIASED_LIMIT) out += ALPHABET[byte % 62];
  }
  return out;
}

/** A server event id as the live service makes them: `event_` and 21 alphanumerics. */
export function newEventId(): string {
  return `event_${randomAlphanumeric(21)}`;
}
