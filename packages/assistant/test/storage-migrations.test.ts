import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MIGRATION_TABLE,
  readSchemaVersion,
  SCHEMA_VERSION,
} from '../src/storage/migrations/run-migrations.js';
import { openStorage, SQLITE_FILE_NAME } from '../src/storage/open-storage.js';
import type { Storage } from '../src/storage/open-storage.js';
import { StorageError } from '../src/storage/storage-error.js';
import { createStorageTarget, DIALECTS } from './helpers/test-database.js';
import type { TestStorageTarget } from './helpers/test-database.js';

const TABLES = ['appointment_slots', 'appointments', 'conversation_items', 'conversations'];

describe.each(DIALECTS)('migrations on %s', (dialect) => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  async function target(): Promise<TestStorageTarget> {
    const created = await createStorageTarget(dialect);
    cleanups.push(() => created.dispose());
    return created;
  }
  async function open(from: TestStorageTarget): Promise<Storage> {
    const storage = await from.open();
    cleanups.push(() => storage.close());
    return storage;
  }

  it('creates the schema on first open and records its version', async () => {
    const storage = await open(await target());
    expect(storage.dialect).toBe(dialect);
    expect(storage.schemaVersion).toBe(SCHEMA_VERSION);
    const tables = (await storage.db.introspection.getTables()).map((table) => table.name).sort();
    expect(tables).toEqual(TABLES);
    const recorded = await sql<{
      name: string;
    }>`select name from ${sql.table(MIGRATION_TABLE)}`.execute(storage.db);
    expect(recorded.rows.map((row) => row.name)).toEqual(['0001-initial']);
    expect(await readSchemaVersion(storage.db)).toBe(1);
  });

  it('reopens an up-to-date database without changing it', async () => {
    const place = await target();
    const first = await open(place);
    await first.conversations.start({
      id: 'c0ffee00-0000-4000-8000-000000000000',
      sessionId: null,
      assistant: 'default',
      target: 'embedded',
      startedAt: new Date('2030-01-01T00:00:00Z'),
    });
    await first.close();
    const second = await open(place);
    const recorded = await sql<{
      name: string;
    }>`select name from ${sql.table(MIGRATION_TABLE)}`.execute(second.db);
    expect(recorded.rows).toHaveLength(1);
    expect((await second.conversations.list()).map((c) => c.id)).toEqual([
      'c0ffee00-0000-4000-8000-000000000000',
    ]);
  });

  it('refuses a database written by a newer schema version with a clear error', async () => {
    const place = await target();
    const storage = await open(place);
    await sql`insert into ${sql.table(MIGRATION_TABLE)} (name, timestamp) values ('0002-from-the-future', ${new Date().toISOString()})`.execute(
      storage.db,
    );
    await storage.close();
    const error = await place.open().then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ code: 'schema_too_new' });
    expect((error as Error).message).toMatch(
      /schema version 2.*only knows up to version 1.*Upgrade/,
    );
  });
});

describe('SQLite storage', () => {
  it('keeps its file in the data directory, creating the directory, with WAL, full sync and foreign keys', async () => {
    const place = await createStorageTarget('sqlite');
    const dataDir = join(place.options.dataDir, 'nested', 'data');
    const storage = await openStorage({ dataDir });
    try {
      expect(storage.location).toBe(join(dataDir, SQLITE_FILE_NAME));
      expect(existsSync(storage.location)).toBe(true);
      const pragma = async (name: string) =>
        Object.values(
          (await sql.raw(`pragma ${name}`).execute(storage.db)).rows[0] as object,
        )[0] as unknown;
      expect(await pragma('journal_mode')).toBe('wal');
      expect(await pragma('synchronous')).toBe(2); // FULL
      expect(await pragma('foreign_keys')).toBe(1);
      expect(await pragma('busy_timeout')).toBe(5000);
    } finally {
      await storage.close();
      place.dispose();
    }
  });
});

describe('SQLite open failures', () => {
  it('reports a file that is not a database with its path', async () => {
    const place = await createStorageTarget('sqlite');
    try {
      writeFileSync(
        join(place.options.dataDir, SQLITE_FILE_NAME),
        'this is not a database, just some text'.repeat(50),
      );
      const error = await place.open().catch((caught: unknown) => caught);
      expect(error).toMatchObject({ name: 'StorageError', code: 'open_failed' });
      expect((error as Error).message).toContain(join(place.options.dataDir, SQLITE_FILE_NAME));
    } finally {
      place.dispose();
    }
  });
});

describe('database URLs', () => {
  it('refuses a URL that is not PostgreSQL without echoing it', async () => {
    const error = await openStorage({
      dataDir: '/nonexistent',
      databaseUrl: 'mysql://root:hunter2secret@db/app',
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'StorageError', code: 'unsupported_url' });
    expect((error as Error).message).toContain('DATABASE_URL');
    expect((error as Error).message).not.toContain('hunter2secret');
  });

  it('refuses a malformed URL without echoing it', async () => {
    const error = await openStorage({
      dataDir: '/nonexistent',
      databaseUrl: 'not a url hunter2secret',
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'invalid_url' });
    expect((error as Error).message).not.toContain('hunter2secret');
  });

  it('reports an unreachable PostgreSQL server without its password', async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const error = await openStorage({
      dataDir: '/nonexistent',
      databaseUrl: 'postgresql://app:hunter2secret@127.0.0.1:1/app',
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'StorageError', code: 'open_failed' });
    expect((error as Error).message).toMatch(/DATABASE_URL.*ECONNREFUSED/);
    expect(JSON.stringify(error)).not.toContain('hunter2secret');
    expect(String((error as Error).stack)).not.toContain('hunter2secret');
    expect((error as Error).cause).toBeUndefined();
  });
});
