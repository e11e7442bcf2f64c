import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseServerEvent, SERVER_EVENT_TYPES } from '../src/index.js';
import { SERVER_EVENT_EXAMPLES, TEXT_TURN_SERVER } from './fixtures/reference-events.js';

const delta = TEXT_TURN_SERVER.find((e) => e.type === 'response.output_text.delta');
if (delta === undefined) throw new Error('fixture missing');

describe('parseServerEvent', () => {
  it('returns known events typed, with the raw object kept', () => {
    const text = JSON.stringify(delta);
    const result = parseServerEvent(text);
    expect(result).toMatchObject({ ok: true, generic: false, raw: delta });
    if (result.ok && !result.generic && result.event.type === 'response.output_text.delta') {
      expect(result.event.delta).toBe('Hi');
    } else {
      throw new Error('expected a typed delta');
    }
  });

  it('tolerates fields a newer server adds, keeping them in raw', () => {
    const event = { ...delta, new_field: { nested: true } };
    const result = parseServerEvent(event);
    expect(result).toMatchObject({ ok: true, generic: false });
    if (result.ok) {
      expect(result.raw.new_field).toEqual({ nested: true });
      expect('new_field' in result.event).toBe(false);
    }
  });

  it('tolerates unknown fields deep inside sessions and items', () => {
    const created = SERVER_EVENT_EXAMPLES['session.created'][0];
    const session = created?.session as Record<string, unknown>;
    const audio = session.audio as Record<string, Record<string, unknown>>;
    const event = {
      ...created,
      session: {
        ...session,
        audio: { ...audio, input: { ...audio.input, echo_cancellation: 'on' } },
        future: 1,
      },
    };
    expect(parseServerEvent(event)).toMatchObject({ ok: true, generic: false });
  });

  it('returns an unknown but well-formed event as generic', () => {
    const event = { type: 'response.cancelled', event_id: 'event_1', response_id: 'resp_1' };
    const result = parseServerEvent(JSON.stringify(event));
    expect(result).toEqual({
      ok: true,
      generic: true,
      event,
      raw: event,
      reason: 'unknown_type',
      issues: [],
    });
  });

  it('returns a known type whose payload fails its schema as generic, with the issues', () => {
    const event = { type: 'response.output_audio.delta', event_id: 'event_2', delta: 5 };
    const result = parseServerEvent(event);
    expect(result).toMatchObject({ ok: true, generic: true, reason: 'invalid_payload', event });
    if (result.ok && result.generic) {
      expect(result.issues.length).toBeGreaterThan(0);
      expect(result.issues.some((issue) => issue.path.includes('delta'))).toBe(true);
    }
  });

  it.each([
    ['text that is not JSON', '{oops', 'invalid_json'],
    ['a binary frame', new Uint8Array([1, 2, 3]), 'invalid_event'],
    ['a JSON array', '[{"type":"error"}]', 'invalid_event'],
    ['a JSON number', '3', 'invalid_event'],
    ['an object without type', '{"event_id":"event_1"}', 'invalid_event'],
    ['a numeric type', '{"type":1}', 'invalid_event'],
  ])('rejects %s', (_name, input, code) => {
    const result = parseServerEvent(input);
    expect(result).toMatchObject({ ok: false, error: { code } });
  });

  it('knows every GA server event type', () => {
    for (const type of SERVER_EVENT_TYPES) {
      const examples = SERVER_EVENT_EXAMPLES[type];
      const result = parseServerEvent(examples[0]);
      expect(result.ok && !result.generic ? result.event.type : 'generic').toBe(type);
    }
  });
});

describe('parseServerEvent properties', () => {
  const examples = Object.values(SERVER_EVENT_EXAMPLES).flat();

  function check(input: unknown): void {
    const result = parseServerEvent(input);
    if (result.ok) {
      expect(typeof result.event.type).toBe('string');
      expect(result.raw).toBeTypeOf('object');
    } else {
      expect(['invalid_json', 'invalid_event']).toContain(result.error.code);
    }
  }

  it('never throws on arbitrary JSON values, strings or bytes', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string({ unit: 'binary' }), fc.uint8Array(), (v, s, b) => {
        check(v);
        check(JSON.stringify(v));
        check(s);
        check(b);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on examples with a field replaced or removed', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...examples),
        fc.nat(),
        fc.option(fc.jsonValue({ maxDepth: 2 })),
        (example, at, value) => {
          const copy: Record<string, unknown> = structuredClone(example);
          const keys = Object.keys(copy);
          const key = keys[at % keys.length] as string;
          if (value === null) delete copy[key];
          else copy[key] = value;
          check(copy);
          check(JSON.stringify(copy));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('types every event whose type it knows, or says why not', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SERVER_EVENT_TYPES), fc.jsonValue(), (type, payload) => {
        const input =
          payload !== null && typeof payload === 'object' && !Array.isArray(payload)
            ? { ...payload, type }
            : { type, payload };
        const result = parseServerEvent(input);
        expect(result.ok).toBe(true);
        if (result.ok && result.generic) expect(result.reason).toBe('invalid_payload');
      }),
      { numRuns: 300 },
    );
  });
});
