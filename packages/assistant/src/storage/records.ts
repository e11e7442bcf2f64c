/**
 * What the storage layer keeps, as the rest of the assistant sees it: appointments and conversations. The Kysely
 * repositories implement these interfaces on SQLite and PostgreSQL; nothing outside `storage/` knows which.
 */

/** The services the desk offers (see the scheduler's catalogue for durations and prices). */
export type ServiceName = 'consultation' | 'basic' | 'premium';

/** A booked (or cancelled) appointment. Times are instants; `end` is exclusive. */
export interface AppointmentRecord {
  /** Small positive integer, easy to say aloud ("appointment 42"). */
  readonly id: number;
  readonly name: string;
  /** An email address or a phone number, normalised by the caller. */
  readonly contact: string;
  readonly service: ServiceName;
  readonly start: Date;
  readonly end: Date;
  readonly status: 'booked' | 'cancelled';
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** A booking request, already validated (aligned to the slot grid, inside business hours, in the future). */
export interface NewAppointment {
  readonly name: string;
  readonly contact: string;
  readonly service: ServiceName;
  readonly start: Date;
  readonly end: Date;
}

/** Why a write did not happen. `taken`: another booked appointment overlaps the time (enforced by the database). */
export type AppointmentFailure = 'taken' | 'not_found' | 'cancelled';

/** The outcome of a write: the stored appointment, or why not. Never throws for these expected outcomes. */
export type AppointmentWrite =
  | { readonly ok: true; readonly appointment: AppointmentRecord }
  | { readonly ok: false; readonly reason: AppointmentFailure };

/** Appointments. The database, not this code, guarantees that no two booked appointments overlap. */
export interface AppointmentRepository {
  /** Books atomically; `taken` when any part of [start, end) is already booked. */
  book(input: NewAppointment): Promise<AppointmentWrite>;
  /** Moves a booked appointment atomically (keeps its id); `taken` if the new time overlaps another booking. */
  reschedule(id: number, start: Date, end: Date): Promise<AppointmentWrite>;
  /** Cancels a booked appointment and frees its time; `cancelled` if it already was. */
  cancel(id: number): Promise<AppointmentWrite>;
  get(id: number): Promise<AppointmentRecord | null>;
  /** Booked appointments for a contact (exact match after normalisation), ordered by start. */
  listByContact(contact: string): Promise<AppointmentRecord[]>;
  /** Booked appointments overlapping [from, to), ordered by start (availability reads this). */
  listBetween(from: Date, to: Date): Promise<AppointmentRecord[]>;
}

/** Who said an item. `tool` items carry a function call and its output as text. */
export type ItemSpeaker = 'user' | 'assistant' | 'system' | 'tool';

/** One stored conversation. */
export interface ConversationRecord {
  /** Our own id (a UUID); `history show` accepts any unique prefix of it. */
  readonly id: string;
  /** The Realtime session id (`sess_…`), when known; a conversation may span several after reconnects. */
  readonly sessionId: string | null;
  /** The assistant profile or prompt (`default`, `scheduler`, `pmpt_…`). */
  readonly assistant: string;
  /** Where it talked to: `embedded`, `openai` or a URL without credentials. */
  readonly target: string;
  readonly startedAt: Date;
  readonly endedAt: Date | null;
  /** Recording files written for this conversation (absolute paths). */
  readonly recordingPaths: readonly string[];
}

/** One item of a conversation, in conversation order. Upserted as transcripts arrive. */
export interface ConversationItemRecord {
  readonly conversationId: string;
  /** The Realtime item id (`item_…`), unique within the conversation. */
  readonly itemId: string;
  /** Order within the conversation (0, 1, 2, …). */
  readonly position: number;
  readonly speaker: ItemSpeaker;
  /** The text or transcript so far ('' until known). */
  readonly text: string;
  readonly createdAt: Date;
  /** When the text became final; null while it is still streaming. */
  readonly completedAt: Date | null;
}

/** A conversation with its item count, for `realtime-assistant history`. */
export interface ConversationSummary extends ConversationRecord {
  readonly itemCount: number;
}

/** Conversations and their items. */
export interface ConversationRepository {
  start(conversation: Omit<ConversationRecord, 'endedAt' | 'recordingPaths'>): Promise<void>;
  /** Inserts or replaces the item with this (conversationId, itemId). */
  upsertItem(item: ConversationItemRecord): Promise<void>;
  /** Records the Realtime session id once it is known (or after a reconnect gives a new one: keeps the first). */
  setSessionId(conversationId: string, sessionId: string): Promise<void>;
  end(conversationId: string, endedAt: Date, recordingPaths: readonly string[]): Promise<void>;
  /**
   * Deletes a conversation that never got a session, an item or a recording (a chat that never connected);
   * true when it did. One that got any of them is left alone.
   */
  discardIfEmpty(conversationId: string): Promise<boolean>;
  /** Newest first. */
  list(options?: { readonly limit?: number }): Promise<ConversationSummary[]>;
  /** By full id or a unique prefix; `ambiguous` when the prefix names several. */
  find(idOrPrefix: string): Promise<
    | {
        readonly found: true;
        readonly conversation: ConversationRecord;
        readonly items: ConversationItemRecord[];
      }
    | { readonly found: false; readonly reason: 'not_found' | 'ambiguous' }
  >;
}
