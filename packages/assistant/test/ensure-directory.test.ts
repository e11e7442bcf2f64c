import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DirectoryError, ensureDirectory } from '../src/index.js';

function errorOf(path: string): DirectoryError {
  try {
    ensureDirectory(path);
  } catch (error) {
    if (error instanceof DirectoryError) return error;
    throw error;
  }
  throw new Error(`no error for ${path}`);
}

describe('ensureDirectory', () => {
  it('creates a directory and its missing parents, and accepts one that exists', () => {
    const root = mkdtempSync(join(tmpdir(), 'ra-dir-'));
    const deep = join(root, 'a', 'b', 'c');
    expect(ensureDirectory(deep)).toBe(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
    expect(ensureDirectory(deep)).toBe(deep);
  });

  it('names the file in the way when a parent is a file', () => {
    const root = mkdtempSync(join(tmpdir(), 'ra-dir-'));
    const file = join(root, 'notes.txt');
    writeFileSync(file, 'x');
    expect(errorOf(join(file, 'logs')).message).toBe(
      `cannot create ${join(file, 'logs')}: ${file} is a file, not a directory`,
    );
    expect(errorOf(file).message).toBe(`${file} is a file, not a directory`);
  });

  it('returns at once with a reason under /proc, where a recursive mkdir never returns', () => {
    const error = errorOf('/proc/ra-no-such-dir/data');
    expect(error.message).toBe(
      'cannot create /proc/ra-no-such-dir: no such file or directory (/proc does not take new directories)',
    );
    expect(existsSync('/proc/ra-no-such-dir')).toBe(false);
  });
});
