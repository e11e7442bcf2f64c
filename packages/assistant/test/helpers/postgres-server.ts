import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.js';

const run = promisify(execFile);

/** A throwaway PostgreSQL server on 127.0.0.1 (trust auth, no password). */
export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:<port>`: append `/<database>`. */
  readonly baseUrl: string;
  /** How long initdb + start took. */
  readonly startupMs: number;
  /** Stops the server and deletes its files. */
  stop(): Promise<void>;
}

const POSTGRES_ROOT = '/usr/lib/postgresql';
const SETUP_HINT = 'Install it with `bash scripts/setup-system.sh` (Debian package `postgresql`).';

/** Debian's PostgreSQL binaries (`/usr/lib/postgresql/<version>/bin`), newest version first. */
export function findPostgresBinDir(): string {
  const versions = existsSync(POSTGRES_ROOT)
    ? readdirSync(POSTGRES_ROOT)
        .filter(
          (name) => /^\d+$/.test(name) && existsSync(join(POSTGRES_ROOT, name, 'bin', 'initdb')),
        )
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const [newest] = versions;
  if (newest === undefined) {
    throw new Error(
      `The storage tests need PostgreSQL's server binaries in ${POSTGRES_ROOT}/<version>/bin. ${SETUP_HINT}`,
    );
  }
  return join(POSTGRES_ROOT, newest, 'bin');
}

/**
 * Starts a fresh PostgreSQL cluster in a temporary directory on a free loopback port. initdb refuses to run as
 * root, so as root the server runs as the `postgres` OS user.
 */
export async function startPostgresServer(): Promise<PostgresServer> {
  const started = performance.now();
  const bin = findPostgresBinDir();
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'ra-postgres-'));
  const dataDir = join(dir, 'data');
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    if (!Number.isInteger(uid))
      throw new Error(`No \`postgres\` OS user to run PostgreSQL as. ${SETUP_HINT}`);
    chownSync(dir, uid, gid);
  }
  const pgTool = (tool: string, args: readonly string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args])
      : run(join(bin, tool), [...args]);

  const port = await freePort();
  try {
    await pgTool('initdb', [
      '-D',
      dataDir,
      '-A',
      'trust',
      '-U',
      'postgres',
      '-E',
      'UTF8',
      '--no-sync',
      '--no-instructions',
    ]);
    const serverOptions = [
      `-p ${port}`,
      '-c listen_addresses=127.0.0.1',
      `-c unix_socket_directories=${dir}`,
      '-c max_connections=200',
      // A throwaway server: durability across an OS crash is not what the tests check.
      '-c fsync=off',
      '-c full_page_writes=off',
    ].join(' ');
    await pgTool('pg_ctl', [
      '-D',
      dataDir,
      '-o',
      serverOptions,
      '-l',
      join(dir, 'server.log'),
      '-w',
      '-s',
      'start',
    ]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `Could not start a test PostgreSQL server from ${bin}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  const startupMs = Math.round(performance.now() - started);
  let stopping: Promise<void> | undefined;
  return {
    baseUrl: `postgres://postgres@127.0.0.1:${port}`,
    startupMs,
    stop: () =>
      (stopping ??= (async () => {
        try {
          await pgTool('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', '-s', 'stop']);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      })()),
  };
}
