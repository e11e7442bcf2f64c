import { closeSync, existsSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { ensureDirectory } from '../files/ensure-directory.js';

/** Size and count limits for a rotated log file. */
export interface RotationLimits {
  /** Rotate once the file reaches this many bytes. */
  readonly maxBytes: number;
  /** Keep this many old files (`name.1` … `name.N`) besides the current one. */
  readonly count: number;
}

/** Shifts `path` → `path.1` → … → `path.<count>`, dropping the oldest. */
export function rotateFiles(path: string, count: number): void {
  rmSync(`${path}.${count}`, { force: true });
  for (let i = count - 1; i >= 1; i--) {
    if (existsSync(`${path}.${i}`)) renameSync(`${path}.${i}`, `${path}.${i + 1}`);
  }
  if (existsSync(path)) renameSync(path, `${path}.1`);
}

/**
 * An append-only log file with synchronous writes (so a crash or `process.exit` never loses a line) that
 * rotates itself when it reaches `maxBytes`. Implements the `write(line)` destination pino needs.
 */
export class RotatingFile {
  readonly path: string;
  readonly #limits: RotationLimits;
  #fd: number | null;
  #size: number;

  constructor(path: string, limits: RotationLimits) {
    this.path = path;
    this.#limits = limits;
    ensureDirectory(dirname(path));
    this.#size = existsSync(path) ? statSync(path).size : 0;
    if (this.#size >= limits.maxBytes) {
      rotateFiles(path, limits.count);
      this.#size = 0;
    }
    this.#fd = openSync(path, 'a');
  }

  write(line: string): boolean {
    if (this.#fd === null) return false;
    const bytes = Buffer.byteLength(line);
    if (this.#size > 0 && this.#size + bytes > this.#limits.maxBytes) {
      closeSync(this.#fd);
      rotateFiles(this.path, this.#limits.count);
      this.#fd = openSync(this.path, 'a');
      this.#size = 0;
    }
    writeSync(this.#fd, line);
    this.#size += bytes;
    return true;
  }

  close(): void {
    if (this.#fd === null) return;
    closeSync(this.#fd);
    this.#fd = null;
  }
}
