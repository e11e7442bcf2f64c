import { describe, expect, it } from 'vitest';
import type { WhenContext } from '../src/scenario/index.js';
import {
  formatWhenDate,
  formatWhenDateTime,
  formatWhenTime,
  parseWhen,
} from '../src/scenario/index.js';

/** Saturday 21 November 2026, 10:00 UTC (11:00 in Paris). */
const paris: WhenContext = { now: new Date('2026-11-21T10:00:00Z'), timeZone: 'Europe/Paris' };

describe('datetime phrases', () => {
  const cases: Array<[string, string]> = [
    ['tomorrow at 3 pm', '2026-11-22T15:00:00+01:00'],
    ['today at 10:30', '2026-11-21T10:30:00+01:00'],
    ['monday at 9am', '2026-11-23T09:00:00+01:00'],
    ['next friday at 14:00', '2026-11-27T14:00:00+01:00'],
    ['this friday at 2:15 p.m.', '2026-11-27T14:15:00+01:00'],
    ['2026-12-01 15:00', '2026-12-01T15:00:00+01:00'],
    ['2026-12-01T15:00:00Z', '2026-12-01T16:00:00+01:00'],
    ['2026-12-01T15:00:00-05:00', '2026-12-01T21:00:00+01:00'],
    ['December 1st at noon', '2026-12-01T12:00:00+01:00'],
    ['on the 3rd of december at 9:30 am', '2026-12-03T09:30:00+01:00'],
    ['the 5th at 10 am', '2026-12-05T10:00:00+01:00'],
    ['tonight at 8', '2026-11-21T20:00:00+01:00'],
    ['tomorrow at 9 in the morning', '2026-11-22T09:00:00+01:00'],
    ['tomorrow at midnight', '2026-11-22T00:00:00+01:00'],
    ['half past four tomorrow', '2026-11-22T16:30:00+01:00'],
    ['quarter to ten on monday', '2026-11-23T09:45:00+01:00'],
    ['the day after tomorrow at 11', '2026-11-23T11:00:00+01:00'],
    ['in 2 hours', '2026-11-21T13:00:00+01:00'],
    ['in half an hour', '2026-11-21T11:30:00+01:00'],
    ['Tomorrow, at 3 PM.', '2026-11-22T15:00:00+01:00'],
  ];
  for (const [phrase, iso] of cases) {
    it(`reads "${phrase}"`, () => {
      expect(formatWhenDateTime(phrase, paris)).toBe(iso);
    });
  }

  it('reads the speech-recognition forms of the same phrases', () => {
    expect(formatWhenDateTime('tomorrow at three pm', paris)).toBe('2026-11-22T15:00:00+01:00');
    expect(formatWhenDateTime('tomorrow at three p m', paris)).toBe('2026-11-22T15:00:00+01:00');
    expect(formatWhenDateTime('monday at nine am', paris)).toBe('2026-11-23T09:00:00+01:00');
    expect(formatWhenDateTime('friday at three thirty pm', paris)).toBe(
      '2026-11-27T15:30:00+01:00',
    );
    expect(formatWhenDateTime('tomorrow at ten oh five', paris)).toBe('2026-11-22T10:05:00+01:00');
    expect(formatWhenDateTime('december first at twelve', paris)).toBe('2026-12-01T12:00:00+01:00');
    expect(formatWhenDateTime('tomorrow at three oclock', paris)).toBe('2026-11-22T15:00:00+01:00');
  });

  it('reads a time alone as today when still ahead, else tomorrow', () => {
    expect(formatWhenDateTime('at 3 pm', paris)).toBe('2026-11-21T15:00:00+01:00');
    expect(formatWhenDateTime('at 9 am', paris)).toBe('2026-11-22T09:00:00+01:00');
  });

  it('reads a weekday as the first such day after today', () => {
    // The clock says Saturday.
    expect(formatWhenDate('saturday', paris)).toBe('2026-11-28');
    expect(formatWhenDate('sunday', paris)).toBe('2026-11-22');
  });

  it('rolls a month and day that has passed into next year', () => {
    expect(formatWhenDate('march 3', paris)).toBe('2027-03-03');
    expect(formatWhenDate('november 21', paris)).toBe('2026-11-21');
    expect(formatWhenDate('1 january 2030', paris)).toBe('2030-01-01');
  });

  it('reads hours 1 to 6 without am or pm as afternoon', () => {
    expect(formatWhenTime('tomorrow at 3', paris)).toBe('15:00');
    expect(formatWhenTime('tomorrow at 7', paris)).toBe('07:00');
    expect(formatWhenTime('tomorrow at 03:00', paris)).toBe('03:00');
  });

  it('leaves what it cannot read unparsed', () => {
    for (const phrase of [
      'whenever',
      'tomorrow at 25:00',
      '13 am',
      'february 30',
      'tomorrow and monday',
      'at 3 or 4',
      '',
    ]) {
      expect(parseWhen(phrase, paris), phrase).toBeUndefined();
    }
    expect(formatWhenDateTime('tomorrow', paris)).toBeUndefined();
    expect(parseWhen('tomorrow', { ...paris, now: new Date(Number.NaN) })).toBeUndefined();
  });
});

describe('time zones and daylight saving', () => {
  it('uses the date of the zone, not of UTC', () => {
    const late = new Date('2026-11-21T23:30:00Z');
    expect(formatWhenDate('today', { now: late, timeZone: 'Asia/Tokyo' })).toBe('2026-11-22');
    expect(formatWhenDate('today', { now: late, timeZone: 'America/Los_Angeles' })).toBe(
      '2026-11-21',
    );
    expect(formatWhenDateTime('tomorrow at 9am', { now: late, timeZone: 'Asia/Tokyo' })).toBe(
      '2026-11-23T09:00:00+09:00',
    );
  });

  it('writes offsets with minutes and for UTC', () => {
    const now = new Date('2026-11-21T10:00:00Z');
    expect(formatWhenDateTime('tomorrow at 3 pm', { now, timeZone: 'Asia/Kolkata' })).toBe(
      '2026-11-22T15:00:00+05:30',
    );
    expect(formatWhenDateTime('tomorrow at 3 pm', { now, timeZone: 'UTC' })).toBe(
      '2026-11-22T15:00:00+00:00',
    );
    expect(formatWhenDateTime('tomorrow at 3 pm', { now, timeZone: 'America/St_Johns' })).toBe(
      '2026-11-22T15:00:00-03:30',
    );
  });

  it('gives a date after a DST change the offset in force on that date', () => {
    // Berlin moves to summer time on Sunday 29 March 2026.
    const berlin = { now: new Date('2026-03-28T12:00:00Z'), timeZone: 'Europe/Berlin' };
    expect(formatWhenDateTime('today at 3 pm', berlin)).toBe('2026-03-28T15:00:00+01:00');
    expect(formatWhenDateTime('tomorrow at 3 pm', berlin)).toBe('2026-03-29T15:00:00+02:00');
    // New York leaves summer time on Sunday 1 November 2026.
    const ny = { now: new Date('2026-10-31T16:00:00Z'), timeZone: 'America/New_York' };
    expect(formatWhenDateTime('today at 3 pm', ny)).toBe('2026-10-31T15:00:00-04:00');
    expect(formatWhenDateTime('tomorrow at 3 pm', ny)).toBe('2026-11-01T15:00:00-05:00');
  });

  it('moves a time in the spring-forward gap forward by the gap', () => {
    const berlin = { now: new Date('2026-03-28T12:00:00Z'), timeZone: 'Europe/Berlin' };
    expect(formatWhenDateTime('tomorrow at 2:30 am', berlin)).toBe('2026-03-29T03:30:00+02:00');
    const ny = { now: new Date('2026-03-07T12:00:00Z'), timeZone: 'America/New_York' };
    expect(formatWhenDateTime('tomorrow at 2:30 am', ny)).toBe('2026-03-08T03:30:00-04:00');
  });

  it('takes the earlier of two instants in the fall-back overlap', () => {
    const ny = { now: new Date('2026-10-31T16:00:00Z'), timeZone: 'America/New_York' };
    expect(formatWhenDateTime('tomorrow at 1:30 am', ny)).toBe('2026-11-01T01:30:00-04:00');
    const berlin = { now: new Date('2026-10-24T12:00:00Z'), timeZone: 'Europe/Berlin' };
    expect(formatWhenDateTime('tomorrow at 2:30 am', berlin)).toBe('2026-10-25T02:30:00+02:00');
  });

  it('counts relative hours in real time across a DST change', () => {
    // 00:30 local on the night Berlin springs forward: two hours later is 03:30 summer time.
    const berlin = { now: new Date('2026-03-28T23:30:00Z'), timeZone: 'Europe/Berlin' };
    expect(formatWhenDateTime('in 2 hours', berlin)).toBe('2026-03-29T03:30:00+02:00');
  });
});
