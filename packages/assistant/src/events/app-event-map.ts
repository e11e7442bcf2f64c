import type { ConnectionState, TurnState } from '../conversation/conversation-state.js';
import type { UsageTotals } from '../conversation/usage-totals.js';
import type { UnfinishedResponse } from '../conversation/response-outcome.js';

/** Who said something. */
export type Speaker = 'user' | 'assistant';

/** Why an interruption happened. */
export type InterruptionReason = 'speech_started' | 'manual' | 'paused';

/**
 * Every event of the app, by name, with its payload. The UI (terminal, web, NDJSON) listens to these and to
 * nothing else.
 */
export interface AppEventMap {
  /** The connection moved to a new state. */
  connection_changed: { state: ConnectionState; previous: ConnectionState['status'] };
  /** The realtime session started (first `session.created` of a connection). */
  session_started: { realtimeSessionId: string; model: string; url: string };
  /** The turn moved to a new state. */
  turn_changed: { state: TurnState; previous: TurnState };
  /** Part of a transcript arrived; `text` is everything so far, `order` the item's place in the conversation. */
  transcript_delta: {
    speaker: Speaker;
    itemId: string;
    order: number;
    delta: string;
    text: string;
  };
  /** A transcript is complete (`interrupted` when the reply was cut off). */
  transcript_final: {
    speaker: Speaker;
    itemId: string;
    order: number;
    text: string;
    interrupted: boolean;
  };
  /** An item left the conversation (deleted after an interruption before any of it was heard). */
  transcript_removed: { itemId: string };
  /** A response ended without completing: failed (rate limit, server error), cut short, or cancelled. */
  response_unfinished: UnfinishedResponse;
  /** Token totals after a `response.done`. */
  usage_updated: { totals: UsageTotals; response: UsageTotals };
  /** Something went wrong; `recoverable` says whether the conversation goes on. */
  error: {
    source: 'server' | 'transport' | 'audio' | 'tool' | 'app';
    message: string;
    code?: string;
    recoverable: boolean;
  };
  /** Microphone or speaker level, in dBFS. */
  audio_level: { direction: 'input' | 'output'; db: number };
  /** Playback stopped because the user cut in; what was heard and what the item was cut to. */
  interrupted: {
    reason: InterruptionReason;
    itemId: string;
    /** Milliseconds the sink reported as played for this item. */
    played_ms: number;
    /** `audio_end_ms` sent with the truncate (played, clamped to the audio received), or null when deleted. */
    truncated_ms: number | null;
    received_ms: number;
    /**
     * `truncate`: the audio was cut where it was heard; `delete`: none of it was heard, so the item is gone;
     * `cancel`: a reply with no audio (text) was stopped where it had got to.
     */
    action: 'truncate' | 'delete' | 'cancel';
    /** Whether the client sent `response.cancel` (false when the server cancels by itself or it was done). */
    cancelled: boolean;
  };
  /**
   * A typed message waits for the turn under way (`until: 'turn_over'`) or the reconnect, and goes then; `waiting`
   * counts it. `interrupting`: it is cutting the reply short (`typedWhileAnswering: 'interrupt'`) and goes once that
   * is done.
   */
  message_queued: {
    text: string;
    waiting: number;
    until: 'turn_over' | 'reconnected';
    interrupting: boolean;
  };
  /** The connection dropped; a new attempt follows after `delayMs`. */
  reconnecting: { attempt: number; delayMs: number; reason: string };
  /** A new connection is up and the conversation was replayed into it. */
  reconnected: { attempt: number; replayedItems: number };
  /** The session was replaced before its expiry. */
  session_rotated: { previousSessionId: string; realtimeSessionId: string; replayedItems: number };
  /** The model called a tool. */
  tool_call: { callId: string; name: string; arguments: string };
  /** A tool finished. */
  tool_result: { callId: string; name: string; output: string; error?: string };
  /** A recording was written. */
  recording_saved: { path: string; durationMs: number };
  /** The user said goodbye; the app ends after the farewell. */
  farewell: { text: string };
  /** A listener threw; the other listeners still ran. */
  listener_error: { event: string; message: string };
}

/** The name of an app event. */
export type AppEventName = keyof AppEventMap;
