/**
 * A noise-floor tracker by minimum statistics: the floor is the quietest frame level over the last
 * couple of seconds, so a steady background becomes the floor within that window, while speech,
 * which keeps dipping between syllables, does not lift it.
 */

/** Options for {@link NoiseFloor}. */
export interface NoiseFloorOptions {
  /** Length of one block of the minimum window, in ms (default 200). */
  blockMs?: number;
  /** Blocks in the window (default 10, i.e. 2 s). */
  blocks?: number;
  /** The floor never goes below this (dBFS), so digital silence does not make dither speech (default −60). */
  minimumDb?: number;
  /**
   * Blocks that start out at `minimumDb` (default 2): a quiet-room prior that lets speech at the
   * very start of a stream be heard, and gives way to the observed floor after that many blocks.
   */
  priorBlocks?: number;
}

/** See the file comment. */
export class NoiseFloor {
  readonly #blockMs: number;
  readonly #minimumDb: number;
  readonly #priorBlocks: number;
  /** Minimum level of each finished block, oldest first (a ring). */
  readonly #blockMins: Float64Array;
  #ring = 0;
  #currentMin = Number.POSITIVE_INFINITY;
  #currentMs = 0;
  #floorDb: number;

  constructor(options: NoiseFloorOptions = {}) {
    this.#blockMs = options.blockMs ?? 200;
    this.#minimumDb = options.minimumDb ?? -60;
    this.#blockMins = new Float64Array(options.blocks ?? 10);
    this.#priorBlocks = options.priorBlocks ?? 2;
    this.#floorDb = this.#minimumDb;
    this.reset();
  }

  /** The current floor in dBFS. */
  get db(): number {
    return this.#floorDb;
  }

  /** Adds a frame's level (dBFS) lasting `durationMs`, then returns the floor. */
  update(levelDb: number, durationMs: number): number {
    if (levelDb < this.#currentMin) this.#currentMin = levelDb;
    // A drop takes effect at once; a rise only once the quieter blocks have left the window.
    if (levelDb < this.#floorDb) this.#floorDb = Math.max(this.#minimumDb, levelDb);
    this.#currentMs += durationMs;
    if (this.#currentMs >= this.#blockMs) {
      this.#blockMins[this.#ring] = this.#currentMin;
      this.#ring = (this.#ring + 1) % this.#blockMins.length;
      this.#currentMin = Number.POSITIVE_INFINITY;
      this.#currentMs = 0;
      let min = Number.POSITIVE_INFINITY;
      for (const value of this.#blockMins) if (value < min) min = value;
      this.#floorDb = Math.max(this.#minimumDb, min);
    }
    return this.#floorDb;
  }

  /** Back to the prior: a quiet room at the minimum level, nothing observed yet. */
  reset(): void {
    // The ring overwrites index 0 first, so the prior blocks are the first to go.
    this.#blockMins.fill(Number.POSITIVE_INFINITY);
    this.#blockMins.fill(this.#minimumDb, 0, this.#priorBlocks);
    this.#ring = 0;
    this.#currentMin = Number.POSITIVE_INFINITY;
    this.#currentMs = 0;
    this.#floorDb = this.#minimumDb;
  }
}
