import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestDesk } from './helpers/scheduler-desk.js';
import type { TestDesk } from './helpers/scheduler-desk.js';

let desk: TestDesk;

beforeEach(async () => {
  desk = await openTestDesk();
});

afterEach(async () => {
  await desk.close();
});

const alex = {
  name: 'Alex',
  contact: 'Alex@Example.com',
  service: 'premium',
  start: '2026-11-24T15:00',
};

async function bookedId(args: Record<string, unknown> = alex): Promise<number> {
  const output = await desk.call('book_appointment', args);
  if (typeof output.id !== 'number') throw new Error(`not booked: ${JSON.stringify(output)}`);
  return output.id;
}

describe('scheduler tools with SQLite storage', () => {
  it('lists the three services with duration, price and description', async () => {
    const output = await desk.call('list_services', {});
    expect(output).toEqual({
      services: [
        expect.objectContaining({ name: 'consultation', duration_minutes: 30 }),
        expect.objectContaining({ name: 'basic', duration_minutes: 60 }),
        expect.objectContaining({ name: 'premium', duration_minutes: 90 }),
      ],
    });
    const services = output.services as {
      price: { amount: number; currency: string };
      description: string;
    }[];
    for (const service of services) {
      expect(service.price.amount).toBeGreaterThan(0);
      expect(service.price.currency).toBe('EUR');
      expect(service.description.length).toBeGreaterThan(10);
    }
    expect(await desk.call('list_services', '')).toEqual(output);
  });

  it('books an appointment and stores it with the normalised contact', async () => {
    const output = await desk.call('book_appointment', JSON.stringify(alex));
    expect(output).toEqual({
      id: expect.any(Number) as unknown,
      service: 'premium',
      start: '2026-11-24T15:00:00+01:00',
      end: '2026-11-24T16:30:00+01:00',
      name: 'Alex',
      contact: 'alex@example.com',
      price: { amount: 120, currency: 'EUR' },
    });
    const stored = await desk.storage.appointments.get(output.id as number);
    expect(stored).toMatchObject({
      name: 'Alex',
      contact: 'alex@example.com',
      service: 'premium',
      status: 'booked',
      start: new Date('2026-11-24T14:00:00Z'),
      end: new Date('2026-11-24T15:30:00Z'),
    });
  });

  it('books with an ISO start in another offset and a phone number', async () => {
    const output = await desk.call('book_appointment', {
      name: '  Sam Lee ',
      contact: '+1 (555) 010-0100',
      service: 'Consultation',
      start: '2026-11-24T08:30:00Z',
    });
    expect(output).toMatchObject({
      name: 'Sam Lee',
      contact: '+15550100100',
      service: 'consultation',
      start: '2026-11-24T09:30:00+01:00',
      end: '2026-11-24T10:00:00+01:00',
    });
  });

  it('refuses the same booking twice, stating the fact and the premium starts nearest 3:00 PM', async () => {
    await bookedId();
    const again = await desk.call('book_appointment', alex);
    // Premium takes 90 minutes and the desk closes at 5:00 PM: the nearest free starts are before 3:00 PM.
    expect(again).toEqual({
      error:
        'Tuesday, November 24 at 3:00 PM is already booked. Free times nearest to it: 12:00 PM, 12:30 PM, 1:00 PM and 1:30 PM.',
    });
    expect(await desk.storage.appointments.listByContact('alex@example.com')).toHaveLength(1);
  });

  it('checks availability without the booked time, for the shortest service when none is named', async () => {
    await bookedId();
    const premium = await desk.call('check_availability', {
      date: '2026-11-24',
      service: 'premium',
    });
    expect(premium.date).toBe('2026-11-24');
    expect(premium.service).toBe('premium');
    const slots = premium.slots as string[];
    expect(slots[0]).toBe('2026-11-24T09:00:00+01:00');
    // Booked 15:00–16:30: a 90-minute start at 13:30 would end at 15:00 (free), 14:00 would overlap.
    expect(slots.at(-1)).toBe('2026-11-24T13:30:00+01:00');
    const shortest = await desk.call('check_availability', { date: '2026-11-24', service: '' });
    expect(shortest.service).toBe('consultation');
    expect(shortest.slots).toContain('2026-11-24T14:30:00+01:00');
    expect(shortest.slots).not.toContain('2026-11-24T15:00:00+01:00');
    expect(shortest.slots).toContain('2026-11-24T16:30:00+01:00');
    expect((await desk.call('check_availability', { date: '2026-11-24' })).service).toBe(
      'consultation',
    );
    expect(await desk.call('check_availability', { date: '2026-11-29' })).toEqual({
      date: '2026-11-29',
      service: 'consultation',
      slots: [],
    });
  });

  it('reschedules an appointment, keeping its id and service', async () => {
    const id = await bookedId();
    const output = await desk.call('reschedule_appointment', {
      id: String(id),
      start: '2026-11-25T09:30',
      contact: ' ALEX@example.COM',
    });
    expect(output).toEqual({
      id,
      start: '2026-11-25T09:30:00+01:00',
      end: '2026-11-25T11:00:00+01:00',
      service: 'premium',
    });
    expect((await desk.storage.appointments.get(id))?.start).toEqual(
      new Date('2026-11-25T08:30:00Z'),
    );
    // Moving it by half an hour overlaps only itself.
    expect(
      await desk.call('reschedule_appointment', {
        id,
        start: '2026-11-25T10:00',
        contact: 'alex@example.com',
      }),
    ).toMatchObject({
      id,
      start: '2026-11-25T10:00:00+01:00',
    });
  });

  it('cancels an appointment and frees its time', async () => {
    const id = await bookedId();
    expect(await desk.call('cancel_appointment', { id, contact: 'alex@example.com' })).toEqual({
      id,
      status: 'cancelled',
      start: '2026-11-24T15:00:00+01:00',
    });
    expect((await desk.storage.appointments.get(id))?.status).toBe('cancelled');
    const again = await desk.call('book_appointment', { ...alex, name: 'Robin' });
    expect(again).toMatchObject({ name: 'Robin', start: '2026-11-24T15:00:00+01:00' });
  });

  it('changes an appointment only for the contact it was booked with, and says no more about it', async () => {
    const id = await bookedId();
    const phoneBooked = await bookedId({
      ...alex,
      contact: '+1 (555) 010-0100',
      start: '2026-11-26T10:00',
    });
    const notFound = `I couldn't find appointment ${id} booked under that email address or phone number. Please check both.`;
    expect(await desk.call('cancel_appointment', { id, contact: 'sam@example.com' })).toEqual({
      error: notFound,
    });
    expect(
      await desk.call('reschedule_appointment', {
        id,
        start: '2026-11-25T10:00',
        contact: '+15550100100',
      }),
    ).toEqual({ error: notFound });
    // The same answer as for an appointment that does not exist: nothing tells them apart.
    expect(await desk.call('cancel_appointment', { id: 999, contact: 'sam@example.com' })).toEqual({
      error: notFound.replace(String(id), '999'),
    });
    expect(await desk.storage.appointments.get(id)).toMatchObject({
      status: 'booked',
      start: new Date('2026-11-24T14:00:00Z'),
    });
    // The phone number may be said in any of its usual forms.
    expect(
      await desk.call('cancel_appointment', { id: phoneBooked, contact: '001 555 010 0100' }),
    ).toMatchObject({ id: phoneBooked, status: 'cancelled' });
  });

  it('lists a contact’s upcoming appointments, soonest first, each with a readable summary', async () => {
    const later = await bookedId({ ...alex, start: '2026-11-26T10:00' });
    const sooner = await bookedId({ ...alex, service: 'basic', contact: 'ALEX@example.com' });
    await bookedId({ ...alex, contact: 'sam@example.com', start: '2026-11-27T10:00' });
    const cancelled = await bookedId({ ...alex, start: '2026-11-27T13:00' });
    await desk.call('cancel_appointment', { id: cancelled, contact: 'alex@example.com' });
    const output = await desk.call('list_appointments', { contact: ' alex@EXAMPLE.com' });
    expect(output).toEqual({
      appointments: [
        {
          id: sooner,
          service: 'basic',
          start: '2026-11-24T15:00:00+01:00',
          end: '2026-11-24T16:00:00+01:00',
          name: 'Alex',
          summary: `appointment ${sooner}, basic on Tuesday, November 24 at 3:00 PM`,
        },
        expect.objectContaining({
          id: later,
          service: 'premium',
          start: '2026-11-26T10:00:00+01:00',
        }),
      ],
    });
    expect(await desk.call('list_appointments', { contact: '+44 20 7946 0000' })).toEqual({
      appointments: [],
    });
  });
});
