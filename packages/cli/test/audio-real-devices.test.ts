/**
 * Real devices under an isolated PulseAudio (null sink `spk`, pipe source `mic`), started by
 * scripts/pulse-test-env.sh. Playback is checked on `spk.monitor`; capture is fed through the fifo.
 *
 * `npm run test:realtime` runs the real-devices files one at a time: they time real playback, and
 * side by side on two cores they starve each other's players (CI once heard aplay's 1000 ms tone
 * over 1035 ms while the CLI voice tests ran next to it). A player starved by the machine itself
 * is played again; see ATTEMPTS.
 */
import { spawn, execFileSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  bytesToPcm16,
  generateTone,
  pcm16ToBytes,
  toneLevelDb,
} from '@realtime-assistant/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptureError, startCapture } from '../src/audio/capture.js';
import type { CaptureBackend } from '../src/audio/capture-command.js';
import { liveChildCount } from '../src/audio/child-registry.js';
import { listDevices } from '../src/audio/devices.js';
import { probePlayer } from '../src/audio/player-probe.js';
import { openPlayback } from '../src/audio/playback.js';
import type { AudioPlayback, PlaybackBackend } from '../src/audio/playback.js';
import { openAudio } from '../src/chat/audio-setup.js';

const script = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../scripts/pulse-test-env.sh',
);
const dir = mkdtempSync(join(tmpdir(), 'ra-pulse-'));
let fifo = '';

beforeAll(async () => {
  const out = execFileSync('bash', [script, 'start', dir], { encoding: 'utf8' });
  for (const m of out.matchAll(/^export (\w+)=(.*)$/gm)) process.env[m[1]!] = m[2]!;
  fifo = process.env.PULSE_TEST_MIC_FIFO!;
  // A fresh daemon stalls the first stream for a few hundred ms; warm it up outside the tests.
  const warmUp = await openPlayback({ backends: ['audio-io'] });
  warmUp.write(new Uint8Array(9600));
  await warmUp.drain();
  await warmUp.close();
});

afterAll(() => {
  execFileSync('bash', [script, 'stop', dir]);
});

/** Records spk.monitor; `heardMs()` is the span of the tone received so far. */
class MonitorRecorder {
  readonly #child: ChildProcess;
  readonly #chunks: Buffer[] = [];
  readonly #listeners = new Set<() => void>();

  constructor() {
    this.#child = spawn(
      'parec',
      [
        '--device=spk.monitor',
        '--raw',
        '--format=s16le',
        '--rate=24000',
        '--channels=1',
        '--latency-msec=10',
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    this.#child.stdout!.on('data', (d: Buffer) => {
      this.#chunks.push(d);
      for (const listener of this.#listeners) listener();
    });
  }

  samples(): Int16Array {
    return bytesToPcm16(Buffer.concat(this.#chunks));
  }

  /** Resolves once `predicate` holds after a chunk arrives. */
  until(predicate: () => boolean): Promise<void> {
    return new Promise((done) => {
      const check = (): void => {
        if (predicate()) {
          this.#listeners.delete(check);
          done();
        }
      };
      this.#listeners.add(check);
    });
  }

  /**
   * Span of the tone (samples above a third of `peak`) in ms, the samples in it, and the silence
   * inside it: runs of 2 ms or more with no sample above the threshold (a 1 kHz tone crosses it
   * every half period), i.e. gaps where the sink got nothing.
   */
  tone(peak: number): { ms: number; samples: Int16Array; endIndex: number; gapMs: number } {
    const s = this.samples();
    let first = -1;
    let last = -1;
    let gap = 0;
    for (let i = 0; i < s.length; i++) {
      if (Math.abs(s[i]!) > peak / 3) {
        if (first < 0) first = i;
        else if (i - last > 48) gap += i - last - 1;
        last = i;
      }
    }
    if (first < 0) return { ms: 0, samples: new Int16Array(0), endIndex: -1, gapMs: 0 };
    return {
      ms: (last - first + 1) / 24,
      samples: s.subarray(first, last + 1),
      endIndex: last,
      gapMs: gap / 24,
    };
  }

  /** Whether the tone has been heard and `silenceMs` of silence have followed its end. */
  toneEnded(peak: number, silenceMs: number): boolean {
    const { endIndex } = this.tone(peak);
    return endIndex >= 0 && this.samples().length - endIndex > silenceMs * 24;
  }

  async stop(): Promise<void> {
    const exited = new Promise((r) => this.#child.once('exit', r));
    this.#child.kill();
    await exited;
  }
}

const AMPLITUDE = 0.5;
const PEAK = AMPLITUDE * 32767;
const tone = (ms: number): Uint8Array =>
  pcm16ToBytes(
    generateTone({ frequency: 1000, durationMs: ms, sampleRate: 24_000, amplitude: AMPLITUDE }),
  );

/** Writes audio in 20 ms chunks, like the assistant receiving deltas. */
function writeChunked(playback: AudioPlayback, pcm: Uint8Array): void {
  for (let i = 0; i < pcm.length; i += 960) playback.write(pcm.subarray(i, i + 960));
}

const backends: PlaybackBackend[] = ['audio-io', 'aplay', 'paplay'];

/** One playback of a 1000 ms tone, measured on the monitor and against the wall clock. */
interface TonePlay {
  heard: ReturnType<MonitorRecorder['tone']>;
  playedAtIdle: number;
  errors: Error[];
  /** playedMs − what the monitor heard, sampled during playback. */
  lags: number[];
  /** Wall clock since the first write − playedMs, sampled during playback. */
  behindClock: number[];
}

async function playTone(backend: PlaybackBackend): Promise<TonePlay> {
  const monitor = new MonitorRecorder();
  await monitor.until(() => monitor.samples().length > 0);
  const playback = await openPlayback({ backends: [backend] });
  const errors: Error[] = [];
  playback.on('error', (e) => errors.push(e));
  const lags: number[] = [];
  const behindClock: number[] = [];
  const sample = (): boolean => {
    const heard = monitor.tone(PEAK).ms;
    const played = playback.playedMs();
    if (heard > 50 && heard < 950) lags.push(played - heard);
    if (played > 100 && played < 900) behindClock.push(performance.now() - startedAt - played);
    return false;
  };
  void monitor.until(sample);
  const startedAt = performance.now();
  writeChunked(playback, tone(1000));
  await playback.drain();
  const playedAtIdle = playback.playedMs();
  // Until 300 ms of silence follow the tone: waiting for 990 ms of it would never end when an
  // underrun lost part of it.
  await monitor.until(() => monitor.toneEnded(PEAK, 300));
  const heard = monitor.tone(PEAK);
  await playback.close();
  await monitor.stop();
  return { heard, playedAtIdle, errors, lags, behindClock };
}

/**
 * Attempts before a starved machine fails the test. A player that gets no CPU for longer than its
 * device buffer (20–40 ms) underruns: the sink plays silence, the gap shows on the monitor and the
 * tone is heard longer than it is. CI, on a shared two-core VM, saw that with no other test
 * running, in bursts: aplay 35 ms, paplay 45 ms, and once the in-process audio-io player three
 * attempts in a row (67, 20 and 178 ms of gaps, its callbacks up to 115 ms late) while aplay and
 * paplay played clean seconds later. Such an attempt is reported and played again; a player that
 * breaks the tone every time still fails.
 */
const ATTEMPTS = 6;
/** Six attempts of up to 3 s each (aplay's stop test) need more than the default 20 s. */
const RETRYING_TIMEOUT_MS = 60_000;

/** Runs `attempt` until the monitor hears it without silent gaps, at most {@link ATTEMPTS} times; logs each. */
async function withoutUnderrun<T extends { heard: { gapMs: number } }>(
  backend: PlaybackBackend,
  attempt: () => Promise<T>,
  summary: (result: T) => string,
): Promise<T> {
  for (let n = 1; ; n++) {
    const result = await attempt();
    console.info(`${backend} (attempt ${n}): ${summary(result)}`);
    if (result.heard.gapMs === 0 || n === ATTEMPTS) return result;
  }
}

describe.each(backends)('playback through %s', (backend) => {
  it(
    'plays a tone that is heard on the sink monitor while playedMs tracks what was heard',
    async () => {
      const range = (xs: number[]): string =>
        `${Math.min(...xs).toFixed(1)}…${Math.max(...xs).toFixed(1)} ms`;
      const { heard, playedAtIdle, errors, lags, behindClock } = await withoutUnderrun(
        backend,
        () => playTone(backend),
        (play) =>
          `heard ${play.heard.ms.toFixed(1)} ms (silent gaps ${play.heard.gapMs.toFixed(1)} ms); during playback playedMs − monitor ${range(play.lags)}, wall clock − playedMs ${range(play.behindClock)}`,
      );
      expect(errors).toEqual([]);
      // The whole tone, once: nothing lost, repeated or broken up by an underrun.
      const heardWhole = `heard ${heard.ms.toFixed(1)} ms with ${heard.gapMs.toFixed(1)} ms of silent gaps (${ATTEMPTS} attempts)`;
      expect(heard.gapMs, heardWhole).toBe(0);
      expect(toneLevelDb(heard.samples, 24_000, 1000)).toBeGreaterThan(-20);
      expect(heard.ms, heardWhole).toBeGreaterThan(990);
      expect(heard.ms, heardWhole).toBeLessThan(1010);
      expect(playedAtIdle).toBeCloseTo(1000, 0);
      // playedMs advances with the wall clock: not ahead of it, behind by the start-up latency
      // only, and by a steady amount (no drift or stalls). "Not ahead" allows the null sink's own
      // jitter: it takes audio in bursts slightly ahead of real time (seen: 6.1 ms ahead, once in a
      // full run on a loaded machine).
      expect(behindClock.length).toBeGreaterThan(10);
      expect(Math.min(...behindClock)).toBeGreaterThan(-15);
      expect(Math.max(...behindClock)).toBeLessThan(200);
      expect(Math.max(...behindClock) - Math.min(...behindClock)).toBeLessThan(60);
      // The null sink renders ahead of real time, so the monitor runs early: a loose bound only.
      for (const lag of lags) expect(Math.abs(lag)).toBeLessThan(200);
    },
    RETRYING_TIMEOUT_MS,
  );

  it(
    'stops mid-stream at a played position that matches what reached the monitor',
    async () => {
      const written = 2000;
      const { stoppedAt, heard, playedAfter } = await withoutUnderrun(
        backend,
        () => stopTone(backend, written),
        (stop) =>
          `stop() → ${stop.stoppedAt.toFixed(1)} ms; heard ${stop.heard.ms.toFixed(1)} ms (silent gaps ${stop.heard.gapMs.toFixed(1)} ms); error ${(stop.stoppedAt - stop.heard.ms).toFixed(1)} ms`,
      );
      expect(
        heard.gapMs,
        `${heard.gapMs.toFixed(1)} ms of silent gaps (${ATTEMPTS} attempts)`,
      ).toBe(0);
      expect(stoppedAt).toBeLessThan(written);
      expect(stoppedAt).toBeGreaterThan(400);
      // audio-io (the default) reports what its callback consumed: ±40 ms. aplay/paplay are separate processes whose
      // device buffer is estimated, not read; measured here between −31 and +54 ms, so they get a wider bound.
      expect(Math.abs(stoppedAt - heard.ms)).toBeLessThanOrEqual(backend === 'audio-io' ? 40 : 80);
      expect(playedAfter).toBe(0);
    },
    RETRYING_TIMEOUT_MS,
  );
});

/** A tone stopped mid-stream: what `stop()` returned, what the monitor heard, `playedMs()` after it. */
interface ToneStop {
  stoppedAt: number;
  heard: ReturnType<MonitorRecorder['tone']>;
  playedAfter: number;
}

/** Plays a `ms` tone, stops it once the monitor heard 500 ms, and waits for the silence after it. */
async function stopTone(backend: PlaybackBackend, ms: number): Promise<ToneStop> {
  const monitor = new MonitorRecorder();
  await monitor.until(() => monitor.samples().length > 0);
  const playback = await openPlayback({ backends: [backend] });
  writeChunked(playback, tone(ms));
  await monitor.until(() => monitor.tone(PEAK).ms >= 500);
  const stoppedAt = playback.stop();
  await monitor.until(() => monitor.toneEnded(PEAK, 300));
  const heard = monitor.tone(PEAK);
  const playedAfter = playback.playedMs();
  await playback.close();
  await monitor.stop();
  return { stoppedAt, heard, playedAfter };
}

const captureBackends: CaptureBackend[] = ['arecord', 'parec', 'sox'];

describe.each(captureBackends)('capture through %s', (backend) => {
  it('captures audio written into the pipe source from the default device, with a rising level', async () => {
    const capture = await startCapture({ backends: [backend], deviceRate: 16_000 });
    const chunks: Uint8Array[] = [];
    capture.on('data', (c) => chunks.push(c));
    let loudAt = -1;
    capture.on('level', ({ db }) => {
      if (db > -20 && loudAt < 0) loudAt = chunks.length;
    });
    // The pipe source delivers nothing without a writer and drops what arrives before the
    // recorder is connected, so the tone is fed in 100 ms pieces until the meter rises, then
    // for 10 more chunks (200 ms).
    const piece = pcm16ToBytes(
      generateTone({ frequency: 1000, durationMs: 100, sampleRate: 16_000, amplitude: AMPLITUDE }),
    );
    const fifoHandle = await open(fifo, 'w');
    while (loudAt < 0 || chunks.length < loudAt + 10) await fifoHandle.write(piece);
    await fifoHandle.close();
    const pid = capture.pid!;
    await capture.stop();

    expect(
      chunks.slice(0, loudAt - 1).every((c) => toneLevelDb(bytesToPcm16(c), 24_000, 1000) < -20),
    ).toBe(true);
    expect(chunks.every((c) => c.length === 960)).toBe(true);
    const loudChunks = bytesToPcm16(Buffer.concat(chunks.slice(loudAt, loudAt + 8)));
    expect(toneLevelDb(loudChunks, 24_000, 1000)).toBeGreaterThan(-15);
    expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
  });
});

describe('capture failures', () => {
  it('reports a recorder that dies with its stderr tail instead of crashing', async () => {
    const capture = await startCapture({ backends: ['arecord'], device: 'no_such_device' });
    const errors: CaptureError[] = [];
    capture.on('error', (e) => errors.push(e));
    await expect(capture.ready()).rejects.toBeInstanceOf(CaptureError);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.code).toBe('exited');
    expect(errors[0]!.stderr).toMatch(/no_such_device|audio open error/i);
    await capture.stop();
  });
});

describe('choosing voice mode', () => {
  it.each(['aplay', 'paplay'] as const)(
    'probes %s: it opens the device, and the probe leaves nothing running',
    async (program) => {
      await expect(probePlayer({ program })).resolves.toBeUndefined();
      expect(liveChildCount()).toBe(0);
    },
  );

  it('opens the microphone and the speaker when both work', async () => {
    const mode = await openAudio({ forceText: false, env: process.env });
    expect(mode).toMatchObject({ kind: 'voice' });
    if (mode.kind !== 'voice') return;
    expect(mode.description).toMatch(/^Voice mode: microphone via arecord, speaker via audio-io\./);
    await mode.capture.stop();
    await mode.playback.close();
    expect(liveChildCount()).toBe(0);
  });

  it('falls back to text mode with the recorder’s reason when the microphone does not open', async () => {
    const mode = await openAudio({
      forceText: false,
      inputDevice: 'ra_no_such_device',
      outputDevice: 'spk',
      env: process.env,
    });
    expect(mode.kind).toBe('text');
    expect(mode.kind === 'text' && mode.reason).toMatch(
      /^No usable audio device: text mode, type your messages\. \(arecord stopped unexpectedly \(code 1\): arecord: .*audio open error/,
    );
    // The speaker that did open (aplay on spk) was closed again.
    expect(liveChildCount()).toBe(0);
  });
});

describe('listDevices', () => {
  it('lists the PulseAudio sink and source', async () => {
    const devices = await listDevices();
    expect(devices).toContainEqual(
      expect.objectContaining({ kind: 'output', system: 'pulse', id: 'spk' }),
    );
    expect(devices).toContainEqual(
      expect.objectContaining({ kind: 'input', system: 'pulse', id: 'mic' }),
    );
  });
});
