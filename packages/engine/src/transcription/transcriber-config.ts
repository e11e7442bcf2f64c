/**
 * Configuration of the engine's speech recognition: which backend, and where its library, model or server is.
 */
import { z } from 'zod';

/** Debian's pocketsphinx model directory (package `pocketsphinx-en-us`). */
export const DEFAULT_POCKETSPHINX_MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';
/** Debian's pocketsphinx library (package `libpocketsphinx3`). */
export const DEFAULT_POCKETSPHINX_LIBRARY = 'libpocketsphinx.so.3';
/** Debian's sphinxbase library (package `libsphinxbase3`, a dependency of `libpocketsphinx3`). */
export const DEFAULT_SPHINXBASE_LIBRARY = 'libsphinxbase.so.3';

/** Environment variables that override the pocketsphinx paths when the config leaves them out. */
export const POCKETSPHINX_ENV = {
  library: 'LOCAL_REALTIME_POCKETSPHINX_LIBRARY',
  sphinxbase: 'LOCAL_REALTIME_SPHINXBASE_LIBRARY',
  modelDir: 'LOCAL_REALTIME_POCKETSPHINX_MODEL_DIR',
} as const;

const pocketsphinxSchema = z.strictObject({
  kind: z.literal('pocketsphinx'),
  /** Path or soname of `libpocketsphinx.so.3`. */
  library: z.string().min(1).optional(),
  /** Path or soname of `libsphinxbase.so.3`. */
  sphinxbaseLibrary: z.string().min(1).optional(),
  /** Directory holding `en-us/` (acoustic model), `en-us.lm.bin` and `cmudict-en-us.dict`. */
  modelDir: z.string().min(1).optional(),
  /** Worker threads that decode (default: 2, or 1 on a one-core machine). */
  workers: z.int().min(1).max(64).optional(),
  /** Idle decoders each worker keeps warm for reuse (default 3). */
  warmDecodersPerWorker: z.int().min(0).max(32).optional(),
});

const httpSchema = z.strictObject({
  kind: z.literal('http'),
  /** Base URL of an OpenAI-compatible server, e.g. `http://127.0.0.1:8000/v1` (`/audio/transcriptions` is appended). */
  baseURL: z.url(),
  /** The `model` form field (default `whisper-1`). */
  model: z.string().min(1).optional(),
  /** Sent as `Authorization: Bearer <apiKey>`. */
  apiKey: z.string().min(1).optional(),
  /** Request timeout in ms (default 30 000). */
  timeoutMs: z.int().min(1).max(600_000).optional(),
});

const noneSchema = z.strictObject({ kind: z.literal('none') });

/** Schema of {@link TranscriberConfig}. */
export const transcriberConfigSchema = z.discriminatedUnion('kind', [
  pocketsphinxSchema,
  httpSchema,
  noneSchema,
]);

/** Which speech-recognition backend to use and how to reach it. */
export type TranscriberConfig = z.infer<typeof transcriberConfigSchema>;
export type PocketsphinxConfig = z.infer<typeof pocketsphinxSchema>;
export type HttpTranscriberConfig = z.infer<typeof httpSchema>;

/** The result of {@link parseTranscriberConfig}. */
export type TranscriberConfigResult =
  { ok: true; config: TranscriberConfig } | { ok: false; message: string };

/** Validates a transcriber config (e.g. from a config file); never throws. */
export function parseTranscriberConfig(input: unknown): TranscriberConfigResult {
  const parsed = transcriberConfigSchema.safeParse(input);
  if (parsed.success) return { ok: true, config: parsed.data };
  const issues = parsed.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return path === '' ? issue.message : `${path}: ${issue.message}`;
  });
  return { ok: false, message: `invalid transcriber config: ${issues.join('; ')}` };
}

/** Resolved pocketsphinx locations. */
export interface PocketsphinxPaths {
  library: string;
  sphinxbaseLibrary: string;
  modelDir: string;
}

/** Fills in pocketsphinx paths: the config first, then the environment, then Debian's defaults. */
export function resolvePocketsphinxPaths(
  config: PocketsphinxConfig,
  env: Readonly<Record<string, string | undefined>> = {},
): PocketsphinxPaths {
  const fromEnv = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value === '' ? undefined : value;
  };
  return {
    library: config.library ?? fromEnv(POCKETSPHINX_ENV.library) ?? DEFAULT_POCKETSPHINX_LIBRARY,
    sphinxbaseLibrary:
      config.sphinxbaseLibrary ??
      fromEnv(POCKETSPHINX_ENV.sphinxbase) ??
      DEFAULT_SPHINXBASE_LIBRARY,
    modelDir:
      config.modelDir ?? fromEnv(POCKETSPHINX_ENV.modelDir) ?? DEFAULT_POCKETSPHINX_MODEL_DIR,
  };
}
