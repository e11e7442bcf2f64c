import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { expectConsistentBookings } from './helpers/booking-invariants.js';
import { runFixture } from './helpers/fixture-process.js';
import { createStorageTarget, DIALECTS } from './helpers/test-database.js';

/** How many confirmed bookings to wait for before killing the writer. */
const CONFIRMED_BEFORE_KILL = 25;

describe.each(DIALECTS)('crash safety on %s', (dialect) => {
  it('keeps every confirmed booking, and no overlap, when the writing process is killed mid-stream', async () => {
    const target = await createStorageTarget(dialect);
    try {
      const writer = runFixture('booking-writer', [
        JSON.stringify(target.options),
        '2030-04-01T08:00:00.000Z',
      ]);
      await writer.waitFor(
        (_line, lines) =>
          lines.filter((l) => l.startsWith('booked ')).length >= CONFIRMED_BEFORE_KILL,
      );
      writer.child.kill('SIGKILL');
      const exit = await writer.exited;
      expect(exit.signal).toBe('SIGKILL');
      // Lines read after the kill were printed after their commits returned: they count as confirmed too.
      const idsOf = (verb: string) =>
        writer.lines
          .filter((line) => line.startsWith(`${verb} `))
          .map((line) => Number(line.slice(verb.length + 1)));
      const confirmed = idsOf('booked');
      const cancelled = new Set(idsOf('cancelled'));
      expect(confirmed.length).toBeGreaterThanOrEqual(CONFIRMED_BEFORE_KILL);
      expect(writer.lines.filter((line) => line === 'taken').length).toBeGreaterThan(0);

      const storage = await target.open();
      try {
        if (dialect === 'sqlite') {
          const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(
            storage.db,
          );
          expect(check.rows).toEqual([{ integrity_check: 'ok' }]);
        }
        const rows = await storage.db.selectFrom('appointments').select(['id', 'status']).execute();
        for (const id of confirmed) {
          const matching = rows.filter((row) => row.id === id);
          expect(matching, `appointment ${id}`).toHaveLength(1);
          if (cancelled.has(id)) expect(matching[0]?.status).toBe('cancelled');
        }
        await expectConsistentBookings(storage);
        // The database is still writable after the crash.
        const next = await storage.appointments.book({
          name: 'after the crash',
          contact: 'writer@example.com',
          service: 'basic',
          start: new Date('2031-01-01T09:00:00.000Z'),
          end: new Date('2031-01-01T09:15:00.000Z'),
        });
        expect(next.ok).toBe(true);
      } finally {
        await storage.close();
      }
    } finally {
      target.dispose();
    }
  });
});
