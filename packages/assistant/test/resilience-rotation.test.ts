import { startLocalRealtime } from '@realtime-assistant/engine/testing';
import type { LocalRealtimeHandle } from '@realtime-assistant/engine/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { AppConfigSchema, ConversationController, conversationSettingsFrom } from '../src/index.js';
import type { ConversationSettings } from '../src/index.js';
import { conversationOf } from './helpers/engine-conversation.js';
import { FakeSink } from './helpers/fake-sink.js';
import { ManualClock } from './helpers/manual-clock.js';
import type { ManualTimer } from './helpers/manual-clock.js';

let engine: LocalRealtimeHandle | null = null;
let controller: ConversationController | null = null;

afterEach(async () => {
  controller?.close();
  controller = null;
  await engine?.close();
  engine = null;
});

const INTRODUCTION = 'Nice to meet you, Alex! How can I help?';

async function start(
  options: { speed?: number; marginMs?: number; settings?: Partial<ConversationSettings> } = {},
): Promise<{
  controller: ConversationController;
  engine: LocalRealtimeHandle;
  clock: ManualClock;
  rotation: ManualTimer;
}> {
  engine = await startLocalRealtime({ speed: options.speed ?? 0 });
  const clock = new ManualClock();
  controller = new ConversationController({
    url: engine.url,
    apiKey: 'sk-local-test-key',
    settings: conversationSettingsFrom(AppConfigSchema.parse({}), null, {
      transcriptionModel: null,
      outputModalities: ['text'],
      ...options.settings,
    }),
    sink: new FakeSink(),
    clock,
    random: () => 0.5,
    ...(options.marginMs !== undefined ? { rotation: { marginMs: options.marginMs } } : {}),
  });
  const rotation = clock.nextTimer();
  await controller.connect();
  return { controller, engine, clock, rotation: await rotation };
}

async function turn(c: ConversationController, text: string): Promise<string> {
  const reply = c.events.next('transcript_final', (e) => e.speaker === 'assistant');
  c.sendText(text);
  return (await reply).text;
}

describe('session rotation', () => {
  it('schedules the rotation the margin before the session expires', async () => {
    const { engine: e, clock, rotation } = await start();
    const created = e.sessions()[0]!.sent.find((event) => event.type === 'session.created');
    const expiresAtMs = (created!.session as { expires_at: number }).expires_at * 1000;
    expect(rotation.at).toBe(expiresAtMs - 5 * 60_000);
    expect(clock.pending()).toEqual([rotation]);
  });

  it('switches to a new session between turns without losing the conversation', async () => {
    const { controller: c, engine: e, clock, rotation } = await start();
    expect(await turn(c, 'my name is Alex')).toBe(INTRODUCTION);
    const [first] = e.sessions();
    const reconnects: unknown[] = [];
    c.events.on('reconnecting', (r) => reconnects.push(r));
    const states: string[] = [];
    c.events.on('connection_changed', ({ state }) => states.push(state.status));

    const rotated = c.events.next('session_rotated');
    const nextRotation = clock.nextTimer();
    clock.fire(rotation);
    const event = await rotated;
    const second = e.sessions()[1]!;
    expect(event).toEqual({
      previousSessionId: first!.id,
      realtimeSessionId: second.id,
      replayedItems: 2,
    });
    expect(c.connection).toMatchObject({ status: 'connected', realtimeSessionId: second.id });
    // The new session has its own rotation scheduled.
    expect(clock.pending()).toEqual([await nextRotation]);
    expect(reconnects).toEqual([]);
    expect(states).toEqual(['connected']);
    expect(second.received[0]).toMatchObject({ type: 'session.update' });

    expect(await turn(c, 'what is your name?')).toContain('LocalRealtime assistant');
    expect(conversationOf(second).map(([role]) => role)).toEqual([
      'user',
      'assistant',
      'user',
      'assistant',
    ]);
    expect(conversationOf(second).slice(0, 2)).toEqual([
      ['user', 'my name is Alex'],
      ['assistant', INTRODUCTION],
    ]);
    expect(c.transcripts().map((t) => t.speaker)).toEqual([
      'user',
      'assistant',
      'user',
      'assistant',
    ]);
  });

  it('waits for the reply in progress to finish before switching, and replays it too', async () => {
    const { controller: c, engine: e, clock, rotation } = await start({ speed: 1 });
    const order: string[] = [];
    c.events.on('turn_changed', ({ state }) => order.push(`turn:${state}`));
    c.events.on('session_rotated', () => order.push('rotated'));
    const speaking = c.events.next('turn_changed', (t) => t.state === 'speaking');
    c.sendText('my name is Alex');
    await speaking;
    const rotated = c.events.next('session_rotated');
    clock.fire(rotation);
    const event = await rotated;
    expect(order.slice(order.indexOf('turn:speaking'))).toEqual([
      'turn:speaking',
      'turn:listening',
      'rotated',
    ]);
    expect(event.replayedItems).toBe(2);
    expect(conversationOf(e.sessions()[1]!)).toEqual([
      ['user', 'my name is Alex'],
      ['assistant', INTRODUCTION],
    ]);
  });

  it('replays tool calls with their outputs', async () => {
    const { controller: c, engine: e, clock, rotation } = await start();
    // A tool round trip, created by the client (the assistant has no tools of its own to call).
    const callId = 'call_weather_1';
    const send = (item: Record<string, unknown>): void =>
      c.session.transport.sendEvent({ type: 'conversation.item.create', item });
    await turn(c, 'my name is Alex');
    const followUp = c.events.next('transcript_final', (t) => t.speaker === 'assistant');
    send({
      type: 'function_call',
      call_id: callId,
      name: 'get_weather',
      arguments: '{"city":"Paris"}',
    });
    send({ type: 'function_call_output', call_id: callId, output: '{"summary":"sunny, 21 °C"}' });
    c.session.transport.sendEvent({ type: 'response.create' });
    expect((await followUp).text).toBe("Here's the forecast: sunny, 21 °C");

    const rotated = c.events.next('session_rotated');
    clock.fire(rotation);
    expect((await rotated).replayedItems).toBe(5);
    expect(conversationOf(e.sessions()[1]!)).toEqual(conversationOf(e.sessions()[0]!));
    expect(conversationOf(e.sessions()[1]!)).toEqual([
      ['user', 'my name is Alex'],
      ['assistant', INTRODUCTION],
      ['function_call', callId],
      ['function_call_output', callId],
      ['assistant', "Here's the forecast: sunny, 21 °C"],
    ]);
  });

  it('a session expiry before the rotation is handled by reconnecting', async () => {
    const { controller: c, engine: e, clock } = await start();
    await turn(c, 'my name is Alex');
    const reconnecting = c.events.next('reconnecting');
    e.injectFault({ type: 'session_expired' });
    expect((await reconnecting).reason).toBe('session expired');
    // The rotation of the expired session is cancelled; only the reconnect delay is waiting.
    expect(clock.pending().map((t) => t.delayMs)).toEqual([250]);
    const reconnected = c.events.next('reconnected');
    clock.advance(250);
    expect(await reconnected).toEqual({ attempt: 1, replayedItems: 2 });
  });
});
