/** Something the heartbeat checks on every beat. */
export interface HeartbeatTarget {
  /** Terminates the peer if it missed the last ping, else pings it; also enforces hard time limits. */
  beat(): void;
}

/**
 * One server-wide interval that beats every open connection (as the `ws` README suggests): cheaper than a timer
 * per socket with a thousand sessions open. A peer therefore gets between one and two intervals to answer a ping.
 */
export class Heartbeat {
  #timer: ReturnType<typeof setInterval> | null = null;
  #intervalMs: number;
  #targets: () => Iterable<HeartbeatTarget>;

  constructor(intervalMs: number, targets: () => Iterable<HeartbeatTarget>) {
    this.#intervalMs = intervalMs;
    this.#targets = targets;
  }

  /** Starts beating; an interval of 0 disables the heartbeat. */
  start(): void {
    if (this.#timer !== null || this.#intervalMs <= 0) return;
    this.#timer = setInterval(() => {
      // Copy first: a beat may terminate a connection, which removes it from the live set.
      for (const target of [...this.#targets()]) target.beat();
    }, this.#intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }
}
