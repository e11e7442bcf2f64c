import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BETA_CLIENT_EVENT_TYPES,
  betaClientEventToGA,
  betaServerEventToGA,
  betaSessionToGA,
  CLIENT_ERROR_CODES,
  defaultRealtimeSession,
  defaultTranscriptionSession,
  GA_ONLY_SERVER_EVENT_TYPES,
  GA_TO_BETA_SERVER_EVENT_TYPES,
  gaItemToBeta,
  gaServerEventToBeta,
  gaSessionToBeta,
  parseServerEvent,
  type BetaServerEvent,
  type BetaSession,
  type BetaSessionUpdate,
  type ClientEvent,
  type ServerEvent,
} from '../src/index.js';
import { SERVER_EVENT_EXAMPLES } from './fixtures/reference-events.js';

function translate(input: unknown): { event: ClientEvent; extras: object } {
  const result = betaClientEventToGA(input);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result;
}

function typed(example: Record<string, unknown> | undefined): ServerEvent {
  const result = parseServerEvent(example);
  if (!result.ok || result.generic) throw new Error('fixture does not parse');
  return result.event;
}

// The §1.4 name map, as a table: GA name → beta name ('-' = not sent to beta clients).
const NAME_MAP: [string, string][] = [
  ['response.output_text.delta', 'response.text.delta'],
  ['response.output_text.done', 'response.text.done'],
  ['response.output_audio.delta', 'response.audio.delta'],
  ['response.output_audio.done', 'response.audio.done'],
  ['response.output_audio_transcript.delta', 'response.audio_transcript.delta'],
  ['response.output_audio_transcript.done', 'response.audio_transcript.done'],
  ['conversation.item.added', 'conversation.item.created'],
  ['conversation.item.done', '-'],
  ['input_audio_buffer.timeout_triggered', '-'],
  ['conversation.item.input_audio_transcription.segment', '-'],
  ['input_audio_buffer.dtmf_event_received', '-'],
  ['response.created', 'response.created'],
  ['response.function_call_arguments.delta', 'response.function_call_arguments.delta'],
  ['input_audio_buffer.speech_started', 'input_audio_buffer.speech_started'],
  ['rate_limits.updated', 'rate_limits.updated'],
  ['error', 'error'],
];

describe('GA → beta server events (§1.4)', () => {
  it.each(NAME_MAP)('maps %s to %s', (ga, beta) => {
    const example = SERVER_EVENT_EXAMPLES[ga as keyof typeof SERVER_EVENT_EXAMPLES][0];
    const out = gaServerEventToBeta(typed(example));
    if (beta === '-') expect(out).toEqual([]);
    else expect(out.map((e) => e.type)).toEqual([beta]);
  });

  it('exports the same name map and GA-only list as the table', () => {
    for (const [ga, beta] of NAME_MAP) {
      if (beta === '-') {
        if (ga !== 'conversation.item.done') {
          expect(GA_ONLY_SERVER_EVENT_TYPES as readonly string[]).toContain(ga);
        }
      } else if (ga !== beta) {
        expect(
          GA_TO_BETA_SERVER_EVENT_TYPES[ga as keyof typeof GA_TO_BETA_SERVER_EVENT_TYPES],
        ).toBe(beta);
      }
    }
  });

  it('keeps the event_id and payload of renamed events', () => {
    const example = SERVER_EVENT_EXAMPLES['response.output_audio.delta'][0];
    const [beta] = gaServerEventToBeta(typed(example));
    expect(beta).toEqual({ ...example, type: 'response.audio.delta' });
  });

  it('converts assistant parts inside items to text/audio', () => {
    const done = SERVER_EVENT_EXAMPLES['response.output_item.done'][0];
    const [beta] = gaServerEventToBeta(typed(done));
    expect(beta?.item).toMatchObject({ content: [{ type: 'text', text: 'Hi there, friend!' }] });
    const added = SERVER_EVENT_EXAMPLES['conversation.item.added'].find(
      (e) => (e.item as { role?: string }).role === 'user',
    );
    const [created] = gaServerEventToBeta(typed(added));
    expect(created).toMatchObject({
      type: 'conversation.item.created',
      item: { content: [{ type: 'input_text' }] },
    });
  });

  it('converts responses: modalities, voice, output_audio_format', () => {
    const done = SERVER_EVENT_EXAMPLES['response.done'].find(
      (e) => (e.response as { output_modalities: string[] }).output_modalities[0] === 'audio',
    );
    const [beta] = gaServerEventToBeta(typed(done), { extras: { temperature: 0.7 } });
    expect(beta?.response).toMatchObject({
      object: 'realtime.response',
      status: 'completed',
      modalities: ['text', 'audio'],
      voice: 'alloy',
      output_audio_format: 'pcm16',
      temperature: 0.7,
      max_output_tokens: 'inf',
      output: [{ content: [{ type: 'audio' }] }],
    });
    expect(beta?.response).not.toHaveProperty('output_modalities');
    expect(beta?.response).not.toHaveProperty('audio');
  });

  it('converts sessions and renames transcription session events', () => {
    const created = gaServerEventToBeta({
      type: 'session.created',
      event_id: 'event_1',
      session: defaultRealtimeSession({}, { id: 'sess_1', createdAt: 0 }),
    });
    expect(created[0]).toMatchObject({
      type: 'session.created',
      session: {
        object: 'realtime.session',
        id: 'sess_1',
        modalities: ['text', 'audio'],
        voice: 'alloy',
        input_audio_format: 'pcm16',
        output_audio_format: 'pcm16',
        input_audio_transcription: null,
        turn_detection: { type: 'server_vad', threshold: 0.5, silence_duration_ms: 200 },
        temperature: 0.8,
        max_response_output_tokens: 'inf',
      },
    });
    const updated = gaServerEventToBeta({
      type: 'session.updated',
      event_id: 'event_2',
      session: defaultTranscriptionSession(),
    });
    expect(updated[0]).toMatchObject({
      type: 'transcription_session.updated',
      session: { object: 'realtime.transcription_session', input_audio_format: 'pcm16' },
    });
  });

  it('never emits a GA-only name for any fixture', () => {
    const gaOnly = new Set<string>([
      ...Object.keys(GA_TO_BETA_SERVER_EVENT_TYPES),
      ...GA_ONLY_SERVER_EVENT_TYPES,
    ]);
    for (const example of Object.values(SERVER_EVENT_EXAMPLES).flat()) {
      for (const out of gaServerEventToBeta(typed(example))) {
        expect(gaOnly.has(out.type), out.type).toBe(false);
      }
    }
  });
});

describe('beta → GA server events', () => {
  it.each(NAME_MAP.filter(([, beta]) => beta !== '-' && beta !== 'conversation.item.created'))(
    'maps %s back from %s',
    (ga, _beta) => {
      const example = SERVER_EVENT_EXAMPLES[ga as keyof typeof SERVER_EVENT_EXAMPLES][0];
      const [beta] = gaServerEventToBeta(typed(example)) as [BetaServerEvent];
      const back = betaServerEventToGA(JSON.stringify(beta));
      expect(back).toMatchObject({ ok: true, generic: false, event: { type: ga } });
    },
  );

  it('turns beta session and response echoes back into GA', () => {
    const session = defaultRealtimeSession(
      { output_modalities: ['text'], audio: { output: { voice: 'ash' } } },
      { id: 'sess_2', createdAt: 0 },
    );
    const [beta] = gaServerEventToBeta({ type: 'session.updated', event_id: 'e', session });
    const back = betaServerEventToGA(beta);
    if (!back.ok || back.generic || back.event.type !== 'session.updated') {
      throw new Error('not typed');
    }
    expect(back.event.session).toMatchObject({
      type: 'realtime',
      object: 'realtime.session',
      id: 'sess_2',
      output_modalities: ['text'],
      audio: { output: { voice: 'ash', format: { type: 'audio/pcm', rate: 24000 } } },
    });
    const done = typed(SERVER_EVENT_EXAMPLES['response.done'][0]);
    const [betaDone] = gaServerEventToBeta(done);
    const doneBack = betaServerEventToGA(betaDone);
    expect(doneBack).toMatchObject({ ok: true, generic: false });
    if (doneBack.ok && !doneBack.generic && doneBack.event.type === 'response.done') {
      expect(doneBack.event.response.output).toEqual(
        done.type === 'response.done' ? done.response.output : [],
      );
    }
  });
});

describe('beta → GA client events', () => {
  it('translates a full beta session.update', () => {
    const { event, extras } = translate({
      type: 'session.update',
      event_id: 'evt_b1',
      session: {
        modalities: ['text', 'audio'],
        instructions: 'Be nice.',
        voice: 'verse',
        input_audio_format: 'g711_ulaw',
        output_audio_format: 'g711_alaw',
        input_audio_transcription: { model: 'whisper-1' },
        input_audio_noise_reduction: { type: 'near_field' },
        turn_detection: { type: 'server_vad', threshold: 0.6, silence_duration_ms: 500 },
        tools: [{ type: 'function', name: 'lookup', parameters: { type: 'object' } }],
        tool_choice: 'auto',
        temperature: 0.7,
        max_response_output_tokens: 256,
        speed: 1.1,
      },
    });
    expect(event).toEqual({
      type: 'session.update',
      event_id: 'evt_b1',
      session: {
        type: 'realtime',
        output_modalities: ['audio'],
        instructions: 'Be nice.',
        audio: {
          input: {
            format: { type: 'audio/pcmu' },
            transcription: { model: 'whisper-1' },
            noise_reduction: { type: 'near_field' },
            turn_detection: { type: 'server_vad', threshold: 0.6, silence_duration_ms: 500 },
          },
          output: { format: { type: 'audio/pcma' }, voice: 'verse', speed: 1.1 },
        },
        tools: [{ type: 'function', name: 'lookup', parameters: { type: 'object' } }],
        tool_choice: 'auto',
        max_output_tokens: 256,
      },
    });
    expect(extras).toEqual({ temperature: 0.7, modalities: ['text', 'audio'] });
  });

  it('maps text-only modalities, semantic VAD and a null turn detection', () => {
    const a = translate({
      type: 'session.update',
      session: { modalities: ['text'], turn_detection: { type: 'semantic_vad', eagerness: 'low' } },
    });
    expect(a.event).toMatchObject({
      session: {
        output_modalities: ['text'],
        audio: { input: { turn_detection: { type: 'semantic_vad', eagerness: 'low' } } },
      },
    });
    const b = translate({ type: 'session.update', session: { turn_detection: null } });
    expect(b.event).toEqual({
      type: 'session.update',
      session: { type: 'realtime', audio: { input: { turn_detection: null } } },
    });
  });

  it('translates transcription_session.update to a transcription session.update', () => {
    const { event } = translate({
      type: 'transcription_session.update',
      session: {
        input_audio_format: 'pcm16',
        input_audio_transcription: { model: 'gpt-4o-transcribe', prompt: '', language: '' },
        turn_detection: {
          type: 'server_vad',
          threshold: 0.5,
          prefix_padding_ms: 300,
          silence_duration_ms: 500,
          create_response: true,
        },
        input_audio_noise_reduction: { type: 'near_field' },
        include: ['item.input_audio_transcription.logprobs'],
      },
    });
    expect(event).toEqual({
      type: 'session.update',
      session: {
        type: 'transcription',
        audio: {
          input: {
            format: { type: 'audio/pcm', rate: 24000 },
            transcription: { model: 'gpt-4o-transcribe', prompt: '', language: '' },
            noise_reduction: { type: 'near_field' },
            turn_detection: {
              type: 'server_vad',
              threshold: 0.5,
              prefix_padding_ms: 300,
              silence_duration_ms: 500,
              create_response: true,
            },
          },
        },
        include: ['item.input_audio_transcription.logprobs'],
      },
    });
  });

  it('translates a beta response.create', () => {
    const { event, extras } = translate({
      type: 'response.create',
      response: {
        modalities: ['text'],
        voice: 'sage',
        output_audio_format: 'pcm16',
        temperature: 1.0,
        max_response_output_tokens: 'inf',
        conversation: 'none',
        input: [
          { type: 'item_reference', id: 'item_1' },
          { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Sum up.' }] },
        ],
      },
    });
    expect(event).toEqual({
      type: 'response.create',
      response: {
        output_modalities: ['text'],
        audio: { output: { voice: 'sage', format: { type: 'audio/pcm', rate: 24000 } } },
        max_output_tokens: 'inf',
        conversation: 'none',
        input: [
          { type: 'item_reference', id: 'item_1' },
          { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Sum up.' }] },
        ],
      },
    });
    expect(extras).toEqual({ temperature: 1.0, modalities: ['text'] });
  });

  it('translates beta assistant items (text/audio parts) and infers a missing item type', () => {
    const { event } = translate({
      type: 'conversation.item.create',
      item: {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Hello.' },
          { type: 'audio', transcript: 'Hello.' },
        ],
      },
    });
    expect(event).toEqual({
      type: 'conversation.item.create',
      item: {
        type: 'message',
        role: 'assistant',
        content: [
          { type: 'output_text', text: 'Hello.' },
          { type: 'output_audio', transcript: 'Hello.' },
        ],
      },
    });
  });

  it('passes events that are the same in both shapes through GA validation', () => {
    const { event } = translate('{"type":"input_audio_buffer.append","audio":"AAAA"}');
    expect(event).toEqual({ type: 'input_audio_buffer.append', audio: 'AAAA' });
  });

  it.each([
    [
      'a bad beta audio format',
      { type: 'session.update', session: { input_audio_format: 'pcm' } },
      'invalid_value',
      'session.input_audio_format',
      "Invalid value: 'pcm'. Supported values are: 'pcm16', 'g711_ulaw', and 'g711_alaw'.",
    ],
    [
      'a temperature above 1.2',
      { type: 'session.update', session: { temperature: 1.5 } },
      'decimal_above_max_value',
      'session.temperature',
      undefined,
    ],
    [
      'a GA field in a beta session',
      { type: 'session.update', session: { type: 'realtime' } },
      'unknown_parameter',
      'session.type',
      undefined,
    ],
    [
      'a bad flat turn detection',
      { type: 'session.update', session: { turn_detection: { type: 'server_vad', threshold: 2 } } },
      'decimal_above_max_value',
      'session.turn_detection.threshold',
      undefined,
    ],
    [
      'a bad beta response format',
      { type: 'response.create', response: { output_audio_format: 'mp3' } },
      'invalid_value',
      'response.output_audio_format',
      undefined,
    ],
    [
      'a bad beta part type',
      {
        type: 'conversation.item.create',
        item: { type: 'message', role: 'user', content: [{ type: 'image' }] },
      },
      'invalid_value',
      'item.content[0].type',
      undefined,
    ],
    ['an unknown event type', { type: 'ping' }, 'invalid_value', 'type', undefined],
  ])('reports %s with the beta param name', (_name, input, code, param, message) => {
    const result = betaClientEventToGA({ ...input, event_id: 'evt_beta' });
    expect(result).toMatchObject({ ok: false, error: { code, param, event_id: 'evt_beta' } });
    if (message !== undefined && !result.ok) expect(result.error.message).toBe(message);
  });

  it('lists transcription_session.update among the beta client types', () => {
    expect(BETA_CLIENT_EVENT_TYPES).toContain('transcription_session.update');
    expect(BETA_CLIENT_EVENT_TYPES).toHaveLength(12);
  });

  it('never throws and only returns documented codes', () => {
    const codes = new Set<string>(CLIENT_ERROR_CODES);
    const betaLike = fc.record(
      {
        type: fc.constantFrom(...BETA_CLIENT_EVENT_TYPES, 'other'),
        session: fc.dictionary(
          fc.constantFrom(
            'modalities',
            'voice',
            'input_audio_format',
            'turn_detection',
            'temperature',
          ),
          fc.jsonValue({ maxDepth: 2 }),
        ),
        response: fc.jsonValue({ maxDepth: 2 }),
        item: fc.jsonValue({ maxDepth: 2 }),
      },
      { requiredKeys: ['type'] },
    );
    fc.assert(
      fc.property(fc.oneof(betaLike, fc.jsonValue()), (input) => {
        for (const frame of [input, JSON.stringify(input)]) {
          const result = betaClientEventToGA(frame);
          if (!result.ok) expect(codes.has(result.error.code), result.error.code).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('session round trips', () => {
  it('returns the GA config after GA → beta → GA', () => {
    const ga = defaultRealtimeSession(
      {
        output_modalities: ['text'],
        instructions: 'Round trip.',
        audio: {
          input: {
            format: { type: 'audio/pcmu' },
            transcription: { model: 'whisper-1' },
            noise_reduction: { type: 'far_field' },
            turn_detection: { type: 'semantic_vad', eagerness: 'medium' },
          },
          output: { format: { type: 'audio/pcma' }, voice: 'coral', speed: 1.2 },
        },
        tools: [{ type: 'function', name: 'f', description: 'd', parameters: {} }],
        tool_choice: 'required',
        max_output_tokens: 1000,
      },
      { id: 'sess_rt', createdAt: 0 },
    );
    const beta = gaSessionToBeta(ga, { temperature: 0.9 });
    expect(beta).toMatchObject({ object: 'realtime.session', temperature: 0.9 });
    const { object: _o, id: _i, expires_at: _e, temperature, ...config } = beta as BetaSession;
    expect(temperature).toBe(0.9);
    const { session, extras } = betaSessionToGA(config as BetaSessionUpdate);
    expect(extras).toEqual({ modalities: ['text'] });
    // Beta has no `truncation`; everything else survives the trip.
    const { object: _go, id: _gi, expires_at: _ge, truncation: _t, ...gaConfig } = ga;
    expect(session).toEqual(gaConfig);
  });

  it('converts GA items to beta and keeps non-assistant items unchanged', () => {
    const fc1 = { type: 'function_call' as const, name: 'f', arguments: '{}', call_id: 'c' };
    expect(gaItemToBeta(fc1)).toEqual(fc1);
    expect(
      gaItemToBeta({
        type: 'message',
        role: 'assistant',
        content: [{ type: 'output_audio', transcript: 'x' }],
      }),
    ).toEqual({
      type: 'message',
      role: 'assistant',
      content: [{ type: 'audio', transcript: 'x' }],
    });
  });
});
