import type { Kysely, Selectable } from 'kysely';
import { gridUnitsOf } from './booking-grid.js';
import type { AppointmentsTable, DatabaseSchema } from './database-schema.js';
import type {
  AppointmentRecord,
  AppointmentRepository,
  AppointmentWrite,
  NewAppointment,
} from './records.js';
import { inWriteTransaction } from './write-transaction.js';
import type { StorageDialect } from './write-transaction.js';

const TAKEN: AppointmentWrite = { ok: false, reason: 'taken' };
const NOT_FOUND: AppointmentWrite = { ok: false, reason: 'not_found' };
const CANCELLED: AppointmentWrite = { ok: false, reason: 'cancelled' };

/**
 * Appointments on Kysely. Every write holds its grid units as `appointment_slots` rows in the same transaction,
 * so the slots' primary key makes the database reject overlapping bookings (reported as `taken`).
 */
export class KyselyAppointmentRepository implements AppointmentRepository {
  readonly #db: Kysely<DatabaseSchema>;
  readonly #dialect: StorageDialect;
  readonly #now: () => Date;

  constructor(
    db: Kysely<DatabaseSchema>,
    dialect: StorageDialect,
    now: () => Date = () => new Date(),
  ) {
    this.#db = db;
    this.#dialect = dialect;
    this.#now = now;
  }

  /** @throws RangeError when the times are not aligned to the booking grid (validate first). */
  async book(input: NewAppointment): Promise<AppointmentWrite> {
    const units = gridUnitsOf(input.start, input.end);
    const now = this.#now().getTime();
    return this.#takingSlots(async (trx) => {
      const row = await trx
        .insertInto('appointments')
        .values({
          name: input.name,
          contact: input.contact,
          service: input.service,
          start_at: input.start.getTime(),
          end_at: input.end.getTime(),
          status: 'booked',
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await holdSlots(trx, row.id, units);
      return { ok: true, appointment: toRecord(row) };
    });
  }

  /** @throws RangeError when the times are not aligned to the booking grid (validate first). */
  async reschedule(id: number, start: Date, end: Date): Promise<AppointmentWrite> {
    const units = gridUnitsOf(start, end);
    const now = this.#now().getTime();
    return this.#takingSlots(async (trx) => {
      const current = await this.#lockedRow(trx, id);
      if (current === undefined) return NOT_FOUND;
      if (current.status === 'cancelled') return CANCELLED;
      // Free the old units first, so a move onto (or overlapping) its own old time succeeds.
      await trx.deleteFrom('appointment_slots').where('appointment_id', '=', id).execute();
      await holdSlots(trx, id, units);
      const row = await trx
        .updateTable('appointments')
        .set({ start_at: start.getTime(), end_at: end.getTime(), updated_at: now })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return { ok: true, appointment: toRecord(row) };
    });
  }

  async cancel(id: number): Promise<AppointmentWrite> {
    const now = this.#now().getTime();
    return inWriteTransaction(this.#db, this.#dialect, async (trx) => {
      const current = await this.#lockedRow(trx, id);
      if (current === undefined) return NOT_FOUND;
      if (current.status === 'cancelled') return CANCELLED;
      await trx.deleteFrom('appointment_slots').where('appointment_id', '=', id).execute();
      const row = await trx
        .updateTable('appointments')
        .set({ status: 'cancelled', updated_at: now })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return { ok: true, appointment: toRecord(row) };
    });
  }

  async get(id: number): Promise<AppointmentRecord | null> {
    if (!Number.isSafeInteger(id)) return null;
    const row = await this.#db
      .selectFrom('appointments')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? null : toRecord(row);
  }

  async listByContact(contact: string): Promise<AppointmentRecord[]> {
    const rows = await this.#db
      .selectFrom('appointments')
      .selectAll()
      .where('contact', '=', contact)
      .where('status', '=', 'booked')
      .orderBy('start_at')
      .orderBy('id')
      .execute();
    return rows.map(toRecord);
  }

  async listBetween(from: Date, to: Date): Promise<AppointmentRecord[]> {
    const rows = await this.#db
      .selectFrom('appointments')
      .selectAll()
      .where('status', '=', 'booked')
      .where('start_at', '<', to.getTime())
      .where('end_at', '>', from.getTime())
      .orderBy('start_at')
      .orderBy('id')
      .execute();
    return rows.map(toRecord);
  }

  /** The row, locked against concurrent writers until the transaction ends (SQLite's write lock already is). */
  async #lockedRow(
    trx: Kysely<DatabaseSchema>,
    id: number,
  ): Promise<Selectable<AppointmentsTable> | undefined> {
    if (!Number.isSafeInteger(id)) return undefined;
    const query = trx.selectFrom('appointments').selectAll().where('id', '=', id);
    return (this.#dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
  }

  /** Runs a write that takes slots; a slot already held (a unique violation) rolls it back and reads `taken`. */
  async #takingSlots(
    work: (trx: Kysely<DatabaseSchema>) => Promise<AppointmentWrite>,
  ): Promise<AppointmentWrite> {
    try {
      return await inWriteTransaction(this.#db, this.#dialect, work);
    } catch (error) {
      if (isUniqueViolation(error)) return TAKEN;
      throw error;
    }
  }
}

async function holdSlots(
  trx: Kysely<DatabaseSchema>,
  appointmentId: number,
  units: readonly number[],
): Promise<void> {
  await trx
    .insertInto('appointment_slots')
    .values(units.map((slot) => ({ slot_start: slot, appointment_id: appointmentId })))
    .execute();
}

/** SQLite's SQLITE_CONSTRAINT_PRIMARYKEY / _UNIQUE, PostgreSQL's 23505. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  const { code } = error;
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE'
  );
}

function toRecord(row: Selectable<AppointmentsTable>): AppointmentRecord {
  return {
    id: Number(row.id),
    name: row.name,
    contact: row.contact,
    service: row.service,
    start: new Date(Number(row.start_at)),
    end: new Date(Number(row.end_at)),
    status: row.status,
    createdAt: new Date(Number(row.created_at)),
    updatedAt: new Date(Number(row.updated_at)),
  };
}
