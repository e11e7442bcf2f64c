import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM_UNAVAILABLE } from '../src/scheduler/tool-definition.js';
import { openTestDesk } from './helpers/scheduler-desk.js';
import type { TestDesk } from './helpers/scheduler-desk.js';

let desk: TestDesk;

beforeEach(async () => {
  desk = await openTestDesk();
});

afterEach(async () => {
  await desk.close();
});

const good = {
  name: 'Alex',
  contact: 'alex@example.com',
  service: 'premium',
  start: '2026-11-24T15:00',
};

/** The tool's `{ error }` sentence (fails the test when the call succeeded). */
async function errorOf(name: string, args: unknown): Promise<string> {
  const output = await desk.call(name, args);
  expect(Object.keys(output)).toEqual(['error']);
  expect(typeof output.error).toBe('string');
  return output.error as string;
}

const book = (patch: Record<string, unknown>): Promise<string> =>
  errorOf('book_appointment', { ...good, ...patch });

describe('scheduler tools on bad input', () => {
  it('answers malformed JSON and non-object arguments with an example', async () => {
    expect(await errorOf('book_appointment', '{"name": "Alex",')).toBe(
      'The arguments for book_appointment must be a JSON object, for example {"name":"Alex","contact":"alex@example.com","service":"premium","start":"2026-11-24T15:00"}.',
    );
    expect(await errorOf('cancel_appointment', '[42]')).toMatch(
      /must be a JSON object, for example \{"id":42,"contact":"alex@example.com"\}/,
    );
    expect(await errorOf('check_availability', 42)).toMatch(/must be a JSON object/);
  });

  it('names every missing argument', async () => {
    const message = await errorOf('book_appointment', {});
    expect(message).toContain('Please give the name for the booking.');
    expect(message).toContain(
      'Please give an email address like alex@example.com or a phone number',
    );
    expect(message).toContain(
      'Please say which service: consultation (30 min), basic (60 min) and premium (90 min).',
    );
    expect(message).toContain('Please give the start time as YYYY-MM-DDTHH:mm');
    const cancelMessage = await errorOf('cancel_appointment', {});
    expect(cancelMessage).toContain('Please give the appointment ID (a number, like 42).');
    expect(cancelMessage).toContain('Please give an email address like alex@example.com');
    expect(await errorOf('list_appointments', { contact: '' })).toMatch(
      /^Please give an email address/,
    );
  });

  it('rejects wrong types with a sentence, not a zod dump', async () => {
    expect(await book({ name: 42 })).toBe('The name must be text.');
    expect(await book({ start: 1_700_000_000 })).toMatch(
      /^The start time must be written as YYYY-MM-DDTHH:mm/,
    );
    expect(await errorOf('check_availability', { date: true })).toMatch(
      /^The date must be written as YYYY-MM-DD/,
    );
  });

  it('rejects malformed dates and times', async () => {
    expect(await errorOf('check_availability', { date: '2026-13-45' })).toBe(
      '"2026-13-45" isn\'t a real calendar date. Please give the date as YYYY-MM-DD, for example 2026-11-24.',
    );
    expect(await errorOf('check_availability', { date: 'tomorrowish' })).toBe(
      '"tomorrowish" isn\'t a date I can read. Please give the date as YYYY-MM-DD, for example 2026-11-24.',
    );
    expect(await book({ start: 'tomorrowish at 3' })).toMatch(
      /^"tomorrowish at 3" isn't a time I can read/,
    );
    expect(await book({ start: '2026-13-45T10:00' })).toMatch(
      /^"2026-13-45T10:00" isn't a real date and time/,
    );
    expect(await book({ start: '2026-11-24T25:00' })).toMatch(/isn't a real date and time/);
  });

  it('lists the services when one is unknown', async () => {
    expect(await book({ service: 'gold' })).toBe(
      'We don\'t offer "gold". Our services are consultation (30 min), basic (60 min) and premium (90 min).',
    );
    expect(await errorOf('check_availability', { date: '2026-11-24', service: 'massage' })).toMatch(
      /We don't offer "massage".*consultation.*basic.*premium/,
    );
  });

  it('refuses past, closed, outside-hours, off-grid and too-distant times', async () => {
    expect(await book({ start: '2026-11-23T09:30' })).toMatch(/has already passed/);
    expect(await book({ start: '2026-11-29T11:00' })).toMatch(
      /^We're closed on Sundays\. Our hours are Mon–Fri 9:00 AM–5:00 PM/,
    );
    expect(await book({ start: '2026-11-24T16:00' })).toMatch(
      /outside our hours for a premium appointment: it lasts 90 minutes, so on Tuesdays it has to start between 9:00 AM and 3:30 PM/,
    );
    expect(await book({ start: '2026-11-24T15:10' })).toBe(
      "Appointments start every 30 minutes from 9:00 AM, so 3:10 PM isn't a start time. The nearest are 3:00 PM and 3:30 PM.",
    );
    expect(await book({ start: '2027-06-01T10:00' })).toMatch(
      /only take bookings up to 90 days ahead/,
    );
    expect(await errorOf('check_availability', { date: '2027-06-01' })).toMatch(
      /up to 90 days ahead/,
    );
    expect(await errorOf('check_availability', { date: '2026-11-20' })).toBe(
      'Friday, November 20 is in the past. Please choose today or a later date.',
    );
  });

  it('refuses a local time the clocks skip', async () => {
    const spring = await openTestDesk(new Date('2027-03-01T09:00:00Z'));
    try {
      const message = await spring.call('book_appointment', { ...good, start: '2027-03-28T02:30' });
      expect(message).toEqual({
        error:
          '"2027-03-28T02:30" doesn\'t exist in Europe/Berlin: the clocks skip that hour. Please choose another time.',
      });
    } finally {
      await spring.close();
    }
  });

  it('refuses overlong names, control characters and invalid contacts', async () => {
    expect(await book({ name: 'A'.repeat(81) })).toBe(
      'That name is too long: names can have at most 80 characters.',
    );
    expect(await book({ name: 'Alex\nDROP TABLE' })).toBe(
      "The name can't contain control characters such as line breaks or tabs.",
    );
    expect(await book({ name: '   ' })).toBe('Please give the name for the booking.');
    expect(await book({ contact: 'alex at example' })).toBe(
      '"alex at example" isn\'t an email address or a phone number. Please give an email address like alex@example.com or a phone number like +1 555 010 0100.',
    );
    expect(await errorOf('list_appointments', { contact: '123' })).toMatch(
      /isn't an email address or a phone number/,
    );
  });

  it('explains ids that are not numbers, unknown ids and cancelled appointments', async () => {
    const contact = 'alex@example.com';
    expect(await errorOf('cancel_appointment', { id: 'A-42', contact })).toBe(
      '"A-42" isn\'t an appointment ID. Appointment IDs are whole numbers, like 42.',
    );
    expect(await errorOf('cancel_appointment', { id: -3, contact })).toMatch(
      /Appointment IDs are whole numbers/,
    );
    expect(await errorOf('cancel_appointment', { id: '999', contact })).toBe(
      "I couldn't find appointment 999 booked under that email address or phone number. Please check both.",
    );
    expect(
      await errorOf('reschedule_appointment', { id: 999, start: '2026-11-25T10:00', contact }),
    ).toMatch(/couldn't find appointment 999/);
    expect(await errorOf('cancel_appointment', { id: 999, contact: 'alex at example' })).toMatch(
      /isn't an email address or a phone number/,
    );
    const booked = await desk.call('book_appointment', good);
    const id = booked.id as number;
    await desk.call('cancel_appointment', { id: `#${id}`, contact });
    expect(await errorOf('cancel_appointment', { id, contact })).toBe(
      `Appointment ${id} is already cancelled.`,
    );
    expect(
      await errorOf('reschedule_appointment', { id, start: '2026-11-25T10:00', contact }),
    ).toBe(
      `Appointment ${id} was cancelled, so it can't be moved. Please book a new appointment instead.`,
    );
  });

  it('says a slot is taken as a plain fact (the reader apologises) with the free times nearest to it', async () => {
    const consultation = { ...good, service: 'consultation', start: '2026-11-24T15:00' };
    await desk.call('book_appointment', consultation);
    // Asked for 3:00 PM: the afternoon around it, in time order, not 9:00 AM and the first slots after opening.
    expect(await book({ ...consultation, name: 'Sam', contact: 'sam@example.com' })).toBe(
      'Tuesday, November 24 at 3:00 PM is already booked. Free times nearest to it: 2:00 PM, 2:30 PM, 3:30 PM and 4:00 PM.',
    );
    // A premium 3:00–4:30 PM booking: a 4:00 PM consultation overlaps it; 4:30 PM is the only later start.
    await desk.call('book_appointment', { ...good, start: '2026-11-25T15:00' });
    expect(await book({ name: 'Sam', service: 'consultation', start: '2026-11-25T16:00' })).toBe(
      'Wednesday, November 25 at 4:00 PM is already booked. Free times nearest to it: 1:30 PM, 2:00 PM, 2:30 PM and 4:30 PM.',
    );
  });

  it('refuses a move to a taken time with the nearest free times, leaving out where the appointment already is', async () => {
    const contact = 'alex@example.com';
    const mine = await desk.call('book_appointment', {
      ...good,
      service: 'consultation',
      start: '2026-11-24T14:30',
    });
    await desk.call('book_appointment', {
      ...good,
      name: 'Sam',
      contact: 'sam@example.com',
      service: 'consultation',
      start: '2026-11-24T15:00',
    });
    expect(
      await errorOf('reschedule_appointment', { id: mine.id, start: '2026-11-24T15:00', contact }),
    ).toBe(
      `Tuesday, November 24 at 3:00 PM is already booked, so appointment ${String(mine.id)} stays where it was. Free times nearest to it: 1:30 PM, 2:00 PM, 3:30 PM and 4:00 PM.`,
    );
  });

  it('says "Nothing else is free" when the day is full, and never apologises in an error', async () => {
    // Saturday 10:00 AM–2:00 PM is full with four one-hour basic appointments.
    for (const start of [
      '2026-11-28T10:00',
      '2026-11-28T11:00',
      '2026-11-28T12:00',
      '2026-11-28T13:00',
    ])
      await desk.call('book_appointment', { ...good, service: 'basic', start });
    const full = await book({ name: 'Sam', service: 'basic', start: '2026-11-28T11:00' });
    expect(full).toBe(
      'Saturday, November 28 at 11:00 AM is already booked. Nothing else is free that day.',
    );
    const errors = [
      full,
      await book({ start: '2026-11-23T09:30' }),
      await book({ start: '2026-11-29T11:00' }),
      await book({ start: '2026-11-24T16:00' }),
      await book({ start: '2026-11-24T15:10' }),
      await errorOf('cancel_appointment', { id: 999, contact: 'alex@example.com' }),
    ];
    for (const error of errors) expect(error).not.toMatch(/\bsorry\b/i);
  });

  it('hides storage failures behind one sentence and logs them', async () => {
    await desk.storage.close();
    for (const [name, args] of [
      ['book_appointment', good],
      ['check_availability', { date: '2026-11-24' }],
      ['cancel_appointment', { id: 1, contact: 'alex@example.com' }],
      ['reschedule_appointment', { id: 1, start: '2026-11-25T10:00', contact: 'alex@example.com' }],
      ['list_appointments', { contact: 'alex@example.com' }],
    ] as const) {
      const output = await desk.call(name, args);
      expect(output).toEqual({ error: SYSTEM_UNAVAILABLE });
    }
    expect(SYSTEM_UNAVAILABLE).toBe(
      'The booking system is unavailable right now. Please try again in a moment.',
    );
    expect(desk.logged).toHaveLength(5);
    expect(desk.logged[0]).toMatchObject({
      message: 'tool book_appointment failed',
      details: { tool: 'book_appointment', err: expect.any(Error) as unknown },
    });
  });
});
