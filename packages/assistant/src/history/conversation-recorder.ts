import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { AppEvents } from '../events/app-events.js';
import type {
  ConversationItemRecord,
  ConversationRepository,
  ItemSpeaker,
} from '../storage/records.js';

/** Options of {@link ConversationRecorder.start}. */
export interface ConversationRecorderOptions {
  readonly repository: ConversationRepository;
  readonly events: AppEvents;
  /** The assistant profile or prompt (`default`, `scheduler`, `pmpt_…`). */
  readonly assistant: string;
  /** `embedded`, `openai`, or a URL without credentials. */
  readonly target: string;
  /** The conversation id (default: a new UUID). */
  readonly id?: string;
  readonly now?: () => Date;
  readonly logger?: Logger;
}

interface ItemState {
  speaker: ItemSpeaker;
  text: string;
  createdAt: Date;
  completedAt: Date | null;
  /** A message (ordered by the transcript's `order`), or a tool call (kept where it happened). */
  message: boolean;
}

/**
 * Stores one conversation as it happens: its start and end, the Realtime session id, and every item — both sides'
 * transcripts and each tool call with its output — in conversation order. Listens to the app events and nothing
 * else. Writes go out one at a time in the order they were made; a failing write is logged and reported once as a
 * recoverable `error` event, and the conversation goes on.
 */
export class ConversationRecorder {
  readonly id: string;
  readonly #repository: ConversationRepository;
  readonly #events: AppEvents;
  readonly #now: () => Date;
  readonly #log: Logger | undefined;
  /** Item ids in conversation order. */
  readonly #order: string[] = [];
  readonly #items = new Map<string, ItemState>();
  readonly #offs: (() => void)[] = [];
  /** Recordings written during the conversation (from `recording_saved`). */
  readonly #recordings: string[] = [];
  #writes: Promise<void> = Promise.resolve();
  #failed = false;
  #finished = false;
  /** Whether a Realtime session ever started (a conversation without one, or any item, is not kept). */
  #sessionStarted = false;

  private constructor(id: string, options: ConversationRecorderOptions) {
    this.id = id;
    this.#repository = options.repository;
    this.#events = options.events;
    this.#now = options.now ?? (() => new Date());
    this.#log = options.logger;
  }

  /** Writes the conversation's start, then records every item until {@link finish}. */
  static async start(options: ConversationRecorderOptions): Promise<ConversationRecorder> {
    const recorder = new ConversationRecorder(options.id ?? randomUUID(), options);
    await options.repository.start({
      id: recorder.id,
      sessionId: null,
      assistant: options.assistant,
      target: options.target,
      startedAt: recorder.#now(),
    });
    recorder.#listen();
    return recorder;
  }

  /**
   * Stops listening, waits for the writes in flight, and records the end with the recordings written (those
   * announced by `recording_saved`, and any given here).
   */
  async finish(recordingPaths: readonly string[] = []): Promise<void> {
    if (this.#finished) return;
    this.#finished = true;
    for (const off of this.#offs.splice(0)) off();
    // Text still streaming when the conversation ended is kept as it stands.
    for (const id of this.#order) if (this.#items.get(id)?.completedAt === null) this.#save(id);
    const recordings = [...new Set([...this.#recordings, ...recordingPaths])];
    if (!this.#sessionStarted && this.#order.length === 0 && recordings.length === 0) {
      // Nothing happened (the chat never connected): no empty entry in the history.
      this.#write(async () => {
        await this.#repository.discardIfEmpty(this.id);
      });
    } else {
      this.#write(() => this.#repository.end(this.id, this.#now(), recordings));
    }
    await this.#writes;
  }

  /** Resolves once every write made so far is done (tests and shutdown). */
  flushed(): Promise<void> {
    return this.#writes;
  }

  #listen(): void {
    const on = this.#events.on.bind(this.#events);
    this.#offs.push(
      on('recording_saved', (e) => {
        this.#recordings.push(e.path);
      }),
      on('session_started', (e) => {
        this.#sessionStarted = true;
        this.#write(() => this.#repository.setSessionId(this.id, e.realtimeSessionId));
      }),
      on('transcript_delta', (e) => {
        const item = this.#items.get(e.itemId);
        if (item) {
          // Deltas change only the text; it is written when final (or at the end), not per token.
          if (item.completedAt === null) item.text = e.text;
          return;
        }
        this.#addMessage(e.itemId, e.speaker, e.order, e.text, null);
      }),
      on('transcript_final', (e) => {
        const item = this.#items.get(e.itemId);
        const text = e.interrupted ? `${e.text} [interrupted]`.trim() : e.text;
        if (!item) {
          this.#addMessage(e.itemId, e.speaker, e.order, text, this.#now());
          return;
        }
        item.text = text;
        item.completedAt = this.#now();
        this.#save(e.itemId);
      }),
      on('transcript_removed', (e) => {
        const item = this.#items.get(e.itemId);
        if (!item) return;
        // Never heard: kept in the record, marked as such.
        item.text = item.text ? `${item.text} [not heard]` : '[not heard]';
        item.completedAt ??= this.#now();
        this.#save(e.itemId);
      }),
      on('tool_call', (e) => {
        const id = toolItemId(e.callId);
        if (this.#items.has(id)) return;
        this.#items.set(id, {
          speaker: 'tool',
          text: `${e.name}(${e.arguments})`,
          createdAt: this.#now(),
          completedAt: null,
          message: false,
        });
        this.#order.push(id);
        this.#save(id);
      }),
      on('tool_result', (e) => {
        const id = toolItemId(e.callId);
        const item = this.#items.get(id);
        const call = item ? item.text : `${e.name}()`;
        const output = e.error === undefined ? e.output : `error: ${e.error}`;
        if (!item) {
          this.#items.set(id, {
            speaker: 'tool',
            text: `${call} → ${output}`,
            createdAt: this.#now(),
            completedAt: this.#now(),
            message: false,
          });
          this.#order.push(id);
        } else {
          item.text = `${call} → ${output}`;
          item.completedAt = this.#now();
        }
        this.#save(id);
      }),
    );
  }

  /**
   * A new message at its place among the messages (`order` counts messages only); tool items stay where they
   * happened. Items after it move down one place and are written again with their new position.
   */
  #addMessage(
    itemId: string,
    speaker: ItemSpeaker,
    order: number,
    text: string,
    completedAt: Date | null,
  ): void {
    this.#items.set(itemId, { speaker, text, createdAt: this.#now(), completedAt, message: true });
    let seen = 0;
    let at = this.#order.length;
    for (let i = 0; i < this.#order.length; i++) {
      const id = this.#order[i] as string;
      if (!this.#items.get(id)?.message) continue;
      if (seen === order) {
        at = i;
        break;
      }
      seen++;
    }
    this.#order.splice(at, 0, itemId);
    for (let i = at; i < this.#order.length; i++) this.#save(this.#order[i] as string);
  }

  #save(itemId: string): void {
    const item = this.#items.get(itemId);
    if (!item) return;
    const record: ConversationItemRecord = {
      conversationId: this.id,
      itemId,
      position: this.#order.indexOf(itemId),
      speaker: item.speaker,
      text: item.text,
      createdAt: item.createdAt,
      completedAt: item.completedAt,
    };
    this.#write(() => this.#repository.upsertItem(record));
  }

  #write(task: () => Promise<void>): void {
    this.#writes = this.#writes.then(task).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      this.#log?.error({ err: message, conversation: this.id }, 'could not save the conversation');
      if (this.#failed) return;
      this.#failed = true;
      this.#events.emit('error', {
        source: 'app',
        message: `The conversation history could not be saved (${message}); the conversation goes on.`,
        recoverable: true,
      });
    });
  }
}

/** Tool calls are stored under their call id, kept apart from item ids. */
function toolItemId(callId: string): string {
  return `call:${callId}`;
}
