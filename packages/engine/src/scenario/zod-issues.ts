/** zod issues → plain messages in YAML terms ("expected a number, got "two"", "unknown field "prioirty""). */
import type { z } from 'zod';
import type { RawIssue } from './check.js';

type Issue = z.core.$ZodIssue;

const EXPECTED: Readonly<Record<string, string>> = {
  number: 'a number',
  int: 'an integer',
  string: 'a string',
  boolean: 'true or false',
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
};

/** How a YAML value reads in a message. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  }
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return 'a mapping';
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** The closest known key within two edits, for "did you mean" hints. */
export function suggestKey(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const d = editDistance(key.toLowerCase(), candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function bound(
  iss: { origin: string; inclusive?: boolean },
  limit: number | bigint,
  dir: 'min' | 'max',
): string {
  const n = Number(limit);
  switch (iss.origin) {
    case 'string':
      return dir === 'min' && n === 1
        ? 'must not be empty'
        : `must be ${dir === 'min' ? 'at least' : 'at most'} ${n} characters`;
    case 'array':
      return `must have ${dir === 'min' ? 'at least' : 'at most'} ${n} item${n === 1 ? '' : 's'}`;
    default: {
      const op =
        dir === 'min' ? (iss.inclusive === false ? '>' : '≥') : iss.inclusive === false ? '<' : '≤';
      return `must be ${op} ${n}`;
    }
  }
}

/** Converts zod issues (parsed with `reportInput: true`) to located messages; `knownKeys` feeds typo hints. */
export function fromZodIssues(issues: readonly Issue[], knownKeys: readonly string[]): RawIssue[] {
  const out: RawIssue[] = [];
  for (const iss of issues) {
    const path = iss.path.map((p) => (typeof p === 'number' ? p : String(p)));
    const got = describeValue(iss.input);
    switch (iss.code) {
      case 'invalid_type': {
        const expected = EXPECTED[iss.expected] ?? `a ${iss.expected}`;
        out.push({
          severity: 'error',
          path,
          message:
            iss.input === undefined
              ? `is required (${expected})`
              : `expected ${expected}, got ${got}`,
        });
        break;
      }
      case 'unrecognized_keys':
        for (const key of iss.keys) {
          const hint = suggestKey(key, knownKeys);
          out.push({
            severity: 'error',
            path: [...path, key],
            atKey: true,
            message: `unknown field "${key}"${hint === undefined ? '' : ` (did you mean "${hint}"?)`}`,
          });
        }
        break;
      case 'invalid_union': {
        if ('discriminator' in iss && typeof iss.discriminator === 'string') {
          const options = (iss as { options?: unknown[] }).options ?? [];
          const input = iss.input as Record<string, unknown> | undefined;
          const value = input?.[iss.discriminator];
          const expected = `one of ${options.map(String).join(', ')}`;
          out.push({
            severity: 'error',
            path,
            message:
              value === undefined
                ? `is required (${expected})`
                : `expected ${expected}, got ${describeValue(value)}`,
          });
        } else out.push({ severity: 'error', path, message: `${iss.message}, got ${got}` });
        break;
      }
      case 'invalid_key':
        out.push({
          severity: 'error',
          path,
          atKey: true,
          message: `invalid key: expected ${iss.issues[0]?.message ?? 'a valid key'}`,
        });
        break;
      case 'too_small':
        out.push({
          severity: 'error',
          path,
          message: `${bound(iss, iss.minimum, 'min')}, got ${got}`,
        });
        break;
      case 'too_big':
        out.push({
          severity: 'error',
          path,
          message: `${bound(iss, iss.maximum, 'max')}, got ${got}`,
        });
        break;
      case 'invalid_value':
        out.push({
          severity: 'error',
          path,
          message: `expected one of ${iss.values.map((v) => JSON.stringify(v)).join(', ')}, got ${got}`,
        });
        break;
      case 'invalid_format':
        out.push({ severity: 'error', path, message: `expected ${iss.message}, got ${got}` });
        break;
      case 'custom':
      case 'invalid_element':
      case 'not_multiple_of':
        out.push({ severity: 'error', path, message: iss.message });
    }
  }
  return out;
}
