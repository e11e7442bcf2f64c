/**
 * Worker-thread entry of the Flite pool: runs `flite.wasm` (a WASI command) once per request, each time in a
 * fresh WASI instance of the shared compiled module, and returns the bytes of the WAV it wrote. It imports only
 * Node built-ins so that workers start fast; the pool decodes the WAV (a copy of a few hundred kilobytes).
 */
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type * as Wasi from 'node:wasi';
import { parentPort, workerData } from 'node:worker_threads';
import type { FliteJobRequest, FliteWorkerData, FliteWorkerMessage } from './flite-messages.js';
import { instantiateWasm } from './flite-wasm-api.js';

const port = parentPort;
if (!port) throw new Error('flite-worker.ts must run in a worker thread');
const { module, tempDir } = workerData as FliteWorkerData;

const { WASI } = await importWasiQuietly();
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
  }
  port.postMessage(reply);
});
port.postMessage({ type: 'ready' } satisfies FliteWorkerMessage);

function synthesize(request: FliteJobRequest): Uint8Array {
  const wavName = `out-${request.id}.wav`;
  const logPath = join(tempDir, `log-${request.id}.txt`);
  const log = openSync(logPath, 'w');
  try {
    const wasi = new WASI({
      version: 'preview1',
      args: [
        'flite',
        '-voice',
        request.voice,
        '--setf',
        `duration_stretch=${request.durationStretch}`,
        '-t',
        request.text,
        '-o',
        wavName,
      ],
      env: {},
      preopens: { '.': tempDir },
      returnOnExit: true,
      stdout: log,
      stderr: log,
    });
    const instance = instantiateWasm(module, wasi.getImportObject());
    let exitCode: number;
    try {
      exitCode = wasi.start(instance);
    } catch (error) {
      // A trap (Flite calls abort() on internal errors) surfaces as a RuntimeError; the worker itself is fine.
      throw new Error(`flite aborted: ${describe(error)}${logTail(logPath)}`);
    }
    if (exitCode !== 0) throw new Error(`flite exited with code ${exitCode}${logTail(logPath)}`);
    // A fresh copy owning its whole buffer, so it can be transferred to the main thread.
    return new Uint8Array(readFileSync(join(tempDir, wavName)));
  } finally {
    closeSync(log);
    rmSync(logPath, { force: true });
    rmSync(join(tempDir, wavName), { force: true });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function logTail(path: string): string {
  const text = readFileSync(path, 'utf8').trim();
  return text === '' ? '' : ` (${text.slice(-300)})`;
}

/**
 * `node:wasi` prints "ExperimentalWarning: WASI is an experimental feature" when it is first loaded. Drop that one
 * warning, in this worker thread only and only while the module loads; every other warning still goes through.
 */
async function importWasiQuietly(): Promise<typeof Wasi> {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- kept only to be put back as it was
  const original = process.emitWarning;
  const emitWarning = original.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = (warning: string | Error, ...rest: unknown[]): void => {
    const message = typeof warning === 'string' ? warning : warning.message;
    if (message.startsWith('WASI is an experimental feature')) return;
    emitWarning(warning, ...rest);
  };
  try {
    return await import('node:wasi');
  } finally {
    process.emitWarning = original;
  }
}
