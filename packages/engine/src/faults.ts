import type { RunFault } from './session/response-run.js';

/** A fault a test or operator injects into running sessions. */
export type InjectedFault = RunFault | { type: 'session_expired' };

interface Pending {
  sessionId: string | null;
  fault: InjectedFault;
}

/**
 * Faults injected by a control call. `next response` faults wait in a queue and are taken by the next response of
 * the session they name (or of any session); immediate faults are applied at once by the engine.
 */
export class FaultController {
  #pending: Pending[] = [];

  /** Queues a fault for the next response of `sessionId` (or of whichever session responds first). */
  injectNextResponse(fault: InjectedFault, sessionId: string | null = null): void {
    this.#pending.push({ sessionId, fault });
  }

  /** Faults still waiting. */
  get pending(): number {
    return this.#pending.length;
  }

  clear(): void {
    this.#pending = [];
  }

  nextResponseFault(sessionId: string): InjectedFault | undefined {
    const index = this.#pending.findIndex((p) => p.sessionId === null || p.sessionId === sessionId);
    if (index < 0) return undefined;
    const [taken] = this.#pending.splice(index, 1);
    return taken?.fault;
  }
}
