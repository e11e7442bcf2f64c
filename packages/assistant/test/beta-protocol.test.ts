import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FliteSynthesizer } from '@realtime-assistant/engine';
import { startLocalRealtime } from '@realtime-assistant/engine/testing';
import type { LocalRealtimeHandle } from '@realtime-assistant/engine/testing';
import { pcm16ToBytes, resamplePcm16 } from '@realtime-assistant/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AppConfigSchema,
  ConversationController,
  conversationSettingsFrom,
  loadConfig,
} from '../src/index.js';
import type { ConversationSettings, RealtimeTools } from '../src/index.js';
import { FakeSink } from './helpers/fake-sink.js';
import { ManualClock } from './helpers/manual-clock.js';
import { startWireTap } from './helpers/wire-tap.js';
import type { TappedConnection, WireTap } from './helpers/wire-tap.js';
import { weatherTool } from './helpers/weather-tool.js';

let engine: LocalRealtimeHandle | null = null;
let tap: WireTap | null = null;
let controller: ConversationController | null = null;
let tts: FliteSynthesizer;

beforeAll(() => {
  tts = new FliteSynthesizer({ poolSize: 1 });
});

afterAll(async () => {
  await tts.close();
});

afterEach(async () => {
  controller?.close();
  controller = null;
  await tap?.close();
  tap = null;
  await engine?.close();
  engine = null;
});

const BETA: Partial<ConversationSettings> = { protocol: 'beta', temperature: 0.8 };

function settings(overrides: Partial<ConversationSettings> = {}): ConversationSettings {
  return conversationSettingsFrom(AppConfigSchema.parse({}), null, {
    transcriptionModel: null,
    ...overrides,
  });
}

const weather = weatherTool();

async function start(
  options: {
    speed?: number;
    settings?: Partial<ConversationSettings>;
    tools?: RealtimeTools;
    clock?: ManualClock;
  } = {},
): Promise<{ controller: ConversationController; sink: FakeSink; engine: LocalRealtimeHandle }> {
  engine = await startLocalRealtime({ speed: options.speed ?? 0 });
  tap = await startWireTap(engine.url);
  const sink = new FakeSink();
  controller = new ConversationController({
    url: tap.url,
    apiKey: 'sk-local-test-key',
    settings: settings({ ...BETA, ...options.settings }),
    sink,
    rotation: false,
    ...(options.tools ? { tools: options.tools } : {}),
    ...(options.clock ? { clock: options.clock, random: () => 0.5 } : {}),
  });
  await controller.connect();
  return { controller, sink, engine };
}

function wire(index = 0): TappedConnection {
  const connection = tap?.connections[index];
  if (!connection) throw new Error(`no connection ${index}`);
  return connection;
}

/** GA spellings a beta server never sends. */
const GA_ONLY = [
  'conversation.item.added',
  'conversation.item.done',
  'response.output_text.delta',
  'response.output_audio.delta',
  'response.output_audio_transcript.delta',
];

/** The connection spoke beta: the header went up, and only beta spellings came down. */
function expectBetaWire(connection: TappedConnection): void {
  expect(connection.headers['openai-beta']).toBe('realtime=v1');
  const serverTypes = connection.fromServer.map((f) => f.type);
  expect(serverTypes).toContain('conversation.item.created');
  for (const type of GA_ONLY) expect(serverTypes).not.toContain(type);
}

function types(frames: readonly { type: string }[]): string[] {
  return frames.map((f) => f.type);
}

/** The phrase spoken by Flite as 24 kHz PCM16 bytes, with 600 ms of silence before and 1.2 s after. */
async function spoken(text: string): Promise<Uint8Array> {
  const voice = await tts.synthesize(text, 'kal16');
  const speech = resamplePcm16(voice.samples, voice.sampleRate, 24_000);
  const pcm = new Int16Array(14_400 + speech.length + 28_800);
  pcm.set(speech, 14_400);
  return pcm16ToBytes(pcm);
}

/** Sends PCM as the microphone, in 20 ms frames, as fast as the socket takes them. */
function speak(c: ConversationController, pcm: Uint8Array): void {
  for (let at = 0; at < pcm.length; at += 960) c.sendAudio(pcm.subarray(at, at + 960));
}

const NAME_REPLY =
  "I'm the LocalRealtime assistant: a scripted stand-in for a real model, running on your machine.";

function received(e: LocalRealtimeHandle, type: string, session = 0): Record<string, unknown>[] {
  return (e.sessions()[session]?.received ?? []).filter((event) => event.type === type);
}

describe('the beta protocol', () => {
  it('opens a beta session: the beta header, a flat session.update with the temperature, beta server events', async () => {
    const { controller: c, engine: e } = await start({ settings: { outputModalities: ['text'] } });
    const reply = c.events.next('transcript_final', (t) => t.speaker === 'assistant');
    const done = c.events.next('usage_updated');
    c.sendText('Hello there!');
    expect((await reply).text).toMatch(/Hello! How can I help you today\?|Hi there!/);
    await done;

    const { fromClient, fromServer } = wire();
    expectBetaWire(wire());
    const update = fromClient.find((f) => f.type === 'session.update');
    expect(update?.session).toMatchObject({
      model: 'gpt-realtime',
      modalities: ['text'],
      voice: 'marin',
      input_audio_format: 'pcm16',
      output_audio_format: 'pcm16',
      input_audio_transcription: null,
      turn_detection: { type: 'server_vad', create_response: true, interrupt_response: true },
      temperature: 0.8,
    });
    expect(update?.session).not.toHaveProperty('type');
    expect(update?.session).not.toHaveProperty('audio');
    expect(update?.session).not.toHaveProperty('output_modalities');
    expect(types(fromClient)).toEqual(
      expect.arrayContaining(['session.update', 'conversation.item.create', 'response.create']),
    );

    // The engine answered in the beta shape, and echoed the temperature it took from us.
    expect(types(fromServer)).toEqual(
      expect.arrayContaining(['response.text.delta', 'response.text.done']),
    );
    const updated = fromServer.filter((f) => f.type === 'session.updated').at(-1);
    expect(updated?.session).toMatchObject({ temperature: 0.8, modalities: ['text'] });
    // What the engine made of it, in GA terms: the session config arrived.
    expect(received(e, 'session.update')[0]).toMatchObject({
      session: { type: 'realtime', output_modalities: ['text'] },
    });

    expect(c.transcripts().map((t) => [t.speaker, t.final])).toEqual([
      ['user', true],
      ['assistant', true],
    ]);
    expect(c.turn).toBe('listening');
    // The SDK saw GA items too: its history holds both messages, complete.
    expect(
      c.session.history.map((item) => [
        item.type,
        'role' in item ? item.role : '',
        'status' in item ? item.status : '',
      ]),
    ).toEqual([
      ['message', 'user', 'completed'],
      ['message', 'assistant', 'completed'],
    ]);
  });

  it('plays an audio reply through the sink and keeps its transcript', async () => {
    const { controller: c, sink } = await start();
    const reply = c.events.next('transcript_final', (t) => t.speaker === 'assistant');
    c.sendText('play a tone');
    expect((await reply).text).toBe('Here is a test tone.');
    expect(sink.writtenBytes).toBeGreaterThanOrEqual(0.8 * 48_000 - 48);
    const serverTypes = types(wire().fromServer);
    expect(serverTypes).toContain('response.audio.delta');
    expect(serverTypes).toContain('response.audio_transcript.done');
    expect(wire().fromClient.find((f) => f.type === 'session.update')?.session).toMatchObject({
      modalities: ['text', 'audio'],
    });
  });

  it('hears a spoken turn: the user transcript, then the spoken reply and its transcript', async () => {
    const { controller: c, sink } = await start({
      settings: { transcriptionModel: 'gpt-4o-transcribe' },
    });
    const user = c.events.next('transcript_final', (t) => t.speaker === 'user');
    const reply = c.events.next('transcript_final', (t) => t.speaker === 'assistant');
    speak(c, await spoken('what is your name'));
    expect((await user).text).toBe('what is your name');
    expect((await reply).text).toBe(NAME_REPLY);
    expect(sink.writtenBytes).toBeGreaterThan(48_000);
    const serverTypes = types(wire().fromServer);
    for (const type of [
      'input_audio_buffer.speech_started',
      'input_audio_buffer.committed',
      'conversation.item.input_audio_transcription.completed',
      'response.audio_transcript.done',
    ]) {
      expect(serverTypes).toContain(type);
    }
    expect(wire().fromClient.find((f) => f.type === 'session.update')?.session).toMatchObject({
      input_audio_transcription: { model: 'gpt-4o-transcribe' },
    });
  }, 30_000);

  it('is barged in on by speech: the SDK cuts the reply where it was heard, the server cancels', async () => {
    const { controller: c, sink, engine: e } = await start({ speed: 1 });
    const question = await spoken('what is your name');
    const interruption = await spoken('hello');
    const replying = sink.untilWrittenMs(600);
    speak(c, question);
    await replying;
    sink.reportPlayedMs = 450;
    const interrupted = c.events.next('interrupted');
    const cancelled = c.events.next('usage_updated');
    const truncated = new Promise<void>((resolve) => {
      c.session.on('transport_event', (t) => {
        if (t.type === 'conversation.item.truncated') resolve();
      });
    });
    speak(c, interruption);
    expect(await interrupted).toMatchObject({
      reason: 'speech_started',
      played_ms: 450,
      truncated_ms: 450,
      action: 'truncate',
      // interrupt_response: the server cancels, the client only truncates.
      cancelled: false,
    });
    await Promise.all([cancelled, truncated]);
    expect(received(e, 'conversation.item.truncate')).toEqual([
      expect.objectContaining({ content_index: 0, audio_end_ms: 450 }),
    ]);
    expect(received(e, 'response.cancel')).toHaveLength(0);
    const done = wire().fromServer.find((f) => f.type === 'response.done');
    expect(done?.response).toMatchObject({ status: 'cancelled' });
    expectBetaWire(wire());
    expect(types(wire().fromServer)).toContain('response.audio.delta');
  }, 30_000);

  it('truncates the item where the sink played and cancels the running response', async () => {
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
    const truncated = new Promise<void>((resolve) => {
      c.session.on('transport_event', (t) => {
        if (t.type === 'conversation.item.truncated') resolve();
      });
    });
    await truncated;
    expect(received(e, 'conversation.item.truncate')).toEqual([
      expect.objectContaining({ item_id: event.itemId, content_index: 0, audio_end_ms: 300 }),
    ]);
    expect(received(e, 'response.cancel')).toHaveLength(1);
    expect(wire().fromClient.filter((f) => f.type === 'conversation.item.truncate')).toEqual([
      {
        type: 'conversation.item.truncate',
        item_id: event.itemId,
        content_index: 0,
        audio_end_ms: 300,
      },
    ]);
    expect(types(wire().fromServer)).toContain('conversation.item.truncated');
    expectBetaWire(wire());
    expect(c.turn).toBe('listening');
  });

  it('runs a tool call round trip: call, output, follow-up reply', async () => {
    const { controller: c, engine: e } = await start({
      settings: { outputModalities: ['text'] },
      tools: [weather],
    });
    const call = c.events.next('tool_call');
    const result = c.events.next('tool_result');
    const reply = c.events.next('transcript_final', (t) => t.speaker === 'assistant');
    c.sendText("what's the weather in Paris?");
    expect(await call).toMatchObject({ name: 'get_weather', arguments: '{"city":"Paris"}' });
    expect(await result).toMatchObject({
      name: 'get_weather',
      output: '{"summary":"Sunny in Paris"}',
    });
    expect((await reply).text).toBe("Here's the forecast: Sunny in Paris");

    const { fromClient, fromServer } = wire();
    expect(fromClient.find((f) => f.type === 'session.update')?.session).toMatchObject({
      tools: [expect.objectContaining({ type: 'function', name: 'get_weather' })],
      temperature: 0.8,
    });
    const output = fromClient.find(
      (f) =>
        f.type === 'conversation.item.create' &&
        (f.item as { type?: string }).type === 'function_call_output',
    );
    expect(output?.item).toMatchObject({ output: '{"summary":"Sunny in Paris"}' });
    // Two responses: the call, then the follow-up the SDK asked for after the output.
    expect(types(fromClient).filter((t) => t === 'response.create')).toHaveLength(2);
    expect(types(fromServer)).toContain('response.function_call_arguments.done');
    expect(
      received(e, 'conversation.item.create').map((ev) => (ev.item as { type: string }).type),
    ).toEqual(['message', 'function_call_output']);
  });

  it('reconnects and replays the conversation with beta items', async () => {
    const clock = new ManualClock();
    const { controller: c, engine: e } = await start({
      settings: { outputModalities: ['text'] },
      clock,
    });
    const first = c.events.next('transcript_final', (t) => t.speaker === 'assistant');
    const idle = c.events.next('turn_changed', (t) => t.state === 'listening');
    c.sendText('my name is Alex');
    expect((await first).text).toBe('Nice to meet you, Alex! How can I help?');
    await idle;

    const reconnecting = c.events.next('reconnecting');
    e.injectFault({ type: 'close', code: 1011, reason: 'test', afterEvents: 0 });
    await reconnecting;
    const reconnected = c.events.next('reconnected');
    clock.advance(250);
    expect(await reconnected).toEqual({ attempt: 1, replayedItems: 2 });

    const second = wire(1);
    expect(second.headers['openai-beta']).toBe('realtime=v1');
    const replayed = second.fromClient
      .filter((f) => f.type === 'conversation.item.create')
      .map((f) => f.item);
    expect(replayed).toEqual([
      expect.objectContaining({
        role: 'user',
        content: [{ type: 'input_text', text: 'my name is Alex' }],
      }),
      expect.objectContaining({
        role: 'assistant',
        content: [{ type: 'text', text: 'Nice to meet you, Alex! How can I help?' }],
      }),
    ]);
    expect(second.fromClient.find((f) => f.type === 'session.update')?.session).toMatchObject({
      temperature: 0.8,
    });
    // The new session holds the conversation.
    expect(received(e, 'conversation.item.create', 1)).toHaveLength(2);
    const answer = c.events.next(
      'transcript_final',
      (t) => t.speaker === 'assistant' && t.order === 3,
    );
    c.sendText('what is your name?');
    expect((await answer).text).toContain('LocalRealtime assistant');
  });
});

describe('the GA protocol', () => {
  it('sends no temperature and no beta header, even with a temperature configured', async () => {
    const { controller: c, engine: e } = await start({
      settings: { protocol: 'ga', temperature: 0.8, outputModalities: ['text'] },
    });
    const reply = c.events.next('transcript_final', (t) => t.speaker === 'assistant');
    c.sendText('Hello there!');
    await reply;
    const { headers, fromClient, fromServer } = wire();
    expect(headers['openai-beta']).toBeUndefined();
    const update = fromClient.find((f) => f.type === 'session.update');
    expect(update?.session).toMatchObject({ type: 'realtime', output_modalities: ['text'] });
    expect(JSON.stringify(fromClient)).not.toContain('temperature');
    expect(JSON.stringify(received(e, 'session.update'))).not.toContain('temperature');
    expect(types(fromServer)).toContain('response.output_text.delta');
  });
});

describe('settings', () => {
  it('takes the protocol and temperature from the flags (--protocol beta --temperature 0.8)', () => {
    const loaded = loadConfig({
      flags: { protocol: 'beta', temperature: '0.8' },
      cwd: mkdtempSync(join(tmpdir(), 'beta-settings-')),
    });
    if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('; '));
    expect(conversationSettingsFrom(loaded.config, loaded.assistant)).toMatchObject({
      protocol: 'beta',
      temperature: 0.8,
    });
  });

  it('defaults to GA with no temperature', () => {
    const defaults = conversationSettingsFrom(AppConfigSchema.parse({}), null);
    expect(defaults.protocol).toBe('ga');
    expect(defaults).not.toHaveProperty('temperature');
  });
});
