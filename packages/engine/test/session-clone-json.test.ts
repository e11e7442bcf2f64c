/**
 * `cloneJson` replaces `structuredClone` on the turn path (client items, content parts): it must give the same
 * value, share nothing with the original, and keep a parsed "__proto__" key a key.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cloneJson } from '../src/session/clone-json.js';

describe('cloneJson', () => {
  it('copies any JSON value exactly as structuredClone does', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(cloneJson(value)).toStrictEqual(structuredClone(value));
      }),
      { numRuns: 500 },
    );
  });

  it('shares no object or array with the original', () => {
    const item = JSON.parse(
      '{"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}],"meta":{"a":[1,{"b":2}]}}',
    ) as { content: { text: string }[]; meta: { a: [number, { b: number }] } };
    const copy = cloneJson(item);
    copy.content[0]!.text = 'changed';
    copy.meta.a[1].b = 3;
    expect(item.content[0]!.text).toBe('hi');
    expect(item.meta.a[1].b).toBe(2);
  });

  it('keeps a parsed "__proto__" key as a key, not as the copy’s prototype', () => {
    const parsed = JSON.parse('{"__proto__":{"polluted":true},"x":1}') as Record<string, unknown>;
    const copy = cloneJson(parsed);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__', 'x']);
    expect((copy as { polluted?: boolean }).polluted).toBeUndefined();
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('copies values JSON cannot hold with structuredClone', () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const copy = cloneJson({ audio: bytes });
    expect(copy.audio).toEqual(bytes);
    expect(copy.audio).not.toBe(bytes);
  });
});
