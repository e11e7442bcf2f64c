/**
 * The pocketsphinx backend: Debian's libpocketsphinx in worker threads, with streaming partial hypotheses and exact
 * recognition of grammar phrases.
 */
import { availableParallelism } from 'node:os';
import { concatPcm16 } from '@realtime-assistant/protocol';
import { DecoderPool } from './decoder-pool.js';
import type { DecodeOutcome } from './pocketsphinx-messages.js';
import { TranscriptDeltas } from './transcript-deltas.js';
import type {
  Transcriber,
  TranscriberAvailability,
  TranscriptionOptions,
  TranscriptionPartial,
  TranscriptionResult,
  TranscriptionStream,
} from './transcriber.js';
import { TRANSCRIPTION_SAMPLE_RATE, durationUsage } from './transcriber.js';
import type { PocketsphinxConfig } from './transcriber-config.js';
import { resolvePocketsphinxPaths } from './transcriber-config.js';

/** What to tell the user when pocketsphinx cannot be loaded. */
export const POCKETSPHINX_INSTALL_HINT =
  'Install the Debian packages pocketsphinx-en-us and libpocketsphinx3: run `bash scripts/setup-system.sh`, ' +
  'or `apt-get install pocketsphinx-en-us libpocketsphinx3`.';

/** Audio held on the main thread before it is posted to the worker (100 ms): fewer, larger messages. */
const POST_EVERY_SAMPLES = 1600;

/** Dependencies of {@link createPocketsphinxTranscriber}. */
export interface PocketsphinxTranscriberOptions {
  /** Where `LOCAL_REALTIME_POCKETSPHINX_*` overrides are read from (default: none). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Receives grammar and language warnings (each distinct message once). */
  onWarning?: (message: string) => void;
}

function unavailableMessage(reason: string): string {
  return `Speech recognition is unavailable: ${reason}. ${POCKETSPHINX_INSTALL_HINT}`;
}

/** Creates the pocketsphinx transcriber. Worker threads start on first use and never block the event loop. */
export function createPocketsphinxTranscriber(
  config: PocketsphinxConfig,
  options: PocketsphinxTranscriberOptions = {},
): Transcriber {
  const onWarning = options.onWarning ?? (() => {});
  const pool = new DecoderPool({
    workers: config.workers ?? Math.min(2, availableParallelism()),
    data: {
      paths: resolvePocketsphinxPaths(config, options.env),
      warmDecoders: config.warmDecodersPerWorker ?? 3,
    },
    onWarning,
  });
  const open = new Set<PocketsphinxStream>();
  const warnedLanguages = new Set<string>();

  return {
    kind: 'pocketsphinx',
    sampleRate: TRANSCRIPTION_SAMPLE_RATE,
    open(streamOptions = {}) {
      const language = streamOptions.language?.toLowerCase();
      if (language !== undefined && !/^en\b/.test(language) && !warnedLanguages.has(language)) {
        warnedLanguages.add(language);
        onWarning(
          `pocketsphinx has an English model only; language ${JSON.stringify(streamOptions.language)} is decoded as English.`,
        );
      }
      const stream = new PocketsphinxStream(pool, streamOptions, () => open.delete(stream));
      open.add(stream);
      return stream;
    },
    async available(): Promise<TranscriberAvailability> {
      const availability = await pool.available();
      return availability.ok
        ? availability
        : { ok: false, reason: unavailableMessage(availability.reason ?? 'unknown') };
    },
    prepare(prepareOptions: TranscriptionOptions = {}): Promise<void> {
      return new Promise((resolve) => {
        pool.start({ onPrepared: resolve, onFailure: () => resolve() }, (id) => ({
          type: 'prepare',
          id,
          grammar: prepareOptions.grammar,
        }));
      });
    },
    stats: () => pool.stats(),
    async close() {
      for (const stream of [...open]) stream.abort();
      await pool.close();
    },
  };
}

class PocketsphinxStream implements TranscriptionStream {
  readonly #listeners = new Set<(partial: TranscriptionPartial) => void>();
  readonly #deltas = new TranscriptDeltas();
  readonly #job: ReturnType<DecoderPool['start']>;
  readonly #onEnd: () => void;
  #pending: Int16Array[] = [];
  #pendingSamples = 0;
  #totalSamples = 0;
  #ended = false;
  #settled = false;
  #settle!: (result: TranscriptionResult) => void;
  readonly #result: Promise<TranscriptionResult>;

  constructor(pool: DecoderPool, options: TranscriptionOptions, onEnd: () => void) {
    this.#onEnd = onEnd;
    this.#result = new Promise((resolve) => (this.#settle = resolve));
    this.#job = pool.start(
      {
        onPartial: (text) => this.#partial(text),
        onResult: (outcome) => this.#resolve(outcome),
        onFailure: (message, unavailable) =>
          this.#fail(
            unavailable ? 'transcriber_unavailable' : 'transcriber_error',
            unavailable ? unavailableMessage(message) : message,
          ),
      },
      (id) => ({ type: 'open', id, grammar: options.grammar }),
    );
  }

  write(samples: Int16Array): void {
    if (this.#ended || samples.length === 0) return;
    this.#pending.push(samples.slice());
    this.#pendingSamples += samples.length;
    this.#totalSamples += samples.length;
    if (this.#pendingSamples >= POST_EVERY_SAMPLES) this.#flush();
  }

  onPartial(listener: (partial: TranscriptionPartial) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  finish(): Promise<TranscriptionResult> {
    if (!this.#ended) {
      this.#ended = true;
      this.#flush();
      this.#job.send({ type: 'finish', id: this.#job.id });
    }
    return this.#result;
  }

  abort(): void {
    if (this.#ended) {
      // A finish in flight: the worker still answers, but the caller gets `aborted` now.
      this.#fail('aborted', 'The transcription was aborted.');
      return;
    }
    this.#ended = true;
    this.#pending = [];
    this.#job.send({ type: 'abort', id: this.#job.id });
    this.#job.done();
    this.#fail('aborted', 'The transcription was aborted.');
  }

  #flush(): void {
    if (this.#pendingSamples === 0) return;
    const samples = concatPcm16(this.#pending);
    this.#pending = [];
    this.#pendingSamples = 0;
    this.#job.send({ type: 'audio', id: this.#job.id, samples }, [samples.buffer]);
  }

  #partial(text: string): void {
    const delta = this.#deltas.partial(text);
    if (delta === '') return;
    for (const listener of this.#listeners) listener({ text, delta });
  }

  #resolve(outcome: DecodeOutcome): void {
    const usage = durationUsage(this.#totalSamples);
    if (!outcome.ok) {
      this.#settleOnce({ error: { code: outcome.code, message: outcome.message }, usage });
      return;
    }
    const finalDelta = this.#deltas.final(outcome.text);
    this.#settleOnce({ text: outcome.text, confidence: outcome.confidence, finalDelta, usage });
  }

  #fail(code: 'transcriber_unavailable' | 'transcriber_error' | 'aborted', message: string): void {
    this.#ended = true;
    this.#settleOnce({ error: { code, message }, usage: durationUsage(this.#totalSamples) });
  }

  #settleOnce(result: TranscriptionResult): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#listeners.clear();
    this.#onEnd();
    this.#settle(result);
  }
}
