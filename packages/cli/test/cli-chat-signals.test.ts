/**
 * `realtime-assistant chat` as a real process ends cleanly on SIGINT and SIGTERM: exit code 0, "Bye." after the
 * session is closed, and no child left — not the 130 that `@openai/agents-core`'s own SIGINT handler exits with
 * when it finds itself the last listener while the chat is still closing.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { childrenOf, cliCommand, isAlive } from './helpers/cli-tmux.js';

describe('realtime-assistant chat and signals', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`closes the session and exits 0 on ${signal}`, async () => {
      const [node, ...args] = cliCommand(['--text']);
      const child = spawn(node!, args, {
        cwd: mkdtempSync(join(tmpdir(), 'ra-chat-signal-')),
        env: { PATH: process.env.PATH ?? '' },
        // stdin stays open: the chat would run until told otherwise.
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
      const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', () => {
          if (out.includes('Connected: session')) resolve();
        });
        child.once('exit', () => reject(new Error(`chat exited early: ${out}`)));
      });
      const children = childrenOf(child.pid!);
      child.kill(signal);
      const [code, by] = await exited;
      expect({ code, by }).toEqual({ code: 0, by: null });
      expect(out).toContain('[disconnected]');
      expect(out.trimEnd().endsWith('Bye.')).toBe(true);
      expect(children.filter(isAlive)).toEqual([]);
    }, 30_000);
  }
});
