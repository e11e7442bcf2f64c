import { sql } from 'kysely';
import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import type {
  ConversationItemsTable,
  ConversationsTable,
  DatabaseSchema,
} from './database-schema.js';
import type {
  ConversationItemRecord,
  ConversationRecord,
  ConversationRepository,
  ConversationSummary,
} from './records.js';

const RecordingPaths = z.array(z.string());

/** The outcome of {@link ConversationRepository.find}. */
export type ConversationLookup = Awaited<ReturnType<ConversationRepository['find']>>;

/** Conversations and their items on Kysely; recording paths are a JSON array column. */
export class KyselyConversationRepository implements ConversationRepository {
  readonly #db: Kysely<DatabaseSchema>;

  constructor(db: Kysely<DatabaseSchema>) {
    this.#db = db;
  }

  async start(conversation: Omit<ConversationRecord, 'endedAt' | 'recordingPaths'>): Promise<void> {
    await this.#db
      .insertInto('conversations')
      .values({
        id: conversation.id,
        session_id: conversation.sessionId,
        assistant: conversation.assistant,
        target: conversation.target,
        started_at: conversation.startedAt.getTime(),
        ended_at: null,
        recording_paths: '[]',
      })
      .execute();
  }

  async upsertItem(item: ConversationItemRecord): Promise<void> {
    const values = {
      position: item.position,
      speaker: item.speaker,
      text: item.text,
      created_at: item.createdAt.getTime(),
      completed_at: item.completedAt?.getTime() ?? null,
    };
    await this.#db
      .insertInto('conversation_items')
      .values({ conversation_id: item.conversationId, item_id: item.itemId, ...values })
      .onConflict((conflict) =>
        conflict.columns(['conversation_id', 'item_id']).doUpdateSet(values),
      )
      .execute();
  }

  async setSessionId(conversationId: string, sessionId: string): Promise<void> {
    await this.#db
      .updateTable('conversations')
      .set({ session_id: sessionId })
      .where('id', '=', conversationId)
      .where('session_id', 'is', null)
      .execute();
  }

  async end(
    conversationId: string,
    endedAt: Date,
    recordingPaths: readonly string[],
  ): Promise<void> {
    await this.#db
      .updateTable('conversations')
      .set({ ended_at: endedAt.getTime(), recording_paths: JSON.stringify(recordingPaths) })
      .where('id', '=', conversationId)
      .execute();
  }

  async discardIfEmpty(conversationId: string): Promise<boolean> {
    const result = await this.#db
      .deleteFrom('conversations')
      .where('id', '=', conversationId)
      .where('session_id', 'is', null)
      .where('recording_paths', '=', '[]')
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('conversation_items')
              .select('item_id')
              .whereRef('conversation_items.conversation_id', '=', 'conversations.id'),
          ),
        ),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async list(options: { readonly limit?: number } = {}): Promise<ConversationSummary[]> {
    let query = this.#db
      .selectFrom('conversations')
      .selectAll('conversations')
      .select((eb) =>
        eb
          .selectFrom('conversation_items')
          .whereRef('conversation_items.conversation_id', '=', 'conversations.id')
          .select(eb.fn.countAll().as('n'))
          .as('item_count'),
      )
      .orderBy('started_at', 'desc')
      .orderBy('id', 'desc');
    if (options.limit !== undefined) query = query.limit(Math.max(0, Math.floor(options.limit)));
    const rows = await query.execute();
    return rows.map((row) => ({ ...toConversation(row), itemCount: Number(row.item_count ?? 0) }));
  }

  async find(idOrPrefix: string): Promise<ConversationLookup> {
    const prefix = idOrPrefix.trim();
    if (prefix === '') return { found: false, reason: 'not_found' };
    const exact = await this.#db
      .selectFrom('conversations')
      .selectAll()
      .where('id', '=', prefix)
      .executeTakeFirst();
    // substr rather than LIKE: no wildcard escaping, and the same meaning on both dialects.
    const candidates =
      exact === undefined
        ? await this.#db
            .selectFrom('conversations')
            .selectAll()
            .where(sql<string>`substr(id, 1, ${prefix.length})`, '=', prefix)
            .limit(2)
            .execute()
        : [exact];
    const [row] = candidates;
    if (row === undefined) return { found: false, reason: 'not_found' };
    if (candidates.length > 1) return { found: false, reason: 'ambiguous' };
    const items = await this.#db
      .selectFrom('conversation_items')
      .selectAll()
      .where('conversation_id', '=', row.id)
      .orderBy('position')
      .orderBy('item_id')
      .execute();
    return { found: true, conversation: toConversation(row), items: items.map(toItem) };
  }
}

function toConversation(row: Selectable<ConversationsTable>): ConversationRecord {
  const paths = RecordingPaths.safeParse(parseJson(row.recording_paths));
  return {
    id: row.id,
    sessionId: row.session_id,
    assistant: row.assistant,
    target: row.target,
    startedAt: new Date(Number(row.started_at)),
    endedAt: row.ended_at === null ? null : new Date(Number(row.ended_at)),
    recordingPaths: paths.success ? paths.data : [],
  };
}

function toItem(row: Selectable<ConversationItemsTable>): ConversationItemRecord {
  return {
    conversationId: row.conversation_id,
    itemId: row.item_id,
    position: Number(row.position),
    speaker: row.speaker,
    text: row.text,
    createdAt: new Date(Number(row.created_at)),
    completedAt: row.completed_at === null ? null : new Date(Number(row.completed_at)),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
