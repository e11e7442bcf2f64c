import type { ConversationItem } from '@realtime-assistant/protocol';

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

/** The ordered items of a session's default conversation. */
export class Conversation {
  #order: string[] = [];
  #items = new Map<string, StoredItem>();

  get size(): number {
    return this.#order.length;
  }

  get lastItemId(): string | null {
    return this.#order.at(-1) ?? null;
  }

  has(id: string): boolean {
    return this.#items.has(id);
  }

  get(id: string): StoredItem | undefined {
    return this.#items.get(id);
  }

  /** Items in conversation order. */
  items(): StoredItem[] {
    return this.#order.map((id) => this.#items.get(id)!);
  }

  /** The id of the item before `id`, or null when it is first. */
  previousOf(id: string): string | null {
    const index = this.#order.indexOf(id);
    return index > 0 ? this.#order[index - 1]! : null;
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
      const at = this.#order.indexOf(previousItemId);
      if (at < 0) return { ok: false, reason: 'unknown_previous_item', previousItemId };
      index = at + 1;
    }
    this.#order.splice(index, 0, id);
    this.#items.set(id, stored);
    return { ok: true, previousItemId: index > 0 ? this.#order[index - 1]! : null };
  }

  delete(id: string): boolean {
    if (!this.#items.delete(id)) return false;
    this.#order.splice(this.#order.indexOf(id), 1);
    return true;
  }
}
