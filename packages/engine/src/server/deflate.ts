import type { PerMessageDeflateOptions } from 'ws';

/** Tuning of permessage-deflate, as given in the server options. */
export type DeflateOption =
  | boolean
  | {
      /** Frames smaller than this many bytes are sent uncompressed (default 4096). */
      threshold?: number;
      /** zlib level 0–9 (default 1). */
      level?: number;
      /** zlib memLevel 1–9 (default 5). */
      memLevel?: number;
      /** The server's LZ77 window, 9–15 bits (default 11). */
      windowBits?: number;
    };

/**
 * Defaults chosen by measurement (150 sessions streaming 20 ms audio both ways, see the server notes): a 4 KiB
 * threshold keeps `session.created` and audio deltas uncompressed, so an idle session allocates no zlib state; no
 * context takeover plus an 11-bit window and memLevel 5 keep an active session's deflate state small.
 */
const DEFAULT_THRESHOLD = 4096;
const DEFAULT_LEVEL = 1;
const DEFAULT_MEM_LEVEL = 5;
const DEFAULT_WINDOW_BITS = 11;

/** The `ws` configuration for an option, or false when disabled. */
export function deflateConfig(
  option: DeflateOption,
): (PerMessageDeflateOptions & { serverMaxWindowBits: number }) | false {
  if (option === false) return false;
  const given = option === true ? {} : option;
  return {
    // ws applies `threshold` only when server_no_context_takeover is negotiated, which the server may always ask.
    threshold: given.threshold ?? DEFAULT_THRESHOLD,
    serverNoContextTakeover: true,
    // Lets clients apply their own threshold (ws clients skip compressing small events then).
    clientNoContextTakeover: true,
    serverMaxWindowBits: given.windowBits ?? DEFAULT_WINDOW_BITS,
    zlibDeflateOptions: {
      level: given.level ?? DEFAULT_LEVEL,
      memLevel: given.memLevel ?? DEFAULT_MEM_LEVEL,
    },
  };
}

/**
 * Whether `ws` can accept the client's permessage-deflate offer with our window: a client asking for a smaller
 * server window than ours would get the handshake refused, so it is served without compression instead.
 */
export function deflateOfferFits(
  extensionsHeader: string | undefined,
  serverWindowBits: number,
): boolean {
  if (extensionsHeader === undefined) return true;
  for (const match of extensionsHeader.matchAll(/server_max_window_bits\s*=\s*"?(\d+)"?/gi)) {
    if (Number(match[1]) < serverWindowBits) return false;
  }
  return true;
}
