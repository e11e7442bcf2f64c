/** Where to cut the assistant's audio item when the user interrupts. */
export interface PlaybackCut {
  readonly itemId: string;
  readonly contentIndex: number;
  /** Milliseconds of this item the sink played. */
  readonly playedMs: number;
  /** Milliseconds of this item received from the server. */
  readonly receivedMs: number;
  /** `audio_end_ms` for the truncate: played, clamped to received, whole ms; 0 means delete the item. */
  readonly audioEndMs: number;
}

interface CurrentItem {
  itemId: string;
  contentIndex: number;
  /** Position of the item's first audio on the sink's timeline (ms written before it). */
  startMs: number;
  receivedMs: number;
}

/**
 * Maps the sink's timeline (ms played since its last stop) onto the assistant item being played, so an
 * interruption truncates the item at what was actually heard. Pure; no timers, no I/O.
 */
export class PlaybackTracker {
  #writtenMs = 0;
  #current: CurrentItem | null = null;
  /** Items already cut: audio still in flight for them must not be played. */
  readonly #cut = new Set<string>();

  /** Records `ms` of audio of an item; returns whether it should go to the sink. */
  received(itemId: string, contentIndex: number, ms: number): boolean {
    if (this.#cut.has(itemId)) return false;
    if (this.#current?.itemId !== itemId) {
      this.#current = { itemId, contentIndex, startMs: this.#writtenMs, receivedMs: 0 };
    }
    this.#current.receivedMs += ms;
    this.#writtenMs += ms;
    return true;
  }

  /** The item being played, if any of its audio is still unplayed at `sinkPlayedMs`. */
  unplayedMs(sinkPlayedMs: number): number {
    const current = this.#current;
    if (!current) return 0;
    return Math.max(0, current.startMs + current.receivedMs - sinkPlayedMs);
  }

  /** The item being played (or last played), if any. */
  get currentItemId(): string | null {
    return this.#current?.itemId ?? null;
  }

  /**
   * Cuts playback at `sinkPlayedMs` (what the sink reported when it stopped): returns where to truncate the
   * current item, or null when there is none. Resets the timeline, as the sink's stop does.
   */
  cut(sinkPlayedMs: number): PlaybackCut | null {
    const current = this.#current;
    this.#current = null;
    this.#writtenMs = 0;
    if (!current) return null;
    this.#cut.add(current.itemId);
    const playedMs = Math.max(0, sinkPlayedMs - current.startMs);
    const audioEndMs = Math.floor(Math.min(playedMs, current.receivedMs));
    return {
      itemId: current.itemId,
      contentIndex: current.contentIndex,
      playedMs,
      receivedMs: current.receivedMs,
      audioEndMs,
    };
  }

  /** Forgets everything (a new connection). */
  reset(): void {
    this.#current = null;
    this.#writtenMs = 0;
    this.#cut.clear();
  }
}
