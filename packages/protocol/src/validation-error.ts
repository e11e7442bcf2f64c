/**
 * Turns zod issues into the live API's error codes, messages and dotted `param` paths
 * (`session.tools[0].name`).
 */
import type { z } from 'zod';
import { DECIMAL_MARK, INTEGER_MARK, type RealtimeIssueParams } from './schema-primitives.js';

type Issue = z.core.$ZodIssue;
type PathKey = PropertyKey;

/** Every code a client-event parse failure can carry. */
export const CLIENT_ERROR_CODES = [
  'invalid_json',
  'invalid_event',
  'invalid_value',
  'unknown_parameter',
  'missing_required_parameter',
  'invalid_type',
  'integer_below_min_value',
  'integer_above_max_value',
  'decimal_below_min_value',
  'decimal_above_max_value',
  'string_above_max_length',
  'array_above_max_length',
  'empty_array',
] as const;
/** A client-event parse failure code. */
export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];

/** What went wrong with a value, in the live API's terms. */
export interface ValidationFailure {
  code: ClientErrorCode;
  message: string;
  /** Dotted path from the event root, e.g. `session.audio.input.format.rate`. */
  param: string | null;
}

/** Formats a path the live way: `a.b[0].c`. */
export function formatParamPath(path: readonly PathKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

const MISSING = Symbol('missing');

/** The value at `path` inside `root`, or MISSING when a key on the way is absent. */
function valueAt(root: unknown, path: readonly PathKey[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return MISSING;
    if (!Object.prototype.hasOwnProperty.call(current, key)) return MISSING;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current === undefined ? MISSING : current;
}

/** "a string", "an integer", … — how the live API names the type of a value. */
export function describeValueType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'boolean':
      return 'a boolean';
    case 'number':
      return Number.isInteger(value) ? 'an integer' : 'a decimal';
    case 'object':
      return 'an object';
    case 'undefined':
      return 'nothing';
    case 'bigint':
    case 'symbol':
    case 'function':
      return `a ${typeof value}`;
  }
  return 'a value';
}

const EXPECTED_NAMES: Partial<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  boolean: 'a boolean',
  array: 'an array',
  object: 'an object',
  record: 'an object',
  null: 'null',
};

function describeExpected(issue: Extract<Issue, { code: 'invalid_type' }>): string {
  if (issue.message === INTEGER_MARK || issue.expected === 'int') return 'an integer';
  if (issue.message === DECIMAL_MARK) return 'a decimal';
  return EXPECTED_NAMES[issue.expected] ?? `a ${issue.expected}`;
}

/** Renders a received value inside quotes, shortened. */
function showValue(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > 100 ? `${text.slice(0, 100)}…` : text;
}

/** `'a'`, `'a' and 'b'`, `'a', 'b', and 'c'`. */
export function listSupported(values: readonly unknown[]): string {
  const quoted = values.map((v) => `'${String(v)}'`);
  if (quoted.length <= 1) return quoted.join('');
  if (quoted.length === 2) return `${quoted[0]} and ${quoted[1]}`;
  return `${quoted.slice(0, -1).join(', ')}, and ${quoted[quoted.length - 1]}`;
}

/** "Invalid value: 'x'. Supported values are: 'a', 'b', and 'c'." */
export function invalidValueMessage(value: unknown, supported: readonly unknown[]): string {
  return `Invalid value: '${showValue(value)}'. Supported values are: ${listSupported(supported)}.`;
}

/** "Invalid type for 'p': expected a string, but got an integer instead." */
export function invalidTypeMessage(param: string, expected: string, value: unknown): string {
  return `Invalid type for '${param}': expected ${expected}, but got ${describeValueType(value)} instead.`;
}

function sameKind(values: readonly unknown[], value: unknown): boolean {
  return values.some((v) => typeof v === typeof value);
}

/** How well a union branch matched: higher means the value had that branch's shape. */
function branchScore(issues: readonly Issue[], value: unknown): number {
  const first = issues[0];
  if (first === undefined) return 0;
  if (first.path.length > 0) return 3;
  switch (first.code) {
    case 'invalid_type':
      return first.expected === 'int' && typeof value === 'number' ? 2 : 1;
    case 'invalid_value':
      return sameKind(first.values, value) ? 2 : 1;
    case 'invalid_union':
      return 1;
    case 'custom':
    case 'too_big':
    case 'too_small':
    case 'unrecognized_keys':
    case 'invalid_format':
    case 'not_multiple_of':
    case 'invalid_key':
    case 'invalid_element':
      return 3;
  }
}

/** What each union branch expected, for a union that matched no branch's type. */
function unionExpectations(branches: readonly (readonly Issue[])[]): string[] {
  const out = new Set<string>();
  for (const issues of branches) {
    const first = issues[0];
    if (first === undefined) continue;
    if (first.code === 'invalid_type') out.add(describeExpected(first));
    else if (first.code === 'invalid_value' && first.values.length > 0) {
      out.add(describeValueType(first.values[0]));
    } else out.add('an object');
  }
  return [...out];
}

/**
 * `prefix` is where the issue's own path starts inside `root` (non-empty inside unions); `base` is
 * where `root` sits inside the event, for the reported `param`.
 */
function translate(
  issue: Issue,
  root: unknown,
  prefix: readonly PathKey[],
  base: readonly PathKey[],
): ValidationFailure {
  const path = [...prefix, ...issue.path];
  const value = valueAt(root, path);
  const param = formatParamPath([...base, ...path]);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const unknown = formatParamPath([...base, ...path, issue.keys[0] ?? '']);
      return {
        code: 'unknown_parameter',
        message: `Unknown parameter: '${unknown}'.`,
        param: unknown,
      };
    }
    case 'invalid_type':
      if (value === MISSING) {
        return {
          code: 'missing_required_parameter',
          message: `Missing required parameter: '${param}'.`,
          param,
        };
      }
      return {
        code: 'invalid_type',
        message: invalidTypeMessage(param, describeExpected(issue), value),
        param,
      };
    case 'invalid_value':
      if (value === MISSING) {
        return {
          code: 'missing_required_parameter',
          message: `Missing required parameter: '${param}'.`,
          param,
        };
      }
      return { code: 'invalid_value', message: invalidValueMessage(value, issue.values), param };
    case 'invalid_union': {
      if (issue.errors.length === 0) {
        // A discriminated union whose discriminator (the last path key) matched no option.
        const options = (issue as { options?: unknown[] }).options ?? [];
        if (value === MISSING) {
          return {
            code: 'missing_required_parameter',
            message: `Missing required parameter: '${param}'.`,
            param,
          };
        }
        if (typeof value !== 'string') {
          return {
            code: 'invalid_type',
            message: invalidTypeMessage(param, 'a string', value),
            param,
          };
        }
        return { code: 'invalid_value', message: invalidValueMessage(value, options), param };
      }
      let best: readonly Issue[] = [];
      let bestScore = -1;
      for (const branch of issue.errors) {
        const score = branchScore(branch, value);
        if (score > bestScore) {
          best = branch;
          bestScore = score;
        }
      }
      const first = best[0];
      if (bestScore <= 1 || first === undefined) {
        const expected = unionExpectations(issue.errors);
        return {
          code: 'invalid_type',
          message: invalidTypeMessage(param, `one of ${expected.join(' or ')}`, value),
          param,
        };
      }
      return translate(first, root, path, base);
    }
    case 'custom': {
      const params = issue.params as Partial<RealtimeIssueParams> | undefined;
      if (params?.realtimeCode !== undefined && params.detail !== undefined) {
        return {
          code: params.realtimeCode,
          message: `Invalid '${param}': ${params.detail}`,
          param,
        };
      }
      return { code: 'invalid_value', message: `Invalid '${param}': ${issue.message}`, param };
    }
    case 'too_big':
      if (issue.origin === 'string') {
        return {
          code: 'string_above_max_length',
          message: `Invalid '${param}': string too long. Expected a string with maximum length ${String(issue.maximum)}.`,
          param,
        };
      }
      if (issue.origin === 'array') {
        return {
          code: 'array_above_max_length',
          message: `Invalid '${param}': array too long. Expected an array with maximum length ${String(issue.maximum)}.`,
          param,
        };
      }
      return {
        code:
          typeof value === 'number' && !Number.isInteger(value)
            ? 'decimal_above_max_value'
            : 'integer_above_max_value',
        message: `Invalid '${param}': value above maximum. Expected a value <= ${String(issue.maximum)}, but got ${showValue(value)} instead.`,
        param,
      };
    case 'too_small':
      if (issue.origin === 'array' || issue.origin === 'string') {
        return {
          code: issue.origin === 'array' ? 'empty_array' : 'invalid_value',
          message: `Invalid '${param}': ${issue.message}.`,
          param,
        };
      }
      return {
        code:
          typeof value === 'number' && !Number.isInteger(value)
            ? 'decimal_below_min_value'
            : 'integer_below_min_value',
        message: `Invalid '${param}': value below minimum. Expected a value >= ${String(issue.minimum)}, but got ${showValue(value)} instead.`,
        param,
      };
    case 'invalid_format':
    case 'not_multiple_of':
    case 'invalid_key':
    case 'invalid_element':
      return { code: 'invalid_value', message: `Invalid '${param}': ${issue.message}.`, param };
  }
}

/**
 * Translates the first zod issue into the live error. `root` is the value that was validated and
 * `base` its path inside the event (e.g. `['session']` when only a session was validated).
 */
export function issuesToFailure(
  issues: readonly Issue[],
  root: unknown,
  base: readonly PathKey[] = [],
): ValidationFailure {
  const first = issues[0];
  if (first === undefined) {
    return { code: 'invalid_value', message: 'Invalid event.', param: null };
  }
  const failure = translate(first, root, [], base);
  return { ...failure, param: failure.param === '' ? null : failure.param };
}
