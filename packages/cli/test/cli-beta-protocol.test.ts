/**
 * `--protocol beta --temperature 0.8`, end to end: the CLI (in-process, text mode) talks to a test engine through a
 * loopback proxy that records the upgrade headers and the client's frames, so the beta shape is seen on the wire.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { startLocalRealtime } from '@realtime-assistant/engine/testing';
import type { LocalRealtimeHandle } from '@realtime-assistant/engine/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { main } from '../src/main.js';
import { fakeIo } from './helpers/fake-io.js';

type Frame = { type: string } & Record<string, unknown>;

let engine: LocalRealtimeHandle | null = null;
let proxy: WebSocketServer | null = null;

afterEach(async () => {
  if (proxy) {
    for (const ws of proxy.clients) ws.terminate();
    await new Promise<void>((resolve) => proxy?.close(() => resolve()));
  }
  proxy = null;
  await engine?.close();
  engine = null;
});

/** A proxy to the engine that records each connection's headers and the frames the client sent. */
async function recordingProxy(
  upstream: string,
): Promise<{ url: string; seen: { headers: IncomingHttpHeaders; frames: Frame[] }[] }> {
  const server = (proxy = new WebSocketServer({ host: '127.0.0.1', port: 0 }));
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const seen: { headers: IncomingHttpHeaders; frames: Frame[] }[] = [];
  server.on('connection', (client, request) => {
    const record = { headers: request.headers, frames: [] as Frame[] };
    seen.push(record);
    const headers: Record<string, string> = {};
    for (const name of ['authorization', 'openai-beta']) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const query = new URL(request.url ?? '/', 'ws://proxy').search;
    const target = new WebSocket(`${upstream}${query}`, { headers });
    const queued: string[] = [];
    client.on('message', (data: Buffer) => {
      const text = data.toString('utf8');
      record.frames.push(JSON.parse(text) as Frame);
      if (target.readyState === WebSocket.OPEN) target.send(text);
      else queued.push(text);
    });
    target.on('open', () => queued.splice(0).forEach((text) => target.send(text)));
    target.on('message', (data: Buffer) => client.send(data.toString('utf8')));
    target.on('close', () => client.close());
    client.on('close', () => target.close());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `ws://127.0.0.1:${port}/v1/realtime`, seen };
}

describe('realtime-assistant --protocol beta', () => {
  it('speaks the beta shape and sends the temperature from --temperature', async () => {
    engine = await startLocalRealtime();
    const tap = await recordingProxy(engine.url);
    const io = fakeIo({ REALTIME_URL: tap.url });
    const done = main(['--text', '--protocol', 'beta', '--temperature', '0.8'], io);
    io.stdin.end('hello\n');
    expect(await done).toBe(0);
    expect(io.out()).toMatch(/Assistant: (Hello|Hi there)!/);
    const [connection] = tap.seen;
    expect(connection?.headers['openai-beta']).toBe('realtime=v1');
    const update = connection?.frames.find((f) => f.type === 'session.update');
    expect(update?.session).toMatchObject({ modalities: ['text'], temperature: 0.8 });
    expect(update?.session).not.toHaveProperty('type');
  });

  it('sends no temperature on GA, where it only warns', async () => {
    engine = await startLocalRealtime();
    const tap = await recordingProxy(engine.url);
    const io = fakeIo({ REALTIME_URL: tap.url });
    const done = main(['--text', '--temperature', '0.8'], io);
    io.stdin.end('hello\n');
    expect(await done).toBe(0);
    expect(io.err() + io.out()).toContain('has no effect');
    const [connection] = tap.seen;
    expect(connection?.headers['openai-beta']).toBeUndefined();
    expect(JSON.stringify(connection?.frames)).not.toContain('temperature');
  });
});
