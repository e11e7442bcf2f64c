/**
 * Template filters (`{{ name | capitalize }}`). Each takes the value so far and returns the next one; a value a filter
 * cannot read passes through unchanged, so the tool that receives it can say what is wrong. The date filters
 * (`datetime`, `date`, `time`, `readable`, `readable_time`) also convert each string of a list.
 */
import { formatWhenDate, formatWhenDateTime, formatWhenTime, parseWhen } from './datetime.js';
import { parseNumberPhrase, replaceNumberWords } from './number-words.js';

/** What filters may read besides their input: the clock and zone for the date filters. */
export interface FilterContext {
  now: Date;
  timeZone: string;
}

export interface FilterSpec {
  /** Accepted argument counts, inclusive. */
  minArgs: number;
  maxArgs: number;
  apply(value: unknown, args: readonly unknown[], ctx: FilterContext): unknown;
}

/** How a value reads inside text: nothing for undefined/null, JSON for objects. */
export function stringify(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return JSON.stringify(value) ?? '';
}

/** A text filter; nothing stays nothing, so `default` can still fill it in. */
const onText = (fn: (text: string) => string): FilterSpec => ({
  minArgs: 0,
  maxArgs: 0,
  apply: (value) => (value === undefined || value === null ? value : fn(stringify(value))),
});

const orUnchanged =
  (fn: (text: string, ctx: FilterContext) => string | undefined) =>
  (value: unknown, _args: readonly unknown[], ctx: FilterContext): unknown =>
    typeof value === 'string' ? (fn(value, ctx) ?? value) : value;

/** Spoken separators in addresses and ids. */
const SPOKEN_SYMBOLS: ReadonlyArray<[RegExp, string]> = [
  [/\s+(?:at sign|at)\s+/g, '@'],
  [/\s+(?:dot|period|point)\s+/g, '.'],
  [/\s*\b(?:underscore)\b\s*/g, '_'],
  [/\s*\b(?:dash|hyphen|minus)\b\s*/g, '-'],
  [/\s*\bplus\b\s*/g, '+'],
];

function toEmail(text: string): string | undefined {
  let s = ` ${text.trim().toLowerCase()} `;
  for (const [re, symbol] of SPOKEN_SYMBOLS) s = s.replace(re, symbol);
  s = s.replace(/\s+/g, '').replace(/[.,;:!?]+$/, '');
  return /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/.test(s) ? s : undefined;
}

function toPhone(text: string): string | undefined {
  const s = replaceNumberWords(text.trim().toLowerCase())
    .replace(/\bplus\b/g, '+')
    .replace(/[\s().-]+/g, '');
  return /^\+?\d{6,15}$/.test(s) ? s : undefined;
}

function toSpelled(text: string): string {
  let s = ` ${replaceNumberWords(text.trim())} `;
  for (const [re, symbol] of SPOKEN_SYMBOLS.slice(1)) s = s.replace(re, symbol);
  return s.replace(/\s+/g, '').replace(/[.,;:!?]+$/, '');
}

/** An array item as words: strings and numbers as they are, objects as `field` or else their scalar fields. */
function itemText(item: unknown, field: unknown): string {
  if (typeof item !== 'object' || item === null) return stringify(item);
  if (typeof field === 'string' && Object.hasOwn(item, field))
    return stringify((item as Record<string, unknown>)[field]);
  const scalars = Object.values(item).filter((v) => typeof v !== 'object' || v === null);
  return scalars.map(stringify).join(' ');
}

/** Applies a string conversion to a value, or to each string of a list; what it cannot read stays as it was. */
const eachString =
  (fn: (text: string, ctx: FilterContext) => string | undefined) =>
  (value: unknown, _args: readonly unknown[], ctx: FilterContext): unknown => {
    const one = (v: unknown): unknown => (typeof v === 'string' ? (fn(v, ctx) ?? v) : v);
    return Array.isArray(value) ? (value as unknown[]).map(one) : one(value);
  };

const READABLE_DATE: Intl.DateTimeFormatOptions = {
  weekday: 'long',
  month: 'long',
  day: 'numeric',
};

/** "3:00 PM", the way people read a time (en-US, 12-hour). */
const READABLE_TIME: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit' };

function toReadable(text: string, ctx: FilterContext): string | undefined {
  const when = parseWhen(text, ctx);
  if (when === undefined) return undefined;
  if (when.kind === 'date') {
    const { year, month, day } = when.date;
    return new Intl.DateTimeFormat('en-US', { ...READABLE_DATE, timeZone: 'UTC' }).format(
      Date.UTC(year, month - 1, day),
    );
  }
  const format = (options: Intl.DateTimeFormatOptions): string =>
    new Intl.DateTimeFormat('en-US', { ...options, timeZone: ctx.timeZone }).format(when.instant);
  return `${format(READABLE_DATE)} at ${format(READABLE_TIME)}`;
}

function toReadableTime(text: string, ctx: FilterContext): string | undefined {
  const when = parseWhen(text, ctx);
  if (when?.kind !== 'datetime') return undefined;
  return new Intl.DateTimeFormat('en-US', { ...READABLE_TIME, timeZone: ctx.timeZone }).format(
    when.instant,
  );
}

/** The built-in filters. */
export const FILTERS: Readonly<Record<string, FilterSpec>> = {
  capitalize: onText((s) => s.charAt(0).toUpperCase() + s.slice(1)),
  title: onText((s) =>
    s.replace(/(^|[\s-])(\p{L})/gu, (_m, sep: string, c: string) => sep + c.toUpperCase()),
  ),
  lower: onText((s) => s.toLowerCase()),
  upper: onText((s) => s.toUpperCase()),
  trim: onText((s) => s.trim()),
  default: {
    minArgs: 1,
    maxArgs: 1,
    apply: (value, args) =>
      value === undefined || value === null || value === '' ? args[0] : value,
  },
  json: { minArgs: 0, maxArgs: 0, apply: (value) => JSON.stringify(value ?? null) },
  /** "tomorrow at 3 pm" → `2026-11-22T15:00:00+01:00`. */
  datetime: { minArgs: 0, maxArgs: 0, apply: eachString(formatWhenDateTime) },
  /** "tomorrow" → `2026-11-22`. */
  date: { minArgs: 0, maxArgs: 0, apply: eachString(formatWhenDate) },
  /** "three thirty pm" → `15:30` (a tool argument; to say a time, use `readable_time`). */
  time: { minArgs: 0, maxArgs: 0, apply: eachString(formatWhenTime) },
  /** "alex at example dot com" → `alex@example.com`. */
  email: { minArgs: 0, maxArgs: 0, apply: orUnchanged(toEmail) },
  /** "plus four four seven seven hundred" → `+447700`, "(555) 010-0100" → `5550100100`. */
  phone: { minArgs: 0, maxArgs: 0, apply: orUnchanged(toPhone) },
  /** `2026-11-22T15:00:00+01:00` (or any phrase `datetime` reads) → "Sunday, November 22 at 3:00 PM". */
  readable: { minArgs: 0, maxArgs: 0, apply: eachString(toReadable) },
  /** `2026-11-22T09:00:00+01:00` (or any phrase `datetime` reads) → "9:00 AM", the time of day in words. */
  readable_time: { minArgs: 0, maxArgs: 0, apply: eachString(toReadableTime) },
  /** A list as text: `join(", ")`; `join(", ", "name")` reads objects' `name`, else their scalar fields. */
  join: {
    minArgs: 0,
    maxArgs: 2,
    apply: (value, args) =>
      Array.isArray(value)
        ? (value as unknown[])
            .map((item) => itemText(item, args[1]))
            .join(args[0] === undefined ? ', ' : stringify(args[0]))
        : value,
  },
  /** "forty two" → 42 (a number). */
  number: {
    minArgs: 0,
    maxArgs: 0,
    apply: (value) => (typeof value === 'string' ? (parseNumberPhrase(value) ?? value) : value),
  },
  /** A spelt-out id, spaces dropped: "a seven dash forty two" → `a7-42`. */
  spelled: { minArgs: 0, maxArgs: 0, apply: orUnchanged(toSpelled) },
};
