/**
 * `realtime-assistant engine` stops cleanly on Ctrl+C: sessions are closed with 1001, the command returns 0, and
 * the real process exits 0 (not the 130 that `@openai/agents-core`'s own SIGINT handler exits with when no other
 * listener is left) with no child left.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { runEngine } from '../src/engine-command.js';
import { cleanEnv } from './helpers/clean-env.js';
import { childrenOf, cliCommand, isAlive } from './helpers/cli-tmux.js';
import { fakeIo } from './helpers/fake-io.js';

/** Opens a session on `url` and resolves once the server said `session.created`. */
async function openSession(url: string): Promise<WebSocket> {
  const ws = new WebSocket(`${url}?model=gpt-realtime`, {
    headers: { Authorization: 'Bearer x' },
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('message', () => resolve());
    ws.once('error', reject);
  });
  return ws;
}

describe('realtime-assistant engine shutdown', () => {
  it('closes open sessions with 1001 and returns 0 on SIGINT', async () => {
    const io = fakeIo();
    const done = runEngine(['--port', '0', '--log-level', 'silent'], io);
    const url = await new Promise<string>((resolve) => {
      io.stdout.on('data', () => {
        const match = /listening on (ws:\/\/\S+)/.exec(io.out());
        if (match) resolve(match[1]!);
      });
    });
    const sessions = await Promise.all([openSession(url), openSession(url)]);
    const closes = sessions.map(
      (ws) => once(ws, 'close') as Promise<[code: number, reason: Buffer]>,
    );
    io.signal('SIGINT');
    expect(await done).toBe(0);
    for (const [code] of await Promise.all(closes)) expect(code).toBe(1001);
    expect(io.err()).toContain('Stopping the engine');
  });

  it('stops waiting at once on a second SIGINT', async () => {
    const io = fakeIo();
    const done = runEngine(['--port', '0', '--log-level', 'silent'], io);
    const url = await new Promise<string>((resolve) => {
      io.stdout.on('data', () => {
        const match = /listening on (ws:\/\/\S+)/.exec(io.out());
        if (match) resolve(match[1]!);
      });
    });
    const ws = await openSession(url);
    // A client that never answers the close handshake: the engine would wait for it.
    ws.pause();
    // With the clock stopped the grace period never ends: only the second signal can end the wait.
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      io.signal('SIGINT');
      io.signal('SIGINT');
      expect(await done).toBe(0);
    } finally {
      vi.useRealTimers();
      ws.terminate();
    }
  });

  it('exits the real process with code 0 on SIGINT, leaving no child', async () => {
    const [node, ...args] = cliCommand(['engine', '--port', '0', '--log-level', 'warn']);
    const child = spawn(node!, args, { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', () => {
        const match = /listening on (ws:\/\/\S+)/.exec(out);
        if (match) resolve(match[1]!);
      });
      child.once('exit', () => reject(new Error(`engine exited early: ${out}`)));
    });
    const ws = await openSession(url);
    const closed = once(ws, 'close') as Promise<[code: number, reason: Buffer]>;
    const children = childrenOf(child.pid!);
    child.kill('SIGINT');
    const [code, signal] = await exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    // The session was closed by the engine (1001), not cut by the process dying (1006).
    expect((await closed)[0]).toBe(1001);
    expect(children.filter(isAlive)).toEqual([]);
  }, 30_000);
});
