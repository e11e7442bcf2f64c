/**
 * No key in any log: the CLI run as a process with a recognisable fake key in `OPENAI_API_KEY`, pointed at an
 * engine this test starts (`REALTIME_URL`, so the key really is sent, as `Authorization: Bearer …`), with `--debug`
 * (console log on stderr) and file logs at debug level into a temporary directory. After a typed turn and the end
 * of input, every file under the log directory, the engine's own debug log, stdout and stderr are searched for the
 * key and its obvious fragments.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { startLocalRealtime } from '@realtime-assistant/engine/testing';
import { describe, expect, it } from 'vitest';
import { cliCommand } from './helpers/cli-tmux.js';

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * What must not appear: the key, its URL and base64 encodings, and every 8-character piece of it (a log that
 * kept "the last 8 characters" or a cut-off prefix would show one), leaving out the 4-character head the masked
 * form `sk-p…(N chars)` shows on purpose.
 */
function fragmentsOf(key: string): string[] {
  const pieces = new Set([key, encodeURIComponent(key), Buffer.from(key).toString('base64')]);
  for (let i = 0; i + 8 <= key.length; i++) pieces.add(key.slice(i, i + 8));
  // A prefix every OpenAI key shares is not a fragment of this one.
  for (const shared of ['sk-proj-']) pieces.delete(shared);
  return [...pieces];
}

const KEYS = [
  // Shaped like an OpenAI project key: the log scrubber's pattern knows this shape.
  `sk-proj-RAtestKEY${'Zq7Xw2Lm9Vb4Nc8Kd1Pf6Hs3'.repeat(2)}`,
  // No known prefix: only the structural redaction (the key never logged as a value) keeps it out.
  `f3a9c2e8d4b7a1c6e0f5d9b3a7c1e4d8`,
];

describe('realtime-assistant keeps the key out of every log', () => {
  for (const key of KEYS) {
    it(`writes no part of the key ${key.slice(0, 4)}… to the log files, the engine log, stdout or stderr`, async () => {
      const cwd = mkdtempSync(join(tmpdir(), 'ra-secret-'));
      const logDir = join(cwd, 'logs');
      let engineLog = '';
      const logDestination = new Writable({
        write: (chunk: Buffer, _encoding, callback) => {
          engineLog += chunk.toString('utf8');
          callback();
        },
      });
      const engine = await startLocalRealtime({ logLevel: 'debug', logDestination });
      try {
        const [node, ...args] = cliCommand(['--text', '--debug']);
        const child = spawn(node!, args, {
          cwd,
          stdio: ['pipe', 'pipe', 'pipe'],
          env: {
            PATH: process.env.PATH ?? '',
            HOME: cwd,
            OPENAI_API_KEY: key,
            REALTIME_URL: engine.url,
            LOG_DIR: logDir,
            LOG_LEVEL: 'debug',
          },
        });
        let out = '';
        let err = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
        child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
        const exited = once(child, 'exit') as Promise<[number | null]>;
        child.stdin.end('hello\n');
        const [code] = await exited;
        expect(code, `stderr:\n${err}`).toBe(0);
        // The turn happened, with the key on the wire: the session authenticated and answered.
        expect(out).toContain('You: hello');
        expect(out).toMatch(/Assistant: (Hello|Hi there)!/);
        expect(out).toContain(`Talking to ${engine.url}`);
        expect(engine.sessions()).toHaveLength(1);
        // --debug did log to the console, and the files are there.
        expect(err).toMatch(/DEBUG|debug/);
        const files = filesUnder(logDir);
        expect(files.some((f) => /app_.*\.log$/.test(f))).toBe(true);

        const sources: [string, string][] = [
          ['stdout', out],
          ['stderr', err],
          ['engine log', engineLog],
          ...files.map((f): [string, string] => [f, readFileSync(f, 'utf8')]),
        ];
        // Something was logged at all: the search below ran over real content.
        expect(sources.reduce((n, [, text]) => n + text.length, 0)).toBeGreaterThan(2_000);
        const leaks = sources.flatMap(([name, text]) =>
          fragmentsOf(key)
            .filter((piece) => text.includes(piece))
            .map((piece) => `${name}: ${piece}`),
        );
        expect(leaks).toEqual([]);
      } finally {
        await engine.close();
      }
    }, 60_000);
  }
});
