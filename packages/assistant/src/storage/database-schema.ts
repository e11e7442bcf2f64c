import type { ColumnType, Generated } from 'kysely';
import type { ItemSpeaker, ServiceName } from './records.js';

/**
 * The tables as Kysely sees them. Instants are stored as epoch milliseconds (SQLite INTEGER, PostgreSQL BIGINT
 * read back as a number), so both dialects sort and compare them the same way; the repositories turn them into Dates.
 */
export interface DatabaseSchema {
  readonly appointments: AppointmentsTable;
  readonly appointment_slots: AppointmentSlotsTable;
  readonly conversations: ConversationsTable;
  readonly conversation_items: ConversationItemsTable;
}

/** Epoch milliseconds. */
export type EpochMs = number;

export interface AppointmentsTable {
  readonly id: Generated<number>;
  readonly name: string;
  readonly contact: string;
  readonly service: ServiceName;
  readonly start_at: EpochMs;
  readonly end_at: EpochMs;
  readonly status: 'booked' | 'cancelled';
  readonly created_at: EpochMs;
  readonly updated_at: EpochMs;
}

/** One row per booking-grid unit held by a booked appointment; the primary key is what forbids double bookings. */
export interface AppointmentSlotsTable {
  readonly slot_start: EpochMs;
  readonly appointment_id: number;
}

export interface ConversationsTable {
  readonly id: string;
  readonly session_id: string | null;
  readonly assistant: string;
  readonly target: string;
  readonly started_at: EpochMs;
  readonly ended_at: EpochMs | null;
  /** A JSON array of absolute paths. */
  readonly recording_paths: ColumnType<string, string | undefined, string>;
}

export interface ConversationItemsTable {
  readonly conversation_id: string;
  readonly item_id: string;
  readonly position: number;
  readonly speaker: ItemSpeaker;
  readonly text: string;
  readonly created_at: EpochMs;
  readonly completed_at: EpochMs | null;
}
