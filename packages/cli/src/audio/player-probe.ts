/**
 * Whether `aplay` / `paplay` can open the output device, asked before voice mode is chosen.
 *
 * Both programs exist on machines with no sound card and no sound server, where they die at once
 * ("audio open error", "Connection refused"). The probe runs the player verbose and waits for its
 * own word that the device is open — aplay dumps the PCM setup once its parameters are set
 * ("Its setup is:"), paplay says "Stream successfully created." — then kills it before it plays
 * anything. A player that exits first failed, and says why on stderr. Measured against a
 * PulseAudio null sink: both answer in about 15 ms.
 */
import { spawn } from 'node:child_process';
import { trackChild } from './child-registry.js';
import { PlaybackError } from './playback-base.js';
import { playerArgs } from './playback-process.js';
import type { PlayerProgram } from './playback-process.js';

/** Options for {@link probePlayer}. */
export interface PlayerProbeOptions {
  readonly program: PlayerProgram;
  readonly device?: string;
  /** Device rate (default 24000). */
  readonly deviceRate?: number;
  readonly env?: NodeJS.ProcessEnv;
  /** How long the player may take to open the device (default 5000 ms; a hung sound server). */
  readonly timeoutMs?: number;
}

const OPENED: Readonly<Record<PlayerProgram, RegExp>> = {
  aplay: /^Its setup is:/m,
  paplay: /^Stream successfully created\./m,
};

/**
 * Resolves once the player has opened the device, and stops it.
 * @throws PlaybackError with the player's own reason when it cannot open the device.
 */
export function probePlayer(options: PlayerProbeOptions): Promise<void> {
  const { program } = options;
  const args = playerArgs(program, options.deviceRate ?? 24_000, options.device, {
    verbose: true,
  });
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      env: options.env ?? process.env,
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    trackChild(child);
    const timeoutMs = options.timeoutMs ?? 5000;
    let stderr = '';
    /** The verdict, once known; given when the player has exited, so a probe leaves nothing running. */
    let verdict: PlaybackError | 'opened' | null = null;
    const decide = (outcome: PlaybackError | 'opened'): void => {
      if (verdict !== null) return;
      verdict = outcome;
      clearTimeout(timer);
      child.kill('SIGKILL');
    };
    const timer = setTimeout(
      () =>
        decide(
          new PlaybackError(`${program} did not open the audio output within ${timeoutMs} ms`),
        ),
      timeoutMs,
    );
    child.stdin.on('error', () => undefined);
    child.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString('utf8')).slice(-8192);
      if (OPENED[program].test(stderr)) decide('opened');
    });
    child.once('error', (error) => {
      const failure = new PlaybackError(`Cannot start ${program}: ${error.message}`);
      decide(failure);
      // Not started at all: there is no process whose exit to wait for.
      if (child.pid === undefined) reject(failure);
    });
    child.once('close', (code, signal) => {
      if (verdict === null) {
        const how = signal ? `signal ${signal}` : `code ${code}`;
        decide(
          OPENED[program].test(stderr)
            ? 'opened'
            : new PlaybackError(`${program} cannot open the audio output (${how})`, stderr),
        );
      }
      if (verdict === 'opened') resolve();
      else reject(verdict!);
    });
  });
}
