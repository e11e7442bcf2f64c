/**
 * Entry point of a pocketsphinx decoder worker thread. Decoding is synchronous C code, so it runs here and never on
 * the engine's event loop. The worker decodes any number of streams, one message at a time.
 */
import { createHash } from 'node:crypto';
import { accessSync, constants, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DecoderEntry, SearchSpec } from './decoder-cache.js';
import { DecoderCache } from './decoder-cache.js';
import { buildJsgfGrammar, dictionaryWords } from './jsgf-grammar.js';
import type { PocketsphinxLibrary } from './pocketsphinx-ffi.js';
import { DECODER_DATA_ENV } from './pocketsphinx-messages.js';
import type {
  DecodeOutcome,
  DecoderWorkerData,
  FromDecoderWorker,
  ToDecoderWorker,
} from './pocketsphinx-messages.js';
import { VoicingDetector } from './voicing-detector.js';

/** Audio decoded between two looks at the partial hypothesis (200 ms at 16 kHz). */
const PARTIAL_EVERY_SAMPLES = 3200;

interface ActiveStream {
  entry: DecoderEntry | undefined;
  failure: DecodeOutcome | undefined;
  heardSpeech: boolean;
  /** Pocketsphinx's detector also fires on noise; speech must be voiced too. */
  voicing: VoicingDetector;
  sinceHypothesis: number;
  lastPartial: string;
}

// The decoder runs in a child process of its own (koffi is not safe in worker threads: it can abort the whole
// process), talking to the pool over IPC with structured-clone serialization; its settings come in the environment.
const data = JSON.parse(process.env[DECODER_DATA_ENV] ?? '{}') as DecoderWorkerData;
const post = (message: FromDecoderWorker): void => {
  if (process.connected) process.send?.(message);
};
// The pool going away ends the decoder.
process.on('disconnect', () => process.exit(0));
// Listen at once: IPC messages with no listener are lost. Until the libraries are loaded they wait here.
const early: ToDecoderWorker[] = [];
let dispatching = false;
process.on('message', (message: ToDecoderWorker) => {
  if (dispatching) dispatch(message);
  else early.push(message);
});

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function start(): Promise<{ lib: PocketsphinxLibrary; cache: DecoderCache } | undefined> {
  const { library, sphinxbaseLibrary, modelDir } = data.paths;
  let lib: PocketsphinxLibrary;
  try {
    const { loadPocketsphinx } = await import('./pocketsphinx-ffi.js');
    lib = loadPocketsphinx(library, sphinxbaseLibrary);
  } catch (error) {
    post({ type: 'ready', ok: false, reason: `cannot load ${library}: ${errorMessage(error)}` });
    return undefined;
  }
  for (const file of ['en-us/mdef', 'en-us.lm.bin', 'cmudict-en-us.dict']) {
    try {
      accessSync(join(modelDir, file), constants.R_OK);
    } catch {
      post({ type: 'ready', ok: false, reason: `model file ${join(modelDir, file)} is missing` });
      return undefined;
    }
  }
  post({ type: 'ready', ok: true });
  return { lib, cache: new DecoderCache(lib, modelDir, data.warmDecoders) };
}

const runtime = await start();
const streams = new Map<number, ActiveStream>();
const grammars = new Map<string, SearchSpec>();
let dictionary: Set<string> | undefined;

function searchFor(grammar: readonly string[] | undefined): SearchSpec {
  if (grammar === undefined || grammar.length === 0) return { kind: 'lm' };
  const key = JSON.stringify(grammar);
  const known = grammars.get(key);
  if (known !== undefined) return known;
  dictionary ??= dictionaryWords(
    readFileSync(join(data.paths.modelDir, 'cmudict-en-us.dict'), 'utf8'),
  );
  const words = dictionary;
  const built = buildJsgfGrammar(grammar, (word) => words.has(word));
  for (const message of built.warnings) post({ type: 'warning', message });
  const spec: SearchSpec =
    built.jsgf === undefined
      ? { kind: 'lm' }
      : {
          kind: 'grammar',
          name: `g${createHash('sha1').update(built.jsgf).digest('hex').slice(0, 16)}`,
          jsgf: built.jsgf,
        };
  grammars.set(key, spec);
  return spec;
}

function open(id: number, grammar: readonly string[] | undefined): void {
  const stream: ActiveStream = {
    entry: undefined,
    failure: undefined,
    heardSpeech: false,
    voicing: new VoicingDetector(),
    sinceHypothesis: 0,
    lastPartial: '',
  };
  streams.set(id, stream);
  if (runtime === undefined) return;
  try {
    stream.entry = runtime.cache.acquire(searchFor(grammar));
    if (runtime.lib.startUtterance(stream.entry.decoder) < 0) {
      throw new Error('ps_start_utt failed');
    }
  } catch (error) {
    if (stream.entry !== undefined) runtime.cache.release(stream.entry);
    stream.entry = undefined;
    stream.failure = { ok: false, code: 'transcriber_error', message: errorMessage(error) };
  }
}

function audio(id: number, samples: Int16Array): void {
  const stream = streams.get(id);
  if (runtime === undefined || stream?.entry === undefined) return;
  const { lib } = runtime;
  const { decoder } = stream.entry;
  if (lib.processRaw(decoder, samples) < 0) {
    stream.failure = { ok: false, code: 'transcriber_error', message: 'ps_process_raw failed' };
    return;
  }
  if (!stream.heardSpeech && lib.inSpeech(decoder)) stream.heardSpeech = true;
  stream.voicing.write(samples);
  stream.sinceHypothesis += samples.length;
  if (stream.sinceHypothesis < PARTIAL_EVERY_SAMPLES) return;
  stream.sinceHypothesis = 0;
  const text = lib.hypothesis(decoder).trim();
  if (text !== '' && text !== stream.lastPartial) {
    stream.lastPartial = text;
    post({ type: 'partial', id, text });
  }
}

function finish(id: number): void {
  const stream = streams.get(id);
  streams.delete(id);
  if (stream === undefined) return;
  if (runtime === undefined || stream.entry === undefined) {
    const outcome = stream.failure ?? {
      ok: false as const,
      code: 'transcriber_error' as const,
      message: 'pocketsphinx is not loaded',
    };
    post({ type: 'result', id, outcome });
    return;
  }
  const { lib, cache } = runtime;
  const { decoder } = stream.entry;
  let outcome: DecodeOutcome;
  if (stream.failure !== undefined) {
    outcome = stream.failure;
  } else if (lib.endUtterance(decoder) < 0) {
    outcome = { ok: false, code: 'transcriber_error', message: 'ps_end_utt failed' };
  } else {
    const text = lib.hypothesis(decoder).trim();
    const speech = stream.heardSpeech && stream.voicing.heardVoice;
    outcome =
      text === '' || !speech
        ? {
            ok: false,
            code: 'audio_unintelligible',
            message: speech
              ? 'No words were recognised in the audio.'
              : 'The audio holds no speech (silence or noise).',
          }
        : { ok: true, text, confidence: lib.probability(decoder) };
  }
  cache.release(stream.entry);
  post({ type: 'result', id, outcome });
}

function abort(id: number): void {
  const stream = streams.get(id);
  streams.delete(id);
  if (runtime === undefined || stream?.entry === undefined) return;
  runtime.lib.endUtterance(stream.entry.decoder);
  runtime.cache.release(stream.entry);
}

function prepare(id: number, grammar: readonly string[] | undefined): void {
  if (runtime !== undefined) {
    try {
      runtime.cache.release(runtime.cache.acquire(searchFor(grammar)));
    } catch (error) {
      post({ type: 'warning', message: `could not prepare a decoder: ${errorMessage(error)}` });
    }
  }
  post({ type: 'prepared', id });
}

function dispatch(message: ToDecoderWorker): void {
  switch (message.type) {
    case 'open':
      open(message.id, message.grammar);
      break;
    case 'audio':
      audio(message.id, message.samples);
      break;
    case 'finish':
      finish(message.id);
      break;
    case 'abort':
      abort(message.id);
      break;
    case 'prepare':
      prepare(message.id, message.grammar);
      break;
    case 'stats':
      post({
        type: 'stats',
        id: message.id,
        activeStreams: streams.size,
        warmDecoders: runtime?.cache.idleCount ?? 0,
      });
      break;
  }
}

// Messages that arrived while the libraries loaded, then everything as it comes.
dispatching = true;
for (const message of early.splice(0)) dispatch(message);
