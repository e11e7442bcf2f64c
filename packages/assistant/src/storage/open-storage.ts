import { ensureDirectory } from '../files/ensure-directory.js';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type { CustomTypesConfig } from 'pg';
import type { Logger } from 'pino';
import { KyselyAppointmentRepository } from './appointment-repository.js';
import { KyselyConversationRepository } from './conversation-repository.js';
import type { DatabaseSchema } from './database-schema.js';
import { parseDatabaseUrl, withoutPassword } from './database-url.js';
import type { PostgresUrl } from './database-url.js';
import { runMigrations, SCHEMA_VERSION } from './migrations/run-migrations.js';
import type { AppointmentRepository, ConversationRepository } from './records.js';
import { StorageError } from './storage-error.js';
import type { StorageDialect } from './write-transaction.js';

/** The SQLite file's name inside the data directory. */
export const SQLITE_FILE_NAME = 'realtime-assistant.db';

/** Options of {@link openStorage}. */
export interface StorageOptions {
  /** Where the SQLite file lives (created if missing); unused with PostgreSQL. */
  readonly dataDir: string;
  /** A `postgres://` or `postgresql://` URL: use PostgreSQL instead of SQLite. A secret (it may hold a password). */
  readonly databaseUrl?: string | undefined;
  readonly logger?: Logger | undefined;
  /** PostgreSQL connection pool size (default 10). */
  readonly poolSize?: number | undefined;
  /** How long SQLite waits for another process's write lock, in ms (default 5000). */
  readonly busyTimeoutMs?: number | undefined;
}

/** An open database with its repositories. */
export interface Storage {
  readonly dialect: StorageDialect;
  readonly appointments: AppointmentRepository;
  readonly conversations: ConversationRepository;
  /** The Kysely instance, for tests and maintenance; the repositories are the API. */
  readonly db: Kysely<DatabaseSchema>;
  /** The schema version the database is at (always {@link SCHEMA_VERSION} once open). */
  readonly schemaVersion: number;
  /** Where the data is: the SQLite file's path, or the database URL without its password. */
  readonly location: string;
  /** Closes the database (the PostgreSQL pool, or the SQLite file). */
  close(): Promise<void>;
}

/**
 * Opens the storage: SQLite (WAL, synchronous=FULL, foreign keys on) in `<dataDir>/realtime-assistant.db`, or
 * PostgreSQL when `databaseUrl` is a postgres URL. Brings the schema up to date first; opening an up-to-date
 * database (even from several processes at once) changes nothing.
 * @throws StorageError with an actionable message that never contains the URL's password.
 */
export async function openStorage(options: StorageOptions): Promise<Storage> {
  const url = options.databaseUrl?.trim();
  if (url !== undefined && url !== '') return openPostgres(parseDatabaseUrl(url), options);
  return openSqlite(options);
}

async function openSqlite(options: StorageOptions): Promise<Storage> {
  const dir = resolve(options.dataDir);
  const file = join(dir, SQLITE_FILE_NAME);
  const failure = (error: unknown) =>
    error instanceof StorageError
      ? error
      : new StorageError(
          'open_failed',
          `Could not open the SQLite database ${file}: ${messageOf(error)}`,
          {
            cause: error,
          },
        );
  let sqlite: Database.Database | undefined;
  try {
    ensureDirectory(dir);
    sqlite = new Database(file);
    // busy_timeout first: switching to WAL needs a lock that another opening process may hold.
    sqlite.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
  } catch (error) {
    sqlite?.close();
    throw failure(error);
  }
  const db = new Kysely<DatabaseSchema>({ dialect: new SqliteDialect({ database: sqlite }) });
  return finishOpening(db, 'sqlite', file, options, failure);
}

async function openPostgres(url: PostgresUrl, options: StorageOptions): Promise<Storage> {
  // Loaded only for PostgreSQL: SQLite users don't pay for the driver at start-up.
  const { default: pg } = await import('pg');
  const int8: number = pg.types.builtins.INT8;
  /** pg's type parsers, except BIGINT (OID 20) as a number instead of a string. */
  const bigintAsNumber: CustomTypesConfig['getTypeParser'] = (oid, format) =>
    (oid as number) === int8 ? Number : (pg.types.getTypeParser(oid, format) as unknown);
  const pool = new pg.Pool({
    connectionString: url.url,
    max: options.poolSize ?? 10,
    // BIGINT (epoch milliseconds, counts) as numbers: every value we store fits in a double exactly.
    types: { getTypeParser: bigintAsNumber },
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', (error) => {
    options.logger?.warn(
      { error: withoutPassword(error.message, url.password) },
      'postgres connection lost',
    );
  });
  const db = new Kysely<DatabaseSchema>({ dialect: new PostgresDialect({ pool }) });
  return finishOpening(db, 'postgres', url.redacted, options, (error) => {
    if (error instanceof StorageError)
      return new StorageError(error.code, withoutPassword(error.message, url.password));
    // No `cause`: driver errors are not ours to vouch for, and the message is all the user needs.
    const code =
      typeof error === 'object' && error !== null && 'code' in error
        ? ` (${String(error.code)})`
        : '';
    return new StorageError(
      'open_failed',
      `Could not open the PostgreSQL database named by DATABASE_URL${code}: ${withoutPassword(messageOf(error), url.password)}`,
    );
  });
}

async function finishOpening(
  db: Kysely<DatabaseSchema>,
  dialect: StorageDialect,
  location: string,
  options: StorageOptions,
  describe: (error: unknown) => StorageError,
): Promise<Storage> {
  let applied: string[];
  try {
    applied = await runMigrations(db as Kysely<unknown>, dialect);
  } catch (error) {
    await db.destroy().catch(() => undefined);
    throw describe(error);
  }
  options.logger?.info(
    { dialect, location, schemaVersion: SCHEMA_VERSION, migrated: applied },
    'storage open',
  );
  let closing: Promise<void> | undefined;
  return {
    dialect,
    appointments: new KyselyAppointmentRepository(db, dialect),
    conversations: new KyselyConversationRepository(db),
    db,
    schemaVersion: SCHEMA_VERSION,
    location,
    close: () => (closing ??= db.destroy()),
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
