/**
 * Free appointment starts on a day: inside the day's opening hours (the whole appointment, not just its start),
 * not overlapping a booked appointment, after "now", and within the booking horizon. Starts step from opening time
 * in real minutes, so a day with a DST change has exactly the slots its real hours hold.
 */
import { DateTime } from 'luxon';
import type { AppointmentRepository } from '../storage/records.js';
import { wallMinutes, WEEKDAYS } from './desk-settings.js';
import type { DeskSettings, OpeningHours, Weekday } from './desk-settings.js';

/** A half-open interval of time, [start, end). */
export interface TimeRange {
  readonly start: Date;
  readonly end: Date;
}

/** A day's opening window as instants in the desk's zone. */
export interface OpeningWindow {
  readonly weekday: Weekday;
  readonly hours: OpeningHours;
  readonly open: DateTime;
  readonly close: DateTime;
}

/** The weekday name of a day. */
export function weekdayOf(day: DateTime): Weekday {
  return WEEKDAYS[day.weekday - 1] ?? 'monday';
}

/** The desk's opening window on `day` (any time on that calendar day, in the desk's zone), or null when closed. */
export function openingWindow(settings: DeskSettings, day: DateTime): OpeningWindow | null {
  const weekday = weekdayOf(day);
  const hours = settings.hours[weekday];
  if (!hours) return null;
  const at = (wall: string): DateTime => {
    const minutes = wallMinutes(wall) ?? 0;
    return day
      .setZone(settings.timeZone)
      .startOf('day')
      .set({ hour: Math.floor(minutes / 60), minute: minutes % 60 });
  };
  return { weekday, hours, open: at(hours.open), close: at(hours.close) };
}

/** The last calendar day a booking may start on (today + horizon, in the desk's zone). */
export function lastBookableDay(settings: DeskSettings): DateTime {
  return today(settings).plus({ days: settings.bookingHorizonDays });
}

/** The start of today in the desk's zone. */
export function today(settings: DeskSettings): DateTime {
  return nowInDesk(settings).startOf('day');
}

/** The clock's instant in the desk's zone. */
export function nowInDesk(settings: DeskSettings): DateTime {
  return DateTime.fromJSDate(settings.now(), { zone: settings.timeZone });
}

/**
 * Every start on `day` where an appointment of `durationMinutes` fits: inside the opening window, stepping by the
 * slot step from opening, strictly after now, on or before the last bookable day, and overlapping none of
 * `booked` (which may hold anything; only overlaps matter).
 */
export function freeSlotStarts(
  settings: DeskSettings,
  day: DateTime,
  durationMinutes: number,
  booked: readonly TimeRange[],
): DateTime[] {
  const window = openingWindow(settings, day);
  if (!window) return [];
  if (window.open.startOf('day') > lastBookableDay(settings)) return [];
  const now = settings.now().getTime();
  const durationMs = durationMinutes * 60_000;
  const slots: DateTime[] = [];
  for (
    let start = window.open;
    start.plus({ minutes: durationMinutes }) <= window.close;
    start = start.plus({ minutes: settings.slotStepMinutes })
  ) {
    const from = start.toMillis();
    const to = from + durationMs;
    if (from <= now) continue;
    if (booked.some((b) => b.start.getTime() < to && b.end.getTime() > from)) continue;
    slots.push(start);
  }
  return slots;
}

/**
 * {@link freeSlotStarts} with the day's bookings read from the repository; `exceptId` leaves one appointment out
 * (the one being moved, whose own time is free for it).
 */
export async function findFreeSlots(
  repository: AppointmentRepository,
  settings: DeskSettings,
  day: DateTime,
  durationMinutes: number,
  exceptId?: number,
): Promise<DateTime[]> {
  const window = openingWindow(settings, day);
  if (!window) return [];
  const booked = await repository.listBetween(window.open.toJSDate(), window.close.toJSDate());
  const others = booked.filter((a) => a.id !== exceptId && a.status === 'booked');
  return freeSlotStarts(settings, day, durationMinutes, others);
}

/**
 * The `count` starts nearest to `wanted` (of two as near, the earlier), in time order: asked for 3:00 PM, the
 * afternoon around it rather than the first starts after opening.
 */
export function nearestSlots(
  slots: readonly DateTime[],
  wanted: DateTime,
  count: number,
): DateTime[] {
  const distance = (slot: DateTime): number => Math.abs(slot.toMillis() - wanted.toMillis());
  return [...slots]
    .sort((a, b) => distance(a) - distance(b) || a.toMillis() - b.toMillis())
    .slice(0, count)
    .sort((a, b) => a.toMillis() - b.toMillis());
}
