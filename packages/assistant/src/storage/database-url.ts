import { StorageError } from './storage-error.js';

/** A checked PostgreSQL URL: the secret itself, a printable form, and the password to scrub from messages. */
export interface PostgresUrl {
  readonly url: string;
  /** The URL with its password replaced by `***` (safe for logs and messages). */
  readonly redacted: string;
  readonly password: string;
}

/**
 * Checks a database URL. Only `postgres://` and `postgresql://` are supported. Error messages name it
 * `DATABASE_URL` and never echo it, since it may hold a password.
 * @throws StorageError (`invalid_url`, `unsupported_url`)
 */
export function parseDatabaseUrl(url: string): PostgresUrl {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StorageError(
      'invalid_url',
      'DATABASE_URL is not a valid URL; expected postgres://user:password@host:port/database',
    );
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    const scheme = /^[a-z][a-z0-9+.-]*:$/i.test(parsed.protocol)
      ? ` (it starts with ${parsed.protocol}//)`
      : '';
    throw new StorageError(
      'unsupported_url',
      `DATABASE_URL must be a postgres:// or postgresql:// URL${scheme}; leave it unset to use SQLite in the data directory`,
    );
  }
  const password = decodeURIComponent(parsed.password);
  if (parsed.password !== '') parsed.password = '***';
  return { url, redacted: parsed.toString(), password };
}

/** Removes a password (raw and URL-encoded) from a message. */
export function withoutPassword(message: string, password: string): string {
  if (password === '') return message;
  return message.split(password).join('***').split(encodeURIComponent(password)).join('***');
}
