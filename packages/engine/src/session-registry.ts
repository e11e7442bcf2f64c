import type { RealtimeSessionMachine, SessionObserver } from './session/session.js';

type Event = { type: string } & Record<string, unknown>;

/** A session as the engine's owner sees it: the state machine and, when recording, every event both ways. */
export interface SessionRecord {
  readonly id: string;
  readonly machine: RealtimeSessionMachine;
  /** Client events the session accepted, in order (recording only). */
  readonly received: Event[];
  /** Server events the session sent, in order (recording only). */
  readonly sent: Event[];
  open: boolean;
}

type Waiter = (record: SessionRecord) => void;

/** Open (and, while recording, closed) sessions of an engine, and an observer that fills them in. */
export class SessionRegistry implements SessionObserver {
  #records = new Map<string, SessionRecord>();
  #waiters: Waiter[] = [];

  constructor(readonly recording: boolean) {}

  add(machine: RealtimeSessionMachine): SessionRecord {
    const record: SessionRecord = { id: machine.id, machine, received: [], sent: [], open: true };
    this.#records.set(machine.id, record);
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter(record);
    return record;
  }

  get(id: string): SessionRecord | undefined {
    return this.#records.get(id);
  }

  /** Sessions in the order they opened. */
  list(): SessionRecord[] {
    return [...this.#records.values()];
  }

  /** Resolves with the next session to open (or the latest open one if `existing` and there is one). */
  next(): Promise<SessionRecord> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  clientEvent(sessionId: string, event: Event): void {
    if (this.recording) this.#records.get(sessionId)?.received.push(event);
  }

  serverEvent(sessionId: string, event: Event): void {
    if (this.recording) this.#records.get(sessionId)?.sent.push(event);
  }

  closed(sessionId: string): void {
    const record = this.#records.get(sessionId);
    if (!record) return;
    record.open = false;
    if (!this.recording) this.#records.delete(sessionId);
  }
}
