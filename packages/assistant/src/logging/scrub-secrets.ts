/** Object paths pino blanks out whatever their value (keys, tokens, auth headers). */
export const REDACT_PATHS: readonly string[] = [
  'apiKey',
  '*.apiKey',
  'api_key',
  '*.api_key',
  'token',
  '*.token',
  'client_secret',
  '*.client_secret',
  'authorization',
  'Authorization',
  '*.authorization',
  '*.Authorization',
  'headers.authorization',
  'headers.Authorization',
  '*.headers.authorization',
  '*.headers.Authorization',
];

/** Key-like substrings: OpenAI keys (`sk-…`, `sk-proj-…`), ephemeral keys (`ek_…`), and bearer tokens. */
const SECRET_PATTERN = /\b(sk-|ek_|rk-)[A-Za-z0-9_-]{6,}|\b(Bearer\s+)[A-Za-z0-9._~+/-]{6,}=*/g;

/** Replaces key-like substrings in a string with a marker that keeps only their prefix. */
export function scrubString(text: string): string {
  return text.replace(
    SECRET_PATTERN,
    (_match, prefix: string | undefined, bearer: string | undefined) =>
      prefix ? `${prefix}[redacted]` : `${bearer ?? ''}[redacted]`,
  );
}

/** A copy of `value` with key-like substrings scrubbed from every string in it (depth-limited, cycle-safe). */
export function scrubSecrets<T>(value: T): T {
  return scrub(value, 0, new WeakSet()) as T;
}

function scrub(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return scrubString(value);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (seen.has(value)) return value;
  seen.add(value);
  if (value instanceof Error) {
    const copy = new Error(scrubString(value.message));
    copy.name = value.name;
    copy.stack = value.stack === undefined ? undefined : scrubString(value.stack);
    return copy;
  }
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1, seen));
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return value;
  if (ArrayBuffer.isView(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrub(v, depth + 1, seen);
  return out;
}
