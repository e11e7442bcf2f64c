/**
 * Id generators with the live API's prefixes (`event_`, `item_`, `resp_`, …) and random
 * alphanumeric tails. Random bytes come from `crypto.getRandomValues` in batches, because the
 * engine makes ids at audio-frame rates.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Bytes at or above this are rejected so that `byte % 62` stays uniform (248 = 4 × 62). */
const UNBIASED_LIMIT = 248;
const POOL_SIZE = 4096;

const pool = new Uint8Array(POOL_SIZE);
let poolOffset = POOL_SIZE;

function nextByte(): number {
  if (poolOffset === POOL_SIZE) {
    globalThis.crypto.getRandomValues(pool);
    poolOffset = 0;
  }
  return pool[poolOffset++] as number;
}

/** `length` random characters from `[A-Za-z0-9]`. */
export function randomAlphanumeric(length: number): string {
  let out = '';
  while (out.length < length) {
    const byte = nextByte();
    if (byte < UNBIASED_LIMIT) out += ALPHABET.charAt(byte % 62);
  }
  return out;
}

/** The id prefixes the live API uses. */
export const ID_PREFIXES = {
  event: 'event_',
  item: 'item_',
  response: 'resp_',
  session: 'sess_',
  conversation: 'conv_',
  call: 'call_',
  ephemeralKey: 'ek_',
  rtcCall: 'rtc_',
} as const;

/** A server event id, e.g. `event_C9G8pjSJCfRNEhMEnYAVy` (21 characters after the prefix). */
export function eventId(): string {
  return ID_PREFIXES.event + randomAlphanumeric(21);
}

/** A conversation item id, e.g. `item_C9G8pGVKYnaZu8PH5YQ9O`. */
export function itemId(): string {
  return ID_PREFIXES.item + randomAlphanumeric(21);
}

/** A response id, e.g. `resp_C9G8p7IH2WxLbkgPNouYL`. */
export function responseId(): string {
  return ID_PREFIXES.response + randomAlphanumeric(21);
}

/** A session id, e.g. `sess_C9G5QPteg4UIbotdKLoYQ`. */
export function sessionId(): string {
  return ID_PREFIXES.session + randomAlphanumeric(21);
}

/** A conversation id, e.g. `conv_C9G8mmBkLhQJwCon3hoJN`. */
export function conversationId(): string {
  return ID_PREFIXES.conversation + randomAlphanumeric(21);
}

/** A function call id, e.g. `call_XXNp8YGaFrjrSjgqxtC8JJ1B` (24 characters after the prefix). */
export function callId(): string {
  return ID_PREFIXES.call + randomAlphanumeric(24);
}

/** An ephemeral client secret, e.g. `ek_68af296e8e408191a1120ab6383263c2` (32 characters). */
export function ephemeralKey(): string {
  return ID_PREFIXES.ephemeralKey + randomAlphanumeric(32);
}

/** A WebRTC/SIP call id, e.g. `rtc_479a275623b54bdb9b6fbae2f7cbd408` (32 characters). */
export function rtcCallId(): string {
  return ID_PREFIXES.rtcCall + randomAlphanumeric(32);
}
