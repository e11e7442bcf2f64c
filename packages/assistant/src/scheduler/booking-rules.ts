/**
 * Whether an appointment may start at a given time: in the future, within the booking horizon, on an open day,
 * entirely inside that day's hours, and on the slot step counted from opening. Failures are sentences the
 * assistant can say as they are. Overlaps are the database's job (it answers `taken`).
 */
import type { DateTime } from 'luxon';
import { lastBookableDay, openingWindow } from './availability.js';
import { describeWeeklyHours } from './desk-settings.js';
import type { DeskSettings } from './desk-settings.js';
import { describeDay, describeInstant, describeTime } from './desk-time.js';
import type { ServiceInfo } from './services.js';

export type StartCheck =
  | { readonly ok: true; readonly start: DateTime; readonly end: DateTime }
  | { readonly ok: false; readonly error: string };

const capitalised = (day: string): string => day.charAt(0).toUpperCase() + day.slice(1);

/** A day that may still be booked: not before today, not after the horizon. Else the sentence why not. */
export function checkBookableDay(settings: DeskSettings, day: DateTime): string | undefined {
  const now = settings.now();
  const dayStart = day.setZone(settings.timeZone).startOf('day');
  if (dayStart.plus({ days: 1 }).toMillis() <= now.getTime())
    return `${describeDay(dayStart)} is in the past. Please choose today or a later date.`;
  const last = lastBookableDay(settings);
  if (dayStart > last)
    return `We only take bookings up to ${settings.bookingHorizonDays} days ahead, that is until ${describeDay(last)}, ${last.year}. Please choose an earlier date.`;
  return undefined;
}

/** Checks a requested start for `service`; on success gives the appointment's [start, end). */
export function checkStart(
  settings: DeskSettings,
  start: DateTime,
  service: ServiceInfo,
): StartCheck {
  const local = start.setZone(settings.timeZone);
  const when = describeInstant(local);
  if (local.toMillis() <= settings.now().getTime())
    return { ok: false, error: `${when} has already passed. Please choose a time in the future.` };
  const dayProblem = checkBookableDay(settings, local);
  if (dayProblem) return { ok: false, error: dayProblem };
  const window = openingWindow(settings, local);
  if (!window)
    return {
      ok: false,
      error: `We're closed on ${capitalised(local.setLocale('en-US').toFormat('cccc'))}s. Our hours are ${describeWeeklyHours(settings.hours)}.`,
    };
  const end = local.plus({ minutes: service.durationMinutes });
  const latestStart = window.close.minus({ minutes: service.durationMinutes });
  const day = `${capitalised(window.weekday)}s`;
  if (local < window.open || end > window.close) {
    const range =
      latestStart < window.open
        ? `it doesn't fit in our ${day.slice(0, -1)} hours`
        : `on ${day} it has to start between ${describeTime(window.open)} and ${describeTime(latestStart)}`;
    return {
      ok: false,
      error: `${when} is outside our hours for a ${service.name} appointment: it lasts ${service.durationMinutes} minutes, so ${range} (we're open ${describeTime(window.open)}–${describeTime(window.close)}).`,
    };
  }
  const stepMs = settings.slotStepMinutes * 60_000;
  const offset = local.toMillis() - window.open.toMillis();
  if (offset % stepMs !== 0) {
    const before = window.open.plus({ milliseconds: Math.floor(offset / stepMs) * stepMs });
    const after = before.plus({ minutes: settings.slotStepMinutes });
    const nearest = [before, after].filter(
      (t) => t.plus({ minutes: service.durationMinutes }) <= window.close,
    );
    const shown =
      local.second || local.millisecond
        ? local.setLocale('en-US').toFormat('h:mm:ss a')
        : describeTime(local);
    const suggestion = nearest.length
      ? ` The nearest are ${nearest.map(describeTime).join(' and ')}.`
      : '';
    return {
      ok: false,
      error: `Appointments start every ${settings.slotStepMinutes} minutes from ${describeTime(window.open)}, so ${shown} isn't a start time.${suggestion}`,
    };
  }
  return { ok: true, start: local, end };
}
