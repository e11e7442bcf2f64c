import { Migrator, sql } from 'kysely';
import type { Kysely, Migration, MigrationProvider } from 'kysely';
import { StorageError } from '../storage-error.js';
import type { StorageDialect } from '../write-transaction.js';
import { initialSchema } from './0001-initial.js';

/** Kysely's bookkeeping table: one row per applied migration. */
export const MIGRATION_TABLE = 'kysely_migration';

/** Every migration this version knows, by name; names start with the schema version they bring the database to. */
function knownMigrations(dialect: StorageDialect): Record<string, Migration> {
  return { '0001-initial': initialSchema(dialect) };
}

/** The schema version of a migration name (`0003-…` → 3). */
function versionOf(name: string): number {
  return Number.parseInt(name.slice(0, 4), 10) || 0;
}

/** The schema version this code writes. */
export const SCHEMA_VERSION = Math.max(...Object.keys(knownMigrations('sqlite')).map(versionOf));

/**
 * Brings the database to {@link SCHEMA_VERSION}; a no-op when it already is. Returns the names applied now.
 * @throws StorageError `schema_too_new` when a newer version of the app already upgraded it, `migration_failed`.
 */
export async function runMigrations(
  db: Kysely<unknown>,
  dialect: StorageDialect,
): Promise<string[]> {
  if (dialect === 'postgres') return migrate(db, dialect);
  // Kysely runs SQLite migrations outside a transaction and without a lock; several processes opening a new
  // file at once would race. An immediate transaction on our one connection serialises them (and makes DDL atomic).
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const applied = await migrate(conn, dialect);
      await sql`commit`.execute(conn);
      return applied;
    } catch (error) {
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw error;
    }
  });
}

async function migrate(db: Kysely<unknown>, dialect: StorageDialect): Promise<string[]> {
  const migrations = knownMigrations(dialect);
  await refuseNewerSchema(db, Object.keys(migrations));
  const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) };
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error !== undefined) {
    const failed =
      results?.find((result) => result.status === 'Error')?.migrationName ?? 'the migration table';
    throw new StorageError(
      'migration_failed',
      `Could not upgrade the database schema (${failed}): ${error instanceof Error ? error.message : 'unknown error'}`,
      { cause: error },
    );
  }
  return (results ?? [])
    .filter((result) => result.status === 'Success')
    .map((result) => result.migrationName);
}

async function refuseNewerSchema(db: Kysely<unknown>, known: readonly string[]): Promise<void> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  if (!tables.some((table) => table.name === MIGRATION_TABLE)) return;
  const rows = await sql<{ name: string }>`select name from ${sql.table(MIGRATION_TABLE)}`.execute(
    db,
  );
  const unknown = rows.rows.map((row) => row.name).filter((name) => !known.includes(name));
  if (unknown.length === 0) return;
  const newest = Math.max(...unknown.map(versionOf));
  throw new StorageError(
    'schema_too_new',
    `The database has schema version ${newest}, but this version of Realtime Assistant only knows up to version ` +
      `${SCHEMA_VERSION}. Upgrade Realtime Assistant, or use another data directory or DATABASE_URL.`,
  );
}

/** The schema version recorded in the database (0 before any migration). */
export async function readSchemaVersion<DB>(db: Kysely<DB>): Promise<number> {
  const rows = await sql<{ name: string }>`select name from ${sql.table(MIGRATION_TABLE)}`.execute(
    db,
  );
  return Math.max(0, ...rows.rows.map((row) => versionOf(row.name)));
}
