/**
 * Speech-recognition benchmark (pocketsphinx through koffi, in worker threads): decode speed as a multiple of real
 * time with a grammar and with the general language model, and `finish()` latency (end of audio → final text) for
 * audio streamed at real time. Speech is synthesised with Flite (kal16).
 * Run alone with `node --conditions=source --import tsx bench/asr.ts` (from packages/engine).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { createTranscriber, isTranscriptionFailure } from '../src/transcription/index.js';
import type { Transcriber, TranscriptionOptions } from '../src/transcription/index.js';
import { concatPcm, silence, speak, wordErrorRate, writeInFrames } from '../test/helpers/speak.js';
import { median } from './stats.js';

const RATE = 16_000;
const FRAME = 320;
const RUNS = 3;
const PHRASES = [
  'book a table for two at seven',
  'what is the weather like tomorrow',
  'cancel my appointment please',
  'i would like to order a pizza',
  'hello world this is an offline test',
];

/** Decodes `samples` as fast as the worker can; returns the wall time in ms and the transcript. */
async function decodeOnce(
  transcriber: Transcriber,
  options: TranscriptionOptions,
  samples: Int16Array,
): Promise<{ ms: number; text: string }> {
  const started = performance.now();
  const stream = transcriber.open(options);
  writeInFrames(stream, samples);
  const result = await stream.finish();
  const ms = performance.now() - started;
  if (isTranscriptionFailure(result)) throw new Error(`decode failed: ${result.error.message}`);
  return { ms, text: result.text };
}

/** Streams `samples` at real time in 20 ms frames, then measures end of audio → final transcript. */
async function finishLatency(
  transcriber: Transcriber,
  options: TranscriptionOptions,
  samples: Int16Array,
): Promise<number> {
  const stream = transcriber.open(options);
  const start = performance.now();
  for (let i = 0, n = 0; i < samples.length; i += FRAME, n++) {
    stream.write(samples.subarray(i, i + FRAME));
    const due = start + ((n + 1) * FRAME * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
  }
  const ended = performance.now();
  const result = await stream.finish();
  if (isTranscriptionFailure(result)) throw new Error(`decode failed: ${result.error.message}`);
  return performance.now() - ended;
}

/** Runs the ASR benchmark and returns its figures (speeds as × real time, times in ms). */
export async function benchAsr(): Promise<Record<string, number>> {
  const transcriber = createTranscriber({ kind: 'pocketsphinx', workers: 1 });
  const figures: Record<string, number> = {};
  try {
    const availability = await transcriber.available();
    figures.asr_available = availability.ok ? 1 : 0;
    if (!availability.ok) return figures;
    const speech = await Promise.all(PHRASES.map((p) => speak(p)));
    const long = concatPcm(...speech.flatMap((s) => [s, silence(300)]));
    const seconds = long.length / RATE;
    figures.asr_audio_seconds = seconds;
    const grammar = { grammar: PHRASES };

    let started = performance.now();
    await transcriber.prepare(grammar);
    figures.asr_grammar_decoder_init_ms = performance.now() - started;
    started = performance.now();
    await transcriber.prepare();
    figures.asr_lm_decoder_init_ms = performance.now() - started;

    for (const [name, options] of [
      ['grammar', grammar],
      ['lm', {}],
    ] as const) {
      const runs: number[] = [];
      let text = '';
      for (let i = 0; i < RUNS; i++) {
        const run = await decodeOnce(transcriber, options, long);
        runs.push(run.ms);
        text = run.text;
      }
      figures[`asr_${name}_speed_x_realtime`] = seconds / (median(runs) / 1000);
      // A grammar matches one phrase per utterance, so only the general model's WER over the run is meaningful.
      if (name === 'lm') figures.asr_lm_wer = wordErrorRate(PHRASES.join(' '), text);
      const latencies: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const utterance = concatPcm(silence(200), speech[i % speech.length]!, silence(300));
        latencies.push(await finishLatency(transcriber, options, utterance));
      }
      figures[`asr_${name}_finish_latency_ms`] = median(latencies);
    }
  } finally {
    await transcriber.close();
  }
  return figures;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const figures = await benchAsr();
  for (const [name, value] of Object.entries(figures)) {
    console.log(`${name.padEnd(34)} ${Number.isInteger(value) ? value : value.toFixed(2)}`);
  }
}
