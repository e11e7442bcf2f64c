import type { IncomingMessage, ServerResponse } from 'node:http';

/** Headers a browser client of the REST routes may send. */
const ALLOWED_REQUEST_HEADERS =
  'Authorization, Content-Type, OpenAI-Beta, OpenAI-Organization, OpenAI-Project, X-OpenAI-Agents-SDK';
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * Which browser origins may call the REST routes: `'*'` (any), a list of exact origins, or `null` (no CORS
 * headers at all, so browsers are refused by their own same-origin policy).
 */
export class CorsPolicy {
  #any: boolean;
  #origins: ReadonlySet<string>;

  constructor(allow: '*' | readonly string[] | null) {
    this.#any = allow === '*';
    this.#origins = new Set(Array.isArray(allow) ? allow : []);
  }

  /** The `Access-Control-Allow-Origin` value for a request origin, or null when it isn't allowed. */
  allowedOrigin(origin: string | undefined): string | null {
    if (this.#any) return '*';
    if (origin !== undefined && this.#origins.has(origin)) return origin;
    return null;
  }

  /** Adds the CORS headers for an actual (non-preflight) request. */
  apply(req: IncomingMessage, res: ServerResponse): void {
    const allowed = this.allowedOrigin(req.headers.origin);
    if (!this.#any && this.#origins.size > 0) res.setHeader('Vary', 'Origin');
    if (allowed === null) return;
    res.setHeader('Access-Control-Allow-Origin', allowed);
    // agents-realtime reads the call id from `Location` after POST /v1/realtime/calls.
    res.setHeader('Access-Control-Expose-Headers', 'Location');
  }

  /** Answers an `OPTIONS` preflight for a route that accepts `methods`. */
  preflight(req: IncomingMessage, res: ServerResponse, methods: readonly string[]): void {
    this.apply(req, res);
    if (this.allowedOrigin(req.headers.origin) !== null) {
      res.setHeader('Access-Control-Allow-Methods', [...methods, 'OPTIONS'].join(', '));
      res.setHeader('Access-Control-Allow-Headers', ALLOWED_REQUEST_HEADERS);
      res.setHeader('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_SECONDS));
    }
    res.statusCode = 204;
    res.end();
  }
}
