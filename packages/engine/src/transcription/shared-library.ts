import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Debian's multiarch directory names by Node's `process.arch`. */
const MULTIARCH: Readonly<Record<string, string>> = {
  x64: 'x86_64-linux-gnu',
  arm64: 'aarch64-linux-gnu',
  arm: 'arm-linux-gnueabihf',
  ia32: 'i386-linux-gnu',
};

/**
 * Whether the dynamic linker would find a shared library: a path is checked as it is; a bare soname
 * (`libpocketsphinx.so.3`) is looked up in `LD_LIBRARY_PATH` and the system library directories, as `dlopen` does
 * (without reading `ld.so.cache`: these directories are where Debian's packages put libraries).
 */
export function sharedLibraryExists(
  nameOrPath: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
  arch: string = process.arch,
): boolean {
  if (nameOrPath.includes('/')) return existsSync(nameOrPath);
  const triple = MULTIARCH[arch];
  const dirs = [
    ...(env.LD_LIBRARY_PATH ?? '').split(':').filter((dir) => dir !== ''),
    ...(triple ? [`/lib/${triple}`, `/usr/lib/${triple}`, `/usr/local/lib/${triple}`] : []),
    '/lib',
    '/usr/lib',
    '/usr/local/lib',
    '/lib64',
    '/usr/lib64',
  ];
  return dirs.some((dir) => existsSync(join(dir, nameOrPath)));
}
