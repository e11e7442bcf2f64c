import type { LoadedScenario } from './compile.js';
import type { Selection, SelectionInput } from './select.js';
import { selectReply } from './select.js';

export interface ScenarioResponderOptions {
  /** Clock for date filters (inject the session's clock in tests). */
  now?: () => Date;
  /** Zone for date filters; the scenario's `time_zone`, else the system's. */
  timeZone?: string;
  /** Replaces the scenario's pacing speed (0 = unpaced). */
  speed?: number;
}

/**
 * One session's view of a scenario: {@link selectReply} plus the per-session state it needs — how often each
 * response was used, so `replies:` lists rotate.
 */
export class ScenarioResponder {
  readonly scenario: LoadedScenario;
  readonly #options: ScenarioResponderOptions;
  readonly #uses = new Map<string, number>();

  constructor(scenario: LoadedScenario, options: ScenarioResponderOptions = {}) {
    this.scenario = scenario;
    this.#options = options;
  }

  /** Selects the reply for the next response and counts the use. */
  select(input: Omit<SelectionInput, 'uses'>): Selection {
    const full: SelectionInput = { ...input, uses: this.#uses };
    const now = input.now ?? this.#options.now?.();
    if (now !== undefined) full.now = now;
    const timeZone = input.timeZone ?? this.#options.timeZone;
    if (timeZone !== undefined) full.timeZone = timeZone;
    const speed = input.speed ?? this.#options.speed;
    if (speed !== undefined) full.speed = speed;
    const selection = selectReply(this.scenario, full);
    this.#uses.set(selection.responseId, (this.#uses.get(selection.responseId) ?? 0) + 1);
    return selection;
  }

  /** Forgets the usage counts. */
  reset(): void {
    this.#uses.clear();
  }
}
