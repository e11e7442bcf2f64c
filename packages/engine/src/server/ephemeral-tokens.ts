import { createHash } from 'node:crypto';
import type { Clock, TimerHandle } from '../session/clock.js';
import { randomAlphanumeric } from '@realtime-assistant/protocol';

/** Prefix of ephemeral client secrets, as live. */
export const EPHEMERAL_TOKEN_PREFIX = 'ek_';

/** What a minted token carries. The token value itself is never stored, only its SHA-256. */
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
  /** `ek_…`: give it to the client once; it is not kept. */
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

/** SHA-256 of a secret, hex. Keys and tokens are only ever held and compared in this form. */
export function secretDigest(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** A loggable id for a secret: the first 12 hex digits of its SHA-256. */
export function secretId(secret: string): string {
  return secretDigest(secret).slice(0, 12);
}

/** Thrown by {@link EphemeralTokenStore.mint} when the store is full of unexpired tokens. */
export class TokenStoreFullError extends Error {
  readonly code = 'token_store_full';
  constructor(max: number) {
    super(`Too many unexpired client secrets (${max}); try again when some expire.`);
    this.name = 'TokenStoreFullError';
  }
}

/**
 * Ephemeral client secrets minted by `POST /v1/realtime/client_secrets`. A token opens any number of sessions
 * until it expires; expiry is checked against the injected clock at each use, and expired records are purged
 * periodically (or on demand) so the store stays bounded.
 */
export class EphemeralTokenStore {
  #byDigest = new Map<string, EphemeralTokenRecord>();
  #clock: Clock;
  #maxTokens: number;
  #purgeTimer: TimerHandle | null = null;

  constructor(options: { clock: Clock; maxTokens: number }) {
    this.#clock = options.clock;
    this.#maxTokens = options.maxTokens;
  }

  /** Number of stored records, expired ones not yet purged included. */
  get size(): number {
    return this.#byDigest.size;
  }

  /** Mints a token. Throws {@link TokenStoreFullError} when `maxTokens` unexpired tokens exist. */
  mint(options: MintOptions): MintedToken {
    if (this.#byDigest.size >= this.#maxTokens) {
      this.purgeExpired();
      if (this.#byDigest.size >= this.#maxTokens) throw new TokenStoreFullError(this.#maxTokens);
    }
    const value = `${EPHEMERAL_TOKEN_PREFIX}${randomAlphanumeric(40)}`;
    const digest = secretDigest(value);
    const expiresAtMs = this.#clock.now() + options.ttlSeconds * 1000;
    const record: EphemeralTokenRecord = {
      tokenId: digest.slice(0, 12),
      expiresAtMs,
      kind: options.kind,
      session: options.session,
    };
    this.#byDigest.set(digest, record);
    return { value, expiresAt: Math.floor(expiresAtMs / 1000), record };
  }

  /** Finds the record of a presented token; an expired one is reported as such (and not usable). */
  lookup(value: string): TokenLookup {
    const record = this.#byDigest.get(secretDigest(value));
    if (!record) return { ok: false, reason: 'unknown' };
    if (this.#clock.now() >= record.expiresAtMs) return { ok: false, reason: 'expired' };
    return { ok: true, record };
  }

  /** Drops expired records; returns how many. */
  purgeExpired(): number {
    const now = this.#clock.now();
    let purged = 0;
    for (const [digest, record] of this.#byDigest) {
      if (now >= record.expiresAtMs) {
        this.#byDigest.delete(digest);
        purged += 1;
      }
    }
    return purged;
  }

  /** Purges every `intervalMs` on the injected clock until {@link stopPurging}. */
  startPurging(intervalMs: number): void {
    this.stopPurging();
    const tick = (): void => {
      this.purgeExpired();
      this.#purgeTimer = this.#clock.setTimeout(tick, intervalMs);
      unrefTimer(this.#purgeTimer);
    };
    this.#purgeTimer = this.#clock.setTimeout(tick, intervalMs);
    unrefTimer(this.#purgeTimer);
  }

  stopPurging(): void {
    if (this.#purgeTimer !== null) this.#clock.clearTimeout(this.#purgeTimer);
    this.#purgeTimer = null;
  }
}

/** Real timers must not keep the process alive just to purge tokens. */
function unrefTimer(handle: TimerHandle): void {
  const maybe = handle as { unref?: () => void };
  if (typeof maybe.unref === 'function') maybe.unref();
}
