import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { IncomingHttpHeaders } from 'node:http';
import type { SessionRequest } from '../session/session-port.js';
import type { EphemeralTokenRecord, EphemeralTokenStore } from './ephemeral-tokens.js';
import { EPHEMERAL_TOKEN_PREFIX, secretId } from './ephemeral-tokens.js';
import type { FatalWireError } from './server-errors.js';
import { expiredTokenError, invalidApiKeyError, missingAuthError } from './server-errors.js';

/** `open`: anyone may connect; `keys`: an API key from the configured list, or a token minted with one. */
export type AuthMode = 'open' | 'keys';

const SUBPROTOCOL_KEY = 'openai-insecure-api-key.';
const SUBPROTOCOL_BETA = 'openai-beta.realtime-v1';
/** Subprotocols whose suffix is a secret: never echoed, never logged. */
const SECRET_SUBPROTOCOL_PREFIXES = [SUBPROTOCOL_KEY];

/** Credentials as the live service reads them from an upgrade or REST request. */
export interface PresentedCredentials {
  /** The key or `ek_…` token from `Authorization` (Bearer or Basic), else the `openai-insecure-api-key.` subprotocol. */
  secret: string | null;
  source: 'header' | 'subprotocol' | null;
  /** `OpenAI-Beta: realtime=v1` or the `openai-beta.realtime-v1` subprotocol. */
  beta: boolean;
  /** Offered subprotocols with secrets masked, for logs. */
  subprotocolsForLog: string[];
}

/** Splits a `Sec-WebSocket-Protocol` header into its offered values. */
export function parseSubprotocolHeader(header: string | string[] | undefined): string[] {
  if (header === undefined) return [];
  const joined = Array.isArray(header) ? header.join(',') : header;
  return joined
    .split(',')
    .map((value) => value.trim())
    .filter((value) => value.length > 0);
}

/** A subprotocol value safe to log: a secret-bearing one keeps its prefix only. */
export function maskSubprotocol(value: string): string {
  const prefix = SECRET_SUBPROTOCOL_PREFIXES.find((p) => value.startsWith(p));
  return prefix === undefined ? value : `${prefix}[redacted]`;
}

/**
 * The subprotocol the server answers with: `realtime` when offered (as live), else the first offered one that
 * carries no secret, else none. Echoing a key back in a response header would leak it to proxies and logs.
 */
export function chooseSubprotocol(offered: Iterable<string>): string | false {
  let fallback: string | false = false;
  for (const value of offered) {
    if (value === 'realtime') return value;
    if (fallback === false && maskSubprotocol(value) === value) fallback = value;
  }
  return fallback;
}

/** Reads credentials from headers: `Authorization` first, then the browser subprotocols. */
export function extractCredentials(headers: IncomingHttpHeaders): PresentedCredentials {
  const subprotocols = parseSubprotocolHeader(headers['sec-websocket-protocol']);
  const betaHeader = headerValues(headers['openai-beta']).some((value) =>
    value
      .split(',')
      .map((part) => part.trim().toLowerCase())
      .includes('realtime=v1'),
  );
  const beta = betaHeader || subprotocols.includes(SUBPROTOCOL_BETA);
  const subprotocolsForLog = subprotocols.map(maskSubprotocol);

  const fromHeader = parseAuthorization(headers.authorization);
  if (fromHeader !== null)
    return { secret: fromHeader, source: 'header', beta, subprotocolsForLog };
  const keyProtocol = subprotocols.find((value) => value.startsWith(SUBPROTOCOL_KEY));
  const fromProtocol = keyProtocol?.slice(SUBPROTOCOL_KEY.length) ?? '';
  if (fromProtocol.length > 0) {
    return { secret: fromProtocol, source: 'subprotocol', beta, subprotocolsForLog };
  }
  return { secret: null, source: null, beta, subprotocolsForLog };
}

function headerValues(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** `Bearer <key>`, or `Basic` with the key as password (or user), as the live REST API accepts. */
function parseAuthorization(header: string | undefined): string | null {
  if (header === undefined) return null;
  const bearer = /^\s*bearer\s+(\S+)\s*$/i.exec(header);
  if (bearer) return bearer[1] ?? null;
  const basic = /^\s*basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!basic?.[1]) return null;
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon < 0 ? decoded : decoded.slice(0, colon);
  const password = colon < 0 ? '' : decoded.slice(colon + 1);
  const secret = password.length > 0 ? password : user;
  return secret.length > 0 ? secret : null;
}

/** Whether a bind address only accepts local connections (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const lower = bare.toLowerCase();
  if (lower === 'localhost' || lower.endsWith('.localhost')) return true;
  if (isIP(lower) === 4) return lower.startsWith('127.');
  if (isIP(lower) === 6) {
    if (lower === '::1' || lower === '0:0:0:0:0:0:0:1') return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
    return mapped?.[1]?.startsWith('127.') ?? false;
  }
  return false;
}

/** The outcome of checking credentials. */
export type AuthResult =
  | { ok: true; auth: SessionRequest['auth']; token: EphemeralTokenRecord | null }
  | { ok: false; error: FatalWireError };

/**
 * Checks presented credentials against the mode, the configured API keys and the ephemeral token store. Keys are
 * held only as SHA-256 digests and compared in constant time; ids given out for logs are short hashes.
 * An `ek_…` token is verified in every mode (an expired token fails even on an open server, as a client
 * relying on it would expect); other credentials are ignored in open mode.
 */
export class Authenticator {
  readonly mode: AuthMode;
  #keyDigests: Buffer[];
  #tokens: EphemeralTokenStore;

  constructor(options: { mode: AuthMode; keys: readonly string[]; tokens: EphemeralTokenStore }) {
    this.mode = options.mode;
    this.#keyDigests = options.keys.map((key) => sha256(key));
    this.#tokens = options.tokens;
  }

  /** For a WebSocket upgrade: an API key or an ephemeral token. */
  authenticate(secret: string | null): AuthResult {
    if (secret !== null && secret.startsWith(EPHEMERAL_TOKEN_PREFIX))
      return this.#checkToken(secret);
    if (this.mode === 'open') return { ok: true, auth: { kind: 'open' }, token: null };
    if (secret === null) return { ok: false, error: missingAuthError() };
    return this.#checkKey(secret);
  }

  /** For REST calls that need a standard key (minting client secrets): tokens are refused. */
  authenticateApiKey(secret: string | null): AuthResult {
    if (this.mode === 'open') return { ok: true, auth: { kind: 'open' }, token: null };
    if (secret === null) return { ok: false, error: missingAuthError() };
    if (secret.startsWith(EPHEMERAL_TOKEN_PREFIX))
      return { ok: false, error: invalidApiKeyError() };
    return this.#checkKey(secret);
  }

  #checkKey(secret: string): AuthResult {
    const candidate = sha256(secret);
    let matched = false;
    // Every digest is compared, so the time taken doesn't depend on which key (if any) matches.
    for (const digest of this.#keyDigests) {
      if (timingSafeEqual(candidate, digest)) matched = true;
    }
    if (!matched) return { ok: false, error: invalidApiKeyError() };
    return { ok: true, auth: { kind: 'api_key', keyId: secretId(secret) }, token: null };
  }

  #checkToken(secret: string): AuthResult {
    const found = this.#tokens.lookup(secret);
    if (!found.ok) {
      return {
        ok: false,
        error: found.reason === 'expired' ? expiredTokenError() : invalidApiKeyError(),
      };
    }
    return {
      ok: true,
      auth: { kind: 'ephemeral', tokenId: found.record.tokenId },
      token: found.record,
    };
  }
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
