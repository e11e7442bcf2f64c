import { describe, expect, it } from 'vitest';
import { EphemeralTokenStore, MAX_TOKEN_CHARS } from '../src/server/ephemeral-tokens.js';
import { ManualClock } from './helpers/manual-clock.js';

const SECRET = Buffer.alloc(32, 7);
const SESSION = { type: 'realtime', model: 'gpt-realtime', instructions: 'Be brief.' };

function store(clock = new ManualClock(), secret = SECRET): EphemeralTokenStore {
  return new EphemeralTokenStore({ clock, secret });
}

/** The token with the hex digit at `index` (after `ek_`) changed. */
function flipDigit(value: string, index: number): string {
  const at = 3 + index;
  const digit = value[at] === '0' ? '1' : '0';
  return value.slice(0, at) + digit + value.slice(at + 1);
}

describe('ephemeral token codec', () => {
  it('mints an ek_ token that carries its kind, expiry and session config', () => {
    const clock = new ManualClock();
    const tokens = store(clock);
    const minted = tokens.mint({ ttlSeconds: 60, kind: 'transcription', session: SESSION });
    expect(minted.value).toMatch(/^ek_[0-9a-f]+$/);
    expect(minted.expiresAt).toBe(Math.floor((clock.now() + 60_000) / 1000));
    const found = tokens.lookup(minted.value);
    expect(found).toEqual({ ok: true, record: minted.record });
    expect(minted.record).toMatchObject({ kind: 'transcription', session: SESSION });
    expect(minted.record.tokenId).toMatch(/^[0-9a-f]{12}$/);
  });

  it('mints a different value each time for the same request', () => {
    const tokens = store();
    const a = tokens.mint({ ttlSeconds: 60, kind: 'realtime', session: SESSION });
    const b = tokens.mint({ ttlSeconds: 60, kind: 'realtime', session: SESSION });
    expect(a.value).not.toBe(b.value);
  });

  it('is accepted by another store holding the same secret, and by no other', () => {
    const minted = store().mint({ ttlSeconds: 60, kind: 'realtime', session: SESSION });
    expect(store().lookup(minted.value)).toMatchObject({ ok: true, record: { session: SESSION } });
    expect(store(new ManualClock(), Buffer.alloc(32, 8)).lookup(minted.value)).toEqual({
      ok: false,
      reason: 'unknown',
    });
  });

  it('expires at its expiry on the injected clock', () => {
    const clock = new ManualClock();
    const tokens = store(clock);
    const minted = tokens.mint({ ttlSeconds: 10, kind: 'realtime', session: SESSION });
    clock.advance(9_999);
    expect(tokens.lookup(minted.value).ok).toBe(true);
    clock.advance(1);
    expect(tokens.lookup(minted.value)).toEqual({ ok: false, reason: 'expired' });
  });

  it('rejects a token with any digit changed, expiry and signature included', () => {
    const clock = new ManualClock();
    const tokens = store(clock);
    const minted = tokens.mint({ ttlSeconds: 10, kind: 'realtime', session: SESSION });
    const digits = minted.value.length - 3;
    // Version, kind, expiry (bytes 2–9), nonce, session and the last digit of the MAC.
    for (const index of [1, 3, 4, 10, 18, 30, digits - 70, digits - 1]) {
      expect(tokens.lookup(flipDigit(minted.value, index))).toEqual({
        ok: false,
        reason: 'unknown',
      });
    }
    // A forged expiry far in the future is refused once the real one has passed.
    clock.advance(60_000);
    expect(tokens.lookup(flipDigit(minted.value, 4)).ok).toBe(false);
  });

  it.each([
    ['no prefix', 'sk-abc'],
    ['an empty body', 'ek_'],
    ['a short body', 'ek_abcdef'],
    ['an odd number of digits', 'ek_' + 'a'.repeat(201)],
    ['upper-case digits', 'ek_' + 'A'.repeat(200)],
    ['letters past f', 'ek_doesnotexist'],
    ['a body of zeros', 'ek_' + '0'.repeat(200)],
    ['an oversized value', 'ek_' + 'ab'.repeat(MAX_TOKEN_CHARS)],
  ])('rejects %s as unknown without throwing', (_name, value) => {
    expect(store().lookup(value)).toEqual({ ok: false, reason: 'unknown' });
  });

  it('rejects an upper-cased copy of a valid token', () => {
    const tokens = store();
    const minted = tokens.mint({ ttlSeconds: 60, kind: 'realtime', session: SESSION });
    expect(tokens.lookup(`ek_${minted.value.slice(3).toUpperCase()}`).ok).toBe(false);
  });

  it('refuses a secret shorter than 16 bytes', () => {
    expect(
      () => new EphemeralTokenStore({ clock: new ManualClock(), secret: Buffer.alloc(8) }),
    ).toThrow(/16 bytes/);
  });
});
