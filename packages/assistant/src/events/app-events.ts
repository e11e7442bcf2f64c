import type { AppEventMap, AppEventName } from './app-event-map.js';

/** A listener of one event. */
export type AppListener<K extends AppEventName> = (payload: AppEventMap[K]) => void;
/** A listener of every event. */
export type AnyAppListener = <K extends AppEventName>(name: K, payload: AppEventMap[K]) => void;

/** Where a throwing listener is reported when `listener_error` itself has no listener (or throws). */
export type ListenerErrorReporter = (event: string, error: unknown) => void;

/**
 * The app's one typed event emitter. Listeners are isolated: one that throws is reported (as a `listener_error`
 * event, or to the reporter given here) and the others still run.
 */
export class AppEvents {
  readonly #listeners = new Map<AppEventName, Set<(payload: never) => void>>();
  readonly #any = new Set<AnyAppListener>();
  readonly #report: ListenerErrorReporter;

  constructor(report: ListenerErrorReporter = () => {}) {
    this.#report = report;
  }

  /** Adds a listener; returns a function that removes it. */
  on<K extends AppEventName>(name: K, listener: AppListener<K>): () => void {
    let set = this.#listeners.get(name);
    if (!set) this.#listeners.set(name, (set = new Set()));
    set.add(listener);
    return () => this.off(name, listener);
  }

  off<K extends AppEventName>(name: K, listener: AppListener<K>): void {
    this.#listeners.get(name)?.delete(listener);
  }

  /** Adds a listener that runs once. */
  once<K extends AppEventName>(name: K, listener: AppListener<K>): () => void {
    const wrapper: AppListener<K> = (payload) => {
      this.off(name, wrapper);
      listener(payload);
    };
    return this.on(name, wrapper);
  }

  /** Resolves with the next payload of `name` (optionally the next one that matches). */
  next<K extends AppEventName>(
    name: K,
    match: (payload: AppEventMap[K]) => boolean = () => true,
  ): Promise<AppEventMap[K]> {
    return new Promise((resolve) => {
      const off = this.on(name, (payload) => {
        if (!match(payload)) return;
        off();
        resolve(payload);
      });
    });
  }

  /** A wildcard tap: sees every event after its own listeners. Returns a function that removes it. */
  onAny(listener: AnyAppListener): () => void {
    this.#any.add(listener);
    return () => this.#any.delete(listener);
  }

  offAny(listener: AnyAppListener): void {
    this.#any.delete(listener);
  }

  /** Calls every listener of `name`, then every wildcard tap, each isolated from the others. */
  emit<K extends AppEventName>(name: K, payload: AppEventMap[K]): void {
    for (const listener of [...(this.#listeners.get(name) ?? [])]) {
      this.#call(name, () => (listener as AppListener<K>)(payload));
    }
    for (const listener of [...this.#any]) this.#call(name, () => listener(name, payload));
  }

  /** How many listeners `name` has (wildcard taps not counted). */
  listenerCount(name: AppEventName): number {
    return this.#listeners.get(name)?.size ?? 0;
  }

  #call(name: AppEventName, run: () => void): void {
    try {
      run();
    } catch (error) {
      this.#reportListenerError(name, error);
    }
  }

  #reportListenerError(name: AppEventName, error: unknown): void {
    this.#safeReport(name, error);
    // A throwing listener of listener_error itself is only reported, so this never recurses.
    if (name === 'listener_error') return;
    const message = error instanceof Error ? error.message : String(error);
    this.emit('listener_error', { event: name, message });
  }

  #safeReport(name: string, error: unknown): void {
    try {
      this.#report(name, error);
    } catch {
      // The reporter is the last resort; nothing further to do.
    }
  }
}
