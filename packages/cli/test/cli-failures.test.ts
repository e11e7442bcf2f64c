import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { startLocalRealtime } from '@realtime-assistant/engine/testing';
import type { LocalRealtimeHandle } from '@realtime-assistant/engine/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import { fakeIo } from './helpers/fake-io.js';

let engine: LocalRealtimeHandle | null = null;

afterEach(async () => {
  await engine?.close();
  engine = null;
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('realtime-assistant chat when something fails', () => {
  it('says once what failed and what to do, and exits 1', async () => {
    const port = await closedPort();
    const io = fakeIo();
    io.stdin.end();
    const url = `ws://127.0.0.1:${port}/v1/realtime`;
    expect(await main(['--text', '--base-url', url], io)).toBe(1);
    const err = io.out() + io.err();
    expect(err).toContain(
      `Could not connect to ${url}: connect ECONNREFUSED 127.0.0.1:${port}. Is a Realtime server running there? Start one with \`realtime-assistant engine\``,
    );
    expect(err.match(/ECONNREFUSED/g)).toHaveLength(1);
    expect(err).not.toContain('[object Object]');
    expect(err).not.toContain('Error (server)');
    expect(err).not.toContain('The connection was lost');
  });

  it('says the key was refused, and where to set it, without showing the key', async () => {
    engine = await startLocalRealtime({ keys: ['sk-the-right-one'] });
    const io = fakeIo({ OPENAI_API_KEY: 'sk-not-this-one' });
    io.stdin.end();
    expect(await main(['--text', '--base-url', engine.url], io)).toBe(1);
    const err = io.out() + io.err();
    expect(err).toMatch(
      /Could not connect to ws:\/\/127\.0\.0\.1:\d+\/v1\/realtime: Incorrect API key provided/,
    );
    expect(err).toContain('Set OPENAI_API_KEY to a key that server accepts');
    expect(err).not.toContain('sk-not-this-one');
  });

  it('shows a reply that failed (a rate limit) and answers the next message', async () => {
    engine = await startLocalRealtime({ speed: 0 });
    engine.injectFaultOnNextResponse({ type: 'rate_limit' });
    const io = fakeIo();
    const done = main(['--text', '--base-url', engine.url], io);
    io.stdin.end('what is your name?\nwhat is your name?\n');
    expect(await done).toBe(0);
    const screen = io.out() + io.err();
    expect(screen).toContain(
      'The reply failed: Rate limit reached for tokens. Please try again later (rate_limit_exceeded).',
    );
    expect(screen).toMatch(/Assistant: I'm the LocalRealtime assistant/);
  });
});

describe('realtime-assistant with a directory it cannot use', () => {
  it.each([
    [
      ['--log-dir', '/etc/passwd/x'],
      '--log-dir (LOG_DIR): cannot create /etc/passwd/x: /etc/passwd is a file, not a directory.',
    ],
    [
      ['--data-dir', '/proc/ra-nope'],
      '--data-dir (DATA_DIR): cannot create /proc/ra-nope: no such file or directory (/proc does not take new directories).',
    ],
  ])('refuses %j in one line, with exit code 2 and no stack trace', async (flags, message) => {
    const io = fakeIo();
    io.stdin.end();
    expect(await main(['--text', ...flags], io)).toBe(2);
    expect(io.err()).toBe(`realtime-assistant: ${message}\n`);
    expect(io.out()).toBe('');
  });

  it('says where recordings cannot go, named by RECORDINGS_DIR', async () => {
    const io = fakeIo({ RECORDINGS_DIR: '/proc/ra-nope' });
    io.stdin.end();
    expect(await main(['--text', '--save-recordings'], io)).toBe(2);
    expect(io.err()).toContain('realtime-assistant: RECORDINGS_DIR: cannot create /proc/ra-nope');
  });

  it('opens no history under /proc, and says why', async () => {
    const io = fakeIo();
    expect(await main(['history', '--data-dir', '/proc/ra-nope'], io)).toBe(1);
    expect(io.err()).toContain('cannot create /proc/ra-nope: no such file or directory');
    expect(io.err()).not.toMatch(/\n\s+at /);
  });
});
