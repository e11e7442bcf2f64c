import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { openStorage } from '../../src/storage/open-storage.js';
import type { Storage, StorageOptions } from '../../src/storage/open-storage.js';
import type { StorageDialect } from '../../src/storage/write-transaction.js';

/** Both dialects, for `describe.each`. */
export const DIALECTS: readonly StorageDialect[] = ['sqlite', 'postgres'];

let baseUrl: Promise<string> | undefined;

/** The shared test server's base URL (started on first use by the global setup). */
export function postgresBaseUrl(): Promise<string> {
  baseUrl ??= (async () => {
    const response = await fetch(`${inject('postgresControlUrl')}/postgres`, { method: 'POST' });
    const body = (await response.json()) as { baseUrl?: string; message?: string };
    if (!response.ok || body.baseUrl === undefined)
      throw new Error(body.message ?? `HTTP ${response.status}`);
    return body.baseUrl;
  })();
  return baseUrl;
}

/** Creates a fresh, empty PostgreSQL database on the shared test server and returns its URL. */
export async function createTestDatabase(): Promise<string> {
  const base = await postgresBaseUrl();
  const name = `test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: `${base}/postgres` });
  await client.connect();
  try {
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  return `${base}/${name}`;
}

/** A place to open storage in: a temp dir for SQLite, a fresh database for PostgreSQL. */
export interface TestStorageTarget {
  readonly dialect: StorageDialect;
  readonly options: StorageOptions;
  open(extra?: Partial<StorageOptions>): Promise<Storage>;
  /** Removes the temp dir (PostgreSQL databases go with the server). */
  dispose(): void;
}

/** A fresh, empty place for storage of the given dialect. */
export async function createStorageTarget(dialect: StorageDialect): Promise<TestStorageTarget> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ra-storage-'));
  const options: StorageOptions = {
    dataDir,
    databaseUrl: dialect === 'postgres' ? await createTestDatabase() : undefined,
  };
  return {
    dialect,
    options,
    open: (extra = {}) => openStorage({ ...options, ...extra }),
    dispose: () => rmSync(dataDir, { recursive: true, force: true }),
  };
}
