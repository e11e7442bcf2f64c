import type { AppEventMap, Speaker } from '../events/app-event-map.js';

/** One message of the conversation as text. */
export interface TranscriptEntry {
  readonly itemId: string;
  readonly speaker: Speaker;
  readonly text: string;
  /** The transcript is complete. */
  readonly final: boolean;
  /** The reply was cut off by an interruption. */
  readonly interrupted: boolean;
}

/** Where the store reports changes (the controller forwards them to the app events). */
export interface TranscriptListener {
  delta(event: AppEventMap['transcript_delta']): void;
  final(event: AppEventMap['transcript_final']): void;
  removed(event: AppEventMap['transcript_removed']): void;
}

type ServerEvent = { type: string } & Record<string, unknown>;
type Entry = {
  itemId: string;
  speaker: Speaker;
  text: string;
  final: boolean;
  interrupted: boolean;
};

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * The transcripts of both sides, in conversation order. Order comes from each item's `previous_item_id` (the
 * server's chain), never from when its text arrived, so a user transcript that completes after the reply still
 * sits before it. Pure: feed it server events, read {@link TranscriptStore.entries}.
 */
export class TranscriptStore {
  /** Every item id of the conversation in order (function calls too: messages may chain after them). */
  readonly #order: string[] = [];
  readonly #entries = new Map<string, Entry>();
  /** Deleted items: events still in flight for them must not bring them back. */
  readonly #deleted = new Set<string>();
  readonly #listener: TranscriptListener;

  constructor(listener: TranscriptListener) {
    this.#listener = listener;
  }

  /** The messages in conversation order. */
  entries(): TranscriptEntry[] {
    return this.#order.flatMap((id) => {
      const entry = this.#entries.get(id);
      return entry ? [{ ...entry }] : [];
    });
  }

  /** Every item id of the conversation in order, tool items included (for replaying it into a new session). */
  itemOrder(): string[] {
    return [...this.#order];
  }

  /** Forgets everything (a new conversation). */
  clear(): void {
    this.#order.length = 0;
    this.#entries.clear();
    this.#deleted.clear();
  }

  /** Applies one server event; events it does not know are ignored. */
  handle(event: ServerEvent): void {
    const item = event.item as { id?: unknown } | undefined;
    const itemId = str(event.item_id) ?? str(item?.id);
    if (itemId !== undefined && this.#deleted.has(itemId)) return;
    switch (event.type) {
      case 'conversation.item.added':
      case 'conversation.item.created':
        return this.#added(event);
      case 'conversation.item.done':
      case 'conversation.item.retrieved':
        return this.#done(event);
      case 'conversation.item.input_audio_transcription.delta':
        return this.#delta(str(event.item_id), 'user', str(event.delta));
      case 'conversation.item.input_audio_transcription.completed':
        return this.#final(str(event.item_id), 'user', str(event.transcript) ?? '');
      case 'conversation.item.input_audio_transcription.failed':
        return this.#final(str(event.item_id), 'user', this.#textOf(str(event.item_id)));
      case 'response.output_text.delta':
      case 'response.output_audio_transcript.delta':
      case 'response.text.delta':
      case 'response.audio_transcript.delta':
        return this.#delta(str(event.item_id), 'assistant', str(event.delta));
      case 'response.output_text.done':
      case 'response.text.done':
        return this.#final(str(event.item_id), 'assistant', str(event.text) ?? '');
      case 'response.output_audio_transcript.done':
      case 'response.audio_transcript.done':
        return this.#final(str(event.item_id), 'assistant', str(event.transcript) ?? '');
      case 'conversation.item.truncated':
        return this.#truncated(str(event.item_id));
      case 'conversation.item.deleted':
        return this.#deleted_(str(event.item_id));
      default:
        return;
    }
  }

  /** The assistant reply still streaming (the newest assistant item not yet final), if any. */
  streamingReply(): string | undefined {
    let found: string | undefined;
    for (const entry of this.#entries.values()) {
      if (entry.speaker === 'assistant' && !entry.final) found = entry.itemId;
    }
    return found;
  }

  /** Marks an assistant item as cut off (before the server confirms), re-announcing its final text. */
  markInterrupted(itemId: string): void {
    this.#truncated(itemId);
  }

  /** Drops an item at once (deleted after an interruption), before the server confirms. */
  markDeleted(itemId: string): void {
    this.#deleted_(itemId);
  }

  #added(event: ServerEvent): void {
    const item = event.item as Record<string, unknown> | undefined;
    const id = str(item?.id);
    if (!item || !id) return;
    if (!this.#order.includes(id)) {
      const previous = str(event.previous_item_id);
      const at = previous === undefined ? -1 : this.#order.indexOf(previous);
      if (at === -1) this.#order.push(id);
      else this.#order.splice(at + 1, 0, id);
    }
    const role = item.role;
    if (item.type !== 'message' || (role !== 'user' && role !== 'assistant')) return;
    if (!this.#entries.has(id)) {
      this.#entries.set(id, {
        itemId: id,
        speaker: role,
        text: '',
        final: false,
        interrupted: false,
      });
    }
    // A typed user message is complete the moment it is added.
    const typed = contentText(item, 'input_text');
    if (role === 'user' && typed !== null) this.#final(id, 'user', typed);
  }

  #done(event: ServerEvent): void {
    const item = event.item as Record<string, unknown> | undefined;
    const id = str(item?.id);
    if (!item || !id || item.type !== 'message') return;
    const entry = this.#entries.get(id);
    if (!entry) {
      this.#added(event);
      if (!this.#entries.has(id)) return;
    }
    const current = this.#entries.get(id);
    if (!current) return;
    const text =
      current.speaker === 'assistant'
        ? (contentText(item, 'output_text') ??
          contentText(item, 'output_audio') ??
          contentText(item, 'audio'))
        : (contentText(item, 'input_text') ?? contentText(item, 'input_audio'));
    if (text === null) return;
    if (current.final && current.text === text) return;
    // The retrieved item after a truncation carries the transcript of what was actually heard.
    if (current.final && event.type !== 'conversation.item.retrieved') return;
    this.#final(id, current.speaker, text);
  }

  #delta(itemId: string | undefined, speaker: Speaker, delta: string | undefined): void {
    if (!itemId || !delta) return;
    const entry = this.#ensure(itemId, speaker);
    if (entry.final) return;
    entry.text += delta;
    this.#listener.delta({
      speaker,
      itemId,
      order: this.#orderOf(itemId),
      delta,
      text: entry.text,
    });
  }

  /** Completes an entry and announces it, unless it is already final with this text (`force`: its flag changed). */
  #final(itemId: string | undefined, speaker: Speaker, text: string, force = false): void {
    if (!itemId) return;
    const entry = this.#ensure(itemId, speaker);
    // A reply stopped where it had got to is final already; the server's own `done` then repeats the same text.
    if (!force && entry.final && entry.text === text) return;
    entry.text = text;
    entry.final = true;
    this.#listener.final({
      speaker: entry.speaker,
      itemId,
      order: this.#orderOf(itemId),
      text,
      interrupted: entry.interrupted,
    });
  }

  #truncated(itemId: string | undefined): void {
    if (!itemId) return;
    const entry = this.#entries.get(itemId);
    if (!entry || entry.interrupted) return;
    entry.interrupted = true;
    this.#final(itemId, entry.speaker, entry.text, true);
  }

  #deleted_(itemId: string | undefined): void {
    if (!itemId) return;
    this.#deleted.add(itemId);
    const at = this.#order.indexOf(itemId);
    if (at !== -1) this.#order.splice(at, 1);
    if (this.#entries.delete(itemId)) this.#listener.removed({ itemId });
  }

  #textOf(itemId: string | undefined): string {
    return (itemId && this.#entries.get(itemId)?.text) || '';
  }

  #ensure(itemId: string, speaker: Speaker): Entry {
    let entry = this.#entries.get(itemId);
    if (!entry) {
      entry = { itemId, speaker, text: '', final: false, interrupted: false };
      this.#entries.set(itemId, entry);
      if (!this.#order.includes(itemId)) this.#order.push(itemId);
    }
    return entry;
  }

  /** The item's place among the messages (0-based). */
  #orderOf(itemId: string): number {
    let order = 0;
    for (const id of this.#order) {
      if (id === itemId) return order;
      if (this.#entries.has(id)) order++;
    }
    return order;
  }
}

/** The text of an item's first part of `type` (`text` or `transcript`), or null if absent or not yet known. */
function contentText(item: Record<string, unknown>, type: string): string | null {
  const content = Array.isArray(item.content) ? (item.content as Record<string, unknown>[]) : [];
  const part = content.find((p) => p.type === type);
  if (!part) return null;
  const text = part.text ?? part.transcript;
  return typeof text === 'string' ? text : null;
}
