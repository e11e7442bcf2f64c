/**
 * Conformance through the official `@openai/agents-realtime` SDK, unchanged, over its WebSocket transport with the
 * `url` option: a text turn and a tool call (the SDK runs the tool, sends its output, and gets the follow-up).
 */
import {
  OpenAIRealtimeWebSocket,
  RealtimeAgent,
  RealtimeSession,
  tool,
} from '@openai/agents-realtime';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startLocalRealtime } from '../src/testing/index.js';
import type { LocalRealtimeHandle } from '../src/testing/index.js';

let engine: LocalRealtimeHandle;
let session: RealtimeSession | null = null;

beforeEach(async () => {
  engine = await startLocalRealtime();
});

afterEach(async () => {
  session?.close();
  session = null;
  await engine.close();
});

/** Resolves when `predicate` holds for the session's history. */
function historyWhere(s: RealtimeSession, predicate: () => boolean): Promise<void> {
  if (predicate()) return Promise.resolve();
  return new Promise((resolve) => {
    const check = (): void => {
      if (!predicate()) return;
      s.off('history_updated', check);
      resolve();
    };
    s.on('history_updated', check);
  });
}

function assistantTexts(s: RealtimeSession): string[] {
  return s.history.flatMap((item) =>
    item.type === 'message' && item.role === 'assistant'
      ? item.content.map((part) =>
          part.type === 'output_text'
            ? part.text
            : part.type === 'output_audio'
              ? (part.transcript ?? '')
              : '',
        )
      : [],
  );
}

async function connect(
  agent: RealtimeAgent,
  outputModalities: ('text' | 'audio')[],
): Promise<RealtimeSession> {
  const transport = new OpenAIRealtimeWebSocket({ url: `${engine.url}?model=gpt-realtime` });
  const s = new RealtimeSession(agent, {
    transport,
    model: 'gpt-realtime',
    config: { outputModalities },
  });
  const created = new Promise<void>((resolve) => {
    s.on('transport_event', (event) => {
      if (event.type === 'session.updated') resolve();
    });
  });
  await s.connect({ apiKey: 'sk-local-test' });
  await created;
  return s;
}

describe('@openai/agents-realtime over WebSocket', () => {
  it('completes a text turn', async () => {
    const agent = new RealtimeAgent({ name: 'Greeter', instructions: 'Be brief.' });
    session = await connect(agent, ['text']);
    const errors: unknown[] = [];
    session.on('error', (e) => errors.push(e));
    session.sendMessage('Hello there!');
    await historyWhere(session, () =>
      assistantTexts(session!).some((t) =>
        /Hello! How can I help you today\?|Hi there! What can I do for you\?/.test(t),
      ),
    );
    expect(errors).toEqual([]);
    const user = session.history.find((item) => item.type === 'message' && item.role === 'user');
    expect(user).toBeDefined();
  });

  it('runs a tool call: the SDK executes the tool, sends the output and receives the follow-up', async () => {
    const calls: string[] = [];
    const getWeather = tool({
      name: 'get_weather',
      description: 'The weather in a city.',
      parameters: z.object({ city: z.string() }),
      execute: ({ city }) => {
        calls.push(city);
        return JSON.stringify({ summary: `sunny and 21 °C in ${city}` });
      },
    });
    const agent = new RealtimeAgent({
      name: 'Weather',
      instructions: 'Use tools.',
      tools: [getWeather],
    });
    session = await connect(agent, ['text']);
    const toolEnded = new Promise<void>((resolve) =>
      session!.on('agent_tool_end', () => resolve()),
    );
    session.sendMessage("What's the weather in Paris?");
    await toolEnded;
    await historyWhere(session, () =>
      assistantTexts(session!).some((t) => t.includes('sunny and 21 °C in Paris')),
    );
    expect(calls).toEqual(['Paris']);
    // The SDK answered the call with one function_call_output item, then asked for the follow-up itself.
    const received = engine.sessions()[0]!.received;
    const outputAt = received.findIndex(
      (e) =>
        e.type === 'conversation.item.create' &&
        (e.item as { type?: string }).type === 'function_call_output',
    );
    expect(outputAt).toBeGreaterThan(0);
    expect(received.slice(outputAt + 1).some((e) => e.type === 'response.create')).toBe(true);
    expect(
      received.filter(
        (e) => (e.item as { type?: string } | undefined)?.type === 'function_call_output',
      ),
    ).toHaveLength(1);
  });

  it('plays an audio reply and reports its transcript', async () => {
    const agent = new RealtimeAgent({ name: 'Speaker', instructions: 'Talk.' });
    session = await connect(agent, ['audio']);
    let audioBytes = 0;
    session.on('audio', (event) => {
      audioBytes += event.data.byteLength;
    });
    session.sendMessage('play a tone');
    await historyWhere(session, () =>
      assistantTexts(session!).some((t) => t.includes('Here is a test tone.')),
    );
    expect(audioBytes).toBeGreaterThan(24_000 * 2 * 0.2);
  });
});
