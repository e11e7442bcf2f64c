import type { ResponseRun } from './response-run.js';
import type { CancelReason } from './response-types.js';

/**
 * The responses of one session that have not finished: at most one in-band (writing to the default conversation)
 * and any number of out-of-band ones. A response is claimed the moment `response.create` is accepted, before its
 * reply is prepared, so a second in-band create is refused at once and an early cancel is not lost.
 */
export class ActiveResponses {
  /** Claimed and not yet finished: id → whether it is out-of-band. */
  #claimed = new Map<string, { outOfBand: boolean }>();
  /** Cancels asked for while the response was still being prepared. */
  #earlyCancels = new Map<string, CancelReason>();
  #runs = new Map<string, ResponseRun>();
  #inBandId: string | null = null;

  /** The in-band response, from its acceptance to its `response.done`. */
  get inBandId(): string | null {
    return this.#inBandId;
  }

  claim(id: string, outOfBand: boolean): void {
    this.#claimed.set(id, { outOfBand });
    if (!outOfBand) this.#inBandId = id;
  }

  /** Starts tracking a prepared run; applies a cancel that came in while it was being prepared. */
  attach(run: ResponseRun): void {
    this.#runs.set(run.id, run);
    const early = this.#earlyCancels.get(run.id);
    if (early !== undefined) {
      this.#earlyCancels.delete(run.id);
      run.cancel(early);
    }
  }

  /** The response is over (done, dropped, or never started). */
  release(id: string): void {
    this.#claimed.delete(id);
    this.#earlyCancels.delete(id);
    this.#runs.delete(id);
    if (this.#inBandId === id) this.#inBandId = null;
  }

  /**
   * Cancels `id` (default: the in-band response); false when there is nothing to cancel — not claimed, or already
   * being cancelled.
   */
  cancel(id: string | undefined, reason: CancelReason): boolean {
    const target = id ?? this.#inBandId;
    if (target === null || !this.#claimed.has(target)) return false;
    const run = this.#runs.get(target);
    if (run) {
      if (run.cancelling) return false;
      run.cancel(reason);
      return true;
    }
    if (this.#earlyCancels.has(target)) return false;
    this.#earlyCancels.set(target, reason);
    return true;
  }

  /** The in-band run, if it is sending now. */
  get inBandRun(): ResponseRun | undefined {
    return this.#inBandId === null ? undefined : this.#runs.get(this.#inBandId);
  }

  /** Stops every run without sending anything more (the connection is gone). */
  dropAll(): void {
    for (const run of this.#runs.values()) run.drop();
    this.#runs.clear();
    this.#claimed.clear();
    this.#earlyCancels.clear();
    this.#inBandId = null;
  }
}
