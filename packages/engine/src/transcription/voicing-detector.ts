/**
 * Counts voiced frames (periodic, with a pitch between 60 and 400 Hz) in 16 kHz audio. Speech always has some;
 * broadband noise has none, which pocketsphinx's energy-based voice detector cannot tell apart when a decoder has no
 * noise-floor estimate yet (its general language model then "hears" words such as "ah" in white noise).
 */

const RATE = 16_000;
/** 32 ms analysis frames. */
const FRAME = 512;
const MIN_LAG = Math.floor(RATE / 400);
const MAX_LAG = Math.ceil(RATE / 60);
/** Normalised autocorrelation above which a frame counts as periodic. */
const PERIODICITY = 0.6;
/** Frames quieter than this RMS (≈ −50 dBFS) are not examined. */
const MIN_RMS = 100;

/** Streams audio in and counts voiced frames; stops analysing once `enough` have been seen. */
export class VoicingDetector {
  readonly #enough: number;
  readonly #frame = new Float64Array(FRAME + MAX_LAG);
  #filled = 0;
  #voiced = 0;

  constructor(enough = 3) {
    this.#enough = enough;
  }

  /** Voiced frames seen so far (at most `enough`). */
  get voicedFrames(): number {
    return this.#voiced;
  }

  /** True once `enough` voiced frames were seen. */
  get heardVoice(): boolean {
    return this.#voiced >= this.#enough;
  }

  /** Feeds 16 kHz PCM16. */
  write(samples: Int16Array): void {
    const window = this.#frame;
    for (let i = 0; i < samples.length && !this.heardVoice; i++) {
      window[this.#filled++] = samples[i]!;
      if (this.#filled === window.length) {
        if (isVoiced(window)) this.#voiced++;
        this.#filled = 0;
      }
    }
  }
}

/** Whether a frame (FRAME samples plus MAX_LAG of look-ahead) is loud enough and periodic at a speech pitch. */
function isVoiced(window: Float64Array): boolean {
  let energy = 0;
  for (let i = 0; i < FRAME; i++) energy += window[i]! * window[i]!;
  if (Math.sqrt(energy / FRAME) < MIN_RMS) return false;
  for (let lag = MIN_LAG; lag <= MAX_LAG; lag++) {
    let cross = 0;
    let lagged = 0;
    for (let i = 0; i < FRAME; i++) {
      const b = window[i + lag]!;
      cross += window[i]! * b;
      lagged += b * b;
    }
    if (cross > 0 && cross / Math.sqrt(energy * lagged) > PERIODICITY) return true;
  }
  return false;
}
