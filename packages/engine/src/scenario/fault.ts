import type { ScenarioFault } from './schema.js';

/**
 * A fault with its defaults filled in, camelCased for the engine. `error`, `close`, `stall`, `rate_limit` and `refuse`
 * have the shape of the session's `RunFault`; `session_expired` ends the session early.
 */
export type ResolvedFault =
  | { type: 'error'; code: string; message: string; param: string | null; fatal: boolean }
  | { type: 'close'; afterEvents: number; code: number; reason: string }
  | { type: 'stall'; ms: number }
  | { type: 'rate_limit' }
  | { type: 'refuse'; code: string; message: string }
  | { type: 'session_expired' };

const ERROR_MESSAGES: Readonly<Record<string, string>> = {
  server_error: 'The server had an error while processing your request. Sorry about that!',
  rate_limit_exceeded: 'Rate limit reached. Please try again later.',
  session_expired: 'Your session hit the maximum duration of 60 minutes.',
  conversation_already_has_active_response:
    'Conversation already has an active response in progress. Wait until the response is finished before creating a new one.',
};

/** What a refused `response.create` says by default: the refusal a client most often meets. */
const DEFAULT_REFUSAL = 'conversation_already_has_active_response';

/** Close code 1011 (internal error) after three events: mid-response for every turn type. */
export const DEFAULT_CLOSE = { afterEvents: 3, code: 1011, reason: 'server_error.fault_injected' };

/** Fills in a fault's defaults. */
export function resolveFault(fault: ScenarioFault): ResolvedFault {
  switch (fault.type) {
    case 'error':
      return {
        type: 'error',
        code: fault.code,
        message: fault.message ?? ERROR_MESSAGES[fault.code] ?? `Injected fault: ${fault.code}.`,
        param: fault.param ?? null,
        fatal: fault.fatal ?? false,
      };
    case 'close':
      return {
        type: 'close',
        afterEvents: fault.after_events ?? DEFAULT_CLOSE.afterEvents,
        code: fault.code ?? DEFAULT_CLOSE.code,
        reason: fault.reason ?? DEFAULT_CLOSE.reason,
      };
    case 'stall':
      return { type: 'stall', ms: fault.ms };
    case 'rate_limit':
      return { type: 'rate_limit' };
    case 'refuse': {
      const code = fault.code ?? DEFAULT_REFUSAL;
      return {
        type: 'refuse',
        code,
        message: fault.message ?? ERROR_MESSAGES[code] ?? `Injected fault: ${code}.`,
      };
    }
    case 'session_expired':
      return { type: 'session_expired' };
  }
}

/** Close codes a server may send (RFC 6455 §7.4 plus the 3000–4999 application range). */
export function isSendableCloseCode(code: number): boolean {
  return (
    code === 1000 ||
    (code >= 1001 && code <= 1003) ||
    (code >= 1007 && code <= 1014) ||
    (code >= 3000 && code <= 4999)
  );
}
