import { readFile } from 'node:fs/promises';
import { downmixToMono, generateTone, readWav } from '@realtime-assistant/protocol';
import type { AudioRenderer, PcmAudio } from './audio-renderer.js';

/** Milliseconds of generated audio per character of text when no voice speaks it (≈ 13 characters a second). */
const MS_PER_CHAR = 75;

/**
 * Renders scenario WAV files and test tones; text with neither becomes a tone as long as the text would take to
 * say, so audio turns work with no speech synthesiser. WAV files are read once and cached.
 */
export class FileAndToneRenderer implements AudioRenderer {
  #wavs = new Map<string, Promise<PcmAudio>>();

  constructor(readonly toneRate = 24_000) {}

  async render(input: Parameters<AudioRenderer['render']>[0]): Promise<PcmAudio> {
    const audio = input.audio;
    if (audio?.kind === 'wav') return this.#wav(audio.path);
    if (audio?.kind === 'tone') {
      return {
        sampleRate: this.toneRate,
        samples: generateTone({
          frequency: audio.frequency,
          durationMs: audio.durationMs,
          sampleRate: this.toneRate,
          amplitude: 0.3,
        }),
      };
    }
    const durationMs = Math.max(200, input.text.length * MS_PER_CHAR);
    return {
      sampleRate: this.toneRate,
      samples: generateTone({
        frequency: 440,
        durationMs,
        sampleRate: this.toneRate,
        amplitude: 0.2,
      }),
    };
  }

  #wav(path: string): Promise<PcmAudio> {
    let cached = this.#wavs.get(path);
    if (!cached) {
      cached = readFile(path).then((bytes) => {
        const wav = readWav(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
        return { sampleRate: wav.sampleRate, samples: downmixToMono(wav.samples, wav.channels) };
      });
      cached.catch(() => this.#wavs.delete(path));
      this.#wavs.set(path, cached);
    }
    return cached;
  }
}
