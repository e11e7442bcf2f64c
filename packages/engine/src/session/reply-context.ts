import { audioTokens, textTokens } from './response-plan.js';

type Json = Record<string, unknown>;

/** What a response sees of the conversation: the latest user text, the turn count, a function follow-up. */
export interface ReplyContext {
  text: string;
  turn: number;
  /** The latest user message's item id (its audio may still be being recognised). */
  lastUserItemId?: string;
  functionOutput?: { name: string; output: string; callId: string };
  inputTokens: { text: number; audio: number };
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** The text of a message item: its text parts and transcripts, joined. */
export function messageText(item: Json): string {
  const parts = Array.isArray(item.content) ? (item.content as Json[]) : [];
  return parts
    .map((p) => str(p.text) || str(p.transcript))
    .join(' ')
    .trim();
}

/**
 * Reads the context of a response from the items it sees (`items`: the default conversation, or the response's
 * `input`), with `lookup` finding referenced items in the default conversation.
 */
export function readReplyContext(
  items: readonly Json[],
  lookup: readonly Json[],
  instructions: string,
  audioMs: number,
): ReplyContext {
  let text = '';
  let turn = 0;
  let lastUserItemId: string | undefined;
  let textChars = 0;
  for (const item of items) {
    if (item.type === 'message') {
      const itemText = messageText(item);
      textChars += itemText.length;
      if (item.role === 'user') {
        turn += 1;
        text = itemText;
        lastUserItemId = typeof item.id === 'string' ? item.id : undefined;
      }
    } else if (item.type === 'function_call_output') {
      textChars += str(item.output).length;
    } else if (item.type === 'function_call') {
      textChars += str(item.arguments).length;
    }
  }
  const last = items.at(-1);
  let functionOutput: ReplyContext['functionOutput'];
  if (last?.type === 'function_call_output') {
    const callId = str(last.call_id);
    const isCall = (i: Json): boolean => i.type === 'function_call' && i.call_id === callId;
    const call = items.find(isCall) ?? lookup.find(isCall);
    functionOutput = { name: str(call?.name), output: str(last.output), callId };
  }
  return {
    text,
    turn,
    ...(lastUserItemId !== undefined ? { lastUserItemId } : {}),
    ...(functionOutput ? { functionOutput } : {}),
    inputTokens: {
      text: textTokens(instructions) + Math.ceil(textChars / 4),
      audio: audioTokens(audioMs),
    },
  };
}
