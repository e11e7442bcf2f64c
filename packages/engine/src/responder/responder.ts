import type { ResponsePacing } from '../session/response-plan.js';
import type { RunFault } from '../session/response-run.js';

/** What the session knows when it asks for a reply. */
export interface ReplyRequest {
  /** The latest user text: typed text or the transcript of the latest user audio. */
  text: string;
  /** Number of user messages so far (1 for the first). */
  turn: number;
  /** Output modalities of this response. */
  modalities: ('text' | 'audio')[];
  /** Set when the response follows a `function_call_output` item. */
  functionOutput?: { name: string; output: string; callId: string };
  /** 0-based count of responses this session has produced. */
  responseIndex: number;
  /** Function tools available to this response. */
  toolNames: string[];
  /** `tool_choice` when it asks for a call: `required`, or one function by name (absent: `auto` or `none`). */
  toolChoice?: 'required' | { name: string };
  /** The response's effective instructions. */
  instructions: string;
}

export type ReplyAudio =
  { kind: 'wav'; path: string } | { kind: 'tone'; frequency: number; durationMs: number };

/** A scripted reply, resolved: templates filled, pacing in milliseconds. */
export interface Reply {
  text?: string;
  audio?: ReplyAudio;
  functionCalls: { name: string; arguments: string }[];
  fault?: RunFault | { type: 'session_expired' };
  pacing: ResponsePacing;
  /** Which scripted response produced this (for logs and the test kit). */
  source: string;
}

/** Chooses the reply to a response request. Scenario files are the default implementation. */
export interface Responder {
  reply(request: ReplyRequest): Reply | Promise<Reply>;
}
