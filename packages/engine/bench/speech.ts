/**
 * The speech bench (issue #4): sessions stream a synthesised utterance ("play a tone", Flite) followed by silence,
 * at real time, with the energy VAD and a scripted spoken reply (`speech-scenario.yaml`, no scripted delay).
 *
 * 1. turn latency  end of user speech → first `response.output_audio.delta`, minus the VAD's silence window
 *                  (`silence_duration_ms`), with recognition (pocketsphinx, grammar) and synthesis, and with
 *                  recognition off; plus the VAD boundary error (speech_started / speech_stopped vs the true
 *                  boundaries). Engine in this process, `--latency-sessions` sessions at a time.
 * 2. synthesis     Flite speed as a multiple of real time (kal16, one call at a time).
 * 3. capacity      most concurrent audio sessions with engine event-loop lag p99 < 20 ms, each repeating the
 *                  utterance and getting a spoken reply, recognition off and on. Engine in its own process
 *                  (`speech-engine.ts`), ramping N.
 *
 * Run alone: `node --conditions=source --import tsx bench/speech.ts` (flags: --latency-sessions N, --rounds N,
 * --off-ramp 25,50,… --on-ramp 10,20,… --duration S, --only latency,synthesis,capacity, --recognition on|off; SPEECH_BENCH_CPU_PROF=DIR profiles the capacity engine); or `npm run bench -w packages/engine -- --only speech`.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { benchArgs } from './bench-args.js';
import { resamplePcm16 } from '@realtime-assistant/protocol';
import { WebSocket } from 'ws';
import type { RawData } from 'ws';
import { createEngine } from '../src/engine.js';
import type { TranscriberConfig } from '../src/transcription/index.js';
import { speechBoundaries } from '../src/vad/index.js';
import { FliteSynthesizer } from '../src/voice/flite/flite-synthesizer.js';
import { SpeechRenderer } from '../src/voice/speech-renderer.js';
import { clientFrame, rawSocket } from './load.js';
import { ensureBuiltEngine } from './engine-build.js';
import type { SpeechEngineCommand, SpeechEngineReply } from './speech-engine.js';
import { fmt, median, percentile, table } from './stats.js';

const RATE = 24_000;
const FRAME_MS = 20;
/** The capacity generator's schedule: 1 ms slots, a session's frame in one of the first 16 of each tick. */
const SLOT_MS = 1;
const SLOTS_PER_TICK = FRAME_MS / SLOT_MS;
const APPEND_SLOTS = 16;
const FRAME_BYTES = (RATE / 1000) * FRAME_MS * 2;
const LEAD_MS = 500;
const TAIL_MS = 2_500;
const LAG_LIMIT_MS = 20;
const SCENARIO = fileURLToPath(new URL('./speech-scenario.yaml', import.meta.url));
const PHRASE = 'play a tone';
const PREFIX_CHARS = 96;

const RECOGNITION: Record<'on' | 'off', TranscriberConfig> = {
  on: { kind: 'pocketsphinx' },
  off: { kind: 'none' },
};

export interface SpeechBenchOptions {
  /** Sessions streaming at once in the latency part (default 10). */
  latencySessions: number;
  /** Utterances per latency session (default 3). */
  rounds: number;
  /** Capacity ramps, recognition off / on (a ramp stops at its first failed step). */
  offRamp: number[];
  onRamp: number[];
  /** Seconds measured per capacity step. */
  durationS: number;
  /** Parts to run (default all three). */
  only?: ReadonlyArray<'latency' | 'synthesis' | 'capacity'>;
  /** Recognition settings to measure (default both). */
  recognition?: ReadonlyArray<'on' | 'off'>;
}

export const DEFAULT_SPEECH_BENCH: SpeechBenchOptions = {
  latencySessions: 10,
  rounds: 3,
  offRamp: [25, 50, 100, 200, 400, 800, 1000],
  onRamp: [10, 20, 40, 80, 160],
  durationS: 5,
};

/** The utterance as precomputed append events, and where its speech really is. */
interface Utterance {
  frames: Buffer[];
  startMs: number;
  endMs: number;
  speechMs: number;
}

async function prepare(tts: FliteSynthesizer): Promise<Utterance> {
  const spoken = await tts.synthesize(PHRASE, 'kal16');
  const speech = resamplePcm16(spoken.samples, spoken.sampleRate, RATE);
  const pcm = new Int16Array(((LEAD_MS + TAIL_MS) * RATE) / 1000 + speech.length);
  pcm.set(speech, (LEAD_MS * RATE) / 1000);
  const spans = speechBoundaries(pcm, RATE);
  const bytes = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  const frames: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += FRAME_BYTES) {
    const audio = Buffer.alloc(FRAME_BYTES);
    bytes.copy(audio, 0, at, at + FRAME_BYTES);
    frames.push(
      Buffer.from(
        JSON.stringify({ type: 'input_audio_buffer.append', audio: audio.toString('base64') }),
      ),
    );
  }
  return {
    frames,
    startMs: spans[0]?.startMs ?? LEAD_MS,
    endMs: spans.at(-1)?.endMs ?? LEAD_MS + (speech.length * 1000) / RATE,
    speechMs: (speech.length * 1000) / RATE,
  };
}

function openSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url}?model=gpt-realtime`, {
      perMessageDeflate: false,
      generateMask: (mask) => mask.fill(0),
    });
    ws.once('error', reject);
    ws.once('message', () => {
      ws.off('error', reject);
      ws.on('error', () => undefined);
      resolve(ws);
    });
  });
}

// ---------------------------------------------------------------------------------------------- 1. latency

interface TurnSample {
  /** End of user speech → first output audio delta, minus the silence window, ms. */
  latencyMs: number;
  /** Of which: end of speech → `input_audio_buffer.committed`, minus the silence window, ms. */
  detectMs: number;
  /** Of which: `committed` → first output audio delta (response, recognition, synthesis), ms. */
  replyMs: number;
  startErrorMs: number;
  endErrorMs: number;
}

/** One session: streams the utterance at real time and measures its turn. */
async function latencyTurn(url: string, said: Utterance): Promise<TurnSample | null> {
  const ws = await openSocket(url);
  let silenceMs = 500;
  let started: number | null = null;
  let stopped: number | null = null;
  let firstAudioAt: number | null = null;
  let committedAt: number | null = null;
  ws.on('message', (data: RawData) => {
    const event = JSON.parse((data as Buffer).toString()) as Record<string, unknown>;
    if (event.type === 'session.updated') {
      const td = ((event.session as { audio: { input: { turn_detection: unknown } } }).audio.input
        .turn_detection ?? {}) as { silence_duration_ms?: number };
      silenceMs = td.silence_duration_ms ?? silenceMs;
    } else if (event.type === 'input_audio_buffer.speech_started') {
      started = event.audio_start_ms as number;
    } else if (event.type === 'input_audio_buffer.speech_stopped') {
      stopped = event.audio_end_ms as number;
    } else if (event.type === 'input_audio_buffer.committed') {
      committedAt = performance.now();
    } else if (event.type === 'response.output_audio.delta' && firstAudioAt === null) {
      firstAudioAt = performance.now();
    }
  });
  ws.send(
    JSON.stringify({
      type: 'session.update',
      session: { type: 'realtime', audio: { input: { turn_detection: { type: 'server_vad' } } } },
    }),
  );
  // Frames go out at real time: frame k at t0 + k·20 ms. The engine can know the speech ended once the frame
  // holding its last sample has arrived.
  const endFrame = Math.floor(said.endMs / FRAME_MS);
  let endSentAt = 0;
  const t0 = performance.now();
  for (let k = 0; k < said.frames.length; k++) {
    const due = t0 + k * FRAME_MS - performance.now();
    if (due > 0) await sleep(due);
    ws.send(said.frames[k]!, { binary: false });
    if (k === endFrame) endSentAt = performance.now();
  }
  ws.close();
  if (firstAudioAt === null || committedAt === null || started === null || stopped === null)
    return null;
  return {
    latencyMs: firstAudioAt - endSentAt - silenceMs,
    detectMs: committedAt - endSentAt - silenceMs,
    replyMs: firstAudioAt - committedAt,
    startErrorMs: Math.abs(started - said.startMs),
    endErrorMs: Math.abs(stopped - said.endMs),
  };
}

async function latencyRun(
  recognition: 'on' | 'off',
  said: Utterance,
  options: SpeechBenchOptions,
  cache = true,
): Promise<{ samples: TurnSample[]; missed: number }> {
  // Without the cache every turn synthesises its reply afresh (a reply said for the first time).
  const renderer = cache ? undefined : new SpeechRenderer({ cache: false });
  const engine = await createEngine({
    host: '127.0.0.1',
    port: 0,
    speed: 1,
    logLevel: 'silent',
    scenario: SCENARIO,
    transcriber: RECOGNITION[recognition],
    ...(renderer ? { renderer } : {}),
  });
  const info = await engine.listen();
  try {
    await latencyTurn(info.url, said); // warm-up: decoders, synthesiser workers, JIT
    const samples: TurnSample[] = [];
    let missed = 0;
    const cycleMs = said.frames.length * FRAME_MS;
    const lanes = Array.from({ length: options.latencySessions }, async (_, lane) => {
      await sleep((lane * cycleMs) / options.latencySessions); // staggered, so turns don't all end together
      for (let round = 0; round < options.rounds; round++) {
        const sample = await latencyTurn(info.url, said);
        if (sample) samples.push(sample);
        else missed += 1;
      }
    });
    await Promise.all(lanes);
    return { samples, missed };
  } finally {
    await engine.close();
    await renderer?.close();
  }
}

// ---------------------------------------------------------------------------------------------- 2. synthesis

async function synthesisSpeed(tts: FliteSynthesizer): Promise<number> {
  const reply = 'Sure, I can book a table for two at seven tonight. Would you like a window seat?';
  await tts.synthesize(reply, 'kal16');
  const speeds: number[] = [];
  for (let run = 0; run < 7; run++) {
    const t = performance.now();
    const pcm = await tts.synthesize(reply, 'kal16');
    speeds.push(pcm.samples.length / pcm.sampleRate / ((performance.now() - t) / 1000));
  }
  return median(speeds);
}

// ---------------------------------------------------------------------------------------------- 3. capacity

class SpeechEngineProcess {
  #child: ChildProcess;
  #next = 1;
  readonly url: string;

  private constructor(child: ChildProcess, url: string) {
    this.#child = child;
    this.url = url;
  }

  static start(transcriber: TranscriberConfig): Promise<SpeechEngineProcess> {
    const child = fork(fileURLToPath(new URL('./speech-engine.ts', import.meta.url)), [], {
      execArgv: [
        ...(process.env.ENGINE_BENCH_SOURCE === '1' ? ['--conditions=source'] : []),
        '--import',
        'tsx',
        // SPEECH_BENCH_CPU_PROF=DIR profiles the engine process (summarise with bench/profile-summary.ts)
        ...(process.env.SPEECH_BENCH_CPU_PROF
          ? ['--cpu-prof', `--cpu-prof-dir=${process.env.SPEECH_BENCH_CPU_PROF}`]
          : []),
      ],
      env: {
        ...process.env,
        SPEECH_BENCH_ENGINE: JSON.stringify({ speed: 1, scenario: SCENARIO, transcriber }),
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      child.once('exit', (code) =>
        reject(new Error(`speech engine exited (${code}) while starting`)),
      );
      child.once('message', (message: SpeechEngineReply) => {
        if (message.kind === 'ready') resolve(new SpeechEngineProcess(child, message.url));
        else reject(new Error(message.kind === 'failed' ? message.message : 'unexpected reply'));
      });
    });
  }

  request(cmd: 'reset' | 'stats'): Promise<Extract<SpeechEngineReply, { kind: 'stats' }>> {
    const id = this.#next++;
    return new Promise((resolve) => {
      const onMessage = (message: SpeechEngineReply): void => {
        if (message.kind !== 'stats' || message.id !== id) return;
        this.#child.off('message', onMessage);
        resolve(message);
      };
      this.#child.on('message', onMessage);
      const command: SpeechEngineCommand = { cmd, id };
      this.#child.send(command);
    });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (this.#child.exitCode !== null || this.#child.signalCode !== null) return resolve();
      this.#child.removeAllListeners('exit');
      this.#child.once('exit', () => resolve());
      const command: SpeechEngineCommand = { cmd: 'exit', id: 0 };
      this.#child.send(command);
      setTimeout(() => this.#child.kill('SIGKILL'), 15_000).unref();
    });
  }
}

interface CapacityStep {
  sessions: number;
  lagP99Ms: number;
  cpuPercent: number;
  /** The load generator's CPU in the window, percent of one core (it shares the machine's cores). */
  generatorCpuPercent: number;
  /** Responses completed / utterances that ended in the window. */
  answered: number;
  errors: number;
  /** Ticks the generator ran more than a frame late. */
  lateTicks: number;
  held: boolean;
}

/** N sessions, each looping the utterance (staggered), for `durationS` measured seconds. */
async function capacityStep(
  engine: SpeechEngineProcess,
  said: Utterance,
  sessions: number,
  durationS: number,
): Promise<CapacityStep> {
  const sockets: WebSocket[] = [];
  let responses = 0;
  let errors = 0;
  try {
    for (let i = 0; i < sessions; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, sessions - i) }, () => openSocket(engine.url)),
      );
      sockets.push(...batch);
    }
    for (const ws of sockets) {
      ws.on('message', (data: RawData) => {
        const head = (data as Buffer).toString('latin1', 0, PREFIX_CHARS);
        if (head.includes('"type":"response.done"')) responses += 1;
        else if (head.includes('"type":"error"')) errors += 1;
      });
    }
    const cycle = said.frames.length;
    const offsets = sockets.map((_, i) => Math.floor((i * cycle) / sessions));
    // Whole frames built once and written straight to each socket (see `clientFrame`), spread over each 20 ms
    // tick in 1 ms slots: session i sends in slot i mod 16, so the engine never reads every session's frame at
    // once (the burst, not the average load, is what a single tick's lag sees).
    const frames = said.frames.map(clientFrame);
    const raw = sockets.map(rawSocket);
    let slot = 0;
    let late = 0;
    const t0 = performance.now();
    const timer = setInterval(() => {
      const due = Math.floor((performance.now() - t0) / SLOT_MS);
      if ((due - slot) * SLOT_MS > FRAME_MS) late += 1;
      for (; slot <= due; slot++) {
        const tick = Math.floor(slot / SLOTS_PER_TICK);
        for (let i = slot % SLOTS_PER_TICK; i < raw.length; i += APPEND_SLOTS) {
          if (sockets[i]!.readyState === WebSocket.OPEN) {
            raw[i]!.write(frames[(tick + offsets[i]!) % cycle]!);
          }
        }
      }
    }, SLOT_MS);
    try {
      await sleep(cycle * FRAME_MS); // one whole cycle before measuring: every session in a turn
      await engine.request('reset');
      const before = { responses, errors, late };
      const cpu0 = process.cpuUsage();
      const wall0 = performance.now();
      await sleep(durationS * 1000);
      const cpu = process.cpuUsage(cpu0);
      const generatorCpuPercent =
        ((cpu.user + cpu.system) / 1000 / (performance.now() - wall0)) * 100;
      const stats = await engine.request('stats');
      const expected = (sessions * durationS * 1000) / (cycle * FRAME_MS);
      const step: CapacityStep = {
        sessions,
        lagP99Ms: stats.lagP99Ms,
        cpuPercent: stats.cpuPercent,
        generatorCpuPercent,
        answered: (responses - before.responses) / expected,
        errors: errors - before.errors,
        lateTicks: late - before.late,
        held: false,
      };
      step.held = step.lagP99Ms < LAG_LIMIT_MS && step.errors === 0 && step.answered >= 0.9;
      return step;
    } finally {
      clearInterval(timer);
    }
  } finally {
    for (const ws of sockets) ws.terminate();
    await sleep(500); // let the engine close them before the next step
  }
}

async function capacityRamp(
  recognition: 'on' | 'off',
  said: Utterance,
  ramp: number[],
  durationS: number,
): Promise<CapacityStep[]> {
  const engine = await SpeechEngineProcess.start(RECOGNITION[recognition]);
  const steps: CapacityStep[] = [];
  try {
    for (const sessions of ramp) {
      const step = await capacityStep(engine, said, sessions, durationS);
      steps.push(step);
      if (!step.held) break;
    }
  } finally {
    await engine.stop();
  }
  return steps;
}

// ---------------------------------------------------------------------------------------------- report

/** Runs the speech bench and prints its tables. */
export async function runSpeechBench(
  options: SpeechBenchOptions = DEFAULT_SPEECH_BENCH,
): Promise<void> {
  const say = (text: string): void => console.log(text);
  const load = (): string =>
    loadavg()
      .map((v) => v.toFixed(1))
      .join(' ');
  const started = performance.now();
  say(`\nspeech bench: load average ${load()} at start`);
  const tts = new FliteSynthesizer({ poolSize: 1 });
  let said: Utterance;
  let speed: number;
  try {
    said = await prepare(tts);
    speed = await synthesisSpeed(tts);
  } finally {
    await tts.close();
  }
  say(
    `utterance "${PHRASE}": ${Math.round(said.speechMs)} ms of speech (true boundaries ${Math.round(said.startMs)}–${Math.round(said.endMs)} ms), ` +
      `${LEAD_MS} ms silence before, ${TAIL_MS} ms after; streamed in ${FRAME_MS} ms appends at real time`,
  );

  const runs = (part: 'latency' | 'synthesis' | 'capacity'): boolean =>
    options.only === undefined || options.only.includes(part);
  const measured = (recognition: 'on' | 'off'): boolean =>
    options.recognition === undefined || options.recognition.includes(recognition);
  const latencyRows: string[][] = [];
  const latencyCases = [
    ['on', true, 'pocketsphinx + Flite'],
    ['off', true, 'off (Flite only)'],
    ['off', false, 'off, reply cache off'],
  ] as const;
  for (const [recognition, cache, label] of latencyCases) {
    if (!runs('latency') || !measured(recognition)) continue;
    const { samples, missed } = await latencyRun(recognition, said, options, cache);
    const latencies = samples.map((s) => s.latencyMs);
    latencyRows.push([
      label,
      String(options.latencySessions),
      String(samples.length),
      fmt(median(latencies), ' ms'),
      fmt(percentile(latencies, 90), ' ms'),
      recognition === 'on' ? '≤ 100 ms' : '≤ 10 ms',
      fmt(median(samples.map((s) => s.detectMs)), ' ms'),
      fmt(median(samples.map((s) => s.replyMs)), ' ms'),
      fmt(median(samples.map((s) => s.startErrorMs)), ' ms'),
      fmt(median(samples.map((s) => s.endErrorMs)), ' ms'),
      String(missed),
    ]);
  }
  say(
    '\n1. end of user speech → first response.output_audio.delta, minus the silence window (silence_duration_ms 500)',
  );
  say(
    table(
      [
        'recognition',
        'sessions',
        'turns',
        'p50',
        'p90',
        'goal p50',
        'of which VAD',
        'of which reply',
        'start error',
        'end error',
        'missed',
      ],
      latencyRows,
    ),
  );
  say(
    '   of which VAD: end of speech → committed − silence window; of which reply: committed → first audio delta (p50s)',
  );
  say(
    '   the reply is synthesised once and then served from the renderer\'s cache; "reply cache off" synthesises it on every turn',
  );
  say(
    '   start / end error: |speech_started.audio_start_ms − true start|, |speech_stopped.audio_end_ms − true end|, medians',
  );

  say(
    `\n2. synthesis speed (Flite kal16, 15-word reply, one call at a time): ${fmt(speed, '× real time')} (goal ≥ 20×)`,
  );

  const summary: string[][] = [];
  const detail: string[][] = [];
  for (const recognition of ['off', 'on'] as const) {
    if (!runs('capacity') || !measured(recognition)) continue;
    const ramp = recognition === 'off' ? options.offRamp : options.onRamp;
    const steps = await capacityRamp(recognition, said, ramp, options.durationS);
    const held = steps.filter((s) => s.held).map((s) => s.sessions);
    summary.push([recognition, held.length > 0 ? String(Math.max(...held)) : `< ${ramp[0]}`]);
    for (const s of steps) {
      detail.push([
        recognition,
        String(s.sessions),
        fmt(s.lagP99Ms, ' ms'),
        fmt(Math.round(s.cpuPercent), '%'),
        fmt((s.cpuPercent * 10) / s.sessions, ' ms'),
        fmt((s.generatorCpuPercent * 10) / s.sessions, ' ms'),
        fmt(s.answered * 100, '%'),
        String(s.errors),
        String(s.lateTicks),
        s.held ? 'yes' : 'no',
      ]);
    }
  }
  say(
    `\n3. concurrent audio sessions held with engine event-loop lag p99 < ${LAG_LIMIT_MS} ms (energy VAD, spoken reply; goal ≥ 1000 with recognition off)`,
  );
  say(table(['recognition', 'most held'], summary));
  say('');
  say(
    table(
      [
        'recognition',
        'sessions',
        'lag p99',
        'engine cpu',
        'engine per session-s',
        'gen per session-s',
        'turns answered',
        'errors',
        'late ticks',
        'held',
      ],
      detail,
    ),
  );
  say(
    `   engine cpu: the engine process with its recognition / synthesis worker threads, % of one core; ${options.durationS} s measured per step; ` +
      'per session-s: ms of CPU per session-second, engine and load generator (which shares the cores)',
  );
  say(
    `\nspeech bench done in ${Math.round((performance.now() - started) / 1000)} s; load average ${load()} at the end`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = benchArgs(
    'node --conditions=source --import tsx bench/speech.ts',
    'The speech bench: turn latency with recognition and synthesis, synthesis speed, capacity of audio sessions.',
    {
      options: {
        'latency-sessions': { type: 'string' },
        rounds: { type: 'string' },
        'off-ramp': { type: 'string' },
        'on-ramp': { type: 'string' },
        duration: { type: 'string' },
        only: { type: 'string', multiple: true },
        recognition: { type: 'string' },
        source: { type: 'boolean', default: false },
      },
    },
  );
  ensureBuiltEngine({ source: values.source });
  const list = (raw: string | undefined, fallback: number[]): number[] =>
    raw === undefined
      ? fallback
      : raw
          .split(',')
          .map(Number)
          .filter((v) => v > 0);
  await runSpeechBench({
    latencySessions: Number(values['latency-sessions'] ?? DEFAULT_SPEECH_BENCH.latencySessions),
    rounds: Number(values.rounds ?? DEFAULT_SPEECH_BENCH.rounds),
    offRamp: list(values['off-ramp'], DEFAULT_SPEECH_BENCH.offRamp),
    onRamp: list(values['on-ramp'], DEFAULT_SPEECH_BENCH.onRamp),
    durationS: Number(values.duration ?? DEFAULT_SPEECH_BENCH.durationS),
    ...(values.only
      ? { only: values.only.flatMap((v) => v.split(',')) as SpeechBenchOptions['only'] }
      : {}),
    ...(values.recognition
      ? {
          recognition: values.recognition.split(',') as SpeechBenchOptions['recognition'],
        }
      : {}),
  });
}
