import { z } from 'zod';
import type { AuthMode } from './auth.js';
import { isLoopbackHost } from './auth.js';
import { EPHEMERAL_TOKEN_PREFIX } from './ephemeral-tokens.js';

const MiB = 1024 * 1024;

/** Default TCP port of the `local-realtime` command and of servers created without one. */
export const DEFAULT_PORT = 8787;
export const DEFAULT_HOST = '127.0.0.1';

/**
 * 15 MiB of audio per `input_audio_buffer.append` (live) is 20 MiB of base64; the rest is room for the JSON
 * around it.
 */
export const DEFAULT_MAX_MESSAGE_BYTES = 21 * MiB;

const limitsSchema = z.strictObject({
  /** Sessions open at once; one more is refused with `session_limit_reached` and close 1013. */
  maxSessions: z.int().min(1).max(1_000_000).default(2000),
  /** Largest client text frame, bytes; larger ones get an error event and the socket stays open. */
  maxMessageBytes: z
    .int()
    .min(1024)
    .max(512 * MiB)
    .default(DEFAULT_MAX_MESSAGE_BYTES),
  /** Session duration; the session sends `session_expired` and closes (the server closes it 1 min later if not). */
  maxSessionMinutes: z
    .number()
    .positive()
    .max(24 * 60)
    .default(60),
  /** WebSocket ping period; a peer that hasn't answered by the next ping is terminated. 0 disables pings. */
  pingIntervalMs: z.int().min(0).max(3_600_000).default(20_000),
  /** Largest REST request body (client secrets), bytes; larger → 413. */
  maxBodyBytes: z
    .int()
    .min(1024)
    .max(64 * MiB)
    .default(MiB),
  /** Bytes queued on one socket above which a slow-reader warning is logged (once per session). */
  bufferedHighWaterBytes: z
    .int()
    .min(1)
    .default(8 * MiB),
  /** On close(), how long open sessions get to close cleanly before their sockets are destroyed. */
  closeTimeoutMs: z.int().min(0).max(600_000).default(2000),
});

const deflateSchema = z.union([
  z.boolean(),
  z.strictObject({
    threshold: z.int().min(0).optional(),
    level: z.int().min(0).max(9).optional(),
    memLevel: z.int().min(1).max(9).optional(),
    windowBits: z.int().min(9).max(15).optional(),
  }),
]);

/** The server options that are plain data (validated with readable errors; hooks are passed beside them). */
export const serverOptionsSchema = z.strictObject({
  host: z.string().min(1).default(DEFAULT_HOST),
  port: z.int().min(0).max(65535).default(DEFAULT_PORT),
  /** `'self-signed'`: a certificate for localhost made at start-up; or a cert and key (PEM text or file paths). */
  tls: z
    .union([
      z.literal('self-signed'),
      z.strictObject({ cert: z.string().min(1), key: z.string().min(1) }),
    ])
    .optional(),
  /** Where a self-signed certificate is kept between runs (none: a new one every start). */
  tlsCacheDir: z.string().min(1).optional(),
  /** Default: `keys` when keys are given, else `open` on a loopback host; anything else must be explicit. */
  auth: z.enum(['open', 'keys']).optional(),
  /** Accepted API keys (compared in constant time; never logged). */
  keys: z
    .array(
      z
        .string()
        .min(1, 'an API key must not be empty')
        .regex(/^\S+$/, 'an API key must not contain whitespace')
        .refine((key) => !key.startsWith(EPHEMERAL_TOKEN_PREFIX), {
          message: `an API key must not start with '${EPHEMERAL_TOKEN_PREFIX}' (that prefix is for ephemeral tokens)`,
        }),
    )
    .default([]),
  /** Accept the beta shape (`OpenAI-Beta: realtime=v1`); false answers `beta_api_shape_disabled`, as live now does. */
  allowBeta: z.boolean().default(true),
  /** Model names accepted besides the live Realtime families. */
  models: z.array(z.string().min(1)).default([]),
  /** permessage-deflate (live offers it). Off by default: clients then compress every audio append, which costs the
   * server ~2× CPU when streaming (measured); turn it on to mimic the live handshake. */
  perMessageDeflate: deflateSchema.default(false),
  /** `Access-Control-Allow-Origin` for the REST routes; default `*` in open mode, none otherwise. */
  corsOrigin: z
    .union([z.literal('*'), z.array(z.string().min(1))])
    .nullable()
    .optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Also export prom-client's process metrics (CPU, memory, event-loop lag) on /metrics. */
  processMetrics: z.boolean().default(false),
  limits: limitsSchema.prefault({}),
  /** Passed through to the session factory. */
  scenario: z.string().min(1).optional(),
  speed: z.number().min(0).optional(),
  extensions: z.boolean().default(false),
  /** Serve `/v1/local/faults` (fault injection by a control call; an API key when the engine has keys). */
  faultRoute: z.boolean().default(true),
});

/** Server options as given (defaults optional). */
export type ServerOptionsInput = z.input<typeof serverOptionsSchema>;

/** Server options after validation, with the auth mode and CORS origin decided. */
export type ResolvedServerOptions = Omit<
  z.output<typeof serverOptionsSchema>,
  'auth' | 'corsOrigin'
> & {
  auth: AuthMode;
  corsOrigin: '*' | string[] | null;
};

/** Raised when options are invalid or unsafe; `issues` holds one readable line per problem. */
export class ServerConfigError extends Error {
  readonly code = 'E_CONFIG';
  readonly issues: readonly string[];

  constructor(issues: readonly string[]) {
    super(
      `Invalid LocalRealtime server options:\n${issues.map((line) => `  - ${line}`).join('\n')}`,
    );
    this.name = 'ServerConfigError';
    this.issues = issues;
  }
}

export type ServerOptionsParse =
  { ok: true; options: ResolvedServerOptions } | { ok: false; error: ServerConfigError };

/**
 * Validates server options and decides the auth mode: open is the default only on a loopback host; binding
 * elsewhere needs keys or an explicit `auth: 'open'`. Never throws.
 */
export function parseServerOptions(input: unknown): ServerOptionsParse {
  const parsed = serverOptionsSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => {
      const where = issue.path.length > 0 ? issue.path.join('.') : 'options';
      return `${where}: ${issue.message}`;
    });
    return { ok: false, error: new ServerConfigError(issues) };
  }
  const data = parsed.data;
  const auth = resolveAuthMode(data.host, data.auth, data.keys);
  if (!auth.ok) return { ok: false, error: new ServerConfigError([auth.message]) };
  const corsOrigin =
    data.corsOrigin === undefined ? (auth.mode === 'open' ? '*' : null) : data.corsOrigin;
  return { ok: true, options: { ...data, auth: auth.mode, corsOrigin } };
}

function resolveAuthMode(
  host: string,
  explicit: AuthMode | undefined,
  keys: readonly string[],
): { ok: true; mode: AuthMode } | { ok: false; message: string } {
  if (explicit === 'keys' && keys.length === 0) {
    return {
      ok: false,
      message: "auth: 'keys' needs at least one API key (--api-key or LOCAL_REALTIME_API_KEYS).",
    };
  }
  if (explicit !== undefined) return { ok: true, mode: explicit };
  if (keys.length > 0) return { ok: true, mode: 'keys' };
  if (isLoopbackHost(host)) return { ok: true, mode: 'open' };
  return {
    ok: false,
    message:
      `host: refusing to listen on ${host} (not a loopback address) with no API keys: anyone who can reach it ` +
      'could use it. Give API keys (--api-key or LOCAL_REALTIME_API_KEYS), bind to 127.0.0.1, or pass ' +
      "auth: 'open' (--auth open) to allow it explicitly.",
  };
}
