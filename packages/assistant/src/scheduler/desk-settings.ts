/**
 * How the appointment desk runs: its time zone, opening hours per weekday, the slot step, how far ahead it books,
 * and the clock it reads "now" from (injected, so tests and demos are deterministic).
 */
import { DateTime, IANAZone } from 'luxon';
import { BOOKING_GRID_MINUTES } from '../storage/booking-grid.js';
import { describeTime } from './desk-time.js';

/** Weekdays in Luxon's order (1 = Monday … 7 = Sunday). */
export const WEEKDAYS = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
] as const;

export type Weekday = (typeof WEEKDAYS)[number];

/** Opening hours of one day as local wall times `HH:mm`; `close` is exclusive (nothing may end after it). */
export interface OpeningHours {
  readonly open: string;
  readonly close: string;
}

/** A day's hours, or `null` when the desk is closed that day. */
export type WeeklyHours = Readonly<Record<Weekday, OpeningHours | null>>;

export interface DeskSettings {
  /** IANA zone the desk's hours and local times are in (`Europe/Berlin`). */
  readonly timeZone: string;
  readonly hours: WeeklyHours;
  /** Minutes between offered start times, counted from opening (default 30). */
  readonly slotStepMinutes: number;
  /** How many days ahead a booking may start (default 90). */
  readonly bookingHorizonDays: number;
  /** The current instant. */
  now(): Date;
}

/** Mon–Fri 09:00–17:00, Sat 10:00–14:00, Sun closed. */
export const DEFAULT_WEEKLY_HOURS: WeeklyHours = {
  monday: { open: '09:00', close: '17:00' },
  tuesday: { open: '09:00', close: '17:00' },
  wednesday: { open: '09:00', close: '17:00' },
  thursday: { open: '09:00', close: '17:00' },
  friday: { open: '09:00', close: '17:00' },
  saturday: { open: '10:00', close: '14:00' },
  sunday: null,
};

export const DEFAULT_SLOT_STEP_MINUTES = 30;
export const DEFAULT_BOOKING_HORIZON_DAYS = 90;

/** Hours and steps stay on the storage's booking grid, so every offered slot can be stored. */
const GRID_MINUTES = BOOKING_GRID_MINUTES;

const WALL_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after midnight of an `HH:mm` wall time, or undefined when it is not one. */
export function wallMinutes(text: string): number | undefined {
  const match = WALL_TIME.exec(text);
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}

/** An `HH:mm` wall time the way the desk says times: "09:00" → "9:00 AM", "17:30" → "5:30 PM". */
export function describeWallTime(wall: string): string {
  const minutes = wallMinutes(wall);
  if (minutes === undefined) return wall;
  // Any day without a clock change will do: UTC has none.
  const at = DateTime.fromObject(
    { hour: Math.floor(minutes / 60), minute: minutes % 60 },
    { zone: 'UTC' },
  );
  return describeTime(at);
}

/** The process's IANA zone (what `Intl` reports), used when no zone is configured. */
export function processTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/**
 * Desk settings with defaults filled in and checked. Throws (a caller mistake, at startup) on an unknown zone,
 * malformed or inverted hours, hours off the 15-minute grid, or a non-positive step or horizon.
 */
export function createDeskSettings(options: Partial<DeskSettings> = {}): DeskSettings {
  const settings: DeskSettings = {
    timeZone: options.timeZone ?? processTimeZone(),
    hours: options.hours ?? DEFAULT_WEEKLY_HOURS,
    slotStepMinutes: options.slotStepMinutes ?? DEFAULT_SLOT_STEP_MINUTES,
    bookingHorizonDays: options.bookingHorizonDays ?? DEFAULT_BOOKING_HORIZON_DAYS,
    now: options.now ?? (() => new Date()),
  };
  if (!IANAZone.isValidZone(settings.timeZone))
    throw new Error(
      `desk time zone "${settings.timeZone}" is not an IANA zone (e.g. Europe/Berlin)`,
    );
  if (
    !Number.isInteger(settings.slotStepMinutes) ||
    settings.slotStepMinutes <= 0 ||
    settings.slotStepMinutes % GRID_MINUTES !== 0
  )
    throw new Error(`slot step must be a positive multiple of ${GRID_MINUTES} minutes`);
  if (!Number.isInteger(settings.bookingHorizonDays) || settings.bookingHorizonDays <= 0)
    throw new Error('booking horizon must be a positive number of days');
  for (const day of WEEKDAYS) {
    const hours = settings.hours[day];
    if (hours === null) continue;
    const open = wallMinutes(hours.open);
    const close = wallMinutes(hours.close);
    if (open === undefined || close === undefined)
      throw new Error(`${day} hours must be HH:mm, got ${hours.open}–${hours.close}`);
    if (open >= close)
      throw new Error(`${day} closes before it opens (${hours.open}–${hours.close})`);
    if (open % GRID_MINUTES !== 0 || close % GRID_MINUTES !== 0)
      throw new Error(`${day} hours must be on the ${GRID_MINUTES}-minute grid`);
  }
  return settings;
}

/** "Mon–Fri 9:00 AM–5:00 PM, Sat 10:00 AM–2:00 PM, closed Sun": the week in one line, for messages. */
export function describeWeeklyHours(hours: WeeklyHours): string {
  const short = (day: Weekday): string => day.charAt(0).toUpperCase() + day.slice(1, 3);
  const label = (h: OpeningHours | null): string =>
    h ? `${describeWallTime(h.open)}–${describeWallTime(h.close)}` : 'closed';
  const runs: { from: Weekday; to: Weekday; label: string }[] = [];
  for (const day of WEEKDAYS) {
    const text = label(hours[day]);
    const last = runs.at(-1);
    if (last && last.label === text) last.to = day;
    else runs.push({ from: day, to: day, label: text });
  }
  return runs
    .map((run) => {
      const days = run.from === run.to ? short(run.from) : `${short(run.from)}–${short(run.to)}`;
      return run.label === 'closed' ? `closed ${days}` : `${days} ${run.label}`;
    })
    .join(', ');
}
