import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Clock } from '../session/clock.js';

/** Prefix of ephemeral client secrets, as live. */
export const EPHEMERAL_TOKEN_PREFIX = 'ek_';

/** Bytes of a token secret (HMAC-SHA256 key). */
export const TOKEN_SECRET_BYTES = 32;

/** Longest token minted, characters: it travels in an `Authorization` header or a subprotocol. */
export const MAX_TOKEN_CHARS = 12 * 1024;

/** Largest session config a token may unpack to, bytes (a guard against inflate bombs). */
const MAX_SESSION_JSON_BYTES = 1024 * 1024;

const VERSION = 1;
const MAC_BYTES = 32;
const NONCE_BYTES = 12;
/** version (1) + kind (1) + expiry ms (8) + nonce. */
const HEADER_BYTES = 2 + 8 + NONCE_BYTES;
const KINDS = ['realtime', 'transcription'] as const;

/** What a minted token carries. */
export interface EphemeralTokenRecord {
  /** A short hash of the value, safe to log. */
  readonly tokenId: string;
  /** Milliseconds since the epoch. */
  readonly expiresAtMs: number;
  readonly kind: 'realtime' | 'transcription';
  /** The validated session config (GA shape) applied to every session the token opens. */
  readonly session: Record<string, unknown>;
}

export interface MintedToken {
  /** `ek_…`: give it to the client once. */
  value: string;
  /** Unix seconds. */
  expiresAt: number;
  record: EphemeralTokenRecord;
}

export type TokenLookup =
  { ok: true; record: EphemeralTokenRecord } | { ok: false; reason: 'unknown' | 'expired' };

export interface MintOptions {
  ttlSeconds: number;
  kind: 'realtime' | 'transcription';
  session: Record<string, unknown>;
}

/** SHA-256 of a secret, hex. Keys are only ever held and compared in this form. */
export function secretDigest(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** A loggable id for a secret: the first 12 hex digits of its SHA-256. */
export function secretId(secret: string): string {
  return secretDigest(secret).slice(0, 12);
}

/** Thrown by {@link EphemeralTokenStore.mint} when the session config doesn't fit in a token. */
export class TokenTooLargeError extends Error {
  readonly code = 'invalid_value';
  readonly param = 'session';
  constructor(chars: number) {
    super(
      `The session config is too large for a client secret: the token would be ${chars} characters ` +
        `(the limit is ${MAX_TOKEN_CHARS}). Shorten the instructions or tools, or send them with session.update.`,
    );
    this.name = 'TokenTooLargeError';
  }
}

/** A fresh random token secret. */
export function newTokenSecret(): Buffer {
  return randomBytes(TOKEN_SECRET_BYTES);
}

/**
 * Ephemeral client secrets minted by `POST /v1/realtime/client_secrets`, stateless: a token is its expiry, kind and
 * session config (deflated), signed with HMAC-SHA256 under the engine's secret, in hex after `ek_`. Any process
 * holding the secret (every worker of a cluster) verifies it with no shared store. A token opens any number of
 * sessions until it expires; expiry is checked against the injected clock at each use, after the signature, so a
 * forged or altered token is `unknown` whatever its expiry says.
 */
export class EphemeralTokenStore {
  #clock: Clock;
  #secret: Buffer;

  /** `secret`: at least 16 bytes (a cluster passes the primary's to every worker); default a random one. */
  constructor(options: { clock: Clock; secret?: Buffer }) {
    this.#clock = options.clock;
    const secret = options.secret ?? newTokenSecret();
    if (secret.length < 16) throw new Error('The token secret must be at least 16 bytes.');
    this.#secret = Buffer.from(secret);
  }

  /** Mints a token. Throws {@link TokenTooLargeError} when the session config makes it too long. */
  mint(options: MintOptions): MintedToken {
    const expiresAtMs = this.#clock.now() + options.ttlSeconds * 1000;
    const header = Buffer.alloc(HEADER_BYTES);
    header.writeUInt8(VERSION, 0);
    header.writeUInt8(KINDS.indexOf(options.kind), 1);
    header.writeDoubleBE(expiresAtMs, 2);
    randomBytes(NONCE_BYTES).copy(header, 10);
    const body = Buffer.concat([header, deflateRawSync(JSON.stringify(options.session))]);
    const value = `${EPHEMERAL_TOKEN_PREFIX}${Buffer.concat([body, this.#mac(body)]).toString('hex')}`;
    if (value.length > MAX_TOKEN_CHARS) throw new TokenTooLargeError(value.length);
    const record: EphemeralTokenRecord = {
      tokenId: secretId(value),
      expiresAtMs,
      kind: options.kind,
      session: options.session,
    };
    return { value, expiresAt: Math.floor(expiresAtMs / 1000), record };
  }

  /** Verifies a presented token: its signature, then its expiry. Never throws. */
  lookup(value: string): TokenLookup {
    const unknown: TokenLookup = { ok: false, reason: 'unknown' };
    const hex = value.slice(EPHEMERAL_TOKEN_PREFIX.length);
    if (
      !value.startsWith(EPHEMERAL_TOKEN_PREFIX) ||
      value.length > MAX_TOKEN_CHARS ||
      hex.length % 2 !== 0 ||
      hex.length < (HEADER_BYTES + MAC_BYTES + 1) * 2 ||
      !/^[0-9a-f]+$/.test(hex)
    ) {
      return unknown;
    }
    const bytes = Buffer.from(hex, 'hex');
    const body = bytes.subarray(0, bytes.length - MAC_BYTES);
    if (!timingSafeEqual(bytes.subarray(bytes.length - MAC_BYTES), this.#mac(body))) return unknown;
    const kind = KINDS[body.readUInt8(1)];
    const expiresAtMs = body.readDoubleBE(2);
    if (body.readUInt8(0) !== VERSION || kind === undefined || !Number.isFinite(expiresAtMs)) {
      return unknown;
    }
    if (this.#clock.now() >= expiresAtMs) return { ok: false, reason: 'expired' };
    let session: unknown;
    try {
      const json = inflateRawSync(body.subarray(HEADER_BYTES), {
        maxOutputLength: MAX_SESSION_JSON_BYTES,
      });
      session = JSON.parse(json.toString('utf8'));
    } catch {
      return unknown;
    }
    if (session === null || typeof session !== 'object' || Array.isArray(session)) return unknown;
    return {
      ok: true,
      record: {
        tokenId: secretId(value),
        expiresAtMs,
        kind,
        session: session as Record<string, unknown>,
      },
    };
  }

  #mac(body: Buffer): Buffer {
    return createHmac('sha256', this.#secret)
      .update('local-realtime ek v1\0')
      .update(body)
      .digest();
  }
}
