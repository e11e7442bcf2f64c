import type { OutboundEvent, RunFault } from './response-types.js';

/** The `error` type of a fault's error code: `server_error` for server failures, else a request error. */
export function faultErrorType(code: string): string {
  return code === 'server_error' ? 'server_error' : 'invalid_request_error';
}

/** The error a failed response reports (in `status_details.error`, and in an `error` event for error faults). */
export function faultError(fault: Extract<RunFault, { type: 'error' | 'rate_limit' }>): {
  type: string;
  code: string;
  message: string;
} {
  if (fault.type === 'rate_limit') {
    return {
      type: 'invalid_request_error',
      code: 'rate_limit_exceeded',
      message: 'Rate limit reached for tokens. Please try again later.',
    };
  }
  return { type: faultErrorType(fault.code), code: fault.code, message: fault.message };
}

/**
 * `rate_limits.updated` after a response: live sends only a `tokens` entry. `remainingOverride` (0 for a rate-limit
 * fault) replaces the computed remainder.
 */
export function rateLimitsUpdated(
  limit: { limit: number; remaining: number },
  spentTokens: number,
  remainingOverride?: number,
): OutboundEvent {
  return {
    type: 'rate_limits.updated',
    rate_limits: [
      {
        name: 'tokens',
        limit: limit.limit,
        remaining: remainingOverride ?? Math.max(0, limit.remaining - spentTokens),
        reset_seconds: remainingOverride === 0 ? 10 : Number((spentTokens / 1000).toFixed(3)),
      },
    ],
  };
}
