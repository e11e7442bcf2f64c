import { sql } from 'kysely';
import type { Kysely, Migration } from 'kysely';
import type { StorageDialect } from '../write-transaction.js';

/**
 * Appointments with their grid-unit slots (the double-booking guard), conversations and their items.
 * Instants are epoch milliseconds in `bigint` columns (SQLite stores them as INTEGER).
 */
export function initialSchema(dialect: StorageDialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('appointments')
        .addColumn('id', 'integer', (col) =>
          dialect === 'postgres'
            ? col.generatedAlwaysAsIdentity().primaryKey()
            : col.primaryKey().autoIncrement(),
        )
        .addColumn('name', 'text', (col) => col.notNull())
        .addColumn('contact', 'text', (col) => col.notNull())
        .addColumn('service', 'text', (col) => col.notNull())
        .addColumn('start_at', 'bigint', (col) => col.notNull())
        .addColumn('end_at', 'bigint', (col) => col.notNull())
        .addColumn('status', 'text', (col) =>
          col.notNull().check(sql`status in ('booked', 'cancelled')`),
        )
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .addColumn('updated_at', 'bigint', (col) => col.notNull())
        .addCheckConstraint('appointments_end_after_start', sql`end_at > start_at`)
        .execute();
      await db.schema
        .createIndex('appointments_by_start')
        .on('appointments')
        .columns(['start_at'])
        .execute();
      await db.schema
        .createIndex('appointments_by_contact')
        .on('appointments')
        .columns(['contact', 'start_at'])
        .execute();

      // One row per occupied grid unit: two booked appointments cannot hold the same unit, whoever writes.
      await db.schema
        .createTable('appointment_slots')
        .addColumn('slot_start', 'bigint', (col) => col.primaryKey())
        .addColumn('appointment_id', 'integer', (col) =>
          col.notNull().references('appointments.id').onDelete('cascade'),
        )
        .execute();
      await db.schema
        .createIndex('appointment_slots_by_appointment')
        .on('appointment_slots')
        .column('appointment_id')
        .execute();

      await db.schema
        .createTable('conversations')
        .addColumn('id', 'text', (col) => col.primaryKey())
        .addColumn('session_id', 'text')
        .addColumn('assistant', 'text', (col) => col.notNull())
        .addColumn('target', 'text', (col) => col.notNull())
        .addColumn('started_at', 'bigint', (col) => col.notNull())
        .addColumn('ended_at', 'bigint')
        .addColumn('recording_paths', 'text', (col) => col.notNull().defaultTo('[]'))
        .execute();
      await db.schema
        .createIndex('conversations_by_start')
        .on('conversations')
        .columns(['started_at'])
        .execute();

      await db.schema
        .createTable('conversation_items')
        .addColumn('conversation_id', 'text', (col) =>
          col.notNull().references('conversations.id').onDelete('cascade'),
        )
        .addColumn('item_id', 'text', (col) => col.notNull())
        .addColumn('position', 'integer', (col) => col.notNull())
        .addColumn('speaker', 'text', (col) => col.notNull())
        .addColumn('text', 'text', (col) => col.notNull())
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .addColumn('completed_at', 'bigint')
        .addPrimaryKeyConstraint('conversation_items_pkey', ['conversation_id', 'item_id'])
        .execute();
      await db.schema
        .createIndex('conversation_items_by_position')
        .on('conversation_items')
        .columns(['conversation_id', 'position'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of [
        'conversation_items',
        'conversations',
        'appointment_slots',
        'appointments',
      ]) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
