import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { engineVersion } from '@realtime-assistant/engine';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { main } from '../src/main.js';
import { cleanEnv } from './helpers/clean-env.js';
import { cliCommand } from './helpers/cli-tmux.js';
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

describe('realtime-assistant engine, the same command line as local-realtime', () => {
  it('names itself in its help and shows the certificate cache the flags really use', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'ra-xdg-'));
    const io = fakeIo({ XDG_CACHE_HOME: cache });
    expect(await main(['engine', '--help'], io)).toBe(0);
    expect(io.out()).toContain('Usage: realtime-assistant engine [options]');
    expect(io.out()).toContain(`(default ${join(cache, 'local-realtime')})`);
    expect(io.out()).toContain(
      `NODE_EXTRA_CA_CERTS=${join(cache, 'local-realtime', 'local-realtime-cert.pem')}`,
    );
    expect(io.out()).not.toContain('realtime-assistant engine-cert');
  });

  it('prints the engine version for --version', async () => {
    const io = fakeIo();
    expect(await main(['engine', '--version'], io)).toBe(0);
    expect(io.out()).toBe(`${engineVersion()}\n`);
    expect(io.out()).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('prints the certificate file NODE_EXTRA_CA_CERTS needs with --tls self-signed, and writes it there', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'ra-xdg-'));
    const io = fakeIo({ XDG_CACHE_HOME: cache });
    const done = main(
      ['engine', '--tls', 'self-signed', '--port', '0', '--log-level', 'silent'],
      io,
    );
    const certPath = await new Promise<string>((resolve) => {
      io.stdout.on('data', () => {
        const match = /NODE_EXTRA_CA_CERTS=(\S+)/.exec(io.out());
        if (match && io.out().includes('Ctrl+C')) resolve(match[1]!);
      });
    });
    expect(certPath).toBe(join(cache, 'local-realtime', 'local-realtime-cert.pem'));
    expect(readFileSync(certPath, 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(io.out()).toMatch(/OPENAI_BASE_URL=https:\/\/127\.0\.0\.1:\d+\/v1/);
    io.signal('SIGINT');
    expect(await done).toBe(0);
  });

  it('runs --workers 2 from the real command, and one ephemeral token opens sessions on both workers', async () => {
    const engine = spawnEngine(['--workers', '2', '--port', '0', '--log-level', 'warn']);
    try {
      const banner = await engine.started;
      const url = /listening on (ws:\/\/\S+) with 2 worker processes/.exec(banner)?.[1];
      expect(url, banner).toBeDefined();
      const httpUrl = url!.replace(/^ws/, 'http').replace(/\/v1\/realtime$/, '');
      const minted = await fetch(`${httpUrl}/v1/realtime/client_secrets`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', connection: 'close' },
        body: JSON.stringify({
          session: { type: 'realtime', model: 'gpt-realtime', instructions: 'Shared.' },
        }),
      });
      expect(minted.status).toBe(200);
      const { value } = (await minted.json()) as { value: string };
      expect(value).toMatch(/^ek_/);
      // Connections are handed out round-robin: of four, each worker gets some.
      const sessions = await Promise.all(Array.from({ length: 4 }, () => openSession(url!, value)));
      for (const s of sessions)
        expect(s.first).toMatchObject({
          type: 'session.created',
          session: { instructions: 'Shared.' },
        });
      // Each worker answers /healthz for itself: both hold sessions opened with the one token.
      const counts = await Promise.all(
        Array.from({ length: 4 }, async () => {
          const res = await fetch(`${httpUrl}/healthz`, { headers: { connection: 'close' } });
          return ((await res.json()) as { sessions: number }).sessions;
        }),
      );
      expect(counts.every((n) => n >= 1)).toBe(true);
      expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(4);
      for (const s of sessions) s.ws.close();
    } finally {
      engine.child.kill('SIGINT');
    }
    expect(await engine.exited).toEqual([0, null]);
  }, 60_000);
});

describe('realtime-assistant engine --workers', () => {
  it('serves one self-signed certificate from every worker, the file the banner names', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'ra-xdg-'));
    const engine = spawnEngine(
      ['--workers', '2', '--port', '0', '--tls', 'self-signed', '--log-level', 'warn'],
      { XDG_CACHE_HOME: cache },
    );
    try {
      const out = await engine.started;
      const certPath = /NODE_EXTRA_CA_CERTS=(\S+)/.exec(out)?.[1];
      expect(certPath).toBe(join(cache, 'local-realtime', 'local-realtime-cert.pem'));
      expect(out).toMatch(
        /listening on wss:\/\/127\.0\.0\.1:\d+\/v1\/realtime with 2 worker processes/,
      );
      const port = Number(/127\.0\.0\.1:(\d+)/.exec(out)![1]);
      const onDisk = new X509Certificate(readFileSync(certPath!, 'utf8')).fingerprint256;
      // Fresh connections are handed out round-robin, so four reach both workers: each serves the file's certificate.
      for (let i = 0; i < 4; i++) {
        expect(await servedFingerprint(port, readFileSync(certPath!, 'utf8'))).toBe(onDisk);
      }
    } finally {
      engine.child.kill('SIGINT');
    }
    expect(await engine.exited).toEqual([0, null]);
  }, 60_000);

  it('says why when the workers cannot start, with exit code 1 and no stack trace', async () => {
    const engine = spawnEngine([
      '--workers',
      '2',
      '--port',
      '0',
      '--scenario',
      'no-such-scenario',
      '--log-level',
      'silent',
    ]);
    const [code] = await engine.exited;
    const err = engine.err();
    expect(code).toBe(1);
    expect(err).toMatch(
      /^realtime-assistant engine: engine worker \d+ (failed to start|exited while starting)/m,
    );
    expect(err).toContain('no-such-scenario');
    expect(err).not.toMatch(/\n\s+at /);
  }, 60_000);
});

/** `realtime-assistant engine …` as a real process, with its output collected. */
interface EngineProcess {
  readonly child: ChildProcess;
  /** Resolves with stdout once the banner is out (its last line: "Ctrl+C to stop."); rejects if it exits first. */
  readonly started: Promise<string>;
  /** Exit code and signal, once the output is read to the end. */
  readonly exited: Promise<[number | null, NodeJS.Signals | null]>;
  err(): string;
}

function spawnEngine(flags: string[], env: Record<string, string> = {}): EngineProcess {
  const [node, ...args] = cliCommand(['engine', ...flags]);
  const child = spawn(node!, args, { env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  // 'close': the process has exited and its output has been read to the end.
  const exited = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
  const started = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('Ctrl+C')) resolve(out);
    });
    void exited.then(() => reject(new Error(`engine exited early: ${out}${err}`)));
  });
  // A test that never waits for the start (the engine is meant to fail) leaves no rejection unhandled.
  started.catch(() => undefined);
  return { child, started, exited, err: () => err };
}

/** The SHA-256 fingerprint of the certificate the server at `port` presents (trusting `ca`). */
function servedFingerprint(port: number, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, ca, servername: 'localhost' }, () => {
      const fingerprint = socket.getPeerX509Certificate()?.fingerprint256 ?? '';
      socket.end();
      resolve(fingerprint);
    });
    socket.once('error', reject);
  });
}

/** Opens a session with `token` and resolves with its socket and first event. */
async function openSession(
  url: string,
  token: string,
): Promise<{ ws: WebSocket; first: Record<string, unknown> }> {
  const ws = new WebSocket(url, { headers: { Authorization: `Bearer ${token}` } });
  const first = await new Promise<Record<string, unknown>>((resolve, reject) => {
    ws.once('message', (data: Buffer) =>
      resolve(JSON.parse(data.toString()) as Record<string, unknown>),
    );
    ws.once('error', reject);
  });
  return { ws, first };
}
