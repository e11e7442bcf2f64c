import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  betaClientEventToGA,
  betaServerEventShapeToGA,
  CLIENT_ERROR_CODES,
  gaClientEventToBeta,
  type BetaClientEvent,
} from '../src/index.js';

function toBeta(input: unknown, temperature?: number): BetaClientEvent {
  const result = gaClientEventToBeta(
    input,
    temperature === undefined ? {} : { extras: { temperature } },
  );
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.event;
}

/** A `session.update` the way @openai/agents-realtime builds it. */
const SDK_SESSION_UPDATE = {
  type: 'session.update',
  session: {
    type: 'realtime',
    instructions: 'Be brief.',
    model: 'gpt-realtime',
    output_modalities: ['audio'],
    audio: {
      input: {
        format: { type: 'audio/pcm', rate: 24000 },
        noise_reduction: null,
        transcription: { model: 'gpt-4o-mini-transcribe' },
        turn_detection: {
          type: 'server_vad',
          threshold: 0.5,
          prefix_padding_ms: 300,
          silence_duration_ms: 500,
          create_response: true,
          interrupt_response: true,
        },
      },
      output: { format: { type: 'audio/pcm', rate: 24000 }, voice: 'marin', speed: 1 },
    },
    tool_choice: 'auto',
    tools: [
      {
        type: 'function',
        name: 'get_weather',
        description: 'The weather',
        parameters: { type: 'object', properties: { city: { type: 'string' } } },
      },
    ],
  },
};

describe('GA → beta client events', () => {
  it('flattens a realtime session.update and adds the temperature', () => {
    expect(toBeta(SDK_SESSION_UPDATE, 0.8)).toEqual({
      type: 'session.update',
      session: {
        model: 'gpt-realtime',
        instructions: 'Be brief.',
        modalities: ['text', 'audio'],
        input_audio_format: 'pcm16',
        input_audio_noise_reduction: null,
        input_audio_transcription: { model: 'gpt-4o-mini-transcribe' },
        turn_detection: {
          type: 'server_vad',
          threshold: 0.5,
          prefix_padding_ms: 300,
          silence_duration_ms: 500,
          create_response: true,
          interrupt_response: true,
        },
        output_audio_format: 'pcm16',
        voice: 'marin',
        speed: 1,
        tool_choice: 'auto',
        tools: SDK_SESSION_UPDATE.session.tools,
        temperature: 0.8,
      },
    });
  });

  it('round-trips through betaClientEventToGA to the same GA session, the temperature as an extra', () => {
    const back = betaClientEventToGA(toBeta(SDK_SESSION_UPDATE, 1.1));
    expect(back).toEqual({
      ok: true,
      event: SDK_SESSION_UPDATE,
      extras: { temperature: 1.1, modalities: ['text', 'audio'] },
    });
  });

  it('sends no temperature when none is given', () => {
    const event = toBeta(SDK_SESSION_UPDATE);
    expect(event.type === 'session.update' && 'temperature' in event.session).toBe(false);
  });

  it('maps text output, G.711 formats, semantic VAD and a null turn detection', () => {
    const event = toBeta({
      type: 'session.update',
      event_id: 'evt_1',
      session: {
        type: 'realtime',
        output_modalities: ['text'],
        audio: {
          input: { format: { type: 'audio/pcmu' }, turn_detection: null },
          output: { format: { type: 'audio/pcma' } },
        },
        max_output_tokens: 'inf',
        truncation: 'auto',
        reasoning: { effort: 'low' },
      },
    });
    expect(event).toEqual({
      type: 'session.update',
      event_id: 'evt_1',
      session: {
        modalities: ['text'],
        input_audio_format: 'g711_ulaw',
        output_audio_format: 'g711_alaw',
        turn_detection: null,
        max_response_output_tokens: 'inf',
      },
    });
    const semantic = toBeta({
      type: 'session.update',
      session: {
        type: 'realtime',
        audio: { input: { turn_detection: { type: 'semantic_vad', eagerness: 'high' } } },
      },
    });
    expect(semantic).toMatchObject({
      session: { turn_detection: { type: 'semantic_vad', eagerness: 'high' } },
    });
  });

  it('turns a transcription session.update into transcription_session.update', () => {
    expect(
      toBeta({
        type: 'session.update',
        session: {
          type: 'transcription',
          audio: { input: { format: { type: 'audio/pcm', rate: 24000 }, transcription: null } },
        },
      }),
    ).toEqual({
      type: 'transcription_session.update',
      session: { input_audio_format: 'pcm16', input_audio_transcription: null },
    });
  });

  it('translates response.create parameters and keeps a bare response.create', () => {
    expect(toBeta({ type: 'response.create', event_id: 'r1' })).toEqual({
      type: 'response.create',
      event_id: 'r1',
    });
    expect(
      toBeta({
        type: 'response.create',
        response: {
          output_modalities: ['text'],
          instructions: 'Shout.',
          audio: { output: { voice: 'alloy', format: { type: 'audio/pcm' } } },
          max_output_tokens: 200,
          conversation: 'none',
          metadata: { topic: 'weather' },
          input: [
            { type: 'item_reference', id: 'item_1' },
            { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Hi' }] },
          ],
          parallel_tool_calls: true,
        },
      }),
    ).toEqual({
      type: 'response.create',
      response: {
        modalities: ['text'],
        instructions: 'Shout.',
        voice: 'alloy',
        output_audio_format: 'pcm16',
        max_response_output_tokens: 200,
        conversation: 'none',
        metadata: { topic: 'weather' },
        input: [
          { type: 'item_reference', id: 'item_1' },
          { type: 'message', role: 'assistant', content: [{ type: 'text', text: 'Hi' }] },
        ],
      },
    });
  });

  it('renames assistant parts of created items and keeps user, function and output items', () => {
    const assistant = toBeta({
      type: 'conversation.item.create',
      previous_item_id: 'item_0',
      item: {
        type: 'message',
        id: 'item_1',
        role: 'assistant',
        content: [
          { type: 'output_text', text: 'Sure.' },
          { type: 'output_audio', transcript: 'Sure.' },
        ],
      },
    });
    expect(assistant).toEqual({
      type: 'conversation.item.create',
      previous_item_id: 'item_0',
      item: {
        type: 'message',
        id: 'item_1',
        role: 'assistant',
        content: [
          { type: 'text', text: 'Sure.' },
          { type: 'audio', transcript: 'Sure.' },
        ],
      },
    });
    const items = [
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hello' }] },
      { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{}' },
      { type: 'function_call_output', call_id: 'call_1', output: '{"summary":"sun"}' },
    ];
    for (const item of items) {
      const event = { type: 'conversation.item.create', item };
      expect(toBeta(event)).toEqual(event);
      expect(betaClientEventToGA(toBeta(event))).toMatchObject({ ok: true, event });
    }
  });

  it('passes the events both shapes spell alike through unchanged', () => {
    const same = [
      { type: 'input_audio_buffer.append', audio: 'AAAA' },
      { type: 'input_audio_buffer.commit' },
      { type: 'input_audio_buffer.clear' },
      {
        type: 'conversation.item.truncate',
        item_id: 'item_1',
        content_index: 0,
        audio_end_ms: 300,
      },
      { type: 'conversation.item.delete', item_id: 'item_1' },
      { type: 'conversation.item.retrieve', item_id: 'item_1' },
      { type: 'response.cancel' },
    ];
    for (const event of same) expect(toBeta(JSON.stringify(event))).toEqual(event);
  });

  it('answers an invalid GA event with the GA error', () => {
    expect(gaClientEventToBeta({ type: 'session.update', session: { model: 'x' } })).toMatchObject({
      ok: false,
      error: { code: 'missing_required_parameter', param: 'session.type' },
    });
    expect(gaClientEventToBeta('not json')).toMatchObject({
      ok: false,
      error: { code: 'invalid_json' },
    });
  });

  it('answers a value beta cannot carry with a beta validation error', () => {
    const result = gaClientEventToBeta({
      type: 'conversation.item.create',
      event_id: 'e7',
      item: {
        type: 'message',
        role: 'user',
        content: [{ type: 'input_image', image_url: 'data:image/png;base64,AAAA' }],
      },
    });
    expect(result).toMatchObject({
      ok: false,
      error: { type: 'invalid_request_error', event_id: 'e7' },
    });
    if (!result.ok) expect(result.error.param).toMatch(/^item\.content\[0\]/);
  });

  it('never throws and returns a known error code for arbitrary input', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        const result = gaClientEventToBeta(input);
        if (!result.ok) expect(CLIENT_ERROR_CODES).toContain(result.error.code);
      }),
      { numRuns: 300 },
    );
  });
});

describe('beta → GA server event shapes', () => {
  it('reshapes without dropping fields the GA schema does not know', () => {
    expect(
      betaServerEventShapeToGA({
        type: 'response.audio_transcript.delta',
        event_id: 'event_1',
        response_id: 'resp_1',
        item_id: 'item_1',
        output_index: 0,
        content_index: 0,
        delta: 'Hi',
        obfuscation: 'xyz',
      }),
    ).toEqual({
      type: 'response.output_audio_transcript.delta',
      event_id: 'event_1',
      response_id: 'resp_1',
      item_id: 'item_1',
      output_index: 0,
      content_index: 0,
      delta: 'Hi',
      obfuscation: 'xyz',
    });
  });
});
