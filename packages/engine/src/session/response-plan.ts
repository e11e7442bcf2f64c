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
  /**
   * Instead of `audio`: the audio as it is synthesised, piece by piece (already encoded), so the response can start
   * before the whole reply is ready. The pieces' texts joined give `text`.
   */
  audioStream?: AsyncIterator<EncodedPiece, void>;
}

/** One encoded piece of a streamed reply and the slice of its text it speaks. */
export interface EncodedPiece {
  text: string;
  audio: Uint8Array;
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

/**
 * When each word of a transcript starts in its audio, proportional to its character offset, so the transcript
 * deltas lead their audio by at most one chunk.
 */
export function wordStartTimes(words: readonly string[], totalMs: number): number[] {
  const length = Math.max(
    1,
    words.reduce((n, w) => n + w.length, 0),
  );
  const starts: number[] = [];
  let offset = 0;
  for (const word of words) {
    starts.push((offset / length) * totalMs);
    offset += word.length;
  }
  return starts;
}

/** The `usage` of a response from its input tokens and what it output. */
export function responseUsage(
  input: { text: number; audio: number },
  outputText: string,
  outputAudioMs: number,
): Record<string, unknown> {
  const outText = textTokens(outputText);
  const outAudio = audioTokens(outputAudioMs);
  const inputTotal = input.text + input.audio;
  return {
    total_tokens: inputTotal + outText + outAudio,
    input_tokens: inputTotal,
    output_tokens: outText + outAudio,
    input_token_details: {
      text_tokens: input.text,
      audio_tokens: input.audio,
      image_tokens: 0,
      cached_tokens: 0,
      cached_tokens_details: { text_tokens: 0, audio_tokens: 0, image_tokens: 0 },
    },
    output_token_details: { text_tokens: outText, audio_tokens: outAudio },
  };
}
