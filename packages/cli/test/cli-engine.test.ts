import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { main } from '../src/main.js';
import { fakeIo } from './helpers/fake-io.js';

describe('realtime-assistant engine', () => {
  it('runs the LocalRealtime engine until a signal, and a client can open a session on it', async () => {
    const io = fakeIo();
    const done = main(['engine', '--port', '0', '--log-level', 'silent'], io);
    const url = await new Promise<string>((resolve) => {
      io.stdout.on('data', () => {
        const match = /listening on (ws:\/\/\S+)/.exec(io.out());
        if (match) resolve(match[1]!);
      });
    });
    const ws = new WebSocket(`${url}?model=gpt-realtime`, {
      headers: { Authorization: 'Bearer x' },
    });
    const first = await new Promise<{ type: string }>((resolve, reject) => {
      ws.once('message', (data: Buffer) =>
        resolve(JSON.parse(data.toString()) as { type: string }),
      );
      ws.once('error', reject);
    });
    expect(first.type).toBe('session.created');
    ws.close();
    io.signal('SIGINT');
    expect(await done).toBe(0);
  });

  it('refuses a bad engine flag with exit code 2', async () => {
    const io = fakeIo();
    expect(await main(['engine', '--port', 'eighty'], io)).toBe(2);
    expect(io.err()).toContain('realtime-assistant engine:');
  });
});
