/** The types a response run is built from and talks through. */
import type { Clock } from './clock.js';
import type { PlannedOutput, ResponsePacing } from './response-plan.js';

/** Why a response ended early. */
export type CancelReason = 'client_cancelled' | 'turn_detected';

/** A fault that acts inside one response (from the scenario or injected). */
export type RunFault =
  | { type: 'error'; code: string; message: string; param?: string | null; fatal?: boolean }
  | { type: 'close'; afterEvents: number; code: number; reason: string }
  | { type: 'stall'; ms: number }
  | { type: 'rate_limit' }
  /** The `response.create` is refused: an `error` naming it, no response. */
  | { type: 'refuse'; code: string; message: string };

/** Server event without its `event_id`; the session stamps one on when it sends. */
export type OutboundEvent = { type: string } & Record<string, unknown>;

export interface ResponseRunDeps {
  clock: Clock;
  emit(event: OutboundEvent): void;
  /** In-band responses add their items to the default conversation as they start; returns the previous item id. */
  addItem?: (item: WireItem) => string | null;
  /** The final state of an in-band item (completed or incomplete). */
  finishItem?: (item: WireItem, audio: Uint8Array | undefined, audioMs: number) => void;
  /** An in-band item's content part started (its empty part). */
  partStarted?: (itemId: string, part: NonNullable<WireItem['content']>[number]) => void;
  /** Audio bytes of `itemId` actually sent so far (truncate bounds). */
  audioSent?: (itemId: string, sentMs: number) => void;
  /** Bytes → milliseconds for the response's output format. */
  bytesToMs(bytes: number): number;
  /** Milliseconds → whole-sample bytes for the response's output format. */
  msToBytes(ms: number): number;
  /** Base64 at the JSON edge. */
  toBase64(bytes: Uint8Array): string;
  /** Closes the connection (close fault). */
  closeConnection(code: number, reason: string): void;
  /** Called once, when the run is about to send its first delta (for the latency metric). */
  onFirstDelta?: () => void;
  /** Called once the run has sent `response.done` (or was dropped by a closed connection). */
  onFinished(run: FinishedRun): void;
}

export interface WireItem {
  id: string;
  object: 'realtime.item';
  type: 'message' | 'function_call';
  status: 'in_progress' | 'completed' | 'incomplete';
  role?: 'assistant';
  content?: Array<
    { type: 'output_text'; text: string } | { type: 'output_audio'; transcript: string }
  >;
  call_id?: string;
  name?: string;
  arguments?: string;
}

export interface ResponseRunOptions {
  id: string;
  conversationId: string | null;
  outputModalities: ('text' | 'audio')[];
  maxOutputTokens: number | 'inf';
  audioOutput: { format: unknown; voice: unknown };
  metadata: Record<string, string> | null;
  plan: PlannedOutput[];
  pacing: ResponsePacing;
  inputTokens: { text: number; audio: number };
  fault?: RunFault;
  /** Milliseconds of audio per `response.output_audio.delta`. */
  audioChunkMs?: number;
  rateLimit?: { limit: number; remaining: number };
}

/** What the session reads of a run once it has finished. */
export interface FinishedRun {
  readonly id: string;
  /** Written to the default conversation (not out-of-band). */
  readonly inBand: boolean;
  /** Milliseconds of audio the response sent. */
  readonly outputAudioMs: number;
  /** Milliseconds from start to the first delta, if there was one. */
  readonly firstDeltaLatencyMs: number | null;
}
