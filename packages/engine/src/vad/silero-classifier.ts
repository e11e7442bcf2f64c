/**
 * Silero VAD v5 as a {@link SpeechClassifier}: onnxruntime-web (pure WASM, no install script) runs
 * the `silero_vad_v5.onnx` that ships inside `@ricky0123/vad-web`. Both are optional dependencies
 * loaded with a dynamic `import()` on first use, so the energy VAD never pays for them. One model
 * instance serves every stream (the recurrent state is an input), and runs are serialised on it.
 * Frames are 512 samples at 16 kHz (32 ms); the detector resamples to that.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type * as Ort from 'onnxruntime-web';
import type { SpeechClassifier } from './speech-classifier.js';

const SAMPLE_RATE = 16000;
const FRAME_SAMPLES = 512;
/** Silero v5 looks at the last 64 samples of the previous frame too. */
const CONTEXT_SAMPLES = 64;
const STATE_SIZE = 2 * 1 * 128;
const MODEL_MODULE = '@ricky0123/vad-web/dist/silero_vad_v5.onnx';

/** Why Silero could not be loaded (`code` is stable; the message says what to install). */
export class VadUnavailableError extends Error {
  override readonly name = 'VadUnavailableError';
  readonly code = 'vad_unavailable';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A loaded Silero model, shared by the streams that use it. */
export interface SileroModel {
  /** Scores one 576-sample input (context + frame); returns the probability and the next state. */
  run(
    input: Float32Array,
    state: Float32Array,
  ): Promise<{ probability: number; state: Float32Array }>;
}

let shared: Promise<SileroModel> | undefined;

/**
 * Loads the Silero model once per process (later calls share it).
 * @throws VadUnavailableError when the optional packages are not installed or the model fails to load
 */
export function loadSileroModel(): Promise<SileroModel> {
  shared ??= loadModel().catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  return shared;
}

async function loadModel(): Promise<SileroModel> {
  let ort: typeof Ort;
  let modelBytes: Uint8Array;
  try {
    ort = await import('onnxruntime-web');
    modelBytes = await readFile(createRequire(import.meta.url).resolve(MODEL_MODULE));
  } catch (cause) {
    throw new VadUnavailableError(
      'Silero VAD needs the optional packages onnxruntime-web and @ricky0123/vad-web ' +
        '(npm install -w packages/engine); use vad "energy" without them.',
      { cause },
    );
  }
  // One WASM thread: the engine serves many sessions on its own event loop, not one fast stream.
  ort.env.wasm.numThreads = 1;
  let session: Ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(modelBytes, {
      executionProviders: ['wasm'],
      graphOptimizationLevel: 'all',
    });
  } catch (cause) {
    throw new VadUnavailableError(`The Silero VAD model failed to load: ${String(cause)}`, {
      cause,
    });
  }
  const sampleRate = new ort.Tensor('int64', BigInt64Array.from([BigInt(SAMPLE_RATE)]), [1]);
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run(input, state) {
      const result = tail.then(async () => {
        const out = await session.run({
          input: new ort.Tensor('float32', input, [1, input.length]),
          state: new ort.Tensor('float32', state, [2, 1, 128]),
          sr: sampleRate,
        });
        const probability = (out.output?.data as Float32Array | undefined)?.[0] ?? 0;
        const next = out.stateN?.data as Float32Array | undefined;
        return { probability, state: next ?? new Float32Array(STATE_SIZE) };
      });
      tail = result.catch(() => undefined);
      return result;
    },
  };
}

/** Creates a classifier for one stream on a loaded model (see the file comment). */
export function createSileroClassifier(model: SileroModel): SpeechClassifier {
  let state: Float32Array = new Float32Array(STATE_SIZE);
  let context = new Float32Array(CONTEXT_SAMPLES);
  let epoch = 0;
  return {
    kind: 'silero',
    sampleRate: SAMPLE_RATE,
    frameMs: (FRAME_SAMPLES * 1000) / SAMPLE_RATE,
    async classify(frame) {
      // Copy now: the caller reuses the frame buffer once this returns.
      const input = new Float32Array(CONTEXT_SAMPLES + frame.length);
      input.set(context);
      for (let i = 0; i < frame.length; i++) input[CONTEXT_SAMPLES + i] = frame[i]! / 32768;
      context = input.slice(input.length - CONTEXT_SAMPLES);
      const started = epoch;
      const result = await model.run(input, state);
      if (started === epoch) state = result.state;
      return result.probability;
    },
    reset() {
      epoch++;
      state = new Float32Array(STATE_SIZE);
      context = new Float32Array(CONTEXT_SAMPLES);
    },
    dispose() {
      // The model is shared by every stream and lives as long as the process.
      return Promise.resolve();
    },
  };
}
