/**
 * Turn-detection benchmark: cost per 20 ms append (energy VAD, and Silero when its optional packages
 * are installed) and boundary error against the true edges of a synthetic speech set at 24 kHz.
 * Run alone with `node --conditions=source --import tsx bench/vad.ts` (from packages/engine).
 */
import { pathToFileURL } from 'node:url';
import {
  createTurnDetector,
  loadSileroModel,
  pushInChunks,
  synthesizeSpeech,
} from '../src/vad/index.js';
import type { SyntheticSpeech, TurnEvent, VadKind } from '../src/vad/index.js';
import { median, percentile } from './stats.js';

const RATE = 24000;
const CHUNK_MS = 20;

/** The synthetic set: 3 utterances (0.35–2 s) with silence, clean and over −50 dBFS noise, 4 seeds. */
function syntheticSet(): SyntheticSpeech[] {
  const set: SyntheticSpeech[] = [];
  for (const noiseDb of [undefined, -50]) {
    for (const seed of [11, 12, 13, 14]) {
      set.push(
        synthesizeSpeech({
          sampleRate: RATE,
          seed,
          noiseDb,
          parts: [
            { silenceMs: 800 },
            { speechMs: 350 + seed * 20 },
            { silenceMs: 900 },
            { speechMs: 1200 },
            { silenceMs: 700 },
            { speechMs: 2000 },
            { silenceMs: 900 },
          ],
        }),
      );
    }
  }
  return set;
}

interface RunResult {
  events: TurnEvent[];
  cpuMicros: number;
  chunks: number;
}

async function run(vad: VadKind, signal: SyntheticSpeech): Promise<RunResult> {
  const events: TurnEvent[] = [];
  const detector = await createTurnDetector({
    vad,
    turnDetection: { type: 'server_vad' },
    onEvent: (event) => events.push(event),
  });
  const before = process.cpuUsage();
  pushInChunks(detector, signal.samples, RATE, CHUNK_MS);
  await detector.drain();
  const used = process.cpuUsage(before);
  await detector.dispose();
  return {
    events,
    cpuMicros: used.user + used.system,
    chunks: Math.ceil(signal.durationMs / CHUNK_MS),
  };
}

/** Absolute edge errors (ms) of detected turns against the truth; misses and extras counted. */
function edgeErrors(signal: SyntheticSpeech, events: TurnEvent[]) {
  const starts = events.flatMap((e) => (e.type === 'speech_started' ? [e.audioStartMs] : []));
  const stops = events.flatMap((e) => (e.type === 'speech_stopped' ? [e.audioEndMs] : []));
  const errors: number[] = [];
  let missed = 0;
  for (const truth of signal.utterances) {
    const i = starts.findIndex((s, k) => s < truth.endMs && (stops[k] ?? Infinity) > truth.startMs);
    if (i < 0) {
      missed++;
      continue;
    }
    errors.push(Math.abs(starts[i]! - truth.startMs), Math.abs((stops[i] ?? NaN) - truth.endMs));
  }
  return { errors, missed, extra: Math.max(0, starts.length - signal.utterances.length + missed) };
}

async function measure(
  vad: VadKind,
  set: SyntheticSpeech[],
  prefix: string,
): Promise<Record<string, number>> {
  await run(vad, set[0]!); // warm-up (JIT, WASM compile)
  const perChunk: number[] = [];
  const errors: number[] = [];
  let missed = 0;
  let extra = 0;
  for (const signal of set) {
    const result = await run(vad, signal);
    perChunk.push(result.cpuMicros / result.chunks);
    const edges = edgeErrors(signal, result.events);
    errors.push(...edges.errors);
    missed += edges.missed;
    extra += edges.extra;
  }
  return {
    [`${prefix}_us_per_20ms_frame`]: median(perChunk),
    [`${prefix}_boundary_error_ms_p50`]: median(errors),
    [`${prefix}_boundary_error_ms_p95`]: percentile(errors, 95),
    [`${prefix}_boundary_error_ms_max`]: Math.max(...errors),
    [`${prefix}_missed_utterances`]: missed,
    [`${prefix}_false_turns`]: extra,
  };
}

/**
 * Runs the VAD benchmark and returns its figures: `energy_*` always, `silero_*` when Silero loads
 * (`silero_available` 1 or 0). Times are CPU microseconds per 20 ms append at 24 kHz.
 */
export async function benchVad(): Promise<Record<string, number>> {
  const set = syntheticSet();
  const figures: Record<string, number> = {
    utterances: set.reduce((n, s) => n + s.utterances.length, 0),
    ...(await measure('energy', set, 'energy')),
  };
  let sileroLoaded = false;
  try {
    const started = performance.now();
    await loadSileroModel();
    figures.silero_load_ms = performance.now() - started;
    sileroLoaded = true;
  } catch {
    figures.silero_available = 0;
  }
  if (sileroLoaded) {
    figures.silero_available = 1;
    Object.assign(figures, await measure('silero', set, 'silero'));
  }
  return figures;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const figures = await benchVad();
  for (const [name, value] of Object.entries(figures)) {
    console.log(`${name.padEnd(34)} ${Number.isInteger(value) ? value : value.toFixed(1)}`);
  }
}
