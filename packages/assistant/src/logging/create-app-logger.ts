import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { ensureDirectory } from '../files/ensure-directory.js';
import { join } from 'node:path';
import { multistream, pino } from 'pino';
import type { DestinationStream, Level, Logger, LoggerOptions, StreamEntry } from 'pino';
import type { AppConfig } from '../config/config-schema.js';
import { formatPrettyLine } from './pretty-line.js';
import { RotatingFile } from './rotating-file.js';
import { REDACT_PATHS, scrubSecrets, scrubString } from './scrub-secrets.js';

/** Something lines can be written to (a stream, `process.stderr`, a test buffer). */
export interface LineSink {
  write(line: string): unknown;
}

/** Options of {@link createAppLogger}. */
export interface AppLoggerOptions {
  readonly logging: AppConfig['logging'];
  /** The app session id put on every line (default: a new time-sortable id). */
  readonly sessionId?: string;
  /** Where console lines go (`null` = nowhere), in `logging.console` format. */
  readonly console?: LineSink | null;
  /** Console level, if different from `logging.level` (a TUI may want only warnings). */
  readonly consoleLevel?: AppConfig['logging']['level'];
}

/** The app's loggers and their files. */
export interface AppLogger {
  readonly sessionId: string;
  /** Every line carries `session_id`; goes to the console and `logs/app_<session>.log`. */
  readonly logger: Logger;
  /** Path of `logs/app_<session>.log`. */
  readonly appFile: string;
  /**
   * A logger for one realtime session (`sess_…`): its lines carry `realtime_session_id` and also go to
   * `logs/sessions/<session>_<realtime session>.log`.
   */
  forRealtimeSession(realtimeSessionId: string): { logger: Logger; file: string };
  /** Writes out everything buffered (files are written synchronously; this flushes the console stream). */
  flush(): void;
  /** Flushes and closes the files. */
  close(): void;
}

/** A time-sortable session id: `20260102-030405-a1b2c3`. */
export function newSessionId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

/**
 * Creates the app logger: pino with `session_id` on every line, a readable (or JSON) console, a detailed JSON
 * file per app session and per realtime session, rotated by size and count, and keys redacted (by path and by
 * `sk-…`/`ek_…` patterns inside any string).
 */
export function createAppLogger(options: AppLoggerOptions): AppLogger {
  const { logging } = options;
  const sessionId = options.sessionId ?? newSessionId();
  const sessionsDir = join(logging.dir, 'sessions');
  ensureDirectory(sessionsDir);
  pruneOldFiles(logging.dir, /^app_.*\.log$/, logging.rotateCount);
  pruneOldFiles(sessionsDir, /\.log$/, logging.rotateCount * 4);

  const limits = { maxBytes: logging.rotateSize, count: logging.rotateCount };
  const appFile = new RotatingFile(join(logging.dir, `app_${sessionId}.log`), limits);
  const files: RotatingFile[] = [appFile];
  const consoleSink = options.console ?? null;
  const consoleStream: DestinationStream | null = consoleSink
    ? {
        write: (line: string) => {
          consoleSink.write(logging.console === 'pretty' ? formatPrettyLine(line) : line);
        },
      }
    : null;

  const baseOptions: LoggerOptions = {
    level: lowestLevel(logging.level, options.consoleLevel),
    base: { session_id: sessionId },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: [...REDACT_PATHS], censor: '[redacted]' },
    formatters: { log: (object) => scrubSecrets(object) },
    hooks: {
      logMethod(args, method) {
        const scrubbed = args.map((a: unknown) => (typeof a === 'string' ? scrubString(a) : a));
        method.apply(this, scrubbed as Parameters<typeof method>);
      },
    },
  };

  const streams = (extra: RotatingFile[]): StreamEntry[] => [
    ...[appFile, ...extra].map((stream) => ({ stream, level: streamLevel(logging.level) })),
    ...(consoleStream
      ? [{ stream: consoleStream, level: streamLevel(options.consoleLevel ?? logging.level) }]
      : []),
  ];
  const logger = pino(baseOptions, multistream(streams([])));

  return {
    sessionId,
    logger,
    appFile: appFile.path,
    forRealtimeSession(realtimeSessionId) {
      const safe = realtimeSessionId.replace(/[^A-Za-z0-9_-]/g, '_');
      const file = new RotatingFile(join(sessionsDir, `${sessionId}_${safe}.log`), limits);
      files.push(file);
      const child = pino(
        { ...baseOptions, base: { session_id: sessionId, realtime_session_id: realtimeSessionId } },
        multistream(streams([file])),
      );
      return { logger: child, file: file.path };
    },
    flush() {
      logger.flush();
      const flushable = consoleSink as { flush?: () => void } | null;
      flushable?.flush?.();
    },
    close() {
      this.flush();
      for (const file of files) file.close();
    },
  };
}

/** Streams take real levels; a silent logger drops everything before any stream sees it. */
function streamLevel(level: AppConfig['logging']['level']): Level {
  return level === 'silent' ? 'fatal' : level;
}

const LEVEL_ORDER = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

function lowestLevel(a: (typeof LEVEL_ORDER)[number], b: (typeof LEVEL_ORDER)[number] | undefined) {
  if (b === undefined) return a;
  return LEVEL_ORDER.indexOf(a) <= LEVEL_ORDER.indexOf(b) ? a : b;
}

/** Deletes all but the newest `keep - 1` matching files, so with the file about to be created `keep` remain. */
function pruneOldFiles(dir: string, pattern: RegExp, keep: number): void {
  const entries = readdirSync(dir)
    .filter((name) => pattern.test(name))
    .map((name) => ({ path: join(dir, name), mtime: statSync(join(dir, name)).mtimeMs, name }))
    .sort((x, y) => y.mtime - x.mtime || y.name.localeCompare(x.name));
  for (const old of entries.slice(Math.max(0, keep - 1))) rmSync(old.path, { force: true });
}
