/** Why a Flite synthesis failed. */
export type FliteErrorCode =
  /** `flite.wasm` could not be read or compiled (a missing or corrupt install), or no worker could start. */
  | 'load_failed'
  /** Flite ran but returned an error for this text. */
  | 'synthesis_failed'
  /** The call took longer than the configured limit; its worker was terminated and replaced. */
  | 'timeout'
  /** The worker running the call crashed; it was replaced. */
  | 'worker_crashed'
  /** More calls are waiting than the queue allows. */
  | 'queue_full'
  /** The synthesiser was closed. */
  | 'closed';

/** A failed Flite call. `recoverable` says whether retrying the same call later may succeed. */
export class FliteError extends Error {
  override readonly name = 'FliteError';
  readonly code: FliteErrorCode;

  constructor(code: FliteErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  get recoverable(): boolean {
    return this.code === 'timeout' || this.code === 'worker_crashed' || this.code === 'queue_full';
  }
}
