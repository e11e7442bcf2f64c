/**
 * Wall-clock ⇄ instant conversion in an IANA time zone with `Intl.DateTimeFormat`, no date library. Local times that
 * do not exist (a DST gap) move forward by the gap, and ambiguous ones (a DST overlap) take the earlier instant, as
 * Temporal's `disambiguation: 'compatible'` does.
 */

/** A calendar date and time of day as read on a clock in some zone (month 1–12). */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Whether `timeZone` is an IANA zone name this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

let system: { tz: string | undefined; zone: string } | undefined;

/** The zone the process runs in (re-read when `TZ` changes). */
export function systemTimeZone(): string {
  const tz = process.env.TZ;
  if (system === undefined || system.tz !== tz)
    system = { tz, zone: Intl.DateTimeFormat().resolvedOptions().timeZone };
  return system.zone;
}

/** The wall clock in `timeZone` at `instantMs`. */
export function wallClockAt(instantMs: number, timeZone: string): WallClock {
  const wall: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatterFor(timeZone).formatToParts(instantMs)) {
    if (part.type in wall) wall[part.type as keyof WallClock] = Number(part.value);
  }
  return wall;
}

function wallAsUtc(wall: WallClock): number {
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
}

/** Offset from UTC in minutes (east positive) in `timeZone` at `instantMs`. */
export function offsetMinutesAt(instantMs: number, timeZone: string): number {
  const whole = Math.floor(instantMs / 1000) * 1000;
  return Math.round((wallAsUtc(wallClockAt(whole, timeZone)) - whole) / 60_000);
}

/** The instant a wall clock in `timeZone` shows `wall` (gaps move forward, overlaps take the earlier instant). */
export function instantFromWall(wall: WallClock, timeZone: string): number {
  const local = wallAsUtc(wall);
  const DAY = 86_400_000;
  // Offsets in force a day either side cover any single transition near `local`.
  const before = offsetMinutesAt(local - DAY, timeZone);
  const after = offsetMinutesAt(local + DAY, timeZone);
  const valid = [...new Set([before, after])]
    .map((offset) => local - offset * 60_000)
    .filter((instant) => wallAsUtc(wallClockAt(instant, timeZone)) === local);
  if (valid.length > 0) return Math.min(...valid);
  // In a gap: read the wall time with the offset from before the transition, which lands after it.
  return local - before * 60_000;
}

/** `+01:00`, `-04:00`, `+05:30`, `+00:00`. */
export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

export function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `2026-11-22` for a wall clock. */
export function formatWallDate(wall: Pick<WallClock, 'year' | 'month' | 'day'>): string {
  return `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}`;
}

/** `2026-11-22T15:00:00+01:00`: the instant as a local date-time in `timeZone`, with its offset. */
export function formatInstant(instantMs: number, timeZone: string): string {
  const wall = wallClockAt(instantMs, timeZone);
  const offset = offsetMinutesAt(instantMs, timeZone);
  return `${formatWallDate(wall)}T${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}${formatOffset(offset)}`;
}

/** Adds days to a calendar date (no time zone involved). */
export function addDays(
  date: Pick<WallClock, 'year' | 'month' | 'day'>,
  days: number,
): Pick<WallClock, 'year' | 'month' | 'day'> {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(date: Pick<WallClock, 'year' | 'month' | 'day'>): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
