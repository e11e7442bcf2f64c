import { startLocalRealtime } from '@realtime-assistant/engine/testing';
import type { LocalRealtimeHandle } from '@realtime-assistant/engine/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AppConfigSchema,
  backoffDelayMs,
  ConversationController,
  conversationSettingsFrom,
  DEFAULT_BACKOFF,
} from '../src/index.js';
import type { AppEventName, BackoffPolicy } from '../src/index.js';
import { FakeSink } from './helpers/fake-sink.js';
import { ManualClock } from './helpers/manual-clock.js';
import { conversationOf } from './helpers/engine-conversation.js';

let engine: LocalRealtimeHandle | null = null;
let controller: ConversationController | null = null;

afterEach(async () => {
  controller?.close();
  controller = null;
  await engine?.close();
  engine = null;
});

const INTRODUCTION = 'Nice to meet you, Alex! How can I help?';

async function start(options: { reconnect?: Partial<BackoffPolicy> } = {}): Promise<{
  controller: ConversationController;
  engine: LocalRealtimeHandle;
  clock: ManualClock;
}> {
  engine = await startLocalRealtime();
  const clock = new ManualClock();
  controller = new ConversationController({
    url: engine.url,
    apiKey: 'sk-local-test-key',
    settings: conversationSettingsFrom(AppConfigSchema.parse({}), null, {
      transcriptionModel: null,
      outputModalities: ['text'],
    }),
    sink: new FakeSink(),
    clock,
    random: () => 0.5,
    rotation: false,
    ...(options.reconnect ? { reconnect: options.reconnect } : {}),
  });
  await controller.connect();
  return { controller, engine, clock };
}

/** Sends a message and resolves with the assistant's reply text. */
async function turn(c: ConversationController, text: string): Promise<string> {
  const reply = c.events.next('transcript_final', (e) => e.speaker === 'assistant');
  c.sendText(text);
  return (await reply).text;
}

/** App event names as they happen, for the resilience events and the connection states. */
function record(c: ConversationController): string[] {
  const seen: string[] = [];
  const watched = new Set<AppEventName>(['reconnecting', 'reconnected', 'error']);
  c.events.onAny((name, payload) => {
    if (name === 'connection_changed') {
      seen.push(`connection:${(payload as { state: { status: string } }).state.status}`);
    } else if (watched.has(name)) {
      seen.push(name);
    }
  });
  return seen;
}

function createdItems(e: LocalRealtimeHandle, session: number): unknown[] {
  const received = e.sessions()[session]?.received ?? [];
  return received
    .filter((event) => event.type === 'conversation.item.create')
    .map((event) => event.item);
}

describe('backoffDelayMs', () => {
  it('doubles from 250 ms and caps at 10 s without jitter at the midpoint', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((n) =>
      backoffDelayMs(n, DEFAULT_BACKOFF, () => 0.5),
    );
    expect(delays).toEqual([250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
  });

  it('spreads each delay by ±20 %', () => {
    expect(backoffDelayMs(3, DEFAULT_BACKOFF, () => 0)).toBe(800);
    expect(backoffDelayMs(3, DEFAULT_BACKOFF, () => 0.999_999)).toBe(1200);
    expect(backoffDelayMs(10, DEFAULT_BACKOFF, () => 0)).toBe(8000);
    expect(backoffDelayMs(10, DEFAULT_BACKOFF, () => 0.999_999)).toBe(12_000);
  });

  it('follows a custom policy', () => {
    const policy = { ...DEFAULT_BACKOFF, baseDelayMs: 100, factor: 3, maxDelayMs: 500, jitter: 0 };
    expect([1, 2, 3, 4].map((n) => backoffDelayMs(n, policy, () => 0.9))).toEqual([
      100, 300, 500, 500,
    ]);
  });
});

describe('reconnect', () => {
  it('reconnects after the engine drops the connection and replays the earlier turns as text', async () => {
    const { controller: c, engine: e, clock } = await start();
    expect(await turn(c, 'my name is Alex')).toBe(INTRODUCTION);
    const firstSessionId = c.realtimeSessionId;
    const seen = record(c);

    const reconnecting = c.events.next('reconnecting');
    e.injectFault({ type: 'close', code: 1011, reason: 'test', afterEvents: 0 });
    expect(await reconnecting).toEqual({ attempt: 1, delayMs: 250, reason: 'connection lost' });
    expect(c.connection).toEqual({
      status: 'reconnecting',
      attempt: 1,
      delayMs: 250,
      reason: 'connection lost',
    });
    expect(e.sessions()).toHaveLength(1);

    const reconnected = c.events.next('reconnected');
    clock.advance(249);
    expect(e.sessions()).toHaveLength(1);
    clock.advance(1);
    expect(await reconnected).toEqual({ attempt: 1, replayedItems: 2 });
    expect(seen).toEqual([
      'connection:reconnecting',
      'reconnecting',
      'connection:connected',
      'reconnected',
    ]);

    const sessions = e.sessions();
    expect(sessions).toHaveLength(2);
    expect(c.connection).toMatchObject({ status: 'connected', realtimeSessionId: sessions[1]!.id });
    expect(c.realtimeSessionId).not.toBe(firstSessionId);
    // The SDK re-applied the session config before the replay.
    expect(sessions[1]!.received[0]).toMatchObject({ type: 'session.update' });
    expect(createdItems(e, 1)).toEqual([
      expect.objectContaining({
        type: 'message',
        role: 'user',
        content: [{ type: 'input_text', text: 'my name is Alex' }],
      }),
      expect.objectContaining({
        type: 'message',
        role: 'assistant',
        content: [{ type: 'output_text', text: INTRODUCTION }],
      }),
    ]);

    // The next reply comes from the new session, with the earlier turns before it.
    expect(await turn(c, 'what is your name?')).toContain('LocalRealtime assistant');
    expect(conversationOf(sessions[1]!)).toEqual([
      ['user', 'my name is Alex'],
      ['assistant', INTRODUCTION],
      ['user', 'what is your name?'],
      [
        'assistant',
        "I'm the LocalRealtime assistant: a scripted stand-in for a real model, running on your machine.",
      ],
    ]);
    // The transcripts keep one entry per message, in order, across the two sessions.
    expect(c.transcripts().map((t) => [t.speaker, t.text.slice(0, 16)])).toEqual([
      ['user', 'my name is Alex'],
      ['assistant', 'Nice to meet you'],
      ['user', 'what is your nam'],
      ['assistant', "I'm the LocalRea"],
    ]);
  });

  it('goes back to listening when the connection drops mid-reply and replays what was received', async () => {
    engine = await startLocalRealtime({ speed: 1 });
    const clock = new ManualClock();
    const sink = new FakeSink();
    const c = new ConversationController({
      url: engine.url,
      apiKey: 'sk-local-test-key',
      settings: conversationSettingsFrom(AppConfigSchema.parse({}), null, {
        transcriptionModel: null,
      }),
      sink,
      clock,
      random: () => 0.5,
      rotation: false,
    });
    controller = c;
    await c.connect();
    c.sendText('play a tone');
    await sink.untilWrittenMs(100);
    expect(c.turn).toBe('speaking');
    const reconnecting = c.events.next('reconnecting');
    engine.injectFault({ type: 'close', code: 1011, reason: 'test', afterEvents: 0 });
    await reconnecting;
    expect(c.turn).toBe('listening');
    const reconnected = c.events.next('reconnected');
    clock.advance(250);
    expect(await reconnected).toEqual({ attempt: 1, replayedItems: 2 });
    const [user, assistant] = conversationOf(engine.sessions()[1]!);
    expect(user).toEqual(['user', 'play a tone']);
    expect(assistant?.[0]).toBe('assistant');
    expect('Here is a test tone.'.startsWith(assistant?.[1] ?? '-')).toBe(true);
  });

  it('reconnects with the reason "session expired" when the session reaches its maximum duration', async () => {
    const { controller: c, engine: e, clock } = await start();
    await turn(c, 'my name is Alex');
    const serverError = c.events.next('error');
    const reconnecting = c.events.next('reconnecting');
    e.injectFault({ type: 'session_expired' });
    expect(await serverError).toMatchObject({ source: 'server', code: 'session_expired' });
    expect(await reconnecting).toMatchObject({ attempt: 1, reason: 'session expired' });
    const reconnected = c.events.next('reconnected');
    clock.advance(250);
    expect(await reconnected).toEqual({ attempt: 1, replayedItems: 2 });
    expect(await turn(c, 'hello')).toMatch(/Hello! How can I help you today\?|Hi there!/);
  });

  it('sends text typed while reconnecting once reconnected', async () => {
    const { controller: c, engine: e, clock } = await start();
    const reconnecting = c.events.next('reconnecting');
    e.injectFault({ type: 'close', code: 1011, reason: 'test', afterEvents: 0 });
    await reconnecting;
    const reply = c.events.next('transcript_final', (t) => t.speaker === 'assistant');
    const queued = c.events.next('message_queued');
    c.sendText('my name is Alex');
    expect(await queued).toMatchObject({ until: 'reconnected', interrupting: false });
    clock.advance(250);
    expect((await reply).text).toBe(INTRODUCTION);
    expect(e.sessions()).toHaveLength(2);
  });

  it('backs off exponentially between failed attempts and gives up after the configured number', async () => {
    const { controller: c, engine: e, clock } = await start({ reconnect: { maxAttempts: 3 } });
    const seen = record(c);
    const delays: number[] = [];
    const reasons: string[] = [];
    c.events.on('reconnecting', ({ delayMs, reason }) => {
      delays.push(delayMs);
      reasons.push(reason);
    });
    const gaveUp = c.events.next('error', (err) => err.code === 'reconnect_failed');
    // Closing the engine drops the connection, and every attempt afterwards is refused.
    const first = clock.nextTimer();
    await e.close();
    engine = null;
    let timer = await first;
    for (let attempt = 1; attempt < 3; attempt++) {
      const next = clock.nextTimer();
      clock.fire(timer);
      timer = await next;
    }
    clock.fire(timer);
    const error = await gaveUp;
    expect(delays).toEqual([250, 500, 1000]);
    expect(error).toMatchObject({ source: 'transport', recoverable: false });
    expect(error.message).toMatch(/^gave up reconnecting after 3 attempts: /);
    // Each refused attempt says why, in the socket's words.
    expect(reasons.slice(1)).toEqual([
      expect.stringMatching(/^connect ECONNREFUSED 127\.0\.0\.1:\d+$/),
      expect.stringMatching(/^connect ECONNREFUSED 127\.0\.0\.1:\d+$/),
    ]);
    expect(error.message).toMatch(/: connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
    expect(c.connection).toEqual({ status: 'disconnected', reason: error.message });
    expect(seen).toEqual([
      'connection:reconnecting',
      'reconnecting',
      'connection:reconnecting',
      'reconnecting',
      'connection:reconnecting',
      'reconnecting',
      'connection:disconnected',
      'error',
    ]);
    expect(clock.pending()).toEqual([]);
  });

  it('does not reconnect after the user closes the conversation', async () => {
    const { controller: c, engine: e, clock } = await start();
    await turn(c, 'my name is Alex');
    const seen = record(c);
    c.close();
    // Shutting the engine down afterwards would surface any close the controller still treated as a drop.
    await e.close();
    engine = null;
    expect(seen).toEqual(['connection:disconnected']);
    expect(c.connection).toEqual({ status: 'disconnected', reason: 'closed' });
    expect(clock.pending()).toEqual([]);
    expect(e.sessions()).toHaveLength(1);
    expect(e.sessions()[0]!.open).toBe(false);
  });

  it('stops reconnecting when the user closes the conversation while waiting to reconnect', async () => {
    const { controller: c, engine: e, clock } = await start();
    const reconnecting = c.events.next('reconnecting');
    e.injectFault({ type: 'close', code: 1011, reason: 'test', afterEvents: 0 });
    await reconnecting;
    expect(clock.pending()).toHaveLength(1);
    const reconnected: unknown[] = [];
    c.events.on('reconnected', (r) => reconnected.push(r));
    c.close();
    expect(clock.pending()).toEqual([]);
    expect(c.connection).toEqual({ status: 'disconnected', reason: 'closed' });
    expect(e.sessions()).toHaveLength(1);
    expect(reconnected).toEqual([]);
  });

  it('does not reconnect when reconnecting is turned off', async () => {
    engine = await startLocalRealtime();
    const clock = new ManualClock();
    controller = new ConversationController({
      url: engine.url,
      apiKey: 'sk-local-test-key',
      settings: conversationSettingsFrom(AppConfigSchema.parse({}), null, {
        transcriptionModel: null,
      }),
      sink: new FakeSink(),
      clock,
      reconnect: false,
      rotation: false,
    });
    await controller.connect();
    const lost = controller.events.next(
      'connection_changed',
      (e) => e.state.status === 'disconnected',
    );
    engine.injectFault({ type: 'close', code: 1011, reason: 'test', afterEvents: 0 });
    expect((await lost).state).toEqual({ status: 'disconnected', reason: 'connection lost' });
    expect(clock.pending()).toEqual([]);
  });
});
