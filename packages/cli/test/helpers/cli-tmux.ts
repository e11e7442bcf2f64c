/**
 * Drives the real `realtime-assistant` command in a real terminal: a tmux server of its own (a private socket), one
 * window running the CLI from its TypeScript sources, keys sent with `send-keys`, the screen read with
 * `capture-pane`. Waiting is always for a condition on the screen, with a deadline.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { cleanEnv } from './clean-env.js';

const ROOT = resolve(fileURLToPath(new URL('../../../..', import.meta.url)));
const BIN = join(ROOT, 'packages/cli/src/bin/realtime-assistant.ts');
const TSX = join(ROOT, 'node_modules/tsx/dist/esm/index.mjs');

/** The command line that runs the CLI from source (workspace packages resolved to `src/`). */
export function cliCommand(args: readonly string[]): string[] {
  return [process.execPath, '--conditions=source', '--import', TSX, BIN, ...args];
}

function quote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** One CLI in a tmux window. */
export class TmuxCli {
  readonly socket: string;
  readonly cwd: string;
  #closed = false;

  private constructor(socket: string, cwd: string) {
    this.socket = socket;
    this.cwd = cwd;
  }

  /**
   * Starts the CLI with `args` in a 120×40 terminal, in a fresh directory (its logs go there). After the CLI
   * exits, the shell prints `EXIT=<code>` and waits on a builtin `read`, so the pane has no child left.
   */
  static start(args: readonly string[], env: Record<string, string> = {}): TmuxCli {
    const cwd = mkdtempSync(join(tmpdir(), 'ra-cli-'));
    const socket = `ra-cli-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    // The CLI gets an environment of its own (see clean-env.ts), not the tmux server's copy of the machine's.
    const assignments = Object.entries(cleanEnv({ TERM: 'xterm-256color', ...env }))
      .map(([k, v]) => `${k}=${quote(v ?? '')}`)
      .join(' ');
    const script = `cd ${quote(cwd)}; env -i ${assignments} ${cliCommand(args).map(quote).join(' ')}; echo EXIT=$?; read _`;
    execFileSync('tmux', [
      '-L',
      socket,
      'new-session',
      '-d',
      '-x',
      '120',
      '-y',
      '40',
      'sh',
      '-c',
      script,
    ]);
    return new TmuxCli(socket, cwd);
  }

  #tmux(args: readonly string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /** The screen and its scrollback, as text. */
  screen(): string {
    return this.#tmux(['capture-pane', '-p', '-J', '-S', '-500']);
  }

  /** Types a line and presses Enter. */
  type(line: string): void {
    this.typeKeys(line);
    this.#tmux(['send-keys', '-t', '0', 'Enter']);
  }

  /** Types text as it is, without pressing Enter. */
  typeKeys(text: string): void {
    this.#tmux(['send-keys', '-t', '0', '-l', text]);
  }

  /** Makes the terminal `columns` wide (the CLI gets a SIGWINCH, as when a window is resized). */
  resize(columns: number): void {
    this.#tmux(['resize-window', '-t', '0', '-x', String(columns)]);
  }

  /** Sends a key by tmux name (`C-c`). */
  key(name: string): void {
    this.#tmux(['send-keys', '-t', '0', name]);
  }

  /** PID of the pane's shell. */
  shellPid(): number {
    return Number(this.#tmux(['display-message', '-p', '-t', '0', '#{pane_pid}']).trim());
  }

  /**
   * Polls the screen until `test` holds (a regex on the text, or a predicate), or fails after `timeoutMs` with
   * the screen in the message.
   */
  async waitFor(test: RegExp | ((screen: string) => boolean), timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    const ok = typeof test === 'function' ? test : (s: string) => test.test(s);
    for (;;) {
      const text = this.screen();
      if (ok(text)) return text;
      if (Date.now() > deadline) {
        throw new Error(
          `timed out after ${timeoutMs} ms waiting for ${String(test)}; screen:\n${text}`,
        );
      }
      await delay(50);
    }
  }

  /** Waits for the CLI to exit and returns its code. */
  async exitCode(timeoutMs = 15_000): Promise<number> {
    const screen = await this.waitFor(/EXIT=\d+/, timeoutMs);
    return Number(/EXIT=(\d+)/.exec(screen)?.[1]);
  }

  /** Kills the tmux server (and whatever still runs in it). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#tmux(['kill-server']);
    } catch {
      // Already gone.
    }
  }
}

/** Direct child processes of `pid` (none when `ps` lists nothing). */
export function childrenOf(pid: number): number[] {
  const result = spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' });
  return result.stdout
    .split('\n')
    .map((line) => Number(line.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
}

/** Whether a process is still alive (a zombie awaiting its parent counts as gone: it runs nothing). */
export function isAlive(pid: number): boolean {
  const result = spawnSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' });
  const stat = result.stdout.trim();
  return stat !== '' && !stat.startsWith('Z');
}
