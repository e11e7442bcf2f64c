import type { ControllerClock, TimerHandle } from '../../src/index.js';

/** A timer the test decides to fire. */
export interface ManualTimer {
  readonly id: number;
  readonly delayMs: number;
  readonly at: number;
  readonly callback: () => void;
}

/**
 * A {@link ControllerClock} whose time moves only when the test says: timers wait until {@link advance} (or
 * {@link fire}) runs them, and {@link nextTimer} resolves when the code under test sets one.
 */
export class ManualClock implements ControllerClock {
  nowMs: number;
  readonly #timers = new Map<number, ManualTimer>();
  #nextId = 1;
  #waiters: ((timer: ManualTimer) => void)[] = [];

  constructor(startMs = Date.now()) {
    this.nowMs = startMs;
  }

  now(): number {
    return this.nowMs;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const timer: ManualTimer = { id: this.#nextId++, delayMs: ms, at: this.nowMs + ms, callback };
    this.#timers.set(timer.id, timer);
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake(timer);
    return timer.id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.#timers.delete(handle as number);
  }

  /** Timers set and not yet fired or cleared, soonest first. */
  pending(): ManualTimer[] {
    return [...this.#timers.values()].sort((a, b) => a.at - b.at);
  }

  /** Resolves with the next timer set from now on. */
  nextTimer(): Promise<ManualTimer> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Moves time forward by `ms`, firing every timer that falls due, in order. */
  advance(ms: number): void {
    this.nowMs += ms;
    for (const timer of this.pending()) {
      if (timer.at > this.nowMs) break;
      this.fire(timer);
    }
  }

  /** Fires one timer now (moving time to it when it lies ahead). */
  fire(timer: ManualTimer): void {
    if (!this.#timers.delete(timer.id)) throw new Error(`timer ${timer.id} is not pending`);
    this.nowMs = Math.max(this.nowMs, timer.at);
    timer.callback();
  }
}
