/**
 * Why the first connection of a conversation failed, in words a person can act on: the address it tried (without
 * credentials or query) and the reason, from the socket (`connect ECONNREFUSED 127.0.0.1:8799`, `getaddrinfo
 * ENOTFOUND api.openai.com`, `Unexpected server response: 401`) or from the server's own error event
 * (`Incorrect API key provided… (invalid_api_key)`).
 */
export class ConnectError extends Error {
  override readonly name = 'ConnectError';
  /** Where it tried to connect (no query, no credentials). */
  readonly url: string;
  /** The reason alone, e.g. `connect ECONNREFUSED 127.0.0.1:8799`. */
  readonly reason: string;
  /** The socket's error code (`ECONNREFUSED`, `ENOTFOUND`, …) or the server's error code, when there is one. */
  readonly code: string | undefined;

  constructor(url: string, failure: ConnectFailure) {
    const where = urlWithoutSecrets(url) ?? url;
    super(`Could not connect to ${where}: ${failure.reason}.`);
    this.url = where;
    this.reason = failure.reason;
    this.code = failure.code;
  }
}

/** A reason and its code, as {@link connectFailureOf} reads them. */
export interface ConnectFailure {
  readonly reason: string;
  readonly code: string | undefined;
}

/**
 * Reads what went wrong out of whatever the SDK rejected or emitted: a server `error` event (wrapped by the SDK as
 * `{ type: 'error', error: event }`), a WebSocket `ErrorEvent` whose `error` is the socket's `Error`, an `Error`,
 * or anything with a `message`. Never `[object Object]`.
 */
export function connectFailureOf(error: unknown): ConnectFailure {
  const server = serverErrorOf(error);
  if (server) {
    return {
      reason: server.code
        ? `${trimStop(server.message)} (${server.code})`
        : trimStop(server.message),
      code: server.code,
    };
  }
  const cause = socketErrorOf(error);
  if (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    return { reason: trimStop(cause.message), code: typeof code === 'string' ? code : undefined };
  }
  const message = messageOf(error);
  return { reason: trimStop(message === '' ? 'unknown error' : message), code: undefined };
}

/** The server's own error (`{ message, code }`) inside an SDK `error` emission, if it is one. */
export function serverErrorOf(
  error: unknown,
): { message: string; code: string | undefined } | null {
  // The SDK emits `{ type: 'error', error: <server event> }`; the server event is `{ type: 'error', error: {…} }`.
  const event = (error as { error?: unknown } | null)?.error;
  const inner = (event as { error?: unknown } | null | undefined)?.error;
  if (typeof inner !== 'object' || inner === null || inner instanceof Error) return null;
  const { message, code } = inner as { message?: unknown; code?: unknown };
  if (typeof message !== 'string') return null;
  return { message, code: typeof code === 'string' ? code : undefined };
}

/** The socket's `Error` (`connect ECONNREFUSED …`) inside an SDK emission or rejection, if there is one. */
function socketErrorOf(error: unknown): Error | null {
  if (error instanceof Error) return error;
  let current: unknown = error;
  for (let depth = 0; depth < 3 && typeof current === 'object' && current !== null; depth++) {
    const next = (current as { error?: unknown }).error;
    if (next instanceof Error) return next;
    current = next;
  }
  return null;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (error && typeof error === 'object' && 'message' in error) {
    const message = (error as { message?: unknown }).message;
    if (typeof message === 'string') return message;
  }
  if (typeof error === 'string') return error;
  return '';
}

function trimStop(text: string): string {
  return text.trim().replace(/\.+$/, '');
}

/**
 * An address as it may be shown or stored: no credentials, no query (where a token or the model parameter would be);
 * null when it is not a URL.
 */
export function urlWithoutSecrets(url: string): string | null {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    return parsed.toString();
  } catch {
    return null;
  }
}
