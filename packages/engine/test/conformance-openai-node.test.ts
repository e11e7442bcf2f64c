/**
 * Conformance through the official `openai` package, unchanged: `OpenAIRealtimeWS` always connects with `wss`, so the
 * engine runs with a self-signed certificate and the client trusts it through `ca`.
 */
import OpenAI from 'openai';
import { OpenAIRealtimeWS } from 'openai/realtime/ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startLocalRealtime } from '../src/testing/index.js';
import type { LocalRealtimeHandle } from '../src/testing/index.js';

let engine: LocalRealtimeHandle;
let rt: OpenAIRealtimeWS | null = null;

beforeEach(async () => {
  engine = await startLocalRealtime({ tls: 'self-signed' });
});

afterEach(async () => {
  rt?.close();
  rt = null;
  await engine.close();
});

describe('openai OpenAIRealtimeWS over wss', () => {
  it('receives session.created and a full text response in order', async () => {
    expect(engine.baseURL).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/v1$/);
    const client = new OpenAI({ apiKey: 'sk-local-test', baseURL: engine.baseURL });
    rt = new OpenAIRealtimeWS({ model: 'gpt-realtime', options: { ca: engine.certPem! } }, client);
    const types: string[] = [];
    const errors: unknown[] = [];
    rt.on('error', (err) => errors.push(err));
    const done = new Promise<string>((resolve) => {
      let text = '';
      rt!.on('event', (event) => {
        types.push(event.type);
        if (event.type === 'response.output_text.delta') text += event.delta;
        if (event.type === 'rate_limits.updated') resolve(text);
      });
    });
    await new Promise<void>((resolve) => rt!.socket.once('open', () => resolve()));
    rt.send({ type: 'session.update', session: { type: 'realtime', output_modalities: ['text'] } });
    rt.send({
      type: 'conversation.item.create',
      item: {
        type: 'message',
        role: 'user',
        content: [{ type: 'input_text', text: 'Thank you!' }],
      },
    });
    rt.send({ type: 'response.create' });
    const text = await done;
    expect(errors).toEqual([]);
    expect(text).toBe("You're welcome! Is there anything else?");
    const deltas = types.filter((t) => t === 'response.output_text.delta').length;
    expect(deltas).toBeGreaterThan(1);
    expect(types.filter((t) => t !== 'response.output_text.delta')).toEqual([
      'session.created',
      'session.updated',
      'conversation.item.added',
      'conversation.item.done',
      'response.created',
      'response.output_item.added',
      'conversation.item.added',
      'response.content_part.added',
      'response.output_text.done',
      'response.content_part.done',
      'conversation.item.done',
      'response.output_item.done',
      'response.done',
      'rate_limits.updated',
    ]);
  });

  it('surfaces an engine error event through the SDK error listener', async () => {
    const client = new OpenAI({ apiKey: 'sk-local-test', baseURL: engine.baseURL });
    rt = new OpenAIRealtimeWS({ model: 'gpt-realtime', options: { ca: engine.certPem! } }, client);
    const error = new Promise<{ error?: { code?: string | null; param?: string | null } }>(
      (resolve) => rt!.on('error', (err) => resolve(err as never)),
    );
    await new Promise<void>((resolve) => rt!.socket.once('open', () => resolve()));
    rt.send({ type: 'response.cancel', event_id: 'evt_cancel_1' });
    const received = await error;
    expect(received.error).toMatchObject({
      code: 'response_cancel_not_active',
      event_id: 'evt_cancel_1',
    });
  });
});
