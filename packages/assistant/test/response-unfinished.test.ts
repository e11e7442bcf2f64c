import { startLocalRealtime } from '@realtime-assistant/engine/testing';
import type { LocalRealtimeHandle } from '@realtime-assistant/engine/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AppConfigSchema,
  ConversationController,
  conversationSettingsFrom,
  unfinishedResponse,
} from '../src/index.js';
import type { AppEventMap } from '../src/index.js';
import { FakeSink } from './helpers/fake-sink.js';

let engine: LocalRealtimeHandle | null = null;
let controller: ConversationController | null = null;

afterEach(async () => {
  controller?.close();
  controller = null;
  await engine?.close();
  engine = null;
});

async function start(): Promise<{ c: ConversationController; e: LocalRealtimeHandle }> {
  engine = await startLocalRealtime({ speed: 0 });
  controller = new ConversationController({
    url: engine.url,
    apiKey: 'sk-local-test-key',
    settings: conversationSettingsFrom(AppConfigSchema.parse({}), null, {
      transcriptionModel: null,
      outputModalities: ['text'],
    }),
    sink: new FakeSink(),
  });
  await controller.connect();
  return { c: controller, e: engine };
}

/** Resolves with the next payload of `name`. */
function next<K extends keyof AppEventMap>(
  c: ConversationController,
  name: K,
): Promise<AppEventMap[K]> {
  return new Promise((resolve) => {
    const off = c.events.on(name, (payload) => {
      off();
      resolve(payload);
    });
  });
}

describe('a response that does not complete', () => {
  it('is said when it fails (a rate limit), the turn goes back to listening, and the next one answers', async () => {
    const { c, e } = await start();
    e.injectFault({ type: 'rate_limit' });
    const unfinished = next(c, 'response_unfinished');
    const listening = new Promise<void>((resolve) => {
      c.events.on('turn_changed', (t) => {
        if (t.previous === 'thinking' && t.state === 'listening') resolve();
      });
    });
    c.sendText('what is your name?');
    expect(await unfinished).toMatchObject({
      status: 'failed',
      code: 'rate_limit_exceeded',
      message:
        'The reply failed: Rate limit reached for tokens. Please try again later (rate_limit_exceeded).',
    });
    await listening;
    const reply = next(c, 'transcript_final');
    const assistantReply = new Promise<string>((resolve) => {
      c.events.on('transcript_final', (t) => {
        if (t.speaker === 'assistant') resolve(t.text);
      });
    });
    c.sendText('what is your name?');
    await reply;
    expect(await assistantReply).toContain('LocalRealtime assistant');
  });

  it('says nothing for a completed response', () => {
    expect(unfinishedResponse({ id: 'resp_1', status: 'completed' })).toBeNull();
    expect(unfinishedResponse(undefined)).toBeNull();
  });

  it('says why a response was cut short or cancelled', () => {
    expect(
      unfinishedResponse({
        id: 'resp_2',
        status: 'incomplete',
        status_details: { type: 'incomplete', reason: 'max_output_tokens' },
      }),
    ).toEqual({
      responseId: 'resp_2',
      status: 'incomplete',
      reason: 'max_output_tokens',
      message: 'The reply was cut short: it reached the output token limit.',
    });
    expect(
      unfinishedResponse({
        id: 'resp_3',
        status: 'cancelled',
        status_details: { type: 'cancelled', reason: 'turn_detected' },
      })?.message,
    ).toBe('The reply was cancelled: you started speaking.');
    expect(
      unfinishedResponse({ id: 'resp_4', status: 'failed', status_details: { type: 'failed' } })
        ?.message,
    ).toBe('The reply failed: the server gave no reason.');
  });
});
