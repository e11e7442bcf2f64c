import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from '../src/storage/open-storage.js';
import type { AppointmentWrite } from '../src/storage/records.js';
import { expectConsistentBookings } from './helpers/booking-invariants.js';
import { runFixture } from './helpers/fixture-process.js';
import { createStorageTarget, DIALECTS } from './helpers/test-database.js';
import type { TestStorageTarget } from './helpers/test-database.js';

const START = new Date('2030-03-04T10:00:00.000Z');
const END = new Date('2030-03-04T10:45:00.000Z');

function outcomes(results: readonly AppointmentWrite[]) {
  return {
    ok: results.filter((r) => r.ok).length,
    taken: results.filter((r) => !r.ok && r.reason === 'taken').length,
  };
}

describe.each(DIALECTS)('concurrent writes on %s', (dialect) => {
  let target: TestStorageTarget;
  let storage: Storage;
  beforeAll(async () => {
    target = await createStorageTarget(dialect);
    storage = await target.open({ poolSize: 10 });
  });
  afterAll(async () => {
    await storage?.close();
    target?.dispose();
  });

  it('lets exactly one of twenty simultaneous bookings of one slot through', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        storage.appointments.book({
          name: `racer ${index}`,
          contact: 'race@example.com',
          service: 'basic',
          start: START,
          end: END,
        }),
      ),
    );
    expect(outcomes(results)).toEqual({ ok: 1, taken: 19 });
    if (dialect === 'postgres') {
      // The race really ran on many connections at once (the pool keeps them open for a while).
      const sessions = await sql<{
        n: number;
      }>`select count(*) as n from pg_stat_activity where datname = current_database()`.execute(
        storage.db,
      );
      expect(sessions.rows[0]?.n).toBeGreaterThanOrEqual(10);
    }
    const inTable = await storage.appointments.listBetween(START, END);
    expect(inTable).toHaveLength(1);
    const winner = results.find((r) => r.ok);
    expect(inTable[0]?.id).toBe(winner?.ok === true ? winner.appointment.id : 'no winner');
    await expectConsistentBookings(storage);
  });

  it('lets exactly one of ten simultaneous reschedules onto one free time through', async () => {
    const day = (hour: number) => new Date(Date.UTC(2030, 2, 5, hour));
    const ids: number[] = [];
    for (let hour = 8; hour < 18; hour += 1) {
      const write = await storage.appointments.book({
        name: `mover ${hour}`,
        contact: 'move@example.com',
        service: 'basic',
        start: day(hour),
        end: new Date(day(hour).getTime() + 30 * 60_000),
      });
      if (write.ok) ids.push(write.appointment.id);
    }
    expect(ids).toHaveLength(10);
    const target = {
      start: new Date(Date.UTC(2030, 2, 6, 9)),
      end: new Date(Date.UTC(2030, 2, 6, 10)),
    };
    const results = await Promise.all(
      ids.map((id) => storage.appointments.reschedule(id, target.start, target.end)),
    );
    expect(outcomes(results)).toEqual({ ok: 1, taken: 9 });
    expect(await storage.appointments.listBetween(target.start, target.end)).toHaveLength(1);
    // The nine that lost are still at their old times.
    expect(await storage.appointments.listBetween(day(0), day(23))).toHaveLength(9);
    await expectConsistentBookings(storage);
  });
});

describe('concurrent writers on one SQLite file', () => {
  it('lets exactly one booking through when several processes open a new file and book one slot at once', async () => {
    const target = await createStorageTarget('sqlite');
    try {
      const bookers = Array.from({ length: 4 }, () =>
        runFixture('concurrent-booker', [
          JSON.stringify(target.options),
          START.toISOString(),
          END.toISOString(),
          '5',
        ]),
      );
      // All of them open (and migrate) the same new file at once, then book on one signal.
      await Promise.all(bookers.map((booker) => booker.waitFor((line) => line === 'ready')));
      for (const booker of bookers) booker.child.stdin.end('go\n');
      const exits = await Promise.all(bookers.map((booker) => booker.exited));
      expect(exits.map((exit) => [exit.code, exit.stderr])).toEqual(exits.map(() => [0, '']));
      const results = bookers.flatMap((booker) =>
        booker.lines
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as { ok: boolean; reason?: string }),
      );
      expect(results).toHaveLength(20);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => r.reason === 'taken')).toHaveLength(19);

      const storage = await target.open();
      try {
        const rows = await storage.db.selectFrom('appointments').select('id').execute();
        expect(rows).toHaveLength(1);
        expect(storage.schemaVersion).toBe(1);
        await expectConsistentBookings(storage);
      } finally {
        await storage.close();
      }
    } finally {
      target.dispose();
    }
  });
});
