/**
 * Warm pocketsphinx decoders inside one worker thread. Creating a decoder loads the acoustic model (≈ 120 ms, and
 * ≈ 500 ms more with the general language model), so finished decoders are kept and reused. A grammar is a named
 * JSGF search added to a decoder (≈ 0.2 ms), so any idle decoder can take any grammar; the general language model
 * is loaded only into decoders created for it.
 */
import { join } from 'node:path';
import type { PocketsphinxLibrary, Pointer } from './pocketsphinx-ffi.js';

/** The search a stream decodes with. */
export type SearchSpec = { kind: 'lm' } | { kind: 'grammar'; name: string; jsgf: string };

/** A decoder and what it can search. */
export interface DecoderEntry {
  readonly decoder: Pointer;
  readonly config: Pointer;
  readonly hasLm: boolean;
  readonly searches: Set<string>;
}

/** Name pocketsphinx gives the search configured by `-lm` at start-up. */
const LM_SEARCH = '_default';
/** Grammars a decoder keeps before it is retired (each holds a compiled FSG). */
const MAX_SEARCHES = 32;

/** Decoders of one worker: acquire one per utterance, release it when the utterance ends. */
export class DecoderCache {
  readonly #lib: PocketsphinxLibrary;
  readonly #modelDir: string;
  readonly #maxIdle: number;
  readonly #idle: DecoderEntry[] = [];

  constructor(lib: PocketsphinxLibrary, modelDir: string, maxIdle: number) {
    this.#lib = lib;
    this.#modelDir = modelDir;
    this.#maxIdle = maxIdle;
  }

  /**
   * A decoder with `search` active, reused when possible.
   * @throws Error when pocketsphinx cannot create the decoder or compile the grammar.
   */
  acquire(search: SearchSpec): DecoderEntry {
    const entry = this.#takeIdle(search) ?? this.#create(search.kind === 'lm');
    try {
      this.#activate(entry, search);
    } catch (error) {
      this.#free(entry);
      throw error;
    }
    return entry;
  }

  /** Returns a decoder after its utterance ended; frees it when enough are warm already. */
  release(entry: DecoderEntry): void {
    if (this.#idle.length < this.#maxIdle && entry.searches.size <= MAX_SEARCHES) {
      this.#idle.push(entry);
    } else {
      this.#free(entry);
    }
  }

  /** Frees every idle decoder. */
  dispose(): void {
    for (const entry of this.#idle.splice(0)) this.#free(entry);
  }

  /** How many decoders are idle (for tests and metrics). */
  get idleCount(): number {
    return this.#idle.length;
  }

  #takeIdle(search: SearchSpec): DecoderEntry | undefined {
    const pick = (match: (entry: DecoderEntry) => boolean): DecoderEntry | undefined => {
      // Most recently released first: its memory is the warmest.
      for (let i = this.#idle.length - 1; i >= 0; i--) {
        const entry = this.#idle[i]!;
        if (match(entry)) return this.#idle.splice(i, 1)[0];
      }
      return undefined;
    };
    if (search.kind === 'lm') return pick((entry) => entry.hasLm);
    // Prefer a decoder that already has the grammar, then one without the (large) language model.
    return (
      pick((entry) => entry.searches.has(search.name)) ??
      pick((entry) => !entry.hasLm) ??
      pick(() => true)
    );
  }

  #create(withLm: boolean): DecoderEntry {
    const model = this.#modelDir;
    const args = ['-hmm', join(model, 'en-us'), '-dict', join(model, 'cmudict-en-us.dict')];
    if (withLm) args.push('-lm', join(model, 'en-us.lm.bin'));
    const created = this.#lib.createDecoder(args);
    if (created === undefined) {
      throw new Error(`pocketsphinx could not create a decoder from the model in ${model}.`);
    }
    return { ...created, hasLm: withLm, searches: new Set(withLm ? [LM_SEARCH] : []) };
  }

  #activate(entry: DecoderEntry, search: SearchSpec): void {
    const name = search.kind === 'lm' ? LM_SEARCH : search.name;
    if (search.kind === 'grammar' && !entry.searches.has(name)) {
      if (!this.#lib.addJsgfSearch(entry.decoder, name, search.jsgf)) {
        throw new Error('pocketsphinx rejected the JSGF grammar.');
      }
      entry.searches.add(name);
    }
    if (!this.#lib.setSearch(entry.decoder, name)) {
      throw new Error(`pocketsphinx could not switch to search ${name}.`);
    }
  }

  #free(entry: DecoderEntry): void {
    this.#lib.freeDecoder(entry.decoder, entry.config);
  }
}
