import type { FliteSynthesizer } from '../../src/voice/flite/flite-synthesizer.js';

/**
 * How long the engine's spoken reply to `text` lasts, in ms: replies stream sentence by sentence (a long first
 * sentence split at its first clause), so their audio is the sentence-wise synthesis, not one Flite call.
 */
export async function spokenMs(tts: FliteSynthesizer, text: string): Promise<number> {
  let samples = 0;
  let rate = 16_000;
  for await (const sentence of tts.synthesizeSentences(text, 'kal16')) {
    samples += sentence.samples.length;
    rate = sentence.sampleRate;
  }
  return (samples / rate) * 1000;
}
