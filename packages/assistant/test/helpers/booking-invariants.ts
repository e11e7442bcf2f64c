import { expect } from 'vitest';
import { gridUnitsOf } from '../../src/storage/booking-grid.js';
import type { Storage } from '../../src/storage/open-storage.js';

/**
 * Checks what the double-booking guard promises, straight from the tables: no two booked appointments overlap,
 * and the slot rows are exactly the grid units of the booked appointments (none for cancelled ones).
 */
export async function expectConsistentBookings(storage: Storage): Promise<void> {
  const appointments = await storage.db
    .selectFrom('appointments')
    .selectAll()
    .orderBy('start_at')
    .execute();
  const booked = appointments.filter((row) => row.status === 'booked');
  for (const [index, row] of booked.entries()) {
    const next = booked[index + 1];
    if (next !== undefined)
      expect(next.start_at, `appointment ${next.id} overlaps ${row.id}`).toBeGreaterThanOrEqual(
        row.end_at,
      );
  }
  const expected = booked
    .flatMap((row) =>
      gridUnitsOf(new Date(row.start_at), new Date(row.end_at)).map((unit) => `${unit}:${row.id}`),
    )
    .sort();
  const slots = await storage.db.selectFrom('appointment_slots').selectAll().execute();
  expect(slots.map((slot) => `${slot.slot_start}:${slot.appointment_id}`).sort()).toEqual(expected);
}
