import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isWellFormedBase64, isWellFormedBase64Range } from '../src/base64-validation.js';
import { parseClientEvent } from '../src/index.js';

const PREFIX = '{"type":"input_audio_buffer.append","audio":"';
const BASE64_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Well-formed base64 of 0–300 bytes (so with every padding variant). */
const base64 = fc
  .uint8Array({ maxLength: 300 })
  .map((bytes) => Buffer.from(bytes).toString('base64'));

/** Base64-looking text that is often malformed: wrong length, stray padding, other characters. */
const nearBase64 = fc.string({
  unit: fc.constantFrom(...BASE64_CHARS, '=', '-', '_', ' ', '"', '\\', '\n', 'é', '\u0000'),
  maxLength: 40,
});

/** The fast path's exact shape, and small edits of it that must all take (or agree with) the full parser. */
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
  base64.map((audio) => `${PREFIX}${audio}","event_id":"evt_1"}`),
  base64.map((audio) => `${PREFIX}${audio}","extra":1}`),
  base64.map((audio) => `{"audio":"${audio}","type":"input_audio_buffer.append"}`),
  base64.map((audio) => `${PREFIX}${audio}"}`.replace('append', 'commit')),
);

describe('parseClientEvent on input_audio_buffer.append text', () => {
  it('returns exactly what it returns for the same frame already decoded, for every frame', () => {
    fc.assert(
      fc.property(frame, (text) => {
        let decoded: unknown;
        try {
          decoded = JSON.parse(text);
        } catch {
          const result = parseClientEvent(text);
          expect(result.ok).toBe(false);
          if (!result.ok) expect(result.error.code).toBe('invalid_json');
          return;
        }
        expect(parseClientEvent(text)).toEqual(parseClientEvent(decoded));
      }),
      { numRuns: 3000 },
    );
  });

  it('reads the common append frame as the event with its audio and nothing else', () => {
    const audio = Buffer.from([1, 2, 3, 4, 5]).toString('base64');
    const result = parseClientEvent(`${PREFIX}${audio}"}`);
    expect(result).toStrictEqual({
      ok: true,
      event: { type: 'input_audio_buffer.append', audio },
    });
  });

  it('still answers malformed audio in the common frame with the invalid_value error', () => {
    const result = parseClientEvent(`${PREFIX}abc"}`);
    expect(result).toEqual({
      ok: false,
      error: {
        type: 'invalid_request_error',
        code: 'invalid_value',
        message: "Invalid 'audio': expected base64-encoded audio bytes.",
        param: 'audio',
        event_id: null,
      },
    });
  });
});

describe('isWellFormedBase64Range', () => {
  it('agrees with isWellFormedBase64 on the same slice, for every string and range', () => {
    const text = fc.oneof(
      base64,
      nearBase64,
      fc.string({ unit: 'binary', maxLength: 40 }),
      base64.map((b) => `x${b}=y`),
    );
    fc.assert(
      fc.property(text, fc.nat(), fc.nat(), (s, a, b) => {
        const start = Math.min(a, s.length);
        const end = Math.min(start + b, s.length);
        expect(isWellFormedBase64Range(s, start, end)).toBe(
          isWellFormedBase64(s.slice(start, end)),
        );
      }),
      { numRuns: 3000 },
    );
  });
});
