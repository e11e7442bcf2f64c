/**
 * Reading and writing times for the desk: `YYYY-MM-DD` dates and `start` values (ISO 8601 with an offset, or a
 * local wall time read in the desk's zone), ISO output with the desk's offset, and times in words for messages.
 * Luxon does the zone math so DST days come out right.
 */
import { DateTime } from 'luxon';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Why a time value could not be read. `gap`: a local time the clocks skip (DST spring-forward). */
export type TimeParseFailure = 'format' | 'invalid' | 'gap';

export type TimeParse =
  | { readonly ok: true; readonly value: DateTime }
  | { readonly ok: false; readonly reason: TimeParseFailure };

/** A `YYYY-MM-DD` day as the start of that day in `zone`; `invalid` for dates like 2026-13-45. */
export function parseCalendarDate(text: string, zone: string): TimeParse {
  const match = DATE.exec(text.trim());
  if (!match) return { ok: false, reason: 'format' };
  const [year, month, day] = [match[1], match[2], match[3]].map(Number) as [number, number, number];
  const value = DateTime.fromObject({ year, month, day }, { zone });
  return value.isValid && value.day === day
    ? { ok: true, value }
    : { ok: false, reason: 'invalid' };
}

/**
 * A start time: ISO 8601 with `Z` or an offset (the instant it names), or `YYYY-MM-DDTHH:mm[:ss]` read as a wall
 * time in `zone` (a repeated fall-back time is the second, standard-time one, as Luxon reads it; a time the
 * spring-forward change skips is `gap`).
 * The result is in `zone`.
 */
export function parseStart(text: string, zone: string): TimeParse {
  const trimmed = text.trim();
  const match = DATE_TIME.exec(trimmed);
  if (!match) return { ok: false, reason: 'format' };
  if (match[8] !== undefined) {
    const value = DateTime.fromISO(trimmed.replace(' ', 'T'), { setZone: true });
    return value.isValid
      ? { ok: true, value: value.setZone(zone) }
      : { ok: false, reason: 'invalid' };
  }
  const [year, month, day, hour, minute] = match.slice(1, 6).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const second = Number(match[6] ?? 0);
  const millisecond = Number((match[7] ?? '0').padEnd(3, '0').slice(0, 3));
  const value = DateTime.fromObject(
    { year, month, day, hour, minute, second, millisecond },
    { zone },
  );
  if (!value.isValid || value.day !== day || value.month !== month)
    return { ok: false, reason: 'invalid' };
  // Luxon moves a skipped wall time forward; a different hour means the clocks never showed it.
  if (value.hour !== hour || value.minute !== minute) return { ok: false, reason: 'gap' };
  return { ok: true, value };
}

/** ISO 8601 with the zone's offset and no milliseconds: `2026-11-24T15:00:00+01:00`. */
export function toDeskIso(instant: Date | DateTime, zone: string): string {
  const value = instant instanceof Date ? DateTime.fromJSDate(instant) : instant;
  return value.setZone(zone).toISO({ suppressMilliseconds: true }) ?? value.toUTC().toISO() ?? '';
}

/** The instant as a Luxon value in `zone`. */
export function inZone(instant: Date, zone: string): DateTime {
  return DateTime.fromJSDate(instant, { zone });
}

/** "Tuesday, November 24" (en-US). */
export function describeDay(value: DateTime): string {
  return value.setLocale('en-US').toFormat('cccc, LLLL d');
}

/** "3:00 PM" (en-US). */
export function describeTime(value: DateTime): string {
  return value.setLocale('en-US').toFormat('h:mm a');
}

/** "Tuesday, November 24 at 3:00 PM" (en-US). */
export function describeInstant(value: DateTime): string {
  return `${describeDay(value)} at ${describeTime(value)}`;
}
