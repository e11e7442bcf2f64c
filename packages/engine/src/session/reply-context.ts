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

function isSpace(code: number): boolean {
  // What String.prototype.trim removes in practice: ASCII whitespace, NBSP, the BOM and the Unicode spaces.
  return (
    code <= 32 ||
    code === 0xa0 ||
    code === 0x1680 ||
    code === 0xfeff ||
    (code >= 0x2000 && code <= 0x3000)
  );
}

/**
 * `messageText(item).length` without building the text: it runs for every item a response's `input` holds, and
 * for every recount of a conversation item (`Conversation.refresh`, once per audio chunk of a streaming reply).
 * Falls back to the exact text when an edge may be trimmed.
 */
function messageTextLength(item: Json): number {
  const parts = Array.isArray(item.content) ? (item.content as Json[]) : [];
  let length = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const text = str(part.text) || str(part.transcript);
    if (
      text.length > 0 &&
      (isSpace(text.charCodeAt(0)) || isSpace(text.charCodeAt(text.length - 1)))
    ) {
      return messageText(item).length;
    }
    length += text.length + (i > 0 ? 1 : 0);
  }
  // Empty parts leave separators at an edge, which trim removes: rare, and exact only through the text itself.
  if (parts.length > 1 && parts.some((p) => (str(p.text) || str(p.transcript)) === '')) {
    return messageText(item).length;
  }
  return length;
}

/** The text characters one item adds to a response's input (messages, function calls and outputs). */
export function itemTextChars(item: Json): number {
  if (item.type === 'message') return messageTextLength(item);
  if (item.type === 'function_call_output') return str(item.output).length;
  if (item.type === 'function_call') return str(item.arguments).length;
  return 0;
}

/** Whether an item is a user message (each one is a turn). */
export function isUserMessage(item: Json): boolean {
  return item.type === 'message' && item.role === 'user';
}

/** What a response needs of the items it sees, however it was counted. */
export interface ConversationTally {
  turns: number;
  textChars: number;
  audioMs: number;
  last: Json | undefined;
  lastUser: Json | undefined;
}

/**
 * Reads the context of a response from the items it sees (`items`: the response's `input`), with `lookup` finding
 * referenced items in the default conversation (called only for a function follow-up whose call is not among
 * `items`). One pass, and only the latest user message's text is built. The default conversation keeps its own
 * running tally instead (`Conversation.tally`), so a response there does not walk the whole conversation.
 */
export function readReplyContext(
  items: readonly Json[],
  lookup: () => Iterable<Json>,
  instructions: string,
  audioMs: number,
): ReplyContext {
  let turns = 0;
  let lastUser: Json | undefined;
  let textChars = 0;
  for (const item of items) {
    textChars += itemTextChars(item);
    if (isUserMessage(item)) {
      turns += 1;
      lastUser = item;
    }
  }
  return contextFromTally(
    { turns, textChars, audioMs, last: items.at(-1), lastUser },
    (isCall) => find(items, isCall) ?? find(lookup(), isCall),
    instructions,
  );
}

/** The reply context from a tally; `findItem` finds the function call a follow-up answers. */
export function contextFromTally(
  tally: ConversationTally,
  findItem: (predicate: (item: Json) => boolean) => Json | undefined,
  instructions: string,
): ReplyContext {
  const { last, lastUser } = tally;
  let functionOutput: ReplyContext['functionOutput'];
  if (last?.type === 'function_call_output') {
    const callId = str(last.call_id);
    const call = findItem((i) => i.type === 'function_call' && i.call_id === callId);
    functionOutput = { name: str(call?.name), output: str(last.output), callId };
  }
  const lastUserItemId = typeof lastUser?.id === 'string' ? lastUser.id : undefined;
  return {
    text: lastUser === undefined ? '' : messageText(lastUser),
    turn: tally.turns,
    ...(lastUserItemId !== undefined ? { lastUserItemId } : {}),
    ...(functionOutput ? { functionOutput } : {}),
    inputTokens: {
      text: textTokens(instructions) + Math.ceil(tally.textChars / 4),
      audio: audioTokens(tally.audioMs),
    },
  };
}

function find(items: Iterable<Json>, predicate: (item: Json) => boolean): Json | undefined {
  for (const item of items) if (predicate(item)) return item;
  return undefined;
}
