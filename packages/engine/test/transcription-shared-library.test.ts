import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedLibraryExists } from '../src/transcription/shared-library.js';

describe('sharedLibraryExists', () => {
  it('finds a bare soname where the dynamic linker looks: LD_LIBRARY_PATH first', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ra-lib-'));
    writeFileSync(join(dir, 'libexample.so.7'), '');
    expect(sharedLibraryExists('libexample.so.7', { LD_LIBRARY_PATH: `/nowhere:${dir}` })).toBe(
      true,
    );
    expect(sharedLibraryExists('libexample.so.7', {})).toBe(false);
    expect(sharedLibraryExists('libexample.so.8', { LD_LIBRARY_PATH: dir })).toBe(false);
  });

  it('checks a path as it is', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ra-lib-'));
    writeFileSync(join(dir, 'libexample.so.7'), '');
    expect(sharedLibraryExists(join(dir, 'libexample.so.7'))).toBe(true);
    expect(sharedLibraryExists(join(dir, 'libmissing.so.1'))).toBe(false);
  });

  it("finds Debian's pocketsphinx libraries in the multiarch directory (installed by scripts/setup-system.sh)", () => {
    expect(sharedLibraryExists('libpocketsphinx.so.3', {})).toBe(true);
    expect(sharedLibraryExists('libsphinxbase.so.3', {})).toBe(true);
  });
});
