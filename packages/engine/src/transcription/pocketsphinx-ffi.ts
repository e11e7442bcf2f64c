/**
 * Debian's pocketsphinx 5prealpha (`libpocketsphinx.so.3`, `libsphinxbase.so.3`) bound through koffi. Every call is
 * synchronous, so this module is loaded only inside decoder worker threads.
 */
import { load } from 'koffi';

/** Opaque C pointer (`ps_decoder_t *`, `cmd_ln_t *`). */
export type Pointer = object;

/** The C functions this module uses. */
export interface PocketsphinxLibrary {
  /** Creates a decoder from `-name value` argument pairs; `undefined` when pocketsphinx rejects them. */
  createDecoder(args: readonly string[]): { decoder: Pointer; config: Pointer } | undefined;
  freeDecoder(decoder: Pointer, config: Pointer): void;
  startUtterance(decoder: Pointer): number;
  processRaw(decoder: Pointer, samples: Int16Array): number;
  inSpeech(decoder: Pointer): boolean;
  hypothesis(decoder: Pointer): string;
  endUtterance(decoder: Pointer): number;
  /** Posterior probability (0–1) of the last hypothesis. */
  probability(decoder: Pointer): number;
  /** Adds a named JSGF search to a live decoder; true on success. */
  addJsgfSearch(decoder: Pointer, name: string, jsgf: string): boolean;
  /** Switches the active search; true on success. */
  setSearch(decoder: Pointer, name: string): boolean;
}

/**
 * Loads both libraries and binds the functions.
 * @throws Error when a library or symbol cannot be loaded (the caller turns it into `transcriber_unavailable`).
 */
export function loadPocketsphinx(libraryPath: string, sphinxbasePath: string): PocketsphinxLibrary {
  const sb = load(sphinxbasePath);
  const ps = load(libraryPath);
  const errSetLogfp = sb.func('void err_set_logfp(void *fp)');
  const cmdLnInit = sb.func('void *cmd_ln_init(void *inout, const void *defn, int strict, ...)');
  const cmdLnFree = sb.func('int cmd_ln_free_r(void *cmdln)');
  const logmathExp = sb.func('double logmath_exp(void *lmath, int logb_p)');
  const psArgs = ps.func('const void *ps_args()');
  const psInit = ps.func('void *ps_init(void *config)');
  const psFree = ps.func('int ps_free(void *ps)');
  const psStartUtt = ps.func('int ps_start_utt(void *ps)');
  const psProcessRaw = ps.func(
    'int ps_process_raw(void *ps, const int16_t *data, size_t n_samples, int no_search, int full_utt)',
  );
  const psGetInSpeech = ps.func('uint8_t ps_get_in_speech(void *ps)');
  const psGetHyp = ps.func('const char *ps_get_hyp(void *ps, _Out_ int32_t *out_best_score)');
  const psGetProb = ps.func('int32_t ps_get_prob(void *ps)');
  const psGetLogmath = ps.func('void *ps_get_logmath(void *ps)');
  const psEndUtt = ps.func('int ps_end_utt(void *ps)');
  const psSetJsgfString = ps.func(
    'int ps_set_jsgf_string(void *ps, const char *name, const char *jsgf)',
  );
  const psSetSearch = ps.func('int ps_set_search(void *ps, const char *name)');

  // Silences sphinxbase's log (it writes the whole configuration and per-utterance statistics to stderr).
  errSetLogfp(null);
  const score = [0];

  return {
    createDecoder(args) {
      const variadic: unknown[] = [];
      for (const arg of args) variadic.push('str', arg);
      variadic.push('str', null);
      const config = cmdLnInit(null, psArgs(), 1, ...variadic) as Pointer | null;
      if (config === null) return undefined;
      const decoder = psInit(config) as Pointer | null;
      if (decoder === null) {
        cmdLnFree(config);
        return undefined;
      }
      return { decoder, config };
    },
    freeDecoder(decoder, config) {
      psFree(decoder);
      cmdLnFree(config);
    },
    startUtterance: (decoder) => psStartUtt(decoder) as number,
    processRaw: (decoder, samples) =>
      psProcessRaw(decoder, samples, samples.length, 0, 0) as number,
    inSpeech: (decoder) => (psGetInSpeech(decoder) as number) !== 0,
    hypothesis: (decoder) => (psGetHyp(decoder, score) as string | null) ?? '',
    endUtterance: (decoder) => psEndUtt(decoder) as number,
    probability: (decoder) =>
      logmathExp(psGetLogmath(decoder), psGetProb(decoder) as number) as number,
    addJsgfSearch: (decoder, name, jsgf) => (psSetJsgfString(decoder, name, jsgf) as number) === 0,
    setSearch: (decoder, name) => (psSetSearch(decoder, name) as number) === 0,
  };
}
