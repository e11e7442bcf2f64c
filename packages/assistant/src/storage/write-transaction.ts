import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { DatabaseSchema } from './database-schema.js';

/** Which database a storage talks to. */
export type StorageDialect = 'sqlite' | 'postgres';

/**
 * Runs `work` in one read-write transaction and commits it, or rolls back if it throws.
 *
 * SQLite gets `BEGIN IMMEDIATE`: a deferred transaction that reads before writing can fail with SQLITE_BUSY
 * (without waiting) when another process wrote in between; taking the write lock up front makes concurrent
 * writers queue on `busy_timeout` instead.
 */
export async function inWriteTransaction<T>(
  db: Kysely<DatabaseSchema>,
  dialect: StorageDialect,
  work: (trx: Kysely<DatabaseSchema>) => Promise<T>,
): Promise<T> {
  if (dialect === 'postgres') return db.transaction().execute(work);
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    let result: T;
    try {
      result = await work(conn);
      await sql`commit`.execute(conn);
    } catch (error) {
      // After a failed COMMIT SQLite may already have rolled back; the rollback's own error adds nothing.
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw error;
    }
    return result;
  });
}
