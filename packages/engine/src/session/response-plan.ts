/**
 * What one response will produce, decided before the first event is sent: the output items and their payloads.
 * Pure data; `response-run.ts` turns it into paced events.
 */
export type PlannedOutput = PlannedMessage | PlannedFunctionCall;

export interface PlannedMessage {
  kind: 'message';
  itemId: string;
  /** `text` → an `output_text` part; `audio` → an `output_audio` part whose transcript is `text`. */
  modality: 'text' | 'audio';
  text: string;
  /** Encoded audio in the response's output format (audio modality only). */
  audio?: Uint8Array;
  /** Duration of `audio` in milliseconds. */
  audioMs?: number;
}

export interface PlannedFunctionCall {
  kind: 'function_call';
  itemId: string;
  callId: string;
  name: string;
  arguments: string;
}

/** Pacing of one response, in milliseconds and characters per second; 0 means unpaced. */
export interface ResponsePacing {
  firstDeltaMs: number;
  textCharsPerSecond: number;
  /** Audio is sent at its real duration divided by this factor; 0 = as fast as possible. */
  audioSpeed: number;
}

export const UNPACED: ResponsePacing = { firstDeltaMs: 0, textCharsPerSecond: 0, audioSpeed: 0 };

/** Splits text into token-like deltas: words with their trailing space, long words in pieces. */
export function splitTextDeltas(text: string, maxChars = 12): string[] {
  const out: string[] = [];
  const re = /\S+\s*|\s+/g;
  for (const match of text.matchAll(re)) {
    let piece = match[0];
    while (piece.length > maxChars) {
      out.push(piece.slice(0, maxChars));
      piece = piece.slice(maxChars);
    }
    if (piece.length > 0) out.push(piece);
  }
  return out;
}

/** Rough token counts, stable and monotonic, for usage accounting (≈ 4 characters a token; 1 audio token per 50 ms). */
export function textTokens(text: string): number {
  return text.length === 0 ? 0 : Math.max(1, Math.ceil(text.length / 4));
}

export function audioTokens(ms: number): number {
  return Math.ceil(ms / 50);
}
