import type { RunFault } from './session/response-run.js';

/** A fault a test or operator injects into running sessions. */
export type InjectedFault = RunFault | { type: 'session_expired' };

/** A queued fault: `sessionId` null means the first session to respond takes it. */
export interface PendingFault {
  readonly id: string;
  readonly sessionId: string | null;
  readonly fault: InjectedFault;
}

/**
 * Faults injected by a control call. `next response` faults wait in a queue and are taken by the next response of
 * the session they name (or of any session); immediate faults are applied at once by the engine.
 */
export class FaultController {
  #pending: PendingFault[] = [];
  #count = 0;

  /** Queues a fault for the next response of `sessionId` (or of whichever session responds first); returns its id. */
  injectNextResponse(fault: InjectedFault, sessionId: string | null = null): string {
    this.#count += 1;
    const id = `fault_${this.#count}`;
    this.#pending.push({ id, sessionId, fault });
    return id;
  }

  /** Faults still waiting, oldest first. */
  list(): readonly PendingFault[] {
    return [...this.#pending];
  }

  /** Faults still waiting. */
  get pending(): number {
    return this.#pending.length;
  }

  /** Drops every waiting fault; returns how many. */
  clear(): number {
    const dropped = this.#pending.length;
    this.#pending = [];
    return dropped;
  }

  nextResponseFault(sessionId: string): InjectedFault | undefined {
    const index = this.#pending.findIndex((p) => p.sessionId === null || p.sessionId === sessionId);
    if (index < 0) return undefined;
    const [taken] = this.#pending.splice(index, 1);
    return taken?.fault;
  }
}
