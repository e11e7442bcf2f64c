/**
 * Spoken and typed date/time phrases → calendar values, relative to an injected clock and an IANA zone:
 * "tomorrow at 3 pm", "today at 10:30", "monday at 9am", "next friday at 14:00", "2026-12-01 15:00",
 * "december 1st at noon", "in 2 hours", and the speech-recognition forms ("tomorrow at three thirty p m").
 *
 * Rules worth knowing: a weekday ("friday", "this friday", "next friday") is the first such day after today; a time
 * without a date is today if still ahead, else tomorrow; an hour of 1–6 with no am/pm is afternoon (business hours);
 * a month and day without a year is the next such date. A phrase with any word left unexplained is not parsed.
 */
import { replaceNumberWords } from './number-words.js';
import type { WallClock } from './time-zone.js';
import {
  addDays,
  daysInMonth,
  formatInstant,
  formatWallDate,
  instantFromWall,
  pad,
  wallClockAt,
  weekdayOf,
} from './time-zone.js';

/** The clock and zone a phrase is read against. */
export interface WhenContext {
  now: Date;
  timeZone: string;
}

type CalendarDate = Pick<WallClock, 'year' | 'month' | 'day'>;

/** A parsed phrase: a calendar date, or an instant when it named a time. */
export type WhenValue =
  { kind: 'date'; date: CalendarDate } | { kind: 'datetime'; instant: number };

// prettier-ignore
const WEEKDAYS: Readonly<Record<string, number>> = {
  sunday: 0, sun: 0, monday: 1, mon: 1, tuesday: 2, tue: 2, tues: 2, wednesday: 3, wed: 3, thursday: 4, thu: 4,
  thur: 4, thurs: 4, friday: 5, fri: 5, saturday: 6, sat: 6,
};

// prettier-ignore
const MONTHS: Readonly<Record<string, number>> = {
  january: 1, jan: 1, february: 2, feb: 2, march: 3, mar: 3, april: 4, apr: 4, may: 5, june: 6, jun: 6, july: 7,
  jul: 7, august: 8, aug: 8, september: 9, sep: 9, sept: 9, october: 10, oct: 10, november: 11, nov: 11,
  december: 12, dec: 12,
};

// prettier-ignore
const FILLER = new Set([
  'at', 'on', 'for', 'the', 'of', 'around', 'about', 'approximately', 'sharp', 'please', 'by', 'from', 'starting',
  'and', 'in', '@',
]);

const WEEKDAY_RE = Object.keys(WEEKDAYS).join('|');
const MONTH_RE = Object.keys(MONTHS).join('|');
const ORD = '(?:st|nd|rd|th)?';

interface TimeOfDay {
  hour: number;
  minute: number;
  second: number;
  /** Written as 24-hour (`14:00`, `09:30`, `0:15`) or as noon/midnight: no am/pm guessing. */
  exact: boolean;
  meridiem?: 'am' | 'pm';
}

/** Lowercases and rewrites the spoken forms: number words → digits, "p m" → pm, "o'clock" dropped. */
function normalize(text: string): string {
  let s = text.normalize('NFKC').toLowerCase().replace(/[’‘]/g, "'");
  s = s.replace(/\b([ap])\.\s?m\b\.?/g, '$1m');
  s = s.replace(/\bo'?\s?clock\b/g, ' ');
  return s;
}

/** Everything after the ISO forms are taken out: punctuation → spaces, number words → digits. */
function normalizeWords(s: string): string {
  let out = s.replace(/[,;!?()"]/g, ' ').replace(/(?<!\d)\.|\.(?!\d)/g, ' ');
  out = replaceNumberWords(out, { ordinals: true });
  out = out.replace(/(\d)\s*([ap])\s?m\b/g, '$1 $2m');
  out = out.replace(/\b(\d{1,2}) oh (\d)\b/g, '$1:0$2');
  return ` ${out.replace(/\s+/g, ' ').trim()} `;
}

function validDate(year: number, month: number, day: number): CalendarDate | undefined {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day };
}

function compareDates(a: CalendarDate, b: CalendarDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** Reads `text` as a date or date-time; undefined when it is not one. */
export function parseWhen(text: string, ctx: WhenContext): WhenValue | undefined {
  const nowMs = ctx.now.getTime();
  if (!Number.isFinite(nowMs)) return undefined;
  const today: CalendarDate = wallClockAt(nowMs, ctx.timeZone);
  let s = normalize(text);
  let failed = false;
  const dates: CalendarDate[] = [];
  const times: TimeOfDay[] = [];
  let instant: number | undefined;
  let hint: 'am' | 'pm' | undefined;

  /** Consumes the first match of `re` in `s` when `use` accepts it. */
  const take = (re: RegExp, use: (m: RegExpExecArray) => boolean | void): void => {
    const m = re.exec(s);
    if (m === null) return;
    if (use(m) === false) {
      failed = true;
      return;
    }
    s = `${s.slice(0, m.index)} ${s.slice(m.index + m[0].length)}`;
  };
  const num = (v: string | undefined): number => (v === undefined ? 0 : Number(v));

  take(
    /\b(\d{4})-(\d{2})-(\d{2})(?:[t ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(z|[+-]\d{2}:?\d{2})?)?\b/,
    (m) => {
      const date = validDate(num(m[1]), num(m[2]), num(m[3]));
      if (date === undefined) return false;
      if (m[4] === undefined) return void dates.push(date);
      const time = { hour: num(m[4]), minute: num(m[5]), second: num(m[6]), exact: true };
      if (time.hour > 23 || time.minute > 59 || time.second > 59) return false;
      const zone = m[7];
      if (zone === undefined) return void (dates.push(date), times.push(time));
      const local = Date.UTC(
        date.year,
        date.month - 1,
        date.day,
        time.hour,
        time.minute,
        time.second,
      );
      const offset = zone === 'z' ? 0 : offsetOf(zone);
      instant = local - offset * 60_000;
    },
  );
  s = normalizeWords(s);

  take(/ in (\d+|a|an) (minute|min|hour|hr|day|week)s? /, (m) => {
    const n = m[1] === 'a' || m[1] === 'an' ? 1 : num(m[1]);
    const unit = m[2]!;
    if (unit === 'day' || unit === 'week') dates.push(addDays(today, unit === 'day' ? n : 7 * n));
    else
      instant =
        Math.floor(nowMs / 60_000) * 60_000 + n * (unit.startsWith('h') ? 3_600_000 : 60_000);
  });
  take(/ in half an hour /, () => {
    instant = Math.floor(nowMs / 60_000) * 60_000 + 1_800_000;
  });
  take(/ (?:the )?day after tomorrow /, () => void dates.push(addDays(today, 2)));
  take(/ (?:tomorrow|tmrw|tomorow) /, () => void dates.push(addDays(today, 1)));
  take(/ today /, () => void dates.push(today));
  take(/ tonight /, () => void (dates.push(today), (hint = 'pm')));
  take(/ this (morning|afternoon|evening) /, (m) => {
    dates.push(today);
    hint = m[1] === 'morning' ? 'am' : 'pm';
  });
  take(/ in the morning /, () => void (hint = 'am'));
  take(/ (?:in the (?:afternoon|evening)|at night) /, () => void (hint = 'pm'));
  take(new RegExp(` (?:(?:this|next|coming) )?(${WEEKDAY_RE}) `), (m) => {
    const ahead = (WEEKDAYS[m[1]!]! - weekdayOf(today) + 7) % 7 || 7;
    dates.push(addDays(today, ahead));
  });
  const monthDay = (month: number, day: number, year: string | undefined): boolean => {
    const y = year === undefined ? today.year : num(year);
    let date = validDate(y, month, day);
    if (date !== undefined && year === undefined && compareDates(date, today) < 0)
      date = validDate(y + 1, month, day);
    if (date === undefined) return false;
    dates.push(date);
    return true;
  };
  take(new RegExp(` (${MONTH_RE}) (?:the )?(\\d{1,2})${ORD}(?: (\\d{4}))? `), (m) =>
    monthDay(MONTHS[m[1]!]!, num(m[2]), m[3]),
  );
  take(new RegExp(` (?:the )?(\\d{1,2})${ORD}(?: of)? (${MONTH_RE})(?: (\\d{4}))? `), (m) =>
    monthDay(MONTHS[m[2]!]!, num(m[1]), m[3]),
  );
  take(/ (?:the )?(\d{1,2})(?:st|nd|rd|th) /, (m) => {
    const day = num(m[1]);
    let date = validDate(today.year, today.month, day);
    if (date === undefined || compareDates(date, today) < 0) {
      const next = addDays({ year: today.year, month: today.month, day: 1 }, 31);
      date = validDate(next.year, next.month, day);
    }
    if (date === undefined) return false;
    dates.push(date);
  });

  take(/ (?:noon|midday) /, () => void times.push({ hour: 12, minute: 0, second: 0, exact: true }));
  take(/ midnight /, () => void times.push({ hour: 0, minute: 0, second: 0, exact: true }));
  take(
    / (half|quarter|\d{1,2}) (?:minutes )?(past|after|to|before) (\d{1,2})(?: (am|pm))? /,
    (m) => {
      const minutes = m[1] === 'half' ? 30 : m[1] === 'quarter' ? 15 : num(m[1]);
      const hour = num(m[3]);
      if (minutes >= 60 || hour < 1 || hour > 12 || (m[1] === 'half' && /to|before/.test(m[2]!)))
        return false;
      const back = m[2] === 'to' || m[2] === 'before';
      const meridiem = m[4] as 'am' | 'pm' | undefined;
      times.push(
        back
          ? {
              hour: hour === 1 ? 12 : hour - 1,
              minute: 60 - minutes,
              second: 0,
              exact: false,
              meridiem,
            }
          : { hour, minute: minutes, second: 0, exact: false, meridiem },
      );
    },
  );
  take(/ (\d{1,2})(?:[:.](\d{2})| (\d{2})(?= (?:am|pm) | $))?(?: (am|pm))? /, (m) => {
    const written = m[1]!;
    const minuteText = m[2] ?? m[3];
    const time: TimeOfDay = {
      hour: num(written),
      minute: num(minuteText),
      second: 0,
      exact: m[2] !== undefined && (written.startsWith('0') || num(written) > 12),
      meridiem: m[4] as 'am' | 'pm' | undefined,
    };
    if (time.minute > 59) return false;
    times.push(time);
  });

  const leftover = s.split(' ').filter((word) => word !== '' && !FILLER.has(word));
  if (failed || leftover.length > 0 || dates.length > 1 || times.length > 1) return undefined;
  if (instant !== undefined) {
    return dates.length === 0 && times.length === 0 ? { kind: 'datetime', instant } : undefined;
  }
  const date = dates[0];
  const spoken = times[0];
  if (spoken === undefined) return date === undefined ? undefined : { kind: 'date', date };
  const hour = resolveHour(spoken, hint);
  if (hour === undefined) return undefined;
  const at = (day: CalendarDate): number =>
    instantFromWall({ ...day, hour, minute: spoken.minute, second: spoken.second }, ctx.timeZone);
  if (date !== undefined) return { kind: 'datetime', instant: at(date) };
  const sameDay = at(today);
  return { kind: 'datetime', instant: sameDay > nowMs ? sameDay : at(addDays(today, 1)) };
}

function resolveHour(time: TimeOfDay, hint: 'am' | 'pm' | undefined): number | undefined {
  const { hour } = time;
  const meridiem = time.meridiem ?? (time.exact ? undefined : hint);
  if (meridiem !== undefined) {
    if (hour > 12) return meridiem === 'pm' && hour < 24 ? hour : undefined;
    if (hour === 0) return meridiem === 'am' ? 0 : undefined;
    return (hour % 12) + (meridiem === 'pm' ? 12 : 0);
  }
  if (hour > 23) return undefined;
  return !time.exact && hour >= 1 && hour <= 6 ? hour + 12 : hour;
}

function offsetOf(zone: string): number {
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (m === null) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

/** `2026-11-22T15:00:00+01:00`, or undefined when `text` names no time. */
export function formatWhenDateTime(text: string, ctx: WhenContext): string | undefined {
  const when = parseWhen(text, ctx);
  return when?.kind === 'datetime' ? formatInstant(when.instant, ctx.timeZone) : undefined;
}

/** `2026-11-22`, or undefined when `text` names no date. */
export function formatWhenDate(text: string, ctx: WhenContext): string | undefined {
  const when = parseWhen(text, ctx);
  if (when === undefined) return undefined;
  return formatWallDate(when.kind === 'date' ? when.date : wallClockAt(when.instant, ctx.timeZone));
}

/** `15:00`, or undefined when `text` names no time. */
export function formatWhenTime(text: string, ctx: WhenContext): string | undefined {
  const when = parseWhen(text, ctx);
  if (when?.kind !== 'datetime') return undefined;
  const wall = wallClockAt(when.instant, ctx.timeZone);
  return `${pad(wall.hour)}:${pad(wall.minute)}`;
}
