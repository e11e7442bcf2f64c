import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** A directory that cannot be used: `path` is the one asked for, the message says why in a person's words. */
export class DirectoryError extends Error {
  override readonly name = 'DirectoryError';
  readonly path: string;

  constructor(path: string, message: string) {
    super(message);
    this.path = path;
  }
}

/**
 * Makes sure `path` is a directory this process can write to, creating it and its missing parents one at a time.
 * Throws a {@link DirectoryError} that names the part that is wrong ("/etc/passwd is a file, not a directory";
 * "cannot create /proc/nope: no such file or directory").
 *
 * Not `mkdirSync(path, { recursive: true })`: on Node 20 that never returns for a path under `/proc` (it retries
 * forever at 100 % CPU), and its errors name only the full path.
 */
export function ensureDirectory(path: string): string {
  const target = resolve(path);
  const missing: string[] = [];
  let existing = target;
  for (;;) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(existing).isDirectory();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') {
        throw new DirectoryError(target, `cannot use ${target}: ${describeCode(code, existing)}`);
      }
      const parent = dirname(existing);
      if (parent === existing) {
        throw new DirectoryError(target, `cannot use ${target}: its root does not exist`);
      }
      missing.unshift(existing);
      existing = parent;
      continue;
    }
    if (!isDirectory) {
      throw new DirectoryError(
        target,
        existing === target
          ? `${target} is a file, not a directory`
          : `cannot create ${target}: ${existing} is a file, not a directory`,
      );
    }
    break;
  }
  for (const dir of missing) {
    try {
      mkdirSync(dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Made meanwhile by someone else: fine, if it is a directory (checked with the rest below).
      if (code === 'EEXIST') continue;
      throw new DirectoryError(target, `cannot create ${dir}: ${describeCode(code, dirname(dir))}`);
    }
  }
  try {
    if (!statSync(target).isDirectory()) {
      throw new DirectoryError(target, `${target} is a file, not a directory`);
    }
    accessSync(target, constants.W_OK | constants.X_OK);
  } catch (error) {
    if (error instanceof DirectoryError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new DirectoryError(target, `cannot write to ${target}: ${describeCode(code, target)}`);
  }
  return target;
}

function describeCode(code: string | undefined, where: string): string {
  switch (code ?? 'unknown error') {
    case 'EACCES':
    case 'EPERM':
      return `permission denied (in ${where})`;
    case 'EROFS':
      return `${where} is on a read-only file system`;
    case 'ENOENT':
      return `no such file or directory (${where} does not take new directories)`;
    case 'ENOSPC':
      return 'no space left on the device';
    case 'ENAMETOOLONG':
      return 'the name is too long';
    case 'ELOOP':
      return 'too many symbolic links';
    default:
      return code ?? 'unknown error';
  }
}
