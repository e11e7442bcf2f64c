/** Opaque timer handle of a {@link ControllerClock}. */
export type TimerHandle = object | number;

/**
 * Time as the conversation controller sees it for reconnect backoff and session rotation, injectable so tests
 * decide when a delay has passed.
 */
export interface ControllerClock {
  /** Milliseconds since the epoch (compared with the session's `expires_at`). */
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The real clock. */
export const systemClock: ControllerClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
