import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../src/server/cli-args.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = 'packages/engine/src/bin/local-realtime.ts';
const environment = { env: {}, homeDir: '/home/tester' };
/** The command's environment: the machine's own (LOCAL_REALTIME_API_KEYS, XDG_CACHE_HOME, …) would change the test. */
const BIN_ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' };

function runBin(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', BIN, ...args],
      {
        cwd: ROOT,
        env: BIN_ENV,
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the local-realtime command', () => {
  it('prints its flags for --help and exits 0', async () => {
    const { code, stdout } = await runBin(['--help']);
    expect(code).toBe(0);
    for (const flag of [
      '--host',
      '--port',
      '--tls self-signed',
      '--cert FILE --key FILE',
      '--api-key',
      '--auth open|keys',
      '--scenario',
      '--speed',
      '--max-sessions',
      '--max-session-minutes',
      '--extensions',
      '--log-level',
      '--version',
      'OPENAI_BASE_URL=https://127.0.0.1:',
    ]) {
      expect(stdout).toContain(flag);
    }
  });

  it('exits 2 with a readable message for an unknown flag', async () => {
    const { code, stderr, stdout } = await runBin(['--bogus']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/Unknown option '--bogus'/);
    expect(stderr).toContain("Run 'local-realtime --help'");
    expect(stdout).toBe('');
  });

  it('exits 2 when asked to bind a public address without keys', async () => {
    const { code, stderr } = await runBin(['--host', '0.0.0.0', '--port', '0']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--host: refusing to listen on 0\.0\.0\.0/);
  });

  it('starts, prints how to connect, and exits 0 on SIGINT after closing', async () => {
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', BIN, '--port', '0', '--log-level', 'silent'],
      { cwd: ROOT, env: BIN_ENV },
    );
    let stdout = '';
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('Ctrl+C')) resolve();
      });
      child.on('close', () => reject(new Error(`exited early: ${stdout}`)));
    });
    expect(stdout).toMatch(
      /listening on ws:\/\/127\.0\.0\.1:\d+\/v1\/realtime \(auth: open, tls: off, scenario: default\)/,
    );
    expect(stdout).toMatch(
      /agents-realtime: +url: 'ws:\/\/127\.0\.0\.1:\d+\/v1\/realtime\?model=gpt-realtime'/,
    );
    expect(stdout).toContain('needs TLS');
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});

describe('parseCliArgs', () => {
  it('maps flags to server options', () => {
    const command = parseCliArgs(
      [
        '--host',
        '127.0.0.2',
        '--port',
        '0',
        '--api-key',
        'k1',
        '--api-key',
        'k2',
        '--scenario',
        'scheduler',
        '--speed',
        '0.5',
        '--max-sessions',
        '10',
        '--max-session-minutes',
        '1.5',
        '--extensions',
        '--log-level',
        'debug',
        '--refuse-beta',
        '--model',
        'mine',
        '--no-deflate',
      ],
      { env: { LOCAL_REALTIME_API_KEYS: 'k3, k4' }, homeDir: '/home/tester' },
    );
    expect(command).toEqual({
      kind: 'run',
      options: {
        host: '127.0.0.2',
        port: 0,
        keys: ['k1', 'k2', 'k3', 'k4'],
        scenario: 'scheduler',
        speed: 0.5,
        limits: { maxSessions: 10, maxSessionMinutes: 1.5 },
        extensions: true,
        logLevel: 'debug',
        allowBeta: false,
        models: ['mine'],
        perMessageDeflate: false,
      },
    });
  });

  it('caches the self-signed certificate under the user cache directory by default', () => {
    expect(parseCliArgs(['--tls', 'self-signed'], environment)).toMatchObject({
      kind: 'run',
      options: { tls: 'self-signed', tlsCacheDir: '/home/tester/.cache/local-realtime' },
    });
    expect(
      parseCliArgs(['--tls', 'self-signed'], {
        env: { XDG_CACHE_HOME: '/xdg' },
        homeDir: '/home/tester',
      }),
    ).toMatchObject({ options: { tlsCacheDir: '/xdg/local-realtime' } });
  });

  it.each([
    [['--port', 'http'], /--port: expected a whole number/],
    [['--port', '70000'], /--port: Too big/],
    [['--speed', 'fast'], /--speed: expected a number/],
    [['--tls', 'on'], /--tls: the only mode is 'self-signed'/],
    [['--cert', 'a.pem'], /--cert and --key go together/],
    [['--tls', 'self-signed', '--cert', 'a', '--key', 'b'], /exclude each other/],
    [['--auth', 'maybe'], /--auth: expected 'open' or 'keys'/],
    [['--auth', 'keys'], /needs at least one API key/],
    [['--max-sessions', '0'], /--max-sessions: Too small/],
    [['--log-level', 'loud'], /--log-level: Invalid option/],
    [['--api-key', 'ek_123'], /--api-key: an API key must not start with 'ek_'/],
    [['stray'], /Unexpected argument 'stray'/],
  ])('refuses %j with a message naming the flag', (argv, message) => {
    const command = parseCliArgs(argv, environment);
    expect(command.kind).toBe('error');
    expect(command.kind === 'error' ? command.message : '').toMatch(message);
  });
});
