/**
 * Speech synthesis speed: how many times faster than real time Flite speaks a typical 15-word reply, per voice,
 * for one call at a time and for two calls in parallel on a 2-worker pool (median of 7 runs after a warm-up).
 * Run alone with `node --conditions=source --import tsx bench/tts.ts`.
 */
import { pathToFileURL } from 'node:url';
import { FliteSynthesizer } from '../src/voice/flite/flite-synthesizer.js';
import { FLITE_VOICES } from '../src/voice/flite/flite-voices.js';
import type { FliteVoice } from '../src/voice/flite/flite-voices.js';
import { median } from './stats.js';

const REPLY = 'Sure, I can book a table for two at seven tonight. Would you like a window seat?';
const RUNS = 7;

/** Synthesis speed figures, keyed `tts_<voice>_<single|parallel2>_x_realtime`, plus first-sentence latency. */
export async function benchTts(): Promise<Record<string, number>> {
  const synth = new FliteSynthesizer({ poolSize: 2 });
  const figures: Record<string, number> = {};
  try {
    await synth.ready();
    for (const voice of Object.keys(FLITE_VOICES) as FliteVoice[]) {
      await synth.synthesize(REPLY, voice); // warm-up: lets V8 tier up the voice's code paths in both workers
      await Promise.all([synth.synthesize(REPLY, voice), synth.synthesize(REPLY, voice)]);
      const single: number[] = [];
      const parallel: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        let started = performance.now();
        const one = await synth.synthesize(REPLY, voice);
        single.push(audioSeconds(one) / ((performance.now() - started) / 1000));
        started = performance.now();
        const two = await Promise.all([
          synth.synthesize(REPLY, voice),
          synth.synthesize(REPLY, voice),
        ]);
        const audio = two.reduce((sum, pcm) => sum + audioSeconds(pcm), 0);
        parallel.push(audio / ((performance.now() - started) / 1000));
      }
      figures[`tts_${voice}_single_x_realtime`] = round(median(single));
      figures[`tts_${voice}_parallel2_x_realtime`] = round(median(parallel));
    }
    const firstSentence: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now();
      for await (const _sentence of synth.synthesizeSentences(
        `${REPLY} ${REPLY} ${REPLY}`,
        'kal16',
      )) {
        firstSentence.push(performance.now() - started);
        break;
      }
    }
    figures.tts_kal16_first_sentence_ms = round(median(firstSentence));
  } finally {
    await synth.close();
  }
  return figures;
}

function audioSeconds(pcm: { samples: Int16Array; sampleRate: number }): number {
  return pcm.samples.length / pcm.sampleRate;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.table(await benchTts());
}
