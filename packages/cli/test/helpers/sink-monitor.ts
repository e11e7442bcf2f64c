/**
 * The speaker as heard: a recording of the PulseAudio null sink's monitor (`spk.monitor`, see
 * scripts/pulse-test-env.sh), and how much of a reply it played, found by comparing samples.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { bytesToPcm16 } from '@realtime-assistant/protocol';
import { cleanEnv } from './clean-env.js';

/** Monitor samples per ms (the null sink and the monitor recording run at 24 kHz, like the reply audio). */
export const PER_MS = 24;

/** Records the sink's monitor (what the speaker played) as 24 kHz samples. */
export class Monitor {
  readonly child: ChildProcess;
  readonly #chunks: Buffer[] = [];
  #bytes = 0;

  constructor(env: Record<string, string | undefined> = {}) {
    this.child = spawn(
      'parec',
      [
        '--device=spk.monitor',
        '--raw',
        '--format=s16le',
        '--rate=24000',
        '--channels=1',
        '--latency-msec=10',
      ],
      { env: cleanEnv(env), stdio: ['ignore', 'pipe', 'ignore'] },
    );
    this.child.stdout!.on('data', (chunk: Buffer) => {
      this.#chunks.push(chunk);
      this.#bytes += chunk.length;
    });
  }

  get length(): number {
    return this.#bytes >> 1;
  }

  samples(): Int16Array {
    return bytesToPcm16(Buffer.concat(this.#chunks));
  }

  /** Ms of audible sound (above `level`) heard so far, from the first audible sample to the last. */
  audibleMs(level = 500): number {
    const s = this.samples();
    const first = s.findIndex((x) => Math.abs(x) > level);
    if (first < 0) return 0;
    return (s.findLastIndex((x) => Math.abs(x) > level) - first) / PER_MS;
  }

  async stop(): Promise<void> {
    const exited = once(this.child, 'exit');
    this.child.kill();
    await exited;
  }
}

/**
 * How much of the reply the speaker played, read from the monitor recording. The reply is followed through the
 * recording in 5 ms blocks, each found where the previous one ended or near it: the monitor copies the reply
 * exactly (same rate, unity volume) except where, under load, the player ran dry (the rest comes later) or the
 * recorder dropped samples (the rest comes earlier).
 * The speaker played the reply's first `P` ms with `lastMatchedMs ≤ P ≤ firstMissingMs`: the end of the last block
 * of the reply found on the monitor, and the first block of sound never found (the two differ only by a pause
 * between words). `cutIndex` is where, on the monitor, the reply stopped.
 */
export function playedSpan(
  monitor: Int16Array,
  reply: Int16Array,
): { lastMatchedMs: number; firstMissingMs: number; cutIndex: number } {
  const LOUD = 1_000;
  const SOUND = 64;
  /** Blocks this loud are distinctive enough to be found at a shifted offset without false matches. */
  const KEY = 300;
  const BLOCK = 5 * PER_MS;
  const MAX_SLIP = 1_000 * PER_MS;
  const MAX_BACK = 500 * PER_MS;
  const replyOnset = reply.findIndex((x) => Math.abs(x) > LOUD);
  // Offset of the reply in the monitor; the player may round off a stream's faint first samples, so the first
  // loud sample places it.
  let offset = monitor.findIndex((x) => Math.abs(x) > LOUD) - replyOnset;
  const matches = (at: number, from: number): boolean => {
    for (let i = 0; i < BLOCK; i++) {
      if (Math.abs(monitor[at + from + i]! - reply[from + i]!) > SOUND) return false;
    }
    return true;
  };
  let lastMatched = replyOnset;
  let firstMissing = reply.length;
  let missedFrom = -1;
  for (let b = replyOnset; b + BLOCK <= reply.length; b += BLOCK) {
    if (offset + b + BLOCK > monitor.length) break;
    if (!reply.subarray(b, b + BLOCK).some((x) => Math.abs(x) > KEY)) continue;
    // Nearest offset first: the player running dry delays the rest (later), the recorder dropping samples
    // advances it (earlier).
    let found = -1;
    for (let d = 0; d <= MAX_SLIP && found < 0; d++) {
      for (const at of d === 0 ? [offset] : [offset + d, offset - d]) {
        if (d <= MAX_BACK || at > offset) {
          if (at + b >= 0 && at + b + BLOCK <= monitor.length && matches(at, b)) {
            found = at;
            break;
          }
        }
      }
    }
    if (found >= 0) {
      offset = found;
      lastMatched = b + BLOCK;
      missedFrom = -1;
      continue;
    }
    // A block straddling a dropout matches nowhere; four blocks in a row that match nowhere are the cut, unless
    // the reply comes back later on the monitor (under load the player can run dry for longer than MAX_SLIP).
    if (missedFrom < 0) missedFrom = b;
    if (b - missedFrom >= 3 * BLOCK) {
      const back = rejoin(monitor, reply, b + BLOCK, offset + missedFrom);
      if (back !== null) {
        offset = back.offset;
        lastMatched = back.at + 3 * BLOCK;
        missedFrom = -1;
        b = back.at + 2 * BLOCK;
        continue;
      }
      firstMissing = missedFrom;
      break;
    }
  }
  if (firstMissing < reply.length) {
    // To the sample, from the last block found: the last sound of the reply the monitor reproduced, and the first
    // it did not (quiet samples between them can't tell).
    let lastSound = lastMatched;
    let k = lastMatched;
    for (; k < reply.length && offset + k < monitor.length; k++) {
      if (Math.abs(reply[k]!) <= SOUND) continue;
      if (Math.abs(monitor[offset + k]! - reply[k]!) > SOUND) break;
      lastSound = k + 1;
    }
    lastMatched = lastSound;
    firstMissing = k;
  }
  return {
    lastMatchedMs: lastMatched / PER_MS,
    firstMissingMs: firstMissing / PER_MS,
    cutIndex: offset + lastMatched,
  };
}

/**
 * Where the reply shows up again on the monitor after a gap: the first of its loud 5 ms blocks from `from` (within
 * {@link REJOIN_MS} of reply time) that, with the two blocks after it, appears on the monitor at or after `monitorFrom`
 * and no more than {@link REJOIN_MS} later than it would have without the gap.
 * Three blocks in a row at the same offset rule out a chance match. Null when the reply never comes back (the cut).
 */
function rejoin(
  monitor: Int16Array,
  reply: Int16Array,
  from: number,
  monitorFrom: number,
): { at: number; offset: number } | null {
  const BLOCK = 5 * PER_MS;
  const SOUND = 64;
  const KEY = 300;
  const same = (m: number, r: number): boolean => {
    for (let i = 0; i < BLOCK; i++) {
      if (Math.abs(monitor[m + i]! - reply[r + i]!) > SOUND) return false;
    }
    return true;
  };
  const end = Math.min(reply.length - 3 * BLOCK, from + REJOIN_MS * PER_MS);
  for (let at = from; at <= end; at += BLOCK) {
    if (!reply.subarray(at, at + BLOCK).some((x) => Math.abs(x) > KEY)) continue;
    // The rest plays late by the gap, and the gap is at most REJOIN_MS: no further (a later reply is not this one).
    const last = Math.min(
      monitor.length - 3 * BLOCK,
      monitorFrom + (at - from) + REJOIN_MS * PER_MS,
    );
    for (let m = Math.max(0, monitorFrom); m <= last; m++) {
      if (same(m, at) && same(m + BLOCK, at + BLOCK) && same(m + 2 * BLOCK, at + 2 * BLOCK)) {
        return { at, offset: m - at };
      }
    }
  }
  return null;
}

/** How far past a gap (in reply time) {@link playedSpan} looks for the reply to come back. */
const REJOIN_MS = 2_000;
