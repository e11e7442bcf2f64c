import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalRealtime } from '@realtime-assistant/engine/testing';
import type { LocalRealtimeHandle } from '@realtime-assistant/engine/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AppConfigSchema,
  AppEvents,
  ConversationController,
  ConversationRecorder,
  conversationSettingsFrom,
  openStorage,
} from '../src/index.js';
import type { ConversationRepository, Storage } from '../src/index.js';
import { FakeSink } from './helpers/fake-sink.js';

let engine: LocalRealtimeHandle | null = null;
let controller: ConversationController | null = null;
let storage: Storage | null = null;

afterEach(async () => {
  controller?.close();
  controller = null;
  await engine?.close();
  engine = null;
  await storage?.close();
  storage = null;
});

async function openTempStorage(): Promise<Storage> {
  storage = await openStorage({ dataDir: mkdtempSync(join(tmpdir(), 'ra-recorder-')) });
  return storage;
}

/** Replies once the assistant's answer to the last message is final. */
function nextReply(events: AppEvents): Promise<string> {
  return new Promise((resolve) => {
    const off = events.on('transcript_final', (e) => {
      if (e.speaker !== 'assistant') return;
      off();
      resolve(e.text);
    });
  });
}

describe('ConversationRecorder', () => {
  it('stores a conversation with the real controller: session id, both sides in order, start and end', async () => {
    const { conversations } = await openTempStorage();
    engine = await startLocalRealtime({ speed: 0 });
    const events = new AppEvents();
    const recorder = await ConversationRecorder.start({
      repository: conversations,
      events,
      assistant: 'default',
      target: 'embedded',
    });
    controller = new ConversationController({
      url: engine.url,
      apiKey: 'sk-local-test-key',
      settings: conversationSettingsFrom(AppConfigSchema.parse({}), null, {
        transcriptionModel: null,
        outputModalities: ['text'],
      }),
      sink: new FakeSink(),
      events,
    });
    await controller.connect();
    let reply = nextReply(events);
    controller.sendText('hello');
    const first = await reply;
    reply = nextReply(events);
    controller.sendText('thank you');
    const second = await reply;
    const sessionId = controller.realtimeSessionId;
    expect(sessionId).toMatch(/^sess_/);
    controller.close();
    await recorder.finish(['/tmp/session.wav']);

    const found = await conversations.find(recorder.id.slice(0, 8));
    expect(found.found).toBe(true);
    if (!found.found) return;
    expect(found.conversation).toMatchObject({
      id: recorder.id,
      assistant: 'default',
      target: 'embedded',
      sessionId,
      recordingPaths: ['/tmp/session.wav'],
    });
    expect(found.conversation.endedAt).not.toBeNull();
    expect(found.items.map((i) => [i.position, i.speaker, i.text])).toEqual([
      [0, 'user', 'hello'],
      [1, 'assistant', first],
      [2, 'user', 'thank you'],
      [3, 'assistant', second],
    ]);
    for (const item of found.items) expect(item.completedAt).not.toBeNull();
    const [summary] = await conversations.list();
    expect(summary).toMatchObject({ id: recorder.id, itemCount: 4 });
  });

  it('keeps a user transcript that arrives after the reply before it, and stores tool calls with their output', async () => {
    const { conversations } = await openTempStorage();
    const events = new AppEvents();
    const recorder = await ConversationRecorder.start({
      repository: conversations,
      events,
      assistant: 'scheduler',
      target: 'embedded',
    });
    // The order a spoken turn produces: the reply streams before the user's transcript is done.
    events.emit('transcript_delta', {
      speaker: 'assistant',
      itemId: 'item_reply',
      order: 0,
      delta: 'Sure',
      text: 'Sure',
    });
    events.emit('transcript_final', {
      speaker: 'user',
      itemId: 'item_user',
      order: 0,
      text: 'book me in',
      interrupted: false,
    });
    events.emit('tool_call', { callId: 'c1', name: 'list_services', arguments: '{}' });
    events.emit('tool_result', { callId: 'c1', name: 'list_services', output: '{"services":[]}' });
    events.emit('transcript_final', {
      speaker: 'assistant',
      itemId: 'item_reply',
      order: 1,
      text: 'Sure, one moment',
      interrupted: true,
    });
    await recorder.finish();
    const found = await conversations.find(recorder.id);
    if (!found.found) throw new Error('not stored');
    expect(found.items.map((i) => [i.position, i.speaker, i.text])).toEqual([
      [0, 'user', 'book me in'],
      [1, 'assistant', 'Sure, one moment [interrupted]'],
      [2, 'tool', 'list_services({}) → {"services":[]}'],
    ]);
  });

  it('leaves no entry for a conversation that never connected, and keeps one that did', async () => {
    const { conversations } = await openTempStorage();
    const start = (events: AppEvents): Promise<ConversationRecorder> =>
      ConversationRecorder.start({
        repository: conversations,
        events,
        assistant: 'default',
        target: 'embedded',
      });
    const neverConnected = await start(new AppEvents());
    await neverConnected.finish();
    const connectedEvents = new AppEvents();
    const connected = await start(connectedEvents);
    connectedEvents.emit('session_started', {
      realtimeSessionId: 'sess_quiet',
      model: 'gpt-realtime',
      url: 'ws://127.0.0.1:1/v1/realtime',
    });
    await connected.finish();
    const listed = await conversations.list();
    expect(listed.map((c) => c.id)).toEqual([connected.id]);
    expect(listed[0]).toMatchObject({ sessionId: 'sess_quiet', itemCount: 0 });
  });

  it('reports a failing database once as a recoverable error and goes on', async () => {
    const { conversations } = await openTempStorage();
    let failing = false;
    const flaky: ConversationRepository = {
      ...bind(conversations),
      upsertItem: (item) =>
        failing ? Promise.reject(new Error('disk I/O error')) : conversations.upsertItem(item),
    };
    const events = new AppEvents();
    const errors: string[] = [];
    events.on('error', (e) => errors.push(`${e.source}:${e.recoverable}:${e.message}`));
    const recorder = await ConversationRecorder.start({
      repository: flaky,
      events,
      assistant: 'default',
      target: 'embedded',
    });
    failing = true;
    for (const order of [0, 1]) {
      events.emit('transcript_final', {
        speaker: 'user',
        itemId: `item_${order}`,
        order,
        text: 'hi',
        interrupted: false,
      });
    }
    await recorder.flushed();
    expect(errors).toEqual([
      expect.stringMatching(/^app:true:.*could not be saved.*disk I\/O error/),
    ]);
    failing = false;
    events.emit('transcript_final', {
      speaker: 'user',
      itemId: 'item_2',
      order: 2,
      text: 'still here',
      interrupted: false,
    });
    await recorder.finish();
    const found = await conversations.find(recorder.id);
    if (!found.found) throw new Error('not stored');
    expect(found.conversation.endedAt).not.toBeNull();
    expect(found.items.map((i) => i.text)).toContain('still here');
  });
});

/** The repository's methods bound to it, so one can be replaced. */
function bind(repository: ConversationRepository): ConversationRepository {
  return {
    start: (c) => repository.start(c),
    upsertItem: (i) => repository.upsertItem(i),
    setSessionId: (id, s) => repository.setSessionId(id, s),
    end: (id, at, paths) => repository.end(id, at, paths),
    discardIfEmpty: (id) => repository.discardIfEmpty(id),
    list: (o) => repository.list(o),
    find: (id) => repository.find(id),
  };
}
