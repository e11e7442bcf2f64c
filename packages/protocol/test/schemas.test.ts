import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  applyRealtimeSessionUpdate,
  applyTranscriptionSessionUpdate,
  CLIENT_EVENT_TYPES,
  ClientEventSchema,
  ClientSecretCreateRequestSchema,
  ClientSecretResponseSchema,
  ConversationItemInputSchema,
  ConversationItemSchema,
  DEFAULT_INSTRUCTIONS,
  defaultRealtimeSession,
  defaultTranscriptionSession,
  parseClientEvent,
  parseServerEvent,
  ResolvedRealtimeSessionSchema,
  ResolvedTranscriptionSessionSchema,
  semanticVadDefaults,
  SERVER_EVENT_TYPES,
  ServerEventSchema,
  type ClientEventOf,
  type ServerEvent,
  type ServerEventOf,
} from '../src/index.js';
import {
  AUDIO_TURN_SERVER,
  BARGE_IN_SERVER,
  CLIENT_EVENT_EXAMPLES,
  CLIENT_SECRET_REQUEST,
  CLIENT_SECRET_RESPONSE,
  FUNCTION_CALL_SERVER,
  SERVER_EVENT_EXAMPLES,
  SESSION_CREATED_PROBE,
  TEXT_TURN_SERVER,
  type WireEvent,
} from './fixtures/reference-events.js';

const clientExamples = Object.values(CLIENT_EVENT_EXAMPLES).flat();
const serverExamples = Object.values(SERVER_EVENT_EXAMPLES).flat();

function label(event: WireEvent): string {
  return String(event.type);
}

describe('reference examples', () => {
  it('has an example for every client event type in the union, and no others', () => {
    expect(Object.keys(CLIENT_EVENT_EXAMPLES).sort()).toEqual([...CLIENT_EVENT_TYPES].sort());
    for (const [type, examples] of Object.entries(CLIENT_EVENT_EXAMPLES)) {
      expect(examples.length, type).toBeGreaterThan(0);
      for (const example of examples) expect(example.type).toBe(type);
    }
    expect(ClientEventSchema.options).toHaveLength(CLIENT_EVENT_TYPES.length);
  });

  it('has an example for every server event type in the union, and no others', () => {
    expect(Object.keys(SERVER_EVENT_EXAMPLES).sort()).toEqual([...SERVER_EVENT_TYPES].sort());
    for (const [type, examples] of Object.entries(SERVER_EVENT_EXAMPLES)) {
      expect(examples.length, type).toBeGreaterThan(0);
      for (const example of examples) expect(example.type).toBe(type);
    }
    expect(ServerEventSchema.options).toHaveLength(SERVER_EVENT_TYPES.length);
  });

  it.each(clientExamples.map((e) => [label(e), e] as const))(
    'parses the %s client example with parseClientEvent and the union schema',
    (_type, example) => {
      const fromText = parseClientEvent(JSON.stringify(example));
      expect(fromText).toMatchObject({ ok: true });
      expect(ClientEventSchema.safeParse(example).success).toBe(true);
    },
  );

  it.each(serverExamples.map((e) => [label(e), e] as const))(
    'parses the %s server example as a typed (non-generic) event',
    (_type, example) => {
      const result = parseServerEvent(JSON.stringify(example));
      expect(result.ok && result.generic === false, JSON.stringify(result)).toBe(true);
      expect(ServerEventSchema.safeParse(example).success).toBe(true);
    },
  );

  it.each([
    ['text turn (§3.1)', TEXT_TURN_SERVER],
    ['audio turn (§3.2)', AUDIO_TURN_SERVER],
    ['function call (§3.3)', FUNCTION_CALL_SERVER],
    ['barge-in (§3.4)', BARGE_IN_SERVER],
  ])('parses every event of the %s sequence as typed', (_name, sequence) => {
    const types = sequence.map((event) => {
      const result = parseServerEvent(event);
      if (!result.ok || result.generic) throw new Error(`not typed: ${JSON.stringify(event)}`);
      return result.event.type;
    });
    expect(types).toEqual(sequence.map((e) => e.type));
  });

  it('parses the client_secrets request and response of §5.2', () => {
    expect(ClientSecretCreateRequestSchema.safeParse(CLIENT_SECRET_REQUEST).success).toBe(true);
    const response = ClientSecretResponseSchema.parse(CLIENT_SECRET_RESPONSE);
    expect(response.value.startsWith('ek_')).toBe(true);
    expect(response.session.type).toBe('realtime');
  });
});

describe('round trips', () => {
  it.each(clientExamples.map((e) => [label(e), e] as const))(
    'gives the same %s client event after parse → stringify → parse',
    (_type, example) => {
      const first = parseClientEvent(example);
      if (!first.ok) throw new Error(first.error.message);
      const second = parseClientEvent(JSON.stringify(first.event));
      if (!second.ok) throw new Error(second.error.message);
      expect(second.event).toEqual(first.event);
    },
  );

  it.each(serverExamples.map((e) => [label(e), e] as const))(
    'gives the same %s server event after parse → stringify → parse',
    (_type, example) => {
      const first = parseServerEvent(example);
      if (!first.ok || first.generic) throw new Error('not typed');
      const second = parseServerEvent(JSON.stringify(first.event));
      if (!second.ok || second.generic) throw new Error('not typed after round trip');
      expect(second.event).toEqual(first.event);
    },
  );
});

describe('session defaults', () => {
  it('matches the live session.created of a realtime connection', () => {
    const session = defaultRealtimeSession({}, { id: 'sess_x', createdAt: 1_000 });
    const probe = SESSION_CREATED_PROBE.session as Record<string, unknown>;
    expect(session).toEqual({
      ...probe,
      id: 'sess_x',
      model: 'gpt-realtime',
      expires_at: 1_000 + 3600,
    });
    expect(session.instructions).toBe(DEFAULT_INSTRUCTIONS);
    expect(ResolvedRealtimeSessionSchema.safeParse(session).success).toBe(true);
  });

  it('announces server_vad 0.5/300/200/null/true/true and 24 kHz PCM both ways', () => {
    const { audio } = defaultRealtimeSession();
    expect(audio.input.turn_detection).toEqual({
      type: 'server_vad',
      threshold: 0.5,
      prefix_padding_ms: 300,
      silence_duration_ms: 200,
      idle_timeout_ms: null,
      create_response: true,
      interrupt_response: true,
    });
    expect(audio.input.format).toEqual({ type: 'audio/pcm', rate: 24000 });
    expect(audio.output).toEqual({
      format: { type: 'audio/pcm', rate: 24000 },
      voice: 'alloy',
      speed: 1,
    });
  });

  it('makes a new sess_ id and a 60-minute expiry per call', () => {
    const a = defaultRealtimeSession();
    const b = defaultRealtimeSession();
    expect(a.id).toMatch(/^sess_[A-Za-z0-9]{21}$/);
    expect(a.id).not.toBe(b.id);
    expect(a.expires_at - Math.floor(Date.now() / 1000)).toBeGreaterThan(3590);
  });

  it('applies overrides like a session.update', () => {
    const session = defaultRealtimeSession({
      output_modalities: ['text'],
      audio: { output: { voice: 'marin' } },
    });
    expect(session.output_modalities).toEqual(['text']);
    expect(session.audio.output.voice).toBe('marin');
    expect(session.audio.output.speed).toBe(1);
    expect(session.audio.input.turn_detection?.type).toBe('server_vad');
  });

  it('matches the live transcription session.created', () => {
    const session = defaultTranscriptionSession({}, { id: 'sess_t', createdAt: 0 });
    expect(session).toEqual({
      type: 'transcription',
      object: 'realtime.transcription_session',
      id: 'sess_t',
      expires_at: 3600,
      audio: {
        input: {
          format: { type: 'audio/pcm', rate: 24000 },
          transcription: null,
          noise_reduction: null,
          turn_detection: {
            type: 'server_vad',
            threshold: 0.5,
            prefix_padding_ms: 300,
            silence_duration_ms: 200,
          },
        },
      },
      include: null,
    });
    expect(ResolvedTranscriptionSessionSchema.safeParse(session).success).toBe(true);
  });

  it('exposes the semantic_vad defaults', () => {
    expect(semanticVadDefaults).toEqual({
      type: 'semantic_vad',
      eagerness: 'auto',
      create_response: true,
      interrupt_response: true,
    });
  });

  it('builds session.created events that parse as typed', () => {
    for (const session of [defaultRealtimeSession(), defaultTranscriptionSession()]) {
      const result = parseServerEvent({ type: 'session.created', event_id: 'event_1', session });
      expect(result.ok && !result.generic).toBe(true);
    }
  });
});

describe('session.update merge', () => {
  const base = defaultRealtimeSession({}, { id: 'sess_merge', createdAt: 0 });

  it('changes only the fields present', () => {
    const next = applyRealtimeSessionUpdate(base, { type: 'realtime', instructions: 'Be brief.' });
    expect(next).toEqual({ ...base, instructions: 'Be brief.' });
    expect(base.instructions).toBe(DEFAULT_INSTRUCTIONS);
  });

  it('clears instructions with "" and tools with []', () => {
    const withTools = applyRealtimeSessionUpdate(base, {
      type: 'realtime',
      tools: [{ type: 'function', name: 'f' }],
    });
    const cleared = applyRealtimeSessionUpdate(withTools, {
      type: 'realtime',
      instructions: '',
      tools: [],
    });
    expect(cleared.instructions).toBe('');
    expect(cleared.tools).toEqual([]);
  });

  it('disables turn detection with null and completes a new one with its defaults', () => {
    const off = applyRealtimeSessionUpdate(base, {
      type: 'realtime',
      audio: { input: { turn_detection: null } },
    });
    expect(off.audio.input.turn_detection).toBeNull();
    expect(off.audio.output).toEqual(base.audio.output);
    const semantic = applyRealtimeSessionUpdate(off, {
      type: 'realtime',
      audio: { input: { turn_detection: { type: 'semantic_vad', eagerness: 'high' } } },
    });
    expect(semantic.audio.input.turn_detection).toEqual({
      ...semanticVadDefaults,
      eagerness: 'high',
    });
    const server = applyRealtimeSessionUpdate(off, {
      type: 'realtime',
      audio: { input: { turn_detection: { type: 'server_vad', silence_duration_ms: 500 } } },
    });
    expect(server.audio.input.turn_detection).toMatchObject({
      threshold: 0.5,
      silence_duration_ms: 500,
      interrupt_response: true,
    });
  });

  it('echoes a transcription config with null language and prompt, as live', () => {
    const session = defaultTranscriptionSession();
    const next = applyTranscriptionSessionUpdate(session, {
      type: 'transcription',
      audio: { input: { transcription: { model: 'gpt-4o-mini-transcribe' } } },
    });
    expect(next.audio.input.transcription).toEqual({
      model: 'gpt-4o-mini-transcribe',
      language: null,
      prompt: null,
    });
    expect(next.audio.input.format).toEqual(session.audio.input.format);
  });

  it('fills the 24 kHz rate of an audio/pcm format sent without one', () => {
    const next = applyRealtimeSessionUpdate(base, {
      type: 'realtime',
      audio: { output: { format: { type: 'audio/pcm' } } },
    });
    expect(next.audio.output.format).toEqual({ type: 'audio/pcm', rate: 24000 });
  });
});

describe('items', () => {
  it('accepts the GA assistant parts from clients and rejects the beta names', () => {
    const ga = {
      type: 'message',
      role: 'assistant',
      content: [{ type: 'output_text', text: 'hi' }],
    };
    expect(ConversationItemInputSchema.safeParse(ga).success).toBe(true);
    const beta = { ...ga, content: [{ type: 'text', text: 'hi' }] };
    expect(ConversationItemInputSchema.safeParse(beta).success).toBe(false);
    expect(ConversationItemSchema.safeParse(beta).success).toBe(true);
  });

  it('lets client items omit id, object and status', () => {
    const parsed = ConversationItemInputSchema.parse({
      type: 'function_call_output',
      call_id: 'call_1',
      output: '{}',
    });
    expect(parsed).toEqual({ type: 'function_call_output', call_id: 'call_1', output: '{}' });
  });

  it('keeps unknown keys of MCP items (accepted loosely)', () => {
    const item = {
      type: 'mcp_call',
      id: 'mcp_1',
      server_label: 'docs',
      name: 'search',
      arguments: '{}',
      future_field: 1,
    };
    expect(ConversationItemSchema.parse(item)).toEqual(item);
  });
});

describe('types', () => {
  it('narrows events by type', () => {
    expectTypeOf<ServerEventOf<'response.done'>['response']['status']>().toEqualTypeOf<
      'in_progress' | 'completed' | 'cancelled' | 'failed' | 'incomplete'
    >();
    expectTypeOf<ClientEventOf<'input_audio_buffer.append'>['audio']>().toEqualTypeOf<string>();
    expectTypeOf<Extract<ServerEvent, { type: 'error' }>>().toEqualTypeOf<ServerEventOf<'error'>>();
  });
});
