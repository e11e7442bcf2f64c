import { startLocalRealtime } from '@realtime-assistant/engine/testing';
import type { LocalRealtimeHandle } from '@realtime-assistant/engine/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AppConfigSchema,
  ConnectError,
  connectFailureOf,
  ConversationController,
  conversationSettingsFrom,
} from '../src/index.js';
import type { AppEventMap } from '../src/index.js';
import { FakeSink } from './helpers/fake-sink.js';
import { freePort } from './helpers/free-port.js';

let engine: LocalRealtimeHandle | null = null;
let controller: ConversationController | null = null;

afterEach(async () => {
  controller?.close();
  controller = null;
  await engine?.close();
  engine = null;
});

function newController(url: string, apiKey: string): ConversationController {
  controller = new ConversationController({
    url,
    apiKey,
    settings: conversationSettingsFrom(AppConfigSchema.parse({}), null, {
      transcriptionModel: null,
    }),
    sink: new FakeSink(),
  });
  return controller;
}

/** Everything the controller emitted of `names`, in order. */
function record(c: ConversationController): Array<[string, unknown]> {
  const seen: Array<[string, unknown]> = [];
  for (const name of ['error', 'connection_changed'] as const) {
    c.events.on(name, (payload: AppEventMap[typeof name]) => seen.push([name, payload]));
  }
  return seen;
}

describe('a conversation that cannot connect', () => {
  it('rejects with one error naming the address and the socket reason, and emits no error event of its own', async () => {
    const port = await freePort();
    const c = newController(`ws://127.0.0.1:${port}/v1/realtime`, 'sk-local');
    const seen = record(c);
    const failure = await c.connect().then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ConnectError);
    const error = failure as ConnectError;
    expect(error.message).toBe(
      `Could not connect to ws://127.0.0.1:${port}/v1/realtime: connect ECONNREFUSED 127.0.0.1:${port}.`,
    );
    expect(error.code).toBe('ECONNREFUSED');
    expect(String(error)).not.toContain('[object Object]');
    // What the user is told comes from the rejection alone: no "server" error, no "connection lost" on the way.
    expect(seen.filter(([name]) => name === 'error')).toEqual([]);
    expect(seen.map(([, payload]) => (payload as AppEventMap['connection_changed']).state)).toEqual(
      [
        { status: 'connecting', url: `ws://127.0.0.1:${port}/v1/realtime?model=gpt-realtime` },
        { status: 'disconnected', reason: `connect ECONNREFUSED 127.0.0.1:${port}` },
      ],
    );
  });

  it("gives the server's own reason when it refuses the key", async () => {
    engine = await startLocalRealtime({ keys: ['sk-right-key'] });
    const c = newController(engine.url, 'sk-wrong-key');
    const failure = (await c.connect().catch((error: unknown) => error)) as ConnectError;
    expect(failure).toBeInstanceOf(ConnectError);
    expect(failure.code).toBe('invalid_api_key');
    expect(failure.message).toMatch(
      /^Could not connect to ws:\/\/127\.0\.0\.1:\d+\/v1\/realtime: Incorrect API key provided/,
    );
    expect(failure.message).toContain('(invalid_api_key).');
    // Neither key is repeated back.
    expect(failure.message).not.toContain('sk-wrong-key');
    expect(failure.message).not.toContain('sk-right-key');
  });

  it('reads a reason out of every shape the SDK rejects or emits with', () => {
    const socket = Object.assign(new Error('getaddrinfo ENOTFOUND api.openai.com'), {
      code: 'ENOTFOUND',
    });
    expect(connectFailureOf({ type: 'error', error: socket, message: socket.message })).toEqual({
      reason: 'getaddrinfo ENOTFOUND api.openai.com',
      code: 'ENOTFOUND',
    });
    expect(
      connectFailureOf({
        type: 'error',
        error: { type: 'error', error: { code: 'invalid_api_key', message: 'Bad key.' } },
      }),
    ).toEqual({ reason: 'Bad key (invalid_api_key)', code: 'invalid_api_key' });
    expect(connectFailureOf(new Error('timed out waiting for session.updated'))).toEqual({
      reason: 'timed out waiting for session.updated',
      code: undefined,
    });
    expect(connectFailureOf({})).toEqual({ reason: 'unknown error', code: undefined });
  });
});
