import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CLIENT_ERROR_CODES,
  CLIENT_EVENT_SCHEMAS,
  CLIENT_EVENT_TYPES,
  parseClientEvent,
  parseConversationItem,
  parseResponseCreateParams,
  parseSessionUpdate,
  validateWithSchema,
  type ClientEventError,
} from '../src/index.js';
import { CLIENT_EVENT_EXAMPLES, type WireEvent } from './fixtures/reference-events.js';

function errorOf(input: unknown): ClientEventError {
  const result = parseClientEvent(input);
  if (result.ok) throw new Error(`expected an error for ${JSON.stringify(input)}`);
  return result.error;
}

const session = (fields: Record<string, unknown>) =>
  JSON.stringify({
    type: 'session.update',
    event_id: 'evt_1',
    session: { type: 'realtime', ...fields },
  });
const audioIn = (input: Record<string, unknown>) => session({ audio: { input } });

interface Case {
  name: string;
  input: unknown;
  code: string;
  param: string | null;
  message?: string | RegExp;
  eventId?: string | null;
}

const CASES: Case[] = [
  {
    name: 'text that is not JSON',
    input: 'not json',
    code: 'invalid_json',
    param: null,
    message: /^Invalid event: failed to parse JSON value\./,
    eventId: null,
  },
  {
    name: 'a binary frame (Uint8Array)',
    input: new Uint8Array([123, 125]),
    code: 'invalid_event',
    param: null,
    message: 'Expected a text WebSocket message; binary frames are not supported.',
    eventId: null,
  },
  {
    name: 'a binary frame (ArrayBuffer)',
    input: new ArrayBuffer(8),
    code: 'invalid_event',
    param: null,
    eventId: null,
  },
  { name: 'a JSON array', input: '[1,2]', code: 'invalid_event', param: null, eventId: null },
  { name: 'JSON null', input: 'null', code: 'invalid_event', param: null, eventId: null },
  { name: 'a JSON string', input: '"session.update"', code: 'invalid_event', param: null },
  {
    name: 'a missing type',
    input: '{"event_id":"evt_9"}',
    code: 'invalid_event',
    param: null,
    message: "The 'type' field is missing.",
    eventId: 'evt_9',
  },
  {
    name: 'a non-string type',
    input: '{"type":42,"event_id":"evt_9"}',
    code: 'invalid_type',
    param: 'type',
    message: "Invalid type for 'type': expected a string, but got an integer instead.",
    eventId: 'evt_9',
  },
  {
    name: 'an unknown event type',
    input: '{"type":"nope","event_id":"evt_9"}',
    code: 'invalid_value',
    param: 'type',
    message: `Invalid value: 'nope'. Supported values are: 'session.update', 'input_audio_buffer.append', 'input_audio_buffer.commit', 'input_audio_buffer.clear', 'conversation.item.create', 'conversation.item.truncate', 'conversation.item.delete', 'conversation.item.retrieve', 'response.create', 'response.cancel', and 'output_audio_buffer.clear'.`,
    eventId: 'evt_9',
  },
  {
    name: 'the beta-only transcription_session.update',
    input: '{"type":"transcription_session.update","session":{}}',
    code: 'invalid_value',
    param: 'type',
  },
  {
    name: 'an unknown session field',
    input: session({ bogus_field: 1 }),
    code: 'unknown_parameter',
    param: 'session.bogus_field',
    message: "Unknown parameter: 'session.bogus_field'.",
    eventId: 'evt_1',
  },
  {
    name: 'a top-level unknown field',
    input: '{"type":"input_audio_buffer.commit","bogus":true}',
    code: 'unknown_parameter',
    param: 'bogus',
  },
  {
    name: 'a beta session.update without session.type',
    input: '{"type":"session.update","event_id":"e","session":{"modalities":["text"]}}',
    code: 'missing_required_parameter',
    param: 'session.type',
    message: "Missing required parameter: 'session.type'.",
    eventId: 'e',
  },
  {
    name: 'a missing session',
    input: '{"type":"session.update"}',
    code: 'missing_required_parameter',
    param: 'session',
  },
  {
    name: 'an unknown session type',
    input: '{"type":"session.update","session":{"type":"translation"}}',
    code: 'invalid_value',
    param: 'session.type',
    message: "Invalid value: 'translation'. Supported values are: 'realtime' and 'transcription'.",
  },
  {
    name: 'a beta format string in GA',
    input: audioIn({ format: 'pcm16' }),
    code: 'invalid_type',
    param: 'session.audio.input.format',
    message:
      "Invalid type for 'session.audio.input.format': expected an object, but got a string instead.",
  },
  {
    name: 'a 16 kHz PCM rate',
    input: audioIn({ format: { type: 'audio/pcm', rate: 16000 } }),
    code: 'integer_below_min_value',
    param: 'session.audio.input.format.rate',
    message:
      "Invalid 'session.audio.input.format.rate': integer below minimum value. Expected a value >= 24000, but got 16000 instead.",
  },
  {
    name: 'a 48 kHz PCM rate',
    input: audioIn({ format: { type: 'audio/pcm', rate: 48000 } }),
    code: 'integer_above_max_value',
    param: 'session.audio.input.format.rate',
  },
  {
    name: 'an unknown format type',
    input: audioIn({ format: { type: 'audio/opus' } }),
    code: 'invalid_value',
    param: 'session.audio.input.format.type',
  },
  {
    name: 'a VAD threshold above 1',
    input: audioIn({ turn_detection: { type: 'server_vad', threshold: 1.2 } }),
    code: 'decimal_above_max_value',
    param: 'session.audio.input.turn_detection.threshold',
  },
  {
    name: 'a negative VAD threshold',
    input: audioIn({ turn_detection: { type: 'server_vad', threshold: -0.5 } }),
    code: 'decimal_below_min_value',
    param: 'session.audio.input.turn_detection.threshold',
  },
  {
    name: 'a decimal prefix padding',
    input: audioIn({ turn_detection: { type: 'server_vad', prefix_padding_ms: 12.5 } }),
    code: 'invalid_type',
    param: 'session.audio.input.turn_detection.prefix_padding_ms',
    message:
      "Invalid type for 'session.audio.input.turn_detection.prefix_padding_ms': expected an integer, but got a decimal instead.",
  },
  {
    name: 'a negative silence duration',
    input: audioIn({ turn_detection: { type: 'server_vad', silence_duration_ms: -1 } }),
    code: 'integer_below_min_value',
    param: 'session.audio.input.turn_detection.silence_duration_ms',
  },
  {
    name: 'an idle timeout below 5 s',
    input: audioIn({ turn_detection: { type: 'server_vad', idle_timeout_ms: 1000 } }),
    code: 'integer_below_min_value',
    param: 'session.audio.input.turn_detection.idle_timeout_ms',
  },
  {
    name: 'an idle timeout above 30 s',
    input: audioIn({ turn_detection: { type: 'server_vad', idle_timeout_ms: 30001 } }),
    code: 'integer_above_max_value',
    param: 'session.audio.input.turn_detection.idle_timeout_ms',
  },
  {
    name: 'a bad semantic_vad eagerness',
    input: audioIn({ turn_detection: { type: 'semantic_vad', eagerness: 'eager' } }),
    code: 'invalid_value',
    param: 'session.audio.input.turn_detection.eagerness',
    message: "Invalid value: 'eager'. Supported values are: 'low', 'medium', 'high', and 'auto'.",
  },
  {
    name: 'a server_vad field on semantic_vad',
    input: audioIn({ turn_detection: { type: 'semantic_vad', threshold: 0.5 } }),
    code: 'unknown_parameter',
    param: 'session.audio.input.turn_detection.threshold',
  },
  {
    name: 'a speed above 1.5',
    input: session({ audio: { output: { speed: 2 } } }),
    code: 'decimal_above_max_value',
    param: 'session.audio.output.speed',
  },
  {
    name: 'a speed below 0.25',
    input: session({ audio: { output: { speed: 0.1 } } }),
    code: 'decimal_below_min_value',
    param: 'session.audio.output.speed',
  },
  {
    name: 'a numeric voice',
    input: session({ audio: { output: { voice: 7 } } }),
    code: 'invalid_type',
    param: 'session.audio.output.voice',
  },
  {
    name: 'max_output_tokens above 4096',
    input: session({ max_output_tokens: 5000 }),
    code: 'integer_above_max_value',
    param: 'session.max_output_tokens',
  },
  {
    name: 'max_output_tokens of 0',
    input: session({ max_output_tokens: 0 }),
    code: 'integer_below_min_value',
    param: 'session.max_output_tokens',
  },
  {
    name: 'a string max_output_tokens other than "inf"',
    input: session({ max_output_tokens: 'infinite' }),
    code: 'invalid_value',
    param: 'session.max_output_tokens',
    message: "Invalid value: 'infinite'. Supported values are: 'inf'.",
  },
  {
    name: 'both output modalities',
    input: session({ output_modalities: ['text', 'audio'] }),
    code: 'array_above_max_length',
    param: 'session.output_modalities',
  },
  {
    name: 'no output modality',
    input: session({ output_modalities: [] }),
    code: 'empty_array',
    param: 'session.output_modalities',
  },
  {
    name: 'an unknown output modality',
    input: session({ output_modalities: ['video'] }),
    code: 'invalid_value',
    param: 'session.output_modalities[0]',
  },
  {
    name: 'a tool without a name',
    input: session({ tools: [{ type: 'function' }] }),
    code: 'missing_required_parameter',
    param: 'session.tools[0].name',
    message: "Missing required parameter: 'session.tools[0].name'.",
  },
  {
    name: 'a tool name that is not a string',
    input: session({
      tools: [
        { type: 'function', name: 'ok' },
        { type: 'function', name: 3 },
      ],
    }),
    code: 'invalid_type',
    param: 'session.tools[1].name',
  },
  {
    name: 'a bad tool_choice',
    input: session({ tool_choice: 'always' }),
    code: 'invalid_value',
    param: 'session.tool_choice',
    message: "Invalid value: 'always'. Supported values are: 'auto', 'none', and 'required'.",
  },
  {
    name: 'a temperature (gone in GA)',
    input: session({ temperature: 0.8 }),
    code: 'unknown_parameter',
    param: 'session.temperature',
  },
  {
    name: 'a retention_ratio truncation without its type',
    input: session({ truncation: { retention_ratio: 0.5 } }),
    code: 'missing_required_parameter',
    param: 'session.truncation.type',
  },
  {
    name: 'an unknown key in a tracing object',
    input: session({ tracing: { workflow_name: 'w', bogus: 1 } }),
    code: 'unknown_parameter',
    param: 'session.tracing.bogus',
  },
  {
    name: 'an event_id that is not a string',
    input: '{"type":"input_audio_buffer.commit","event_id":5}',
    code: 'invalid_type',
    param: 'event_id',
    eventId: null,
  },
  {
    name: 'an event_id over 512 characters',
    input: JSON.stringify({ type: 'response.cancel', event_id: 'e'.repeat(513) }),
    code: 'string_above_max_length',
    param: 'event_id',
  },
  {
    name: 'append audio that is not base64',
    input: '{"type":"input_audio_buffer.append","audio":"not base64!","event_id":"a1"}',
    code: 'invalid_value',
    param: 'audio',
    message: "Invalid 'audio': expected base64-encoded audio bytes.",
    eventId: 'a1',
  },
  {
    name: 'append audio with a bad length',
    input: '{"type":"input_audio_buffer.append","audio":"AAA"}',
    code: 'invalid_value',
    param: 'audio',
  },
  {
    name: 'append without audio',
    input: '{"type":"input_audio_buffer.append","event_id":"a2"}',
    code: 'missing_required_parameter',
    param: 'audio',
    eventId: 'a2',
  },
  {
    name: 'append audio that is not a string',
    input: '{"type":"input_audio_buffer.append","audio":[1,2]}',
    code: 'invalid_type',
    param: 'audio',
    message: "Invalid type for 'audio': expected a string, but got an array instead.",
  },
  {
    name: 'append with an extra field',
    input: '{"type":"input_audio_buffer.append","audio":"AAAA","format":"pcm16"}',
    code: 'unknown_parameter',
    param: 'format',
  },
  {
    name: 'an item without type',
    input: '{"type":"conversation.item.create","item":{"role":"user","content":[]}}',
    code: 'missing_required_parameter',
    param: 'item.type',
  },
  {
    name: 'an item with an unknown role',
    input:
      '{"type":"conversation.item.create","item":{"type":"message","role":"bot","content":[]}}',
    code: 'invalid_value',
    param: 'item.role',
  },
  {
    name: 'a beta assistant part in GA',
    input: JSON.stringify({
      type: 'conversation.item.create',
      item: { type: 'message', role: 'assistant', content: [{ type: 'text', text: 'hi' }] },
    }),
    code: 'invalid_value',
    param: 'item.content[0].type',
  },
  {
    name: 'an item id over 32 characters',
    input: JSON.stringify({
      type: 'conversation.item.create',
      item: { id: 'i'.repeat(33), type: 'function_call_output', call_id: 'c', output: '' },
    }),
    code: 'string_above_max_length',
    param: 'item.id',
  },
  {
    name: 'a decimal audio_end_ms',
    input:
      '{"type":"conversation.item.truncate","item_id":"i","content_index":0,"audio_end_ms":12.5}',
    code: 'invalid_type',
    param: 'audio_end_ms',
    message: "Invalid type for 'audio_end_ms': expected an integer, but got a decimal instead.",
  },
  {
    name: 'a truncate without item_id',
    input: '{"type":"conversation.item.truncate","content_index":0,"audio_end_ms":10}',
    code: 'missing_required_parameter',
    param: 'item_id',
  },
  {
    name: 'a response input with an unknown entry type',
    input: JSON.stringify({ type: 'response.create', response: { input: [{ type: 'ref' }] } }),
    code: 'invalid_value',
    param: 'response.input[0].type',
  },
  {
    name: 'response metadata values that are not strings',
    input: JSON.stringify({ type: 'response.create', response: { metadata: { a: 1 } } }),
    code: 'invalid_type',
    param: 'response.metadata.a',
  },
];

describe('parseClientEvent errors', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('reports %s with its live code', (_name, c) => {
    const error = errorOf(c.input);
    expect(error.type).toBe('invalid_request_error');
    expect(error.code).toBe(c.code);
    expect(error.param).toBe(c.param);
    if (typeof c.message === 'string') expect(error.message).toBe(c.message);
    else if (c.message !== undefined) expect(error.message).toMatch(c.message);
    if (c.eventId !== undefined) expect(error.event_id).toBe(c.eventId);
  });

  it('echoes the client event_id on schema errors', () => {
    const error = errorOf(session({ bogus: 1 }));
    expect(error.event_id).toBe('evt_1');
  });

  it('uses only documented codes in its table', () => {
    for (const c of CASES) expect(CLIENT_ERROR_CODES).toContain(c.code);
  });
});

describe('parseClientEvent success', () => {
  it('returns a fresh typed append event on the fast path', () => {
    const input = { type: 'input_audio_buffer.append', audio: 'AAAA', event_id: 'e' };
    const result = parseClientEvent(input);
    expect(result).toEqual({ ok: true, event: input });
    if (result.ok) expect(result.event).not.toBe(input);
  });

  it('accepts empty audio (zero bytes) and padded base64', () => {
    for (const audio of ['', 'AA==', 'AAA=', 'AAAA', '+/+/']) {
      expect(parseClientEvent({ type: 'input_audio_buffer.append', audio }).ok).toBe(true);
    }
  });

  it('accepts already-decoded objects as well as text', () => {
    for (const example of Object.values(CLIENT_EVENT_EXAMPLES).flat()) {
      expect(parseClientEvent(example).ok).toBe(true);
    }
  });

  it('accepts a previous_item_id of null as absent', () => {
    const result = parseClientEvent({
      type: 'conversation.item.create',
      previous_item_id: null,
      item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'x' }] },
    });
    expect(result.ok).toBe(true);
  });
});

describe('standalone validators', () => {
  it('prefixes param paths with session / response / item', () => {
    const s = parseSessionUpdate({ type: 'realtime', tools: [{ type: 'function' }] });
    expect(s).toMatchObject({ ok: false, error: { param: 'session.tools[0].name' } });
    const r = parseResponseCreateParams({ output_modalities: ['text', 'audio'] }, { eventId: 'x' });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'array_above_max_length', param: 'response.output_modalities', event_id: 'x' },
    });
    const i = parseConversationItem({ type: 'function_call', name: 'f' });
    expect(i).toMatchObject({ ok: false, error: { param: 'item.arguments' } });
  });

  it('returns the typed value on success', () => {
    const s = parseSessionUpdate({ type: 'transcription' });
    expect(s).toEqual({ ok: true, value: { type: 'transcription' } });
  });
});

// ---------------------------------------------------------------------------------------------
// Property tests: whatever arrives, the parser returns an event or a documented error.

const CODES = new Set<string>(CLIENT_ERROR_CODES);

function assertWellFormed(input: unknown): void {
  const result = parseClientEvent(input);
  if (result.ok) {
    expect(CLIENT_EVENT_TYPES).toContain(result.event.type);
  } else {
    expect(CODES.has(result.error.code), result.error.code).toBe(true);
    expect(typeof result.error.message).toBe('string');
    expect(result.error.param === null || typeof result.error.param === 'string').toBe(true);
    expect(result.error.event_id === null || typeof result.error.event_id === 'string').toBe(true);
  }
}

const validEvents = Object.values(CLIENT_EVENT_EXAMPLES).flat();

/** A JSON value to plant somewhere: anything, or a "retyped" scalar. */
const anyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(null, true, 0, -1, 1.5, '', 'x', [], {}),
);

type Mutation =
  | { kind: 'add'; at: number; key: string; value: unknown }
  | { kind: 'remove'; at: number }
  | { kind: 'retype'; at: number; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('add' as const),
    at: fc.nat(),
    key: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('type', 'event_id', '__proto__')),
    value: anyValue,
  }),
  fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('retype' as const), at: fc.nat(), value: anyValue }),
);

/** Every object inside `root` (root included), depth first. */
function objectsIn(root: unknown, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(root)) for (const v of root) objectsIn(v, out);
  else if (root !== null && typeof root === 'object') {
    const obj = root as Record<string, unknown>;
    out.push(obj);
    for (const v of Object.values(obj)) objectsIn(v, out);
  }
  return out;
}

function mutate(event: WireEvent, mutations: readonly Mutation[]): unknown {
  const copy = structuredClone(event);
  for (const m of mutations) {
    const targets = objectsIn(copy);
    const target = targets[m.at % targets.length];
    if (target === undefined) continue;
    const keys = Object.keys(target);
    if (m.kind === 'add') {
      Object.defineProperty(target, m.key, {
        value: structuredClone(m.value),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else if (keys.length > 0) {
      const key = keys[m.at % keys.length] as string;
      if (m.kind === 'remove') delete target[key];
      else target[key] = structuredClone(m.value);
    }
  }
  return copy;
}

describe('parseClientEvent properties', () => {
  it('never throws on arbitrary JSON values (decoded or as text)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        assertWellFormed(value);
        assertWellFormed(JSON.stringify(value));
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => assertWellFormed(text)),
      { numRuns: 500 },
    );
  });

  it('rejects every byte array as a binary frame', () => {
    fc.assert(
      fc.property(fc.uint8Array(), (bytes) => {
        const result = parseClientEvent(bytes);
        expect(result).toMatchObject({ ok: false, error: { code: 'invalid_event' } });
        expect(parseClientEvent(bytes.buffer)).toMatchObject({ ok: false });
      }),
      { numRuns: 200 },
    );
  });

  it('never throws on mutated valid events (keys added, removed, retyped)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...validEvents),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (event, mutations) => {
          const mutated = mutate(event, mutations);
          assertWellFormed(mutated);
          assertWellFormed(JSON.stringify(mutated));
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('never throws on hostile objects', () => {
    const throwing = Object.defineProperty({}, 'type', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    const proxy = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
      },
    );
    const cyclic: Record<string, unknown> = { type: 'session.update' };
    cyclic.session = cyclic;
    for (const input of [throwing, proxy, cyclic, undefined, Symbol('s'), 10n, () => 1]) {
      assertWellFormed(input);
    }
  });

  it('validates appends exactly like the zod schema of the event', () => {
    const appendSchema = CLIENT_EVENT_SCHEMAS['input_audio_buffer.append'];
    const appendLike = fc.record(
      {
        type: fc.constant('input_audio_buffer.append'),
        audio: fc.oneof(fc.base64String(), fc.string(), anyValue),
        event_id: fc.oneof(fc.string({ maxLength: 20 }), anyValue),
        extra: anyValue,
      },
      { requiredKeys: ['type'] },
    );
    fc.assert(
      fc.property(appendLike, (event) => {
        const fast = parseClientEvent(event);
        const slow = validateWithSchema(appendSchema, event, {
          eventId: typeof event.event_id === 'string' ? event.event_id : null,
        });
        expect(fast.ok).toBe(slow.ok);
        if (!fast.ok && !slow.ok) {
          expect({ code: fast.error.code, param: fast.error.param }).toEqual({
            code: slow.error.code,
            param: slow.error.param,
          });
        }
      }),
      { numRuns: 1000 },
    );
  });
});
