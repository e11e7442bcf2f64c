import { startLocalRealtime } from '@realtime-assistant/engine/testing';
import type { LocalRealtimeHandle } from '@realtime-assistant/engine/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { AppConfigSchema, ConversationController, conversationSettingsFrom } from '../src/index.js';
import type {
  AppEventMap,
  ConversationSettings,
  RealtimeTools,
  TurnState,
  TypedWhileAnswering,
} from '../src/index.js';
import { FakeSink } from './helpers/fake-sink.js';
import { weatherTool } from './helpers/weather-tool.js';

let engine: LocalRealtimeHandle | null = null;
let controller: ConversationController | null = null;

afterEach(async () => {
  controller?.close();
  controller = null;
  await engine?.close();
  engine = null;
});

function settings(overrides: Partial<ConversationSettings> = {}): ConversationSettings {
  return conversationSettingsFrom(AppConfigSchema.parse({}), null, {
    transcriptionModel: null,
    ...overrides,
  });
}

async function start(
  options: {
    speed?: number;
    settings?: Partial<ConversationSettings>;
    sink?: FakeSink;
    typedWhileAnswering?: TypedWhileAnswering;
    tools?: RealtimeTools;
  } = {},
): Promise<{ controller: ConversationController; sink: FakeSink; engine: LocalRealtimeHandle }> {
  engine = await startLocalRealtime({ speed: options.speed ?? 0 });
  const sink = options.sink ?? new FakeSink();
  controller = new ConversationController({
    url: engine.url,
    apiKey: 'sk-local-test-key',
    settings: settings(options.settings),
    sink,
    ...(options.typedWhileAnswering ? { typedWhileAnswering: options.typedWhileAnswering } : {}),
    ...(options.tools ? { tools: options.tools } : {}),
  });
  await controller.connect();
  return { controller, sink, engine };
}

/**
 * The typed message went as its own turn after the cut reply, and the engine refused nothing; `answered`: its reply
 * is in the transcripts too.
 */
function expectSentAfterTheCutReply(
  c: ConversationController,
  e: LocalRealtimeHandle,
  { answered = false }: { answered?: boolean } = {},
): void {
  expect(received(e, 'response.create')).toHaveLength(2);
  expect(e.sessions()[0]!.sent.filter((event) => event.type === 'error')).toEqual([]);
  expect(c.transcripts().map((t) => [t.speaker, t.interrupted])).toEqual([
    ['user', false],
    ['assistant', true],
    ['user', false],
    ...(answered ? [['assistant', false]] : []),
  ]);
}

function received(e: LocalRealtimeHandle, type: string): Record<string, unknown>[] {
  return e.sessions()[0]!.received.filter((event) => event.type === type);
}

describe('ConversationController', () => {
  it('connects, reports the connection states and the realtime session id', async () => {
    engine = await startLocalRealtime();
    controller = new ConversationController({
      url: engine.url,
      apiKey: 'sk-local-test-key',
      settings: settings(),
      sink: new FakeSink(),
    });
    const states: string[] = [];
    controller.events.on('connection_changed', ({ state }) => states.push(state.status));
    const started = controller.events.next('session_started');
    await controller.connect();
    const { realtimeSessionId } = await started;
    expect(states).toEqual(['connecting', 'connected']);
    expect(realtimeSessionId).toMatch(/^sess_/);
    expect(controller.connection).toMatchObject({ status: 'connected', realtimeSessionId });
    controller.close();
    expect(controller.connection).toEqual({ status: 'disconnected', reason: 'closed' });
  });

  it('completes a text turn, moving thinking → speaking → listening, with transcripts in item order', async () => {
    const { controller: c } = await start({ settings: { outputModalities: ['text'] } });
    const turns: TurnState[] = [];
    c.events.on('turn_changed', ({ state }) => turns.push(state));
    const finals: AppEventMap['transcript_final'][] = [];
    c.events.on('transcript_final', (e) => finals.push(e));
    const usage = c.events.next('usage_updated');
    const reply = c.events.next('transcript_final', (e) => e.speaker === 'assistant');
    c.sendText('Hello there!');
    const { text } = await reply;
    expect(text).toMatch(/Hello! How can I help you today\?|Hi there! What can I do for you\?/);
    const { totals } = await usage;
    expect(totals.responses).toBe(1);
    expect(totals.totalTokens).toBeGreaterThan(0);
    expect(turns).toEqual(['thinking', 'speaking', 'listening']);
    expect(c.transcripts().map((t) => [t.speaker, t.final])).toEqual([
      ['user', true],
      ['assistant', true],
    ]);
    expect(finals.map((f) => [f.speaker, f.order])).toEqual([
      ['user', 0],
      ['assistant', 1],
    ]);
  });

  it('keeps two turns in conversation order and sums usage', async () => {
    const { controller: c } = await start({ settings: { outputModalities: ['text'] } });
    const first = c.events.next('usage_updated');
    c.sendText('Hello there!');
    await first;
    const second = c.events.next('usage_updated');
    c.sendText('what is your name?');
    const { totals, response } = await second;
    expect(totals.responses).toBe(2);
    expect(totals.totalTokens).toBeGreaterThan(response.totalTokens);
    const entries = c.transcripts();
    expect(entries.map((t) => t.speaker)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(entries[2]!.text).toBe('what is your name?');
    expect(entries[3]!.text).toContain('LocalRealtime assistant');
  });

  it('answers messages typed during a reply one at a time, in the order typed', async () => {
    const { controller: c, engine: e } = await start({ settings: { outputModalities: ['text'] } });
    const queued: AppEventMap['message_queued'][] = [];
    c.events.on('message_queued', (q) => queued.push(q));
    const errors: AppEventMap['error'][] = [];
    c.events.on('error', (err) => errors.push(err));
    const turns: TurnState[] = [];
    c.events.on('turn_changed', ({ state }) => turns.push(state));
    const third = c.events.next('usage_updated', (u) => u.totals.responses === 3);
    c.sendText('Hello there!');
    c.sendText('what is your name?');
    c.sendText('what time is it?');
    expect(queued).toEqual([
      { text: 'what is your name?', waiting: 1, until: 'turn_over', interrupting: false },
      { text: 'what time is it?', waiting: 2, until: 'turn_over', interrupting: false },
    ]);
    expect(c.queuedMessages).toBe(2);
    await third;
    const entries = c.transcripts();
    expect(entries.map((t) => t.speaker)).toEqual([
      'user',
      'assistant',
      'user',
      'assistant',
      'user',
      'assistant',
    ]);
    expect(entries.filter((t) => t.speaker === 'user').map((t) => t.text)).toEqual([
      'Hello there!',
      'what is your name?',
      'what time is it?',
    ]);
    expect(entries[3]!.text).toContain('LocalRealtime assistant');
    expect(entries[5]!.text).toMatch(/^It's \d/);
    // One response.create per message, each after the reply before it: no refused or merged request.
    expect(received(e, 'response.create')).toHaveLength(3);
    expect(errors).toEqual([]);
    // The next message went as each reply ended: the turn only came back to listening at the end.
    expect(turns).toEqual([
      'thinking',
      'speaking',
      'thinking',
      'speaking',
      'thinking',
      'speaking',
      'listening',
    ]);
    expect(c.queuedMessages).toBe(0);
  });

  it('ends the turn when the server refuses the response.create, and sends what was typed meanwhile', async () => {
    const { controller: c, engine: e } = await start({ settings: { outputModalities: ['text'] } });
    e.injectFaultOnNextResponse({
      type: 'refuse',
      code: 'conversation_already_has_active_response',
      message: 'Refused.',
    });
    const errors: AppEventMap['error'][] = [];
    c.events.on('error', (err) => errors.push(err));
    const turns: TurnState[] = [];
    c.events.on('turn_changed', ({ state }) => turns.push(state));
    const answered = c.events.next('transcript_final', (t) => t.speaker === 'assistant');
    const listening = c.events.next('turn_changed', (t) => t.state === 'listening');
    c.sendText('Hello there!');
    c.sendText('what is your name?');
    expect((await answered).text).toContain('LocalRealtime assistant');
    await listening;
    // The first message was refused (said as a server error); the second went at once, not after a reconnect.
    expect(errors).toEqual([
      {
        source: 'server',
        message: 'Refused.',
        code: 'conversation_already_has_active_response',
        recoverable: true,
      },
    ]);
    expect(received(e, 'response.create')).toHaveLength(2);
    expect(c.connection.status).toBe('connected');
    expect(turns).toEqual(['thinking', 'speaking', 'listening']);
    expect(c.queuedMessages).toBe(0);
    // And the conversation goes on.
    const next = c.events.next('transcript_final', (t) => t.speaker === 'assistant');
    c.sendText('what time is it?');
    expect((await next).text).toMatch(/^It's \d/);
  });

  it('ends the turn when the server refuses the response.create', async () => {
    const { controller: c, engine: e } = await start({ settings: { outputModalities: ['text'] } });
    e.injectFaultOnNextResponse({ type: 'refuse', code: 'server_error', message: 'Refused.' });
    const listening = c.events.next('turn_changed', (t) => t.state === 'listening');
    c.sendText('Hello there!');
    expect(c.turn).toBe('thinking');
    await listening;
    expect(c.transcripts().map((t) => t.speaker)).toEqual(['user']);
  });

  it('ends the turn, and sends what was typed meanwhile, when the sink lost the reply (its device died)', async () => {
    const sink = new FakeSink();
    // Nothing was heard, and nothing is left to play: the device died and dropped the audio.
    sink.reportPlayedMs = 0;
    sink.reportUnplayedMs = 0;
    const { controller: c } = await start({ sink });
    c.sendText('play a tone');
    c.sendText('what is your name?');
    const answered = await c.events.next(
      'transcript_final',
      (t) => t.speaker === 'assistant' && t.text.includes('LocalRealtime'),
    );
    expect(answered.text).toContain('LocalRealtime assistant');
    expect(c.queuedMessages).toBe(0);
  });

  it('plays an audio reply through the sink and keeps its transcript', async () => {
    const { controller: c, sink } = await start();
    const reply = c.events.next('transcript_final', (e) => e.speaker === 'assistant');
    c.sendText('play a tone');
    expect((await reply).text).toBe('Here is a test tone.');
    // 800 ms of 24 kHz PCM16.
    expect(sink.writtenBytes).toBeGreaterThanOrEqual(0.8 * 48_000 - 48);
  });
});

describe('interruption', () => {
  it('truncates the item at the position the sink played and cancels the running response', async () => {
    const { controller: c, sink, engine: e } = await start({ speed: 1 });
    const interrupted = c.events.next('interrupted');
    c.sendText('play a tone');
    await sink.untilWrittenMs(400);
    sink.reportPlayedMs = 300;
    c.interrupt();
    const event = await interrupted;
    expect(event).toMatchObject({
      reason: 'manual',
      played_ms: 300,
      truncated_ms: 300,
      action: 'truncate',
      cancelled: true,
    });
    await c.events.next('usage_updated');
    const truncates = received(e, 'conversation.item.truncate');
    expect(truncates).toEqual([
      expect.objectContaining({ item_id: event.itemId, content_index: 0, audio_end_ms: 300 }),
    ]);
    expect(received(e, 'response.cancel')).toHaveLength(1);
    expect(received(e, 'conversation.item.delete')).toHaveLength(0);
    expect(c.turn).toBe('listening');
    // Audio still in flight after the cut is not played.
    expect(sink.writtenBytes).toBe(0);
  });

  it('sends a message typed during the reply once the interrupted reply has ended', async () => {
    const { controller: c, sink, engine: e } = await start({ speed: 1 });
    c.sendText('play a tone');
    await sink.untilWrittenMs(400);
    c.sendText('what is your name?');
    expect(c.queuedMessages).toBe(1);
    expect(received(e, 'response.create')).toHaveLength(1);
    const answered = c.events.next(
      'transcript_final',
      (t) => t.speaker === 'user' && t.text === 'what is your name?',
    );
    sink.reportPlayedMs = 300;
    c.interrupt();
    await answered;
    expect(c.queuedMessages).toBe(0);
    expectSentAfterTheCutReply(c, e);
  });

  it('with typedWhileAnswering interrupt, a message typed over the reply cuts it where it was heard and goes next', async () => {
    const {
      controller: c,
      sink,
      engine: e,
    } = await start({
      speed: 1,
      typedWhileAnswering: 'interrupt',
    });
    c.sendText('play a tone');
    await sink.untilWrittenMs(400);
    sink.reportPlayedMs = 300;
    const interrupted = c.events.next('interrupted');
    const queued = c.events.next('message_queued');
    const answered = c.events.next(
      'transcript_final',
      (t) => t.speaker === 'user' && t.text === 'what is your name?',
    );
    c.sendText('what is your name?');
    expect(await queued).toEqual({
      text: 'what is your name?',
      waiting: 1,
      until: 'turn_over',
      interrupting: true,
    });
    expect(await interrupted).toMatchObject({
      reason: 'manual',
      truncated_ms: 300,
      action: 'truncate',
      cancelled: true,
    });
    await answered;
    expect(received(e, 'response.cancel')).toHaveLength(1);
    expectSentAfterTheCutReply(c, e);
  });

  it('with typedWhileAnswering interrupt, a message typed over a text reply stops it where it had got to', async () => {
    const { controller: c, engine: e } = await start({
      speed: 1,
      typedWhileAnswering: 'interrupt',
      settings: { outputModalities: ['text'] },
    });
    const started = c.events.next('transcript_delta', (t) => t.speaker === 'assistant');
    c.sendText('what is the weather?');
    const { itemId } = await started;
    const interrupted = c.events.next('interrupted');
    const cut = c.events.next('transcript_final', (t) => t.itemId === itemId);
    const answered = c.events.next(
      'transcript_final',
      (t) => t.speaker === 'assistant' && t.itemId !== itemId,
    );
    c.sendText('what is your name?');
    expect(await interrupted).toEqual({
      reason: 'manual',
      itemId,
      played_ms: 0,
      truncated_ms: null,
      received_ms: 0,
      action: 'cancel',
      cancelled: true,
    });
    expect(await cut).toMatchObject({ speaker: 'assistant', interrupted: true });
    expect((await answered).text).toContain('LocalRealtime assistant');
    expect(received(e, 'response.cancel')).toHaveLength(1);
    expectSentAfterTheCutReply(c, e, { answered: true });
  });

  it('with typedWhileAnswering interrupt, a message typed while a tool runs goes after the reply to its output', async () => {
    let release = (): void => undefined;
    const toolDone = new Promise<void>((resolve) => (release = resolve));
    const { controller: c, engine: e } = await start({
      typedWhileAnswering: 'interrupt',
      settings: { outputModalities: ['text'] },
      tools: [weatherTool(toolDone)],
    });
    const called = c.events.next('tool_call');
    c.sendText("what's the weather in Paris?");
    await called;
    const queued = c.events.next('message_queued');
    c.sendText('what is your name?');
    expect(await queued).toMatchObject({ interrupting: false });
    const named = c.events.next(
      'transcript_final',
      (t) => t.speaker === 'assistant' && t.text.includes('LocalRealtime'),
    );
    release();
    await named;
    expect(received(e, 'response.cancel')).toHaveLength(0);
    // The tool's answer came first, then the question typed while it ran.
    expect(c.transcripts().map((t) => [t.speaker, t.text])).toEqual([
      ['user', "what's the weather in Paris?"],
      ['assistant', "Here's the forecast: Sunny in Paris"],
      ['user', 'what is your name?'],
      ['assistant', expect.stringContaining('LocalRealtime assistant')],
    ]);
  });

  it('clamps the cut to the audio received', async () => {
    const { controller: c, sink, engine: e } = await start({ speed: 1 });
    const interrupted = c.events.next('interrupted');
    c.sendText('play a tone');
    await sink.untilWrittenMs(200);
    sink.reportPlayedMs = 5_000;
    c.interrupt();
    const event = await interrupted;
    expect(event.truncated_ms).toBe(Math.floor(event.received_ms));
    expect(event.truncated_ms).toBeLessThan(800);
    await c.events.next('usage_updated');
    expect(received(e, 'conversation.item.truncate')[0]).toMatchObject({
      audio_end_ms: event.truncated_ms,
    });
  });

  it('deletes the item instead when nothing was played', async () => {
    const { controller: c, sink, engine: e } = await start({ speed: 1 });
    const interrupted = c.events.next('interrupted');
    const removed = c.events.next('transcript_removed');
    c.sendText('play a tone');
    await sink.untilWrittenMs(100);
    sink.reportPlayedMs = 0;
    const deleted = new Promise<void>((resolve) => {
      c.session.on('transport_event', (t) => {
        if (t.type === 'conversation.item.deleted') resolve();
      });
    });
    c.interrupt();
    const event = await interrupted;
    expect(event).toMatchObject({
      action: 'delete',
      played_ms: 0,
      truncated_ms: null,
      cancelled: true,
    });
    expect((await removed).itemId).toBe(event.itemId);
    await deleted;
    expect(received(e, 'conversation.item.delete')).toEqual([
      expect.objectContaining({ item_id: event.itemId }),
    ]);
    expect(received(e, 'conversation.item.truncate')).toHaveLength(0);
    expect(c.transcripts().map((t) => t.speaker)).toEqual(['user']);
  });

  it('sends no response.cancel when the response is already done, only the truncate', async () => {
    const { controller: c, sink, engine: e } = await start({ speed: 0 });
    const done = c.events.next('usage_updated');
    c.sendText('play a tone');
    await done;
    // Generation finished at once (speed 0), but the speaker has played only 250 ms of the 800 ms.
    sink.reportPlayedMs = 250;
    const interrupted = c.events.next('interrupted');
    c.interrupt();
    const event = await interrupted;
    expect(event).toMatchObject({
      played_ms: 250,
      truncated_ms: 250,
      action: 'truncate',
      cancelled: false,
    });
    await new Promise<void>((resolve) => {
      c.session.on('transport_event', (t) => {
        if (t.type === 'conversation.item.truncated') resolve();
      });
    });
    expect(received(e, 'response.cancel')).toHaveLength(0);
    expect(received(e, 'conversation.item.truncate')).toEqual([
      expect.objectContaining({ audio_end_ms: 250 }),
    ]);
  });

  it('does nothing when the reply was fully heard', async () => {
    const { controller: c, sink, engine: e } = await start({ speed: 0 });
    const done = c.events.next('usage_updated');
    c.sendText('play a tone');
    await done;
    const events: string[] = [];
    c.events.onAny((name) => events.push(name));
    sink.reportPlayedMs = null;
    c.interrupt();
    expect(events).toEqual([]);
    expect(received(e, 'conversation.item.truncate')).toHaveLength(0);
    expect(received(e, 'response.cancel')).toHaveLength(0);
  });

  it('pauses by cutting the reply where it was heard and muting playback until resume', async () => {
    const { controller: c, sink, engine: e } = await start({ speed: 1 });
    const interrupted = c.events.next('interrupted');
    c.sendText('play a tone');
    await sink.untilWrittenMs(300);
    sink.reportPlayedMs = 200;
    c.pause();
    expect(c.turn).toBe('paused');
    const event = await interrupted;
    expect(event).toMatchObject({ reason: 'paused', truncated_ms: 200 });
    c.sendAudio(new Uint8Array(4800));
    expect(received(e, 'input_audio_buffer.append')).toHaveLength(0);
    c.resume();
    expect(c.turn).toBe('listening');
    const reply = c.events.next(
      'transcript_final',
      (t) => t.speaker === 'assistant' && t.order === 3,
    );
    const done = c.events.next('usage_updated', (u) => u.totals.responses === 2);
    sink.reportPlayedMs = null;
    c.sendText('play a tone');
    expect((await reply).text).toBe('Here is a test tone.');
    await done;
    expect(sink.writtenBytes).toBeGreaterThan(0);
  });
});
