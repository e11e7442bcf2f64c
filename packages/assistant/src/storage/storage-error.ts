/** Why the storage layer could not open or upgrade a database. */
export type StorageErrorCode =
  'invalid_url' | 'unsupported_url' | 'open_failed' | 'migration_failed' | 'schema_too_new';

/**
 * A storage failure the user can act on (wrong `DATABASE_URL`, unreachable server, a database written by a newer
 * version). Messages never contain the database URL's password.
 */
export class StorageError extends Error {
  override readonly name = 'StorageError';

  constructor(
    readonly code: StorageErrorCode,
    message: string,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
  }
}
