import type { ConversationItem } from '@realtime-assistant/protocol';
import { isUserMessage, itemTextChars } from './reply-context.js';
import type { ConversationTally } from './reply-context.js';

type Json = Record<string, unknown>;

/** What one item adds to the conversation's tally, as of its last {@link Conversation.refresh}. */
interface ItemShare {
  chars: number;
  audioMs: number;
  user: boolean;
}

/** One item of the default conversation, with the audio bytes the wire items leave out. */
export interface StoredItem {
  item: ConversationItem & { id: string };
  /** Audio per content index, in the session's format at the time it was produced or received. */
  audio: Map<number, Uint8Array>;
  /** The format of `audio` (user audio: the input format at commit; assistant audio: the response's format). */
  format?: unknown;
  /** Milliseconds of assistant audio actually sent to the client, per content index (truncate bounds). */
  audioSentMs: Map<number, number>;
  /** Set by `conversation.item.truncate`: the audio ends here, whatever the response still producing it sends. */
  truncatedAtMs?: number;
}

export type InsertResult =
  | { ok: true; previousItemId: string | null }
  | { ok: false; reason: 'unknown_previous_item'; previousItemId: string }
  | { ok: false; reason: 'duplicate_id'; itemId: string };

/**
 * The ordered items of a session's default conversation, with a running tally of what a response reads of them
 * (turns, text characters, input audio): every response needs it, and walking a long conversation's items on
 * each one costs more than the rest of a text turn. Whoever changes an item in place calls {@link refresh}.
 */
export class Conversation {
  /** The items in conversation order (kept as the items themselves, not ids). */
  #order: StoredItem[] = [];
  #items = new Map<string, StoredItem>();
  #shares = new Map<string, ItemShare>();
  /** Items inserted so far (ever), and the user messages and function outputs among them, oldest first. */
  #insertions = 0;
  #inputs: Array<{ seq: number; id: string }> = [];
  #turns = 0;
  #textChars = 0;
  #audioMs = 0;

  get size(): number {
    return this.#order.length;
  }

  get lastItemId(): string | null {
    return this.#order.at(-1)?.item.id ?? null;
  }

  has(id: string): boolean {
    return this.#items.has(id);
  }

  get(id: string): StoredItem | undefined {
    return this.#items.get(id);
  }

  /** Items in conversation order. */
  items(): StoredItem[] {
    return this.#order.slice();
  }

  /** The id of the item before `id`, or null when it is first. */
  previousOf(id: string): string | null {
    const index = this.#indexOf(id);
    return index > 0 ? this.#order[index - 1]!.item.id : null;
  }

  #indexOf(id: string): number {
    const stored = this.#items.get(id);
    return stored === undefined ? -1 : this.#order.lastIndexOf(stored);
  }

  /**
   * Inserts after `previousItemId` (`'root'` = at the start; undefined = at the end).
   * The live API rejects an unknown previous id; so does this.
   */
  insert(stored: StoredItem, previousItemId?: string | null): InsertResult {
    const id = stored.item.id;
    if (this.#items.has(id)) return { ok: false, reason: 'duplicate_id', itemId: id };
    let index: number;
    if (previousItemId === undefined || previousItemId === null) {
      index = this.#order.length;
    } else if (previousItemId === 'root') {
      index = 0;
    } else {
      const at = this.#indexOf(previousItemId);
      if (at < 0) return { ok: false, reason: 'unknown_previous_item', previousItemId };
      index = at + 1;
    }
    this.#order.splice(index, 0, stored);
    this.#items.set(id, stored);
    this.#count(id, shareOf(stored), 1);
    this.#insertions += 1;
    const item = stored.item as Json;
    if (isUserMessage(item) || item.type === 'function_call_output') {
      this.#inputs.push({ seq: this.#insertions, id });
    }
    return { ok: true, previousItemId: index > 0 ? this.#order[index - 1]!.item.id : null };
  }

  delete(id: string): boolean {
    const index = this.#indexOf(id);
    if (index < 0) return false;
    this.#items.delete(id);
    this.#order.splice(index, 1);
    this.#uncount(id);
    return true;
  }

  /** Recounts an item after a change in place (its text, transcript, sent audio, or the item replaced). */
  refresh(id: string): void {
    const stored = this.#items.get(id);
    if (stored === undefined) return;
    this.#uncount(id);
    this.#count(id, shareOf(stored), 1);
  }

  /** What a response over the whole conversation reads of it, without walking it. */
  tally(): ConversationTally {
    let lastUser: Json | undefined;
    for (let i = this.#order.length - 1; i >= 0 && this.#turns > 0; i--) {
      const item = this.#order[i]!.item as Json;
      if (isUserMessage(item)) {
        lastUser = item;
        break;
      }
    }
    return {
      turns: this.#turns,
      textChars: this.#textChars,
      // Sums of fractional milliseconds, added and taken away: rounded so the drift never moves a token count.
      audioMs: Math.round(this.#audioMs * 1000) / 1000,
      last: this.#order.at(-1)?.item as Json | undefined,
      lastUser,
    };
  }

  /** How many items were ever inserted: a mark for {@link newestInputSince}. */
  get insertions(): number {
    return this.#insertions;
  }

  /**
   * The user message or function output inserted last after `mark` (an earlier {@link insertions}), wherever it
   * stands in the conversation; undefined when none came since. A response answers what came since the previous
   * one: a tool's output that arrives while the next response runs must still get its follow-up.
   */
  newestInputSince(mark: number): Json | undefined {
    for (let i = this.#inputs.length - 1; i >= 0 && this.#inputs[i]!.seq > mark; i--) {
      const stored = this.#items.get(this.#inputs[i]!.id);
      if (stored !== undefined) return stored.item as Json;
    }
    return undefined;
  }

  /** The latest item (from the end) that `predicate` accepts. */
  findLast(predicate: (item: Json) => boolean): Json | undefined {
    for (let i = this.#order.length - 1; i >= 0; i--) {
      const item = this.#order[i]!.item as Json;
      if (predicate(item)) return item;
    }
    return undefined;
  }

  #count(id: string, share: ItemShare, sign: 1 | -1): void {
    if (sign === 1) this.#shares.set(id, share);
    this.#turns += share.user ? sign : 0;
    this.#textChars += sign * share.chars;
    this.#audioMs += sign * share.audioMs;
  }

  #uncount(id: string): void {
    const share = this.#shares.get(id);
    if (share === undefined) return;
    this.#shares.delete(id);
    this.#count(id, share, -1);
  }
}

function shareOf(stored: StoredItem): ItemShare {
  let audioMs = 0;
  for (const ms of stored.audioSentMs.values()) audioMs += ms;
  const item = stored.item as Json;
  return { chars: itemTextChars(item), audioMs, user: isUserMessage(item) };
}
