import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOOKING_GRID_MINUTES } from '../src/storage/booking-grid.js';
import type { Storage } from '../src/storage/open-storage.js';
import type {
  AppointmentRecord,
  AppointmentWrite,
  NewAppointment,
} from '../src/storage/records.js';
import { createStorageTarget, DIALECTS } from './helpers/test-database.js';
import type { TestStorageTarget } from './helpers/test-database.js';

/** A day far in the future, so nothing here depends on today. `at('09:30')` is 09:30 UTC that day. */
function at(time: string, day = 7): Date {
  return new Date(`2030-01-${String(day).padStart(2, '0')}T${time}:00.000Z`);
}

function request(
  start: string,
  end: string,
  overrides: Partial<NewAppointment> = {},
): NewAppointment {
  return {
    name: 'Ada',
    contact: 'ada@example.com',
    service: 'basic',
    start: at(start),
    end: at(end),
    ...overrides,
  };
}

function booked(write: AppointmentWrite): AppointmentRecord {
  if (!write.ok) throw new Error(`expected a booking, got ${write.reason}`);
  return write.appointment;
}

const spans = (records: readonly AppointmentRecord[]) =>
  records.map((r) => `${r.start.toISOString().slice(11, 16)}-${r.end.toISOString().slice(11, 16)}`);

describe.each(DIALECTS)('appointments on %s', (dialect) => {
  let target: TestStorageTarget;
  let storage: Storage;
  let day = 0;
  /** Each test books on its own day, so the tests share one database without interfering. */
  const on = (
    start: string,
    end: string,
    overrides: Partial<NewAppointment> = {},
  ): NewAppointment => ({
    ...request(start, end, overrides),
    start: at(start, day),
    end: at(end, day),
  });

  beforeAll(async () => {
    target = await createStorageTarget(dialect);
    storage = await target.open();
  });
  afterAll(async () => {
    await storage?.close();
    target?.dispose();
  });
  let nextDay = 1;
  const newDay = () => {
    day = nextDay++;
  };

  it('books an appointment and reads it back by id', async () => {
    newDay();
    const before = Date.now();
    const appointment = booked(
      await storage.appointments.book(on('09:00', '09:45', { service: 'premium' })),
    );
    expect(appointment).toMatchObject({
      name: 'Ada',
      contact: 'ada@example.com',
      service: 'premium',
      start: at('09:00', day),
      end: at('09:45', day),
      status: 'booked',
    });
    expect(Number.isSafeInteger(appointment.id) && appointment.id > 0).toBe(true);
    expect(appointment.createdAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(await storage.appointments.get(appointment.id)).toEqual(appointment);
  });

  it('gives each booking a new small integer id', async () => {
    newDay();
    const first = booked(await storage.appointments.book(on('09:00', '09:15')));
    const second = booked(await storage.appointments.book(on('10:00', '10:15')));
    expect(second.id).toBeGreaterThan(first.id);
    expect(second.id).toBeLessThan(1000);
  });

  it('refuses every booking that overlaps a booked one, and accepts adjacent ones', async () => {
    newDay();
    booked(await storage.appointments.book(on('10:00', '11:00')));
    for (const [start, end] of [
      ['10:00', '11:00'],
      ['09:45', '10:15'],
      ['10:45', '11:15'],
      ['10:15', '10:30'],
      ['09:00', '12:00'],
    ] as const) {
      expect(await storage.appointments.book(on(start, end)), `${start}-${end}`).toEqual({
        ok: false,
        reason: 'taken',
      });
    }
    booked(await storage.appointments.book(on('09:30', '10:00')));
    booked(await storage.appointments.book(on('11:00', '11:30')));
    expect(
      spans(await storage.appointments.listBetween(at('00:00', day), at('23:45', day))),
    ).toEqual(['09:30-10:00', '10:00-11:00', '11:00-11:30']);
  });

  it('throws a RangeError for times off the booking grid or an end not after the start', async () => {
    newDay();
    expect(BOOKING_GRID_MINUTES).toBe(15);
    await expect(storage.appointments.book(on('09:05', '09:30'))).rejects.toThrow(RangeError);
    await expect(storage.appointments.book(on('09:00', '09:20'))).rejects.toThrow(RangeError);
    await expect(storage.appointments.book(on('09:30', '09:30'))).rejects.toThrow(RangeError);
    await expect(storage.appointments.book(on('10:00', '09:30'))).rejects.toThrow(RangeError);
    await expect(
      storage.appointments.book({ ...on('09:00', '09:30'), start: new Date(Number.NaN) }),
    ).rejects.toThrow(RangeError);
    expect(await storage.appointments.listBetween(at('00:00', day), at('23:45', day))).toEqual([]);
  });

  it('returns null for an unknown id', async () => {
    expect(await storage.appointments.get(987_654)).toBeNull();
    expect(await storage.appointments.get(1.5)).toBeNull();
  });

  it('lists the booked appointments of one contact in start order', async () => {
    newDay();
    const contact = `grace-${dialect}@example.com`;
    booked(await storage.appointments.book(on('14:00', '14:30', { contact })));
    booked(await storage.appointments.book(on('09:00', '09:30', { contact })));
    const cancelled = booked(await storage.appointments.book(on('11:00', '11:30', { contact })));
    booked(
      await storage.appointments.book(on('12:00', '12:30', { contact: 'someone@example.com' })),
    );
    await storage.appointments.cancel(cancelled.id);
    const list = await storage.appointments.listByContact(contact);
    expect(spans(list)).toEqual(['09:00-09:30', '14:00-14:30']);
    expect(list.every((a) => a.contact === contact && a.status === 'booked')).toBe(true);
    expect(await storage.appointments.listByContact('nobody@example.com')).toEqual([]);
  });

  it('lists the booked appointments overlapping a half-open range in start order', async () => {
    newDay();
    booked(await storage.appointments.book(on('08:00', '09:00'))); // ends exactly at `from`: out
    booked(await storage.appointments.book(on('12:00', '13:00'))); // starts exactly at `to`: out
    booked(await storage.appointments.book(on('11:00', '12:00')));
    booked(await storage.appointments.book(on('09:00', '09:15')));
    const cancelled = booked(await storage.appointments.book(on('10:00', '10:30')));
    await storage.appointments.cancel(cancelled.id);
    expect(
      spans(await storage.appointments.listBetween(at('09:00', day), at('12:00', day))),
    ).toEqual(['09:00-09:15', '11:00-12:00']);
    // A range inside one appointment still finds it.
    expect(
      spans(await storage.appointments.listBetween(at('11:15', day), at('11:30', day))),
    ).toEqual(['11:00-12:00']);
  });

  it('reschedules keeping the id and frees the old time', async () => {
    newDay();
    const original = booked(await storage.appointments.book(on('09:00', '09:30')));
    const moved = booked(
      await storage.appointments.reschedule(original.id, at('15:00', day), at('15:30', day)),
    );
    expect(moved).toMatchObject({
      id: original.id,
      start: at('15:00', day),
      end: at('15:30', day),
      status: 'booked',
    });
    expect(await storage.appointments.get(original.id)).toEqual(moved);
    booked(await storage.appointments.book(on('09:00', '09:30', { name: 'Grace' })));
    expect(await storage.appointments.book(on('15:15', '15:45'))).toEqual({
      ok: false,
      reason: 'taken',
    });
  });

  it('reschedules onto its own time or a time overlapping its own old time', async () => {
    newDay();
    const original = booked(await storage.appointments.book(on('09:00', '10:00')));
    const same = booked(
      await storage.appointments.reschedule(original.id, at('09:00', day), at('10:00', day)),
    );
    expect(same.start).toEqual(at('09:00', day));
    const shifted = booked(
      await storage.appointments.reschedule(original.id, at('09:30', day), at('10:30', day)),
    );
    expect(shifted).toMatchObject({
      id: original.id,
      start: at('09:30', day),
      end: at('10:30', day),
    });
    // The freed half hour is bookable again, the new one is not.
    booked(await storage.appointments.book(on('09:00', '09:30')));
    expect(await storage.appointments.book(on('10:15', '10:30'))).toEqual({
      ok: false,
      reason: 'taken',
    });
  });

  it('refuses to reschedule onto another booking and leaves the appointment where it was', async () => {
    newDay();
    const mine = booked(await storage.appointments.book(on('09:00', '09:30')));
    booked(await storage.appointments.book(on('11:00', '11:30', { name: 'Grace' })));
    expect(
      await storage.appointments.reschedule(mine.id, at('10:45', day), at('11:15', day)),
    ).toEqual({
      ok: false,
      reason: 'taken',
    });
    expect(await storage.appointments.get(mine.id)).toEqual(mine);
    // Its old time is still held.
    expect(await storage.appointments.book(on('09:15', '09:30'))).toEqual({
      ok: false,
      reason: 'taken',
    });
  });

  it('cancels an appointment, frees its time, and says cancelled the second time', async () => {
    newDay();
    const appointment = booked(await storage.appointments.book(on('13:00', '14:00')));
    const cancelled = booked(await storage.appointments.cancel(appointment.id));
    expect(cancelled).toMatchObject({
      id: appointment.id,
      status: 'cancelled',
      start: at('13:00', day),
    });
    expect((await storage.appointments.get(appointment.id))?.status).toBe('cancelled');
    expect(await storage.appointments.cancel(appointment.id)).toEqual({
      ok: false,
      reason: 'cancelled',
    });
    expect(
      await storage.appointments.reschedule(appointment.id, at('15:00', day), at('15:30', day)),
    ).toEqual({
      ok: false,
      reason: 'cancelled',
    });
    booked(await storage.appointments.book(on('13:00', '14:00', { name: 'Grace' })));
  });

  it('says not_found for unknown ids', async () => {
    newDay();
    expect(await storage.appointments.cancel(987_654)).toEqual({ ok: false, reason: 'not_found' });
    expect(
      await storage.appointments.reschedule(987_654, at('09:00', day), at('09:30', day)),
    ).toEqual({
      ok: false,
      reason: 'not_found',
    });
  });

  it('rejects an overlapping slot row even when application code is bypassed', async () => {
    newDay();
    const appointment = booked(await storage.appointments.book(on('16:00', '16:30')));
    const intruder = await storage.db
      .insertInto('appointments')
      .values({
        name: 'Mallory',
        contact: 'mallory@example.com',
        service: 'basic',
        start_at: at('16:15', day).getTime(),
        end_at: at('16:30', day).getTime(),
        status: 'booked',
        created_at: Date.now(),
        updated_at: Date.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await expect(
      storage.db
        .insertInto('appointment_slots')
        .values({ slot_start: at('16:15', day).getTime(), appointment_id: intruder.id })
        .execute(),
    ).rejects.toMatchObject({
      code: dialect === 'postgres' ? '23505' : 'SQLITE_CONSTRAINT_PRIMARYKEY',
    });
    const slots = await storage.db
      .selectFrom('appointment_slots')
      .selectAll()
      .where('slot_start', '>=', at('16:00', day).getTime())
      .where('slot_start', '<', at('17:00', day).getTime())
      .orderBy('slot_start')
      .execute();
    expect(slots).toEqual([
      { slot_start: at('16:00', day).getTime(), appointment_id: appointment.id },
      { slot_start: at('16:15', day).getTime(), appointment_id: appointment.id },
    ]);
  });

  it('rejects a slot row that points at no appointment', async () => {
    await expect(
      storage.db
        .insertInto('appointment_slots')
        .values({ slot_start: at('06:00', 28).getTime(), appointment_id: 987_654 })
        .execute(),
    ).rejects.toThrow();
  });
});
