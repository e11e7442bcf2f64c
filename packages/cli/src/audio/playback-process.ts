/**
 * Playback by spawning `aplay` or `paplay` and writing raw PCM to its stdin.
 *
 * A pipe holds 64 KB (1.4 s at 24 kHz), so writing everything at once would make the position
 * unknowable and `stop()` slow. Instead audio is paced: it is written only `leadMs` ahead of the
 * estimated play position, and `stop()` kills the player, which drops the pipe and device buffers.
 * The position is a clock: a burst of audio written to an idle player starts being heard
 * `latencyMs` later and then advances in real time, never past what was written.
 *
 * Accuracy: as good as the `latencyMs` estimate (player start-up + device buffer; default 40 ms
 * for paplay, 60 ms for aplay, measured against a PulseAudio null sink) plus clock drift between
 * the device and the host (about 0.01 %). It is less exact than the audio-io backend, which sees
 * the device consume each block.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { pcm16ToBytes } from '@realtime-assistant/protocol';
import { trackChild } from './child-registry.js';
import { PlaybackBase, PlaybackError } from './playback-base.js';

/** The spawned players. */
export type PlayerProgram = 'aplay' | 'paplay';

/** Options for {@link ProcessPlayback}. */
export interface ProcessPlaybackOptions {
  program: PlayerProgram;
  /** Output device, passed through (`-D` for aplay, `--device` for paplay). */
  device?: string;
  /** Device rate (default 24000). */
  deviceRate?: number;
  /** Estimated ms from the first write of a burst to the first sample heard. */
  latencyMs?: number;
  /** How far ahead of the play position audio is written (default 100 ms). */
  leadMs?: number;
  env?: NodeJS.ProcessEnv;
  /** Clock in ms (default `performance.now`). */
  now?: () => number;
}

const STDERR_TAIL_BYTES = 2048;
const PUMP_MS = 10;

/**
 * The player's command line: raw s16le mono at `rate`. `verbose` makes it say when the device is
 * open (see `player-probe.ts`); playback runs quiet.
 */
export function playerArgs(
  program: PlayerProgram,
  rate: number,
  device?: string,
  { verbose = false }: { verbose?: boolean } = {},
): string[] {
  if (program === 'aplay') {
    return [
      verbose ? '-v' : '-q',
      ...['-t', 'raw', '-f', 'S16_LE', '-c', '1', '-r', String(rate)],
      // 40 ms device buffer: small, so that killing the player leaves little unplayed.
      '--buffer-time=40000',
      ...(device ? ['-D', device] : []),
    ];
  }
  return [
    ...(verbose ? ['-v'] : []),
    ...['--raw', '--format=s16le', '--channels=1', `--rate=${rate}`, '--latency-msec=20'],
    ...(device ? [`--device=${device}`] : []),
  ];
}

export class ProcessPlayback extends PlaybackBase {
  readonly backend: PlayerProgram;
  readonly #options: ProcessPlaybackOptions;
  readonly #latencyFrames: number;
  readonly #leadFrames: number;
  readonly #now: () => number;
  readonly #queue: Int16Array[] = [];
  #child: ChildProcess | null = null;
  #stderr = '';
  /** Absolute audio frames written to the player. */
  #sent = 0;
  /** The current burst: its first frame and when that frame is heard. */
  #burstFrame = 0;
  #burstHeardAt = 0;
  #pump: NodeJS.Timeout | undefined;

  constructor(options: ProcessPlaybackOptions) {
    super(options.deviceRate ?? 24_000);
    this.backend = options.program;
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
    const latencyMs = options.latencyMs ?? (options.program === 'aplay' ? 60 : 40);
    this.#latencyFrames = Math.round((latencyMs * this.deviceRate) / 1000);
    this.#leadFrames = Math.round(((options.leadMs ?? 100) * this.deviceRate) / 1000);
  }

  /** The player's process id while it runs. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  protected enqueue(samples: Int16Array): void {
    this.#queue.push(samples);
    this.#pumpNow();
  }

  protected dropQueued(): number {
    this.#queue.length = 0;
    clearTimeout(this.#pump);
    const heard = this.playedFrames();
    if (heard < this.#sent) this.#kill();
    this.#sent = heard;
    return heard;
  }

  protected playedFrames(): number {
    const elapsed = ((this.#now() - this.#burstHeardAt) * this.deviceRate) / 1000;
    return Math.min(this.#sent, this.#burstFrame + Math.max(0, Math.floor(elapsed)));
  }

  protected release(): Promise<void> {
    clearTimeout(this.#pump);
    const child = this.#child;
    if (!child) return Promise.resolve();
    this.#child = null;
    return new Promise((resolve) => {
      child.once('close', () => resolve());
      child.stdin?.end();
    });
  }

  #pumpNow(): void {
    clearTimeout(this.#pump);
    const played = this.playedFrames();
    if (played >= this.#sent) {
      // The player has run dry: what is written now starts a new burst.
      this.#burstFrame = this.#sent;
      this.#burstHeardAt = this.#now() + (this.#latencyFrames * 1000) / this.deviceRate;
    }
    let budget = this.#leadFrames + this.#latencyFrames - (this.#sent - played);
    const parts: Int16Array[] = [];
    while (budget > 0 && this.#queue.length > 0) {
      const head = this.#queue[0]!;
      if (head.length <= budget) {
        parts.push(head);
        this.#queue.shift();
        budget -= head.length;
      } else {
        parts.push(head.subarray(0, budget));
        this.#queue[0] = head.subarray(budget);
        budget = 0;
      }
    }
    for (const part of parts) this.#send(part);
    if (this.#queue.length > 0) {
      this.#pump = setTimeout(() => this.#pumpNow(), PUMP_MS);
    }
  }

  #send(samples: Int16Array): void {
    const child = this.#ensureChild();
    this.#sent += samples.length;
    child.stdin?.write(pcm16ToBytes(samples));
  }

  #ensureChild(): ChildProcess {
    if (this.#child) return this.#child;
    const { program, device, env } = this.#options;
    const child = spawn(program, playerArgs(program, this.deviceRate, device), {
      env: env ?? process.env,
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    trackChild(child);
    this.#stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      this.#stderr = (this.#stderr + d.toString('utf8')).slice(-STDERR_TAIL_BYTES);
    });
    child.stdin?.on('error', () => undefined);
    child.on('error', (error) => {
      if (this.#child === child) this.#onDeath(`Cannot start ${program}: ${error.message}`);
    });
    child.once('close', (code, signal) => {
      if (this.#child === child) {
        this.#onDeath(
          `${program} stopped unexpectedly (${signal ? `signal ${signal}` : `code ${code}`})`,
        );
      }
    });
    this.#child = child;
    return child;
  }

  #onDeath(message: string): void {
    this.#child = null;
    this.#queue.length = 0;
    clearTimeout(this.#pump);
    this.#sent = Math.min(this.#sent, this.playedFrames());
    this.abandonUnplayed();
    this.fail(new PlaybackError(message, this.#stderr));
  }

  #kill(): void {
    const child = this.#child;
    this.#child = null;
    child?.kill('SIGKILL');
  }
}
