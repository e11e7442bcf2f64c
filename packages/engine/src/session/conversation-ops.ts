import {
  itemNotFoundError,
  previousItemNotFoundError,
  truncateBeyondAudioError,
} from '@realtime-assistant/protocol';
import type { ItemOperation } from '@realtime-assistant/protocol';
import type { Conversation, StoredItem } from './conversation.js';
import type { OutboundEvent, WireItem } from './response-types.js';
import { cloneJson } from './clone-json.js';
import * as wire from './wire.js';

type Json = Record<string, unknown>;

export interface ConversationOpsDeps {
  conversation: Conversation;
  emit(event: OutboundEvent): void;
  /** The session's input audio format now (client audio and commits are in it). */
  inputFormat(): unknown;
  /** Cancels the in-band response (a truncate of audio it is still streaming). */
  cancelInBand(): void;
}

/**
 * The client's item operations on the default conversation — `conversation.item.create / retrieve / delete /
 * truncate` and the user item a commit makes — each answered with the live events or error.
 */
export class ConversationOps {
  #deps: ConversationOpsDeps;
  /** Assistant items a response is still streaming. */
  #producing = new Set<string>();

  constructor(deps: ConversationOpsDeps) {
    this.#deps = deps;
  }

  #emit(event: OutboundEvent): void {
    this.#deps.emit(event);
  }

  #notFound(operation: ItemOperation, itemId: string, eventId: string | null): void {
    this.#emit(wire.fromErrorEvent(itemNotFoundError({ operation, itemId, eventId })));
  }

  /** `conversation.item.create` → `conversation.item.added` + `conversation.item.done` (GA). */
  create(raw: Json, previousItemId: string | null | undefined, eventId: string | null): void {
    const item = wire.completeClientItem(raw);
    if (this.#deps.conversation.has(item.id)) {
      this.#emit(
        wire.error(
          'invalid_value',
          `Item with id '${item.id}' already exists.`,
          'item.id',
          eventId,
        ),
      );
      return;
    }
    // Audio stays out of the wire item (as live: `item.added/done` carry no audio bytes), kept for `retrieve`.
    const audio = new Map<number, Uint8Array>();
    const content = item.content as Json[] | undefined;
    content?.forEach((part, index) => {
      if (typeof part.audio === 'string') {
        const bytes = wire.decodeBase64(part.audio);
        if (bytes) audio.set(index, bytes);
        delete part.audio;
      }
    });
    const format = this.#deps.inputFormat();
    const audioSentMs = new Map(
      [...audio].map(([index, bytes]) => [index, wire.bytesToMs(format, bytes.byteLength)]),
    );
    const result = this.#deps.conversation.insert(
      { item: item as StoredItem['item'], audio, audioSentMs, format },
      previousItemId,
    );
    if (!result.ok) {
      if (result.reason === 'unknown_previous_item') {
        this.#emit(
          wire.fromErrorEvent(
            previousItemNotFoundError({ previousItemId: result.previousItemId, eventId }),
          ),
        );
      }
      return;
    }
    this.#emit({ type: 'conversation.item.added', previous_item_id: result.previousItemId, item });
    this.#emit({ type: 'conversation.item.done', previous_item_id: result.previousItemId, item });
  }

  /** Committed input audio as a user item: `input_audio_buffer.committed` → item added → item done. */
  commitAudio(bytes: Uint8Array, itemId: string = wire.ids.item()): string {
    const item = {
      id: itemId,
      object: 'realtime.item',
      type: 'message',
      status: 'completed',
      role: 'user',
      content: [{ type: 'input_audio', transcript: null }],
    };
    const format = this.#deps.inputFormat();
    const result = this.#deps.conversation.insert({
      item: item as StoredItem['item'],
      audio: new Map([[0, bytes]]),
      audioSentMs: new Map([[0, wire.bytesToMs(format, bytes.byteLength)]]),
      format,
    });
    const previous = result.ok ? result.previousItemId : null;
    this.#emit({
      type: 'input_audio_buffer.committed',
      previous_item_id: previous,
      item_id: itemId,
    });
    this.#emit({ type: 'conversation.item.added', previous_item_id: previous, item });
    this.#emit({ type: 'conversation.item.done', previous_item_id: previous, item });
    return itemId;
  }

  /** Sets the transcript of a user audio item once recognition finished (what `retrieve` then shows). */
  setInputTranscript(itemId: string, transcript: string): void {
    const content = (this.#deps.conversation.get(itemId)?.item as { content?: Json[] } | undefined)
      ?.content;
    const part = content?.[0];
    if (part?.type === 'input_audio') part.transcript = transcript;
    this.#deps.conversation.refresh(itemId);
  }

  /** `conversation.item.retrieve` → the full item, audio included. */
  retrieve(itemId: string, eventId: string | null): void {
    const stored = this.#deps.conversation.get(itemId);
    if (!stored) return this.#notFound('retrieve', itemId, eventId);
    const item = structuredClone(stored.item) as Json;
    const content = item.content as Json[] | undefined;
    for (const [index, bytes] of stored.audio) {
      const part = content?.[index];
      if (part) part.audio = wire.encodeBase64(bytes);
    }
    this.#emit({ type: 'conversation.item.retrieved', item });
  }

  delete(itemId: string, eventId: string | null): void {
    if (!this.#deps.conversation.delete(itemId)) return this.#notFound('delete', itemId, eventId);
    this.#emit({ type: 'conversation.item.deleted', item_id: itemId });
  }

  /**
   * `conversation.item.truncate`: assistant audio only, not beyond the audio actually sent; the audio and the
   * transcript are cut to match. A truncate of audio still streaming stops its response first.
   */
  truncate(itemId: string, contentIndex: number, audioEndMs: number, eventId: string | null): void {
    const stored = this.#deps.conversation.get(itemId);
    if (!stored) return this.#notFound('truncate', itemId, eventId);
    const item = stored.item as Json;
    if (item.type !== 'message' || item.role !== 'assistant') {
      this.#emit(
        wire.error(
          'invalid_value',
          'Only assistant messages can be truncated.',
          'item_id',
          eventId,
        ),
      );
      return;
    }
    const part = (item.content as Json[] | undefined)?.[contentIndex];
    if (!part || part.type !== 'output_audio') {
      this.#emit(
        wire.error(
          'invalid_value',
          `Content part ${contentIndex} of item '${itemId}' is not audio.`,
          'content_index',
          eventId,
        ),
      );
      return;
    }
    const sentMs = Math.floor(stored.audioSentMs.get(contentIndex) ?? 0);
    if (audioEndMs > sentMs) {
      this.#emit(
        wire.fromErrorEvent(truncateBeyondAudioError({ audioMs: sentMs, audioEndMs, eventId })),
      );
      return;
    }
    if (this.#producing.has(itemId)) this.#deps.cancelInBand();
    const bytes = stored.audio.get(contentIndex);
    if (bytes) {
      const keep = wire.msToBytes(stored.format, audioEndMs);
      stored.audio.set(contentIndex, bytes.subarray(0, keep));
    }
    stored.audioSentMs.set(contentIndex, audioEndMs);
    stored.truncatedAtMs = audioEndMs;
    const transcript = typeof part.transcript === 'string' ? part.transcript : '';
    part.transcript = sentMs > 0 ? cutTranscript(transcript, audioEndMs / sentMs) : '';
    this.#deps.conversation.refresh(itemId);
    this.#emit({
      type: 'conversation.item.truncated',
      item_id: itemId,
      content_index: contentIndex,
      audio_end_ms: audioEndMs,
    });
  }

  /** An in-band response starts an assistant item; returns the id of the item before it. */
  addAssistantItem(item: WireItem, format: unknown): string | null {
    this.#producing.add(item.id);
    const result = this.#deps.conversation.insert({
      item: item as unknown as StoredItem['item'],
      audio: new Map(),
      audioSentMs: new Map(),
      format,
    });
    return result.ok ? result.previousItemId : null;
  }

  /** A streaming assistant item got its content part (so a truncate can tell audio from text). */
  assistantPartStarted(itemId: string, part: NonNullable<WireItem['content']>[number]): void {
    const stored = this.#deps.conversation.get(itemId);
    if (stored) (stored.item as { content?: unknown[] }).content = [cloneJson(part)];
    this.#deps.conversation.refresh(itemId);
  }

  /** Audio of an assistant item sent so far (the bound of a truncate). */
  assistantAudioSent(itemId: string, ms: number): void {
    const stored = this.#deps.conversation.get(itemId);
    if (stored && stored.truncatedAtMs === undefined) {
      stored.audioSentMs.set(0, ms);
      this.#deps.conversation.refresh(itemId);
    }
  }

  /** Stores the final state of an assistant item; a truncate that came while it streamed still holds. */
  finishAssistantItem(item: WireItem, audio: Uint8Array | undefined, audioMs: number): void {
    this.#producing.delete(item.id);
    const stored = this.#deps.conversation.get(item.id);
    if (!stored) return;
    try {
      this.#finish(stored, item, audio, audioMs);
    } finally {
      this.#deps.conversation.refresh(item.id);
    }
  }

  #finish(
    stored: StoredItem,
    item: WireItem,
    audio: Uint8Array | undefined,
    audioMs: number,
  ): void {
    const cut = stored.truncatedAtMs;
    stored.item = item as unknown as StoredItem['item'];
    if (!audio) return;
    if (cut === undefined) {
      stored.audio.set(0, audio);
      stored.audioSentMs.set(0, audioMs);
      return;
    }
    stored.audio.set(0, audio.subarray(0, wire.msToBytes(stored.format, cut)));
    stored.audioSentMs.set(0, Math.min(cut, audioMs));
    const part = item.content?.[0];
    if (part?.type === 'output_audio' && audioMs > 0)
      part.transcript = cutTranscript(part.transcript, cut / audioMs);
  }
}

/** The transcript cut at `fraction` of its length, keeping only whole words (a word cut in two is dropped). */
export function cutTranscript(transcript: string, fraction: number): string {
  if (fraction >= 1) return transcript;
  const cut = Math.floor(transcript.length * Math.max(0, fraction));
  if (/\s/.test(transcript.charAt(cut))) return transcript.slice(0, cut).trimEnd();
  const space = transcript.lastIndexOf(' ', cut);
  return space > 0 ? transcript.slice(0, space).trimEnd() : '';
}
