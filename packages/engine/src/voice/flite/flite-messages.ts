/** Messages between the Flite worker pool (main thread) and its workers. */
import type { FliteVoice } from './flite-voices.js';
import type { WasmModule } from './flite-wasm-api.js';

/** What a worker is started with. */
export interface FliteWorkerData {
  /** The compiled `flite.wasm`, compiled once in the main thread and shared with every worker. */
  module: WasmModule;
}

/** One synthesis request. `text` is already sanitised and non-empty. */
export interface FliteJobRequest {
  id: number;
  text: string;
  voice: FliteVoice;
  /** Flite's `duration_stretch`: 1 is normal, 2 is half speed. */
  durationStretch: number;
}

/** A worker's message to the pool. */
export type FliteWorkerMessage =
  | { type: 'ready' }
  /** The WAV file Flite wrote. */
  | { type: 'result'; id: number; wav: Uint8Array }
  | { type: 'failed'; id: number; message: string };
