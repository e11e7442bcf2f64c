import { pino } from 'pino';
import type { DestinationStream, Level, Logger } from 'pino';

/** Log levels accepted by the server options and the `--log-level` flag. */
export type LogLevel = Level | 'silent';

/**
 * Paths whose values are replaced in every log line. The server never passes a key or token to the logger in the
 * first place; this is the second line of defence, for objects logged by code that forgets.
 */
export const REDACT_PATHS: readonly string[] = [
  'authorization',
  'headers.authorization',
  'headers["sec-websocket-protocol"]',
  'req.headers.authorization',
  'req.headers["sec-websocket-protocol"]',
  'request.headers.authorization',
  'request.headers["sec-websocket-protocol"]',
  'apiKey',
  'api_key',
  'apiKeys',
  'keys',
  'key',
  'token',
  'secret',
  'client_secret',
  'subprotocols',
  '*.authorization',
  '*.apiKey',
  '*.api_key',
  '*.apiKeys',
  '*.keys',
  '*.key',
  '*.token',
  '*.secret',
  '*.client_secret',
  'client_secret.value',
];

export interface ServerLoggerOptions {
  level: LogLevel;
  /** Where lines go (default: standard output). */
  destination?: DestinationStream;
}

/** The server's base pino logger: JSON lines, `name: local-realtime`, with {@link REDACT_PATHS} redacted. */
export function createServerLogger(options: ServerLoggerOptions): Logger {
  const config = {
    name: 'local-realtime',
    level: options.level,
    redact: { paths: [...REDACT_PATHS], censor: '[redacted]' },
  };
  return options.destination === undefined ? pino(config) : pino(config, options.destination);
}

/** A logger whose every line carries `session_id`. */
export function sessionLogger(base: Logger, sessionId: string): Logger {
  return base.child({ session_id: sessionId });
}
