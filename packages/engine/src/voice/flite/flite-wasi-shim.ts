/**
 * A minimal WASI preview1 host in plain JavaScript, just enough for `flite.wasm` (a WASI command) to run: its
 * arguments, a clock, discarded stdio, and an in-memory working directory where it writes its WAV file.
 *
 * Why not `node:wasi`: in Node 20 its imports are C++ functions with V8 fast-call overloads, which optimised wasm
 * code calls directly; uvwasi's allocator reports external memory to V8 inside such a call, which can start a
 * garbage collection where none is allowed (nodejs/node#46777; with Flite: nodejs/node#52402). With a compiled module
 * shared by several workers this killed the process with SIGSEGV/SIGABRT in about one run of the Flite tests in
 * three, and never with V8's `--no-turbo-fast-api-calls`. Calls into plain JavaScript functions are never fast
 * calls. This host also needs no file descriptors or temporary files.
 */

/** WASI errno values used here. */
const ERRNO = {
  success: 0,
  badf: 8,
  inval: 28,
  noent: 44,
  spipe: 70,
} as const;

const FILETYPE = { characterDevice: 2, directory: 3, regularFile: 4 } as const;
const OFLAGS_CREAT = 1;
const OFLAGS_TRUNC = 8;
const WHENCE = { set: 0, cur: 1, end: 2 } as const;
/** The preopened working directory `.` (the first fd after stdio). */
const CWD_FD = 3;
const ALL_RIGHTS = 0x1fffffffn;
/** How much of what the program writes to stdout/stderr is kept, for error messages. */
const LOG_TAIL_CHARS = 300;

/** Thrown by `proc_exit` to unwind the program; caught by {@link runWasiCommand}. */
class WasiExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** A file in the in-memory working directory. */
class MemoryFile {
  #bytes = new Uint8Array(64 * 1024);
  size = 0;

  write(at: number, data: Uint8Array): void {
    const end = at + data.length;
    if (end > this.#bytes.length) {
      const grown = new Uint8Array(Math.max(end, this.#bytes.length * 2));
      grown.set(this.#bytes.subarray(0, this.size));
      this.#bytes = grown;
    }
    if (at > this.size) this.#bytes.fill(0, this.size, at);
    this.#bytes.set(data, at);
    this.size = Math.max(this.size, end);
  }

  read(at: number, length: number): Uint8Array {
    return this.#bytes.subarray(Math.min(at, this.size), Math.min(at + length, this.size));
  }

  truncate(): void {
    this.size = 0;
  }

  /** A copy that owns its whole buffer (so it can be transferred to another thread). */
  contents(): Uint8Array {
    return this.#bytes.slice(0, this.size);
  }
}

interface OpenFile {
  file: MemoryFile;
  position: number;
}

/** What a finished run left behind. */
export interface WasiCommandResult {
  exitCode: number;
  /** Files the program wrote in its working directory, by name. */
  files: Map<string, Uint8Array>;
  /** The last few hundred characters the program wrote to stdout and stderr. */
  log: string;
}

interface WasmInstance {
  exports: Record<string, unknown>;
}

interface WasmMemory {
  buffer: ArrayBuffer;
}

/** A WASI command instantiated ahead of its run: the costly part (a fresh instance's memory) already done. */
export interface PreparedWasiCommand {
  /**
   * Runs `_start` once with `args` (argv[0] first) and returns its exit code, the files it wrote and the tail of
   * its output. A command runs once: a second call throws. A trap (e.g. `abort()`) propagates as the engine's
   * `WebAssembly.RuntimeError`.
   */
  run(args: string[]): WasiCommandResult;
}

/**
 * Runs a WASI command's `_start` in `instantiate(imports)`'s instance with `args` (argv[0] first), and returns its
 * exit code, the files it wrote and the tail of its output. A trap (e.g. `abort()`) propagates as the engine's
 * `WebAssembly.RuntimeError`.
 */
export function runWasiCommand(
  args: string[],
  instantiate: (imports: object) => object,
): WasiCommandResult {
  return prepareWasiCommand(instantiate).run(args);
}

/**
 * Instantiates a WASI command now and runs it later ({@link PreparedWasiCommand.run}): its arguments are read by
 * the program only once `_start` runs, so an instance can be made while nothing waits for it.
 */
export function prepareWasiCommand(instantiate: (imports: object) => object): PreparedWasiCommand {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  let argBytes: Uint8Array[] = [];
  const files = new Map<string, MemoryFile>();
  const fds = new Map<number, OpenFile>();
  let nextFd = CWD_FD + 1;
  let log = '';
  // Set once the instance exists; read afresh on every call, since `memory.grow` replaces the buffer.
  const exported: { memory?: WasmMemory } = {};

  const view = (): DataView => new DataView(exported.memory!.buffer);
  const bytes = (ptr: number, length: number): Uint8Array =>
    new Uint8Array(exported.memory!.buffer, ptr, length);
  /** Gathers an iovec array (`{ buf: u32, len: u32 }[]`) into one copy. */
  const gather = (iovs: number, count: number): Uint8Array => {
    const dv = view();
    const parts: Uint8Array[] = [];
    let total = 0;
    for (let i = 0; i < count; i++) {
      const len = dv.getUint32(iovs + i * 8 + 4, true);
      parts.push(bytes(dv.getUint32(iovs + i * 8, true), len));
      total += len;
    }
    const out = new Uint8Array(total);
    let offset = 0;
    for (const part of parts) {
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  };

  const wasi = {
    args_sizes_get(countPtr: number, sizePtr: number): number {
      const dv = view();
      dv.setUint32(countPtr, argBytes.length, true);
      dv.setUint32(
        sizePtr,
        argBytes.reduce((n, arg) => n + arg.length, 0),
        true,
      );
      return ERRNO.success;
    },
    args_get(argvPtr: number, bufPtr: number): number {
      const dv = view();
      let at = bufPtr;
      for (const [i, arg] of argBytes.entries()) {
        dv.setUint32(argvPtr + i * 4, at, true);
        bytes(at, arg.length).set(arg);
        at += arg.length;
      }
      return ERRNO.success;
    },
    clock_time_get(_id: number, _precision: bigint, timePtr: number): number {
      view().setBigUint64(timePtr, process.hrtime.bigint(), true);
      return ERRNO.success;
    },
    fd_prestat_get(fd: number, prestatPtr: number): number {
      if (fd !== CWD_FD) return ERRNO.badf;
      const dv = view();
      dv.setUint8(prestatPtr, 0); // preopen type: directory
      dv.setUint32(prestatPtr + 4, 1, true); // name length of "."
      return ERRNO.success;
    },
    fd_prestat_dir_name(fd: number, pathPtr: number, pathLen: number): number {
      if (fd !== CWD_FD) return ERRNO.badf;
      if (pathLen < 1) return ERRNO.inval;
      bytes(pathPtr, 1).set(encoder.encode('.'));
      return ERRNO.success;
    },
    fd_fdstat_get(fd: number, statPtr: number): number {
      const type =
        fd <= 2
          ? FILETYPE.characterDevice
          : fd === CWD_FD
            ? FILETYPE.directory
            : fds.has(fd)
              ? FILETYPE.regularFile
              : undefined;
      if (type === undefined) return ERRNO.badf;
      const dv = view();
      dv.setUint8(statPtr, type);
      dv.setUint16(statPtr + 2, 0, true);
      dv.setBigUint64(statPtr + 8, ALL_RIGHTS, true);
      dv.setBigUint64(statPtr + 16, ALL_RIGHTS, true);
      return ERRNO.success;
    },
    fd_fdstat_set_flags(fd: number): number {
      return fd <= CWD_FD || fds.has(fd) ? ERRNO.success : ERRNO.badf;
    },
    path_open(
      dirFd: number,
      _dirFlags: number,
      pathPtr: number,
      pathLen: number,
      oflags: number,
      _rightsBase: bigint,
      _rightsInheriting: bigint,
      _fdFlags: number,
      fdPtr: number,
    ): number {
      if (dirFd !== CWD_FD) return ERRNO.badf;
      const name = decoder.decode(bytes(pathPtr, pathLen));
      let file = files.get(name);
      if (!file) {
        if ((oflags & OFLAGS_CREAT) === 0) return ERRNO.noent;
        file = new MemoryFile();
        files.set(name, file);
      }
      if ((oflags & OFLAGS_TRUNC) !== 0) file.truncate();
      const fd = nextFd++;
      fds.set(fd, { file, position: 0 });
      view().setUint32(fdPtr, fd, true);
      return ERRNO.success;
    },
    fd_write(fd: number, iovs: number, iovsLen: number, writtenPtr: number): number {
      const data = gather(iovs, iovsLen);
      if (fd === 1 || fd === 2) {
        log = (log + decoder.decode(data)).slice(-LOG_TAIL_CHARS);
      } else {
        const open = fds.get(fd);
        if (!open) return ERRNO.badf;
        open.file.write(open.position, data);
        open.position += data.length;
      }
      view().setUint32(writtenPtr, data.length, true);
      return ERRNO.success;
    },
    fd_read(fd: number, iovs: number, iovsLen: number, readPtr: number): number {
      const open = fds.get(fd);
      if (fd === 0) {
        view().setUint32(readPtr, 0, true); // stdin is empty
        return ERRNO.success;
      }
      if (!open) return ERRNO.badf;
      const dv = view();
      let total = 0;
      for (let i = 0; i < iovsLen; i++) {
        const chunk = open.file.read(open.position, dv.getUint32(iovs + i * 8 + 4, true));
        bytes(dv.getUint32(iovs + i * 8, true), chunk.length).set(chunk);
        open.position += chunk.length;
        total += chunk.length;
      }
      dv.setUint32(readPtr, total, true);
      return ERRNO.success;
    },
    fd_seek(fd: number, offset: bigint, whence: number, positionPtr: number): number {
      if (fd <= 2) return ERRNO.spipe;
      const open = fds.get(fd);
      if (!open) return ERRNO.badf;
      const base =
        whence === WHENCE.set
          ? 0
          : whence === WHENCE.cur
            ? open.position
            : whence === WHENCE.end
              ? open.file.size
              : undefined;
      if (base === undefined) return ERRNO.inval;
      const position = base + Number(offset);
      if (position < 0) return ERRNO.inval;
      open.position = position;
      view().setBigUint64(positionPtr, BigInt(position), true);
      return ERRNO.success;
    },
    fd_close(fd: number): number {
      if (fd <= CWD_FD) return ERRNO.success;
      return fds.delete(fd) ? ERRNO.success : ERRNO.badf;
    },
    proc_exit(code: number): never {
      throw new WasiExit(code);
    },
  };

  const instance = instantiate({ wasi_snapshot_preview1: wasi }) as WasmInstance;
  exported.memory = instance.exports.memory as WasmMemory | undefined;
  const start = instance.exports._start;
  if (!exported.memory || typeof start !== 'function') {
    throw new Error('not a WASI command (no memory or _start export)');
  }
  let ran = false;
  return {
    run(args: string[]): WasiCommandResult {
      if (ran) throw new Error('a prepared WASI command runs once');
      ran = true;
      argBytes = args.map((arg) => encoder.encode(`${arg}\0`));
      let exitCode = 0;
      try {
        (start as () => void)();
      } catch (error) {
        if (!(error instanceof WasiExit)) throw error;
        exitCode = error.code;
      }
      const written = new Map<string, Uint8Array>();
      for (const [name, file] of files) written.set(name, file.contents());
      // The instance is spent: let its memory go with it.
      exported.memory = undefined;
      return { exitCode, files: written, log: log.trim() };
    },
  };
}
