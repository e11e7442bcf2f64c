import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LoadedScenario, SelectionInput } from '../src/scenario/index.js';
import { parseScenario, selectReply } from '../src/scenario/index.js';
import { startLocalRealtime } from '../src/testing/index.js';
import type { LocalRealtimeHandle } from '../src/testing/index.js';
import type { Json } from './helpers/ws-client.js';
import { joinDeltas, openSession, userText } from './helpers/session-client.js';
import type { SessionClient } from './helpers/session-client.js';

function scenario(text: string): LoadedScenario {
  const result = parseScenario(text, { fileName: 'tools.yaml' });
  if (!result.ok) throw result.error;
  return result.scenario;
}

const TOOLS_YAML = `
responses:
  - id: weather
    when: { keywords: [weather] }
    replies:
      - function_calls: [{ name: get_weather, arguments: { city: "{{city}}" } }]
  - id: weather_text
    when: { keywords: [forecast] }
    replies:
      - function_calls: [{ name: get_weather, arguments: {} }]
      - text: The forecast says sunshine.
  - id: booking
    when: { patterns: ["book (?<day>\\\\w+)"] }
    reply:
      text: Booking {{day}}, one moment.
  - id: book_call
    when: { keywords: [reserve] }
    reply:
      function_calls: [{ name: book, arguments: { day: "{{day}}" } }]
fallback:
  reply: { text: I can only chat right now. }
`;

const tools = scenario(TOOLS_YAML);

const base: SelectionInput = { text: '', turn: 1, modalities: ['text'], responseIndex: 0 };

describe('selecting a reply when tools are disabled', () => {
  it('answers a tool-only reply with the scenario fallback when the response offers no tools', () => {
    const selection = selectReply(tools, { ...base, text: 'weather in Paris', toolNames: [] });
    expect(selection.responseId).toBe('fallback');
    expect(selection.reply.text).toBe('I can only chat right now.');
    expect(selection.reply.functionCalls).toEqual([]);
    expect(selection.reasons).toContain('tools disabled for the response: text reply');
  });

  it("uses the response's own text alternative before the fallback", () => {
    const selection = selectReply(tools, { ...base, text: 'the forecast', toolNames: [] });
    expect(selection.responseId).toBe('weather_text');
    expect(selection.reply.text).toBe('The forecast says sunshine.');
  });

  it('keeps a tool-only reply when the response offers its tool', () => {
    const selection = selectReply(tools, {
      ...base,
      text: 'weather in Paris',
      toolNames: ['get_weather'],
    });
    expect(selection.responseId).toBe('weather');
    expect(selection.reply.functionCalls.map((c) => c.name)).toEqual(['get_weather']);
  });

  it('keeps a tool-only reply when no tool list is given (callers that do not filter)', () => {
    const selection = selectReply(tools, { ...base, text: 'weather in Paris' });
    expect(selection.responseId).toBe('weather');
  });
});

describe('selecting a reply for a forced function', () => {
  it('takes the best eligible response whose reply calls the forced function, with its captures', () => {
    const forced = scenario(`
responses:
  - id: chat
    priority: 5
    when: { keywords: [book] }
    reply: { text: Sure. }
  - id: call
    when: { patterns: ["book (?<day>\\\\w+)"] }
    reply:
      function_calls: [{ name: book, arguments: { day: "{{day}}" } }]
`);
    const plain = selectReply(forced, { ...base, text: 'book Monday', toolNames: ['book'] });
    expect(plain.responseId).toBe('chat');
    const selection = selectReply(forced, {
      ...base,
      text: 'book Monday',
      toolNames: ['book'],
      toolChoice: { name: 'book' },
    });
    expect(selection.responseId).toBe('call');
    expect(selection.reply.functionCalls).toEqual([
      { name: 'book', arguments: '{"day":"Monday"}' },
    ]);
    expect(selection.reasons).toContain('tool_choice book');
  });

  it('falls back to any response calling the function when none is eligible, with empty captures', () => {
    const selection = selectReply(tools, {
      ...base,
      text: 'hello',
      toolNames: ['book'],
      toolChoice: { name: 'book' },
    });
    expect(selection.responseId).toBe('book_call');
    expect(selection.reply.functionCalls).toEqual([{ name: 'book', arguments: '{}' }]);
  });

  it('picks the calling reply of a response that has several replies', () => {
    const selection = selectReply(tools, {
      ...base,
      text: 'the forecast',
      toolNames: ['get_weather'],
      toolChoice: 'required',
      uses: new Map([['weather_text', 1]]),
    });
    expect(selection.responseId).toBe('weather_text');
    expect(selection.replyIndex).toBe(0);
  });

  it('answers with text when the forced function is not offered and the best reply only calls tools', () => {
    const selection = selectReply(tools, {
      ...base,
      text: 'weather in Paris',
      toolNames: [],
      toolChoice: { name: 'get_weather' },
    });
    expect(selection.responseId).toBe('fallback');
    expect(selection.reply.text).toBe('I can only chat right now.');
  });

  it('leaves the selection alone when no reply calls the forced function', () => {
    const selection = selectReply(tools, {
      ...base,
      text: 'hello',
      toolNames: ['unknown_tool'],
      toolChoice: { name: 'unknown_tool' },
    });
    expect(selection.responseId).toBe('fallback');
  });
});

const functionTool = (name: string): Json => ({
  type: 'function',
  name,
  description: name,
  parameters: { type: 'object', properties: {} },
});

describe('tool_choice over the engine', () => {
  let engine: LocalRealtimeHandle;
  let client: SessionClient;

  beforeEach(async () => {
    engine = await startLocalRealtime({ scenario: tools });
    client = await openSession(engine);
    await client.expectNext('session.created');
    client.send({
      type: 'session.update',
      session: {
        type: 'realtime',
        output_modalities: ['text'],
        tools: [functionTool('get_weather'), functionTool('book')],
      },
    });
    await client.expectNext('session.updated');
  });

  afterEach(async () => {
    await client.close();
    await engine.close();
  });

  async function turn(text: string, response: Json = {}): Promise<Json[]> {
    client.send(userText(text));
    client.send({ type: 'response.create', response });
    return client.until('response.done');
  }

  function outputTypes(events: Json[]): string[] {
    const done = events.at(-1)?.response as { output: Json[] };
    return done.output.map((item) => String(item.type));
  }

  it('sends a tool-only reply as a function call under tool_choice auto', async () => {
    const events = await turn('weather in Paris');
    expect(outputTypes(events)).toEqual(['function_call']);
  });

  it('answers with text, not an empty message, under tool_choice none', async () => {
    const events = await turn('weather in Paris', { tool_choice: 'none' });
    expect(outputTypes(events)).toEqual(['message']);
    expect(joinDeltas(events, 'response.output_text.delta')).toBe('I can only chat right now.');
  });

  it('answers with text when the response overrides tools with none', async () => {
    const events = await turn('the forecast', { tools: [] });
    expect(outputTypes(events)).toEqual(['message']);
    expect(joinDeltas(events, 'response.output_text.delta')).toBe('The forecast says sunshine.');
  });

  it('calls the function a tool_choice names even when the best match is a text reply', async () => {
    const events = await turn('book Monday', { tool_choice: { type: 'function', name: 'book' } });
    expect(outputTypes(events)).toEqual(['function_call']);
    const call = events.find((e) => e.type === 'response.function_call_arguments.done');
    expect(call?.name).toBe('book');
    expect(JSON.parse(String(call?.arguments))).toEqual({});
  });
});
