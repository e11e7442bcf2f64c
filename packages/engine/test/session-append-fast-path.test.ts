import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseClientEvent } from '@realtime-assistant/protocol';
import { parse, parseAppendFrame } from '../src/session/wire.js';

const PREFIX = '{"type":"input_audio_buffer.append","audio":"';
const BASE64_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Canonical base64 of 0–300 bytes (every padding variant). */
const base64 = fc
  .uint8Array({ maxLength: 300 })
  .map((bytes) => Buffer.from(bytes).toString('base64'));

/** Base64-looking text that is often malformed or non-canonical. */
const nearBase64 = fc.string({
  unit: fc.constantFrom(...BASE64_CHARS, '=', '-', '_', ' ', '"', '\\', '\n', 'é', '\u0000'),
  maxLength: 40,
});

const frame = fc.oneof(
  base64.map((audio) => `${PREFIX}${audio}"}`),
  nearBase64.map((audio) => `${PREFIX}${audio}"}`),
  fc
    .tuple(base64, fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 }))
    .map(([audio, before, after]) => `${before}${PREFIX}${audio}"}${after}`),
  fc
    .tuple(base64, fc.nat({ max: 60 }), fc.string({ minLength: 1, maxLength: 2 }))
    .map(([audio, at, insert]) => {
      const text = `${PREFIX}${audio}"}`;
      const i = Math.min(at, text.length);
      return text.slice(0, i) + insert + text.slice(i);
    }),
);

describe('the engine append fast path', () => {
  it('accepts a frame only when the protocol parser accepts it, with the same event and the decoded audio', () => {
    fc.assert(
      fc.property(frame, (text) => {
        const fast = parseAppendFrame(text);
        if (fast === null) return;
        const full = parseClientEvent(text);
        expect(full.ok).toBe(true);
        if (!full.ok) return;
        expect(fast.event).toEqual(full.event);
        expect(Buffer.from(fast.bytes)).toEqual(Buffer.from(fast.event.audio, 'base64'));
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the same result as the protocol parser for every frame, whichever path reads it', () => {
    fc.assert(
      fc.property(frame, (text) => {
        const result = parse(text, { beta: false, extensions: null });
        const full = parseClientEvent(text);
        expect(result.ok).toBe(full.ok);
        if (result.ok && full.ok) expect(result.event).toEqual(full.event);
        if (!result.ok && !full.ok) expect(result.error).toEqual(full.error);
      }),
      { numRuns: 2000 },
    );
  });

  it('takes every canonical 20 ms append', () => {
    const audio = Buffer.alloc(960, 7).toString('base64');
    const fast = parseAppendFrame(`${PREFIX}${audio}"}`);
    expect(fast?.bytes.byteLength).toBe(960);
    expect(fast?.event).toEqual({ type: 'input_audio_buffer.append', audio });
  });

  it('leaves well-formed but non-canonical base64 to the full parser, which accepts it', () => {
    // "AB==" has non-zero padding bits: well-formed, but it does not re-encode to itself.
    const text = `${PREFIX}AB=="}`;
    expect(parseAppendFrame(text)).toBeNull();
    const result = parse(text, { beta: false, extensions: null });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.audioBytes).toBeUndefined();
  });

  it('leaves URL-safe and malformed base64 to the full parser, which refuses it', () => {
    for (const audio of ['AB-_', 'AAA', 'AA=A', 'A A=', 'AAAA====']) {
      const text = `${PREFIX}${audio}"}`;
      expect(parseAppendFrame(text)).toBeNull();
      expect(parse(text, { beta: false, extensions: null }).ok).toBe(false);
    }
  });

  it('is not used for beta clients', () => {
    const audio = Buffer.alloc(12, 1).toString('base64');
    const result = parse(`${PREFIX}${audio}"}`, { beta: true, extensions: null });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.audioBytes).toBeUndefined();
  });
});
