import type { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { freeSlotStarts, nearestSlots, openingWindow } from '../src/scheduler/availability.js';
import { checkBookableDay, checkStart } from '../src/scheduler/booking-rules.js';
import { normaliseContact } from '../src/scheduler/contact.js';
import {
  createDeskSettings,
  DEFAULT_WEEKLY_HOURS,
  describeWallTime,
  describeWeeklyHours,
} from '../src/scheduler/desk-settings.js';
import type { DeskSettings } from '../src/scheduler/desk-settings.js';
import { parseCalendarDate, parseStart, toDeskIso } from '../src/scheduler/desk-time.js';
import { findService, shortestService } from '../src/scheduler/services.js';

const ZONE = 'Europe/Berlin';
/** Monday 23 November 2026, 10:00 in Berlin. */
const NOW = new Date('2026-11-23T09:00:00Z');

function desk(overrides: Partial<DeskSettings> = {}): DeskSettings {
  return createDeskSettings({ timeZone: ZONE, now: () => NOW, ...overrides });
}

function day(text: string): DateTime {
  const parsed = parseCalendarDate(text, ZONE);
  if (!parsed.ok) throw new Error(`bad test date ${text}`);
  return parsed.value;
}

const iso = (slots: DateTime[]): string[] => slots.map((s) => toDeskIso(s, ZONE));
const premium = findService('premium')!;
const consultation = findService('consultation')!;

describe('desk settings', () => {
  it('fills in the defaults: weekday hours, a 30-minute step and a 90-day horizon', () => {
    const settings = createDeskSettings();
    expect(settings.hours).toBe(DEFAULT_WEEKLY_HOURS);
    expect(settings.slotStepMinutes).toBe(30);
    expect(settings.bookingHorizonDays).toBe(90);
    expect(settings.timeZone).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(settings.now()).toBeInstanceOf(Date);
  });

  it('rejects an unknown zone, inverted or off-grid hours and a bad step', () => {
    expect(() => createDeskSettings({ timeZone: 'Mars/Olympus' })).toThrow(/IANA zone/);
    expect(() =>
      createDeskSettings({
        hours: { ...DEFAULT_WEEKLY_HOURS, monday: { open: '17:00', close: '09:00' } },
      }),
    ).toThrow(/monday closes before it opens/);
    expect(() =>
      createDeskSettings({
        hours: { ...DEFAULT_WEEKLY_HOURS, monday: { open: '09:10', close: '17:00' } },
      }),
    ).toThrow(/15-minute grid/);
    expect(() =>
      createDeskSettings({
        hours: { ...DEFAULT_WEEKLY_HOURS, monday: { open: '9', close: '17:00' } },
      }),
    ).toThrow(/HH:mm/);
    expect(() => createDeskSettings({ slotStepMinutes: 20 })).toThrow(/slot step/);
    expect(() => createDeskSettings({ bookingHorizonDays: 0 })).toThrow(/horizon/);
  });

  it('describes the week in one line, with times as the desk says them', () => {
    expect(describeWeeklyHours(DEFAULT_WEEKLY_HOURS)).toBe(
      'Mon–Fri 9:00 AM–5:00 PM, Sat 10:00 AM–2:00 PM, closed Sun',
    );
    expect(['00:00', '00:30', '09:00', '12:00', '12:45', '17:30'].map(describeWallTime)).toEqual([
      '12:00 AM',
      '12:30 AM',
      '9:00 AM',
      '12:00 PM',
      '12:45 PM',
      '5:30 PM',
    ]);
  });
});

describe('free slots', () => {
  it('offers every fitting start inside the hours, stepping by 30 minutes', () => {
    const slots = iso(freeSlotStarts(desk(), day('2026-11-24'), consultation.durationMinutes, []));
    expect(slots).toHaveLength(16);
    expect(slots[0]).toBe('2026-11-24T09:00:00+01:00');
    expect(slots.at(-1)).toBe('2026-11-24T16:30:00+01:00');
  });

  it('keeps a long service inside the hours: premium ends by closing time', () => {
    const slots = iso(freeSlotStarts(desk(), day('2026-11-28'), premium.durationMinutes, []));
    // Saturday 10:00–14:00: the last 90-minute start is 12:30.
    expect(slots).toEqual([
      '2026-11-28T10:00:00+01:00',
      '2026-11-28T10:30:00+01:00',
      '2026-11-28T11:00:00+01:00',
      '2026-11-28T11:30:00+01:00',
      '2026-11-28T12:00:00+01:00',
      '2026-11-28T12:30:00+01:00',
    ]);
  });

  it('offers nothing when the service is longer than the hours left', () => {
    const short = desk({
      hours: { ...DEFAULT_WEEKLY_HOURS, tuesday: { open: '09:00', close: '10:00' } },
    });
    expect(freeSlotStarts(short, day('2026-11-24'), premium.durationMinutes, [])).toEqual([]);
    expect(iso(freeSlotStarts(short, day('2026-11-24'), 60, []))).toEqual([
      '2026-11-24T09:00:00+01:00',
    ]);
  });

  it('offers nothing on a closed day', () => {
    expect(openingWindow(desk(), day('2026-11-29'))).toBeNull();
    expect(freeSlotStarts(desk(), day('2026-11-29'), 30, [])).toEqual([]);
  });

  it('leaves out starts that are not after now', () => {
    // Monday 10:00 now: 10:00 itself has begun, 10:30 is the first free start.
    const slots = iso(freeSlotStarts(desk(), day('2026-11-23'), 30, []));
    expect(slots[0]).toBe('2026-11-23T10:30:00+01:00');
    expect(slots).not.toContain('2026-11-23T10:00:00+01:00');
    expect(slots).toHaveLength(13);
  });

  it('leaves out every start whose appointment would overlap a booking', () => {
    const booked = [
      { start: new Date('2026-11-24T10:00:00+01:00'), end: new Date('2026-11-24T11:30:00+01:00') },
    ];
    const slots = iso(freeSlotStarts(desk(), day('2026-11-24'), 60, booked)).map((s) =>
      s.slice(11, 16),
    );
    // A 60-minute appointment may end at 10:00 (09:00) and start at 11:30.
    expect(slots.slice(0, 3)).toEqual(['09:00', '11:30', '12:00']);
    expect(slots).not.toContain('09:30');
    expect(slots).not.toContain('11:00');
  });

  it('counts real minutes on the spring-forward day in Berlin', () => {
    const night = desk({
      hours: { ...DEFAULT_WEEKLY_HOURS, sunday: { open: '01:00', close: '04:00' } },
      now: () => new Date('2026-03-01T00:00:00Z'),
    });
    // 02:00 jumps to 03:00: three wall hours hold two real hours.
    expect(iso(freeSlotStarts(night, day('2026-03-29'), 30, []))).toEqual([
      '2026-03-29T01:00:00+01:00',
      '2026-03-29T01:30:00+01:00',
      '2026-03-29T03:00:00+02:00',
      '2026-03-29T03:30:00+02:00',
    ]);
  });

  it('counts real minutes on the fall-back day in Berlin', () => {
    const night = desk({
      hours: { ...DEFAULT_WEEKLY_HOURS, sunday: { open: '01:00', close: '04:00' } },
      now: () => new Date('2026-10-01T00:00:00Z'),
    });
    const slots = iso(freeSlotStarts(night, day('2026-10-25'), 60, []));
    // 03:00 falls back to 02:00: four real hours, and 02:00–03:00 happens twice.
    expect(slots).toEqual([
      '2026-10-25T01:00:00+02:00',
      '2026-10-25T01:30:00+02:00',
      '2026-10-25T02:00:00+02:00',
      '2026-10-25T02:30:00+02:00',
      '2026-10-25T02:00:00+01:00',
      '2026-10-25T02:30:00+01:00',
      '2026-10-25T03:00:00+01:00',
    ]);
  });

  it('keeps the usual wall-clock hours across a DST change in another zone', () => {
    const newYork = desk({
      timeZone: 'America/New_York',
      now: () => new Date('2026-03-01T00:00:00Z'),
    });
    const before = parseCalendarDate('2026-03-06', 'America/New_York');
    const after = parseCalendarDate('2026-03-09', 'America/New_York');
    if (!before.ok || !after.ok) throw new Error('bad date');
    const first = (d: DateTime): string | undefined =>
      freeSlotStarts(newYork, d, 30, []).map((s) => toDeskIso(s, 'America/New_York'))[0];
    expect(first(before.value)).toBe('2026-03-06T09:00:00-05:00');
    expect(first(after.value)).toBe('2026-03-09T09:00:00-04:00');
  });

  it('picks the starts nearest to a wanted time, in time order', () => {
    const slots = freeSlotStarts(desk(), day('2026-11-24'), consultation.durationMinutes, [
      { start: new Date('2026-11-24T15:00:00+01:00'), end: new Date('2026-11-24T15:30:00+01:00') },
    ]);
    const at = (text: string): DateTime => {
      const parsed = parseStart(text, ZONE);
      if (!parsed.ok) throw new Error(`bad test time ${text}`);
      return parsed.value;
    };
    const wall = (picked: DateTime[]): string[] => iso(picked).map((s) => s.slice(11, 16));
    // 3:00 PM is taken: half an hour either side, then an hour either side.
    expect(wall(nearestSlots(slots, at('2026-11-24T15:00'), 4))).toEqual([
      '14:00',
      '14:30',
      '15:30',
      '16:00',
    ]);
    // Of two as near, the earlier: 2:30 and 3:30 PM are both 30 minutes from 3:00 PM.
    expect(wall(nearestSlots(slots, at('2026-11-24T15:00'), 1))).toEqual(['14:30']);
    // Near closing, the rest comes from before it.
    expect(wall(nearestSlots(slots, at('2026-11-24T16:30'), 3))).toEqual([
      '15:30',
      '16:00',
      '16:30',
    ]);
    expect(nearestSlots([], at('2026-11-24T15:00'), 4)).toEqual([]);
  });

  it('offers nothing past the booking horizon', () => {
    // Today + 90 days is Sunday 21 February 2027.
    expect(freeSlotStarts(desk(), day('2027-02-19'), 30, [])).toHaveLength(16);
    expect(freeSlotStarts(desk(), day('2027-02-22'), 30, [])).toEqual([]);
  });
});

describe('booking rules', () => {
  const at = (text: string): DateTime => {
    const parsed = parseStart(text, ZONE);
    if (!parsed.ok) throw new Error(`bad test time ${text}`);
    return parsed.value;
  };
  const error = (text: string, service = premium): string => {
    const check = checkStart(desk(), at(text), service);
    return check.ok ? '' : check.error;
  };

  it('accepts a start inside the hours and gives the end', () => {
    const check = checkStart(desk(), at('2026-11-24T15:00'), premium);
    expect(check.ok && toDeskIso(check.end, ZONE)).toBe('2026-11-24T16:30:00+01:00');
  });

  it('explains a past time, a closed day, the hours, the grid and the horizon', () => {
    expect(error('2026-11-23T09:30')).toBe(
      'Monday, November 23 at 9:30 AM has already passed. Please choose a time in the future.',
    );
    expect(error('2026-11-29T10:00')).toBe(
      "We're closed on Sundays. Our hours are Mon–Fri 9:00 AM–5:00 PM, Sat 10:00 AM–2:00 PM, closed Sun.",
    );
    expect(error('2026-11-24T16:00')).toBe(
      "Tuesday, November 24 at 4:00 PM is outside our hours for a premium appointment: it lasts 90 minutes, so on Tuesdays it has to start between 9:00 AM and 3:30 PM (we're open 9:00 AM–5:00 PM).",
    );
    expect(error('2026-11-24T07:00')).toMatch(/outside our hours/);
    expect(error('2026-11-24T10:10')).toBe(
      "Appointments start every 30 minutes from 9:00 AM, so 10:10 AM isn't a start time. The nearest are 10:00 AM and 10:30 AM.",
    );
    expect(error('2026-11-24T10:00:30')).toMatch(/10:00:30 AM isn't a start time/);
    expect(error('2027-03-01T10:00')).toBe(
      'We only take bookings up to 90 days ahead, that is until Sunday, February 21, 2027. Please choose an earlier date.',
    );
  });

  it('tells a past day from today', () => {
    expect(checkBookableDay(desk(), day('2026-11-22'))).toMatch(
      /Sunday, November 22 is in the past/,
    );
    expect(checkBookableDay(desk(), day('2026-11-23'))).toBeUndefined();
  });
});

describe('reading times', () => {
  it('reads ISO 8601 with an offset as that instant, in the desk zone', () => {
    const parsed = parseStart('2026-11-24T14:00:00Z', ZONE);
    expect(parsed.ok && toDeskIso(parsed.value, ZONE)).toBe('2026-11-24T15:00:00+01:00');
    const offset = parseStart('2026-11-24T09:00:00-05:00', ZONE);
    expect(offset.ok && toDeskIso(offset.value, ZONE)).toBe('2026-11-24T15:00:00+01:00');
  });

  it('reads a local wall time in the desk zone, in summer and winter', () => {
    const winter = parseStart('2026-11-24T15:00', ZONE);
    const summer = parseStart('2026-07-01 15:00:00', ZONE);
    expect(winter.ok && toDeskIso(winter.value, ZONE)).toBe('2026-11-24T15:00:00+01:00');
    expect(summer.ok && toDeskIso(summer.value, ZONE)).toBe('2026-07-01T15:00:00+02:00');
  });

  it('reads a repeated fall-back wall time as the standard-time one', () => {
    const parsed = parseStart('2026-10-25T02:30', ZONE);
    expect(parsed.ok && toDeskIso(parsed.value, ZONE)).toBe('2026-10-25T02:30:00+01:00');
  });

  it('rejects malformed, impossible and skipped times', () => {
    expect(parseStart('tomorrowish', ZONE)).toEqual({ ok: false, reason: 'format' });
    expect(parseStart('2026-13-45T10:00', ZONE)).toEqual({ ok: false, reason: 'invalid' });
    expect(parseStart('2026-02-30T10:00+01:00', ZONE)).toEqual({ ok: false, reason: 'invalid' });
    expect(parseStart('2026-03-29T02:30', ZONE)).toEqual({ ok: false, reason: 'gap' });
    expect(parseCalendarDate('2026-13-45', ZONE)).toEqual({ ok: false, reason: 'invalid' });
    expect(parseCalendarDate('2026-02-29', ZONE)).toEqual({ ok: false, reason: 'invalid' });
    expect(parseCalendarDate('next tuesday', ZONE)).toEqual({ ok: false, reason: 'format' });
  });
});

describe('contacts and services', () => {
  it('normalises emails to lowercase and phones to digits with a leading +', () => {
    expect(normaliseContact(' Alex@Example.COM ')).toEqual({
      ok: true,
      kind: 'email',
      value: 'alex@example.com',
    });
    expect(normaliseContact('+1 (555) 010-0100')).toMatchObject({ value: '+15550100100' });
    expect(normaliseContact('001 555 010 0100')).toMatchObject({ value: '+15550100100' });
    expect(normaliseContact('030 1234567')).toMatchObject({ kind: 'phone', value: '+0301234567' });
    expect(normaliseContact('alex at example')).toEqual({ ok: false });
    expect(normaliseContact('12345')).toEqual({ ok: false });
  });

  it('finds services by name and knows the shortest', () => {
    expect(findService('basic')?.durationMinutes).toBe(60);
    expect(findService('gold')).toBeUndefined();
    expect(shortestService().name).toBe('consultation');
  });
});
