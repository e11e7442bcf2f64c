/** How reconnect attempts are spaced and when they stop. */
export interface BackoffPolicy {
  /** Delay before the first attempt. Default 250 ms. */
  readonly baseDelayMs: number;
  /** Growth per attempt. Default 2. */
  readonly factor: number;
  /** Cap on the delay before jitter. Default 10 s. */
  readonly maxDelayMs: number;
  /** Relative jitter, ±: 0.2 spreads a delay over 80–120 %. Default 0.2. */
  readonly jitter: number;
  /** Attempts before giving up. Default 8. */
  readonly maxAttempts: number;
}

/** The default reconnect policy: 250 ms × 2^n, capped at 10 s, ±20 % jitter, 8 attempts. */
export const DEFAULT_BACKOFF: BackoffPolicy = {
  baseDelayMs: 250,
  factor: 2,
  maxDelayMs: 10_000,
  jitter: 0.2,
  maxAttempts: 8,
};

/**
 * The delay before reconnect attempt `attempt` (1-based): `base × factor^(attempt-1)`, capped, then spread by
 * ±jitter with `random()` in [0, 1) so that many clients dropped at once do not return at once.
 */
export function backoffDelayMs(
  attempt: number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, attempt - 1);
  const capped = Math.min(policy.maxDelayMs, policy.baseDelayMs * policy.factor ** exponent);
  const spread = 1 + policy.jitter * (2 * random() - 1);
  return Math.max(0, Math.round(capped * spread));
}
