/**
 * Speech-like test signals with known boundaries, for VAD tests and benchmarks: syllables of
 * voiced harmonic tone (a gliding pitch, vowel-like formant weights, smooth onsets and decays)
 * grouped into utterances, separated by silence, optionally over white background noise. Also
 * {@link speechBoundaries}, which finds the true speech spans of any clean signal.
 */

/** A span of audio in stream milliseconds. */
export interface SpeechSpan {
  startMs: number;
  endMs: number;
}

/** One part of a synthetic signal, laid end to end. */
export type SyntheticPart =
  /** Silence (background noise only). */
  | { silenceMs: number }
  /** An utterance of syllables filling exactly this long (≥ 100 ms). */
  | { speechMs: number }
  /** A click: a burst of loud noise this long (a few ms). */
  | { clickMs: number }
  /** Loud white noise this long, at `levelDb` dBFS RMS (not speech). */
  | { noiseMs: number; levelDb: number };

/** Options for {@link synthesizeSpeech}. */
export interface SyntheticSpeechOptions {
  sampleRate: number;
  parts: readonly SyntheticPart[];
  /** Background white noise level in dBFS RMS over the whole signal (default: none). */
  noiseDb?: number;
  /** Average syllable level in dBFS RMS (default −20; each syllable varies ±4 dB). */
  speechDb?: number;
  /** Seed for the pseudo-random choices (default 1). */
  seed?: number;
}

/** A synthetic signal and the true spans of its utterances (one per `speechMs` part). */
export interface SyntheticSpeech {
  samples: Int16Array;
  sampleRate: number;
  utterances: SpeechSpan[];
  durationMs: number;
}

/** Vowel formants (F1, F2, F3 in Hz), roughly /a/, /i/, /u/, /e/, /o/. */
const VOWELS: readonly (readonly [number, number, number])[] = [
  [730, 1090, 2440],
  [270, 2290, 3010],
  [300, 870, 2240],
  [530, 1840, 2480],
  [570, 840, 2410],
];

/** A small seeded PRNG (mulberry32): the same seed gives the same signal. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Approximately Gaussian noise with unit variance (sum of uniforms). */
function gaussian(random: () => number): number {
  return (random() + random() + random() + random() - 2) * Math.sqrt(3);
}

const dbToAmplitude = (db: number): number => 32768 * 10 ** (db / 20);

function addSyllable(
  out: Float64Array,
  from: number,
  length: number,
  sampleRate: number,
  levelDb: number,
  random: () => number,
): void {
  const [f1, f2, f3] = VOWELS[Math.floor(random() * VOWELS.length)]!;
  const pitchStart = 100 + random() * 120;
  const pitchEnd = pitchStart * (0.8 + random() * 0.35);
  const attack = Math.min(length / 3, Math.round(0.015 * sampleRate));
  const release = Math.min(length / 3, Math.round(0.03 * sampleRate));
  const harmonics = Math.floor(4000 / pitchStart);
  const weights = new Float64Array(harmonics + 1);
  let power = 0;
  for (let h = 1; h <= harmonics; h++) {
    const f = h * pitchStart;
    const w =
      Math.exp(-(((f - f1) / 120) ** 2)) +
      0.6 * Math.exp(-(((f - f2) / 150) ** 2)) +
      0.3 * Math.exp(-(((f - f3) / 200) ** 2)) +
      0.05;
    const weight = w / h;
    weights[h] = weight;
    power += (weight * weight) / 2;
  }
  const gain = dbToAmplitude(levelDb) / Math.sqrt(power);
  let phase = 0;
  for (let i = 0; i < length; i++) {
    const progress = i / length;
    phase += (2 * Math.PI * (pitchStart + (pitchEnd - pitchStart) * progress)) / sampleRate;
    let v = 0;
    for (let h = 1; h <= harmonics; h++) v += weights[h]! * Math.sin(h * phase);
    let envelope = 1 - 0.3 * progress;
    if (i < attack) envelope *= 0.5 - 0.5 * Math.cos((Math.PI * i) / attack);
    else if (i >= length - release) {
      envelope *= 0.5 - 0.5 * Math.cos((Math.PI * (length - i)) / release);
    }
    out[from + i]! += gain * envelope * v;
  }
}

function addUtterance(
  out: Float64Array,
  from: number,
  length: number,
  sampleRate: number,
  speechDb: number,
  random: () => number,
): void {
  const msToSamples = (ms: number): number => Math.round((ms * sampleRate) / 1000);
  let at = 0;
  while (at < length) {
    const remaining = length - at;
    let syllable = msToSamples(120 + random() * 160);
    const gap = msToSamples(15 + random() * 45);
    // Let the last syllable end exactly at the end of the part (no trailing gap, no tiny syllable).
    if (remaining - syllable - gap < msToSamples(120)) syllable = remaining;
    addSyllable(out, from + at, syllable, sampleRate, speechDb + (random() * 8 - 4), random);
    at += syllable + gap;
  }
}

/** Builds a signal from `parts` (see {@link SyntheticPart}) and reports its true utterance spans. */
export function synthesizeSpeech(options: SyntheticSpeechOptions): SyntheticSpeech {
  const { sampleRate, parts, noiseDb, speechDb = -20, seed = 1 } = options;
  const random = seededRandom(seed);
  const msToSamples = (ms: number): number => Math.round((ms * sampleRate) / 1000);
  const total = parts.reduce(
    (sum, part) =>
      sum +
      msToSamples(
        'silenceMs' in part
          ? part.silenceMs
          : 'speechMs' in part
            ? part.speechMs
            : 'clickMs' in part
              ? part.clickMs
              : part.noiseMs,
      ),
    0,
  );
  const signal = new Float64Array(total);
  const utterances: SpeechSpan[] = [];
  let at = 0;
  for (const part of parts) {
    if ('silenceMs' in part) {
      at += msToSamples(part.silenceMs);
    } else if ('speechMs' in part) {
      const length = msToSamples(part.speechMs);
      addUtterance(signal, at, length, sampleRate, speechDb, random);
      utterances.push({
        startMs: (at * 1000) / sampleRate,
        endMs: ((at + length) * 1000) / sampleRate,
      });
      at += length;
    } else if ('clickMs' in part) {
      const length = msToSamples(part.clickMs);
      for (let i = 0; i < length; i++) signal[at + i] = (random() * 2 - 1) * 24000;
      at += length;
    } else {
      const length = msToSamples(part.noiseMs);
      const amplitude = dbToAmplitude(part.levelDb);
      for (let i = 0; i < length; i++) signal[at + i]! += gaussian(random) * amplitude;
      at += length;
    }
  }
  if (noiseDb !== undefined) {
    const amplitude = dbToAmplitude(noiseDb);
    for (let i = 0; i < total; i++) signal[i]! += gaussian(random) * amplitude;
  }
  const samples = new Int16Array(total);
  for (let i = 0; i < total; i++) {
    samples[i] = Math.max(-32768, Math.min(32767, Math.round(signal[i]!)));
  }
  return { samples, sampleRate, utterances, durationMs: (total * 1000) / sampleRate };
}

/** Options for {@link speechBoundaries}. */
export interface SpeechBoundaryOptions {
  /** Level (dBFS RMS over a window) above which a window holds speech (default −50). */
  thresholdDb?: number;
  /** Analysis window in ms (default 5). */
  windowMs?: number;
  /** Spans closer than this merge into one utterance (default 300 ms). */
  mergeGapMs?: number;
}

/**
 * The true speech spans of a clean signal (for example synthesised speech with silence around it):
 * windows above a level, merged across short gaps. Accurate to one window.
 */
export function speechBoundaries(
  samples: Int16Array,
  sampleRate: number,
  options: SpeechBoundaryOptions = {},
): SpeechSpan[] {
  const { thresholdDb = -50, windowMs = 5, mergeGapMs = 300 } = options;
  const window = Math.max(1, Math.round((windowMs * sampleRate) / 1000));
  const threshold = dbToAmplitude(thresholdDb) ** 2 * window;
  const spans: SpeechSpan[] = [];
  for (let from = 0; from < samples.length; from += window) {
    const to = Math.min(samples.length, from + window);
    let sum = 0;
    for (let i = from; i < to; i++) sum += samples[i]! * samples[i]!;
    if (sum * (window / (to - from)) < threshold) continue;
    const startMs = (from * 1000) / sampleRate;
    const endMs = (to * 1000) / sampleRate;
    const last = spans.at(-1);
    if (last !== undefined && startMs - last.endMs < mergeGapMs) last.endMs = endMs;
    else spans.push({ startMs, endMs });
  }
  return spans;
}

/** Pushes `samples` into `target` in chunks of `chunkMs` (as a microphone client appends them). */
export function pushInChunks(
  target: { push(samples: Int16Array, sampleRate: number): void },
  samples: Int16Array,
  sampleRate: number,
  chunkMs = 20,
): void {
  const chunk = Math.max(1, Math.round((chunkMs * sampleRate) / 1000));
  for (let i = 0; i < samples.length; i += chunk) {
    target.push(samples.subarray(i, i + chunk), sampleRate);
  }
}
