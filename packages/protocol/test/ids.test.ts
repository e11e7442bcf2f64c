import { describe, expect, it } from 'vitest';
import {
  callId,
  conversationId,
  ephemeralKey,
  eventId,
  itemId,
  randomAlphanumeric,
  responseId,
  rtcCallId,
  sessionId,
} from '../src/index.js';

describe('id generators', () => {
  it.each([
    ['eventId', eventId, /^event_[A-Za-z0-9]{21}$/],
    ['itemId', itemId, /^item_[A-Za-z0-9]{21}$/],
    ['responseId', responseId, /^resp_[A-Za-z0-9]{21}$/],
    ['sessionId', sessionId, /^sess_[A-Za-z0-9]{21}$/],
    ['conversationId', conversationId, /^conv_[A-Za-z0-9]{21}$/],
    ['callId', callId, /^call_[A-Za-z0-9]{24}$/],
    ['ephemeralKey', ephemeralKey, /^ek_[A-Za-z0-9]{32}$/],
    ['rtcCallId', rtcCallId, /^rtc_[A-Za-z0-9]{32}$/],
  ] as const)('makes %s ids with the live prefix', (_name, make, pattern) => {
    for (let i = 0; i < 50; i++) expect(make()).toMatch(pattern);
  });

  it('does not repeat across many ids (and across random-pool refills)', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50_000; i++) seen.add(eventId());
    expect(seen.size).toBe(50_000);
  });

  it('uses all 62 characters about equally', () => {
    const counts = new Map<string, number>();
    const sample = randomAlphanumeric(124_000);
    expect(sample).toHaveLength(124_000);
    for (const ch of sample) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    expect(counts.size).toBe(62);
    // Expected 2000 each; a uniform source stays well within ±15%.
    for (const n of counts.values()) {
      expect(n).toBeGreaterThan(1700);
      expect(n).toBeLessThan(2300);
    }
  });

  it('returns an empty string for length 0', () => {
    expect(randomAlphanumeric(0)).toBe('');
  });
});
