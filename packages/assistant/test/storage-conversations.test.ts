import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from '../src/storage/open-storage.js';
import type { ConversationItemRecord, ConversationRecord } from '../src/storage/records.js';
import { createStorageTarget, DIALECTS } from './helpers/test-database.js';
import type { TestStorageTarget } from './helpers/test-database.js';

const T0 = Date.parse('2030-02-01T10:00:00.000Z');
const time = (seconds: number) => new Date(T0 + seconds * 1000);

function conversation(
  id: string,
  startedAt: Date,
): Omit<ConversationRecord, 'endedAt' | 'recordingPaths'> {
  return { id, sessionId: null, assistant: 'scheduler', target: 'embedded', startedAt };
}

function item(
  conversationId: string,
  itemId: string,
  position: number,
  text: string,
): ConversationItemRecord {
  return {
    conversationId,
    itemId,
    position,
    speaker: 'user',
    text,
    createdAt: time(position),
    completedAt: null,
  };
}

describe.each(DIALECTS)('conversations on %s', (dialect) => {
  let target: TestStorageTarget;
  let storage: Storage;
  beforeAll(async () => {
    target = await createStorageTarget(dialect);
    storage = await target.open();
  });
  afterAll(async () => {
    await storage?.close();
    target?.dispose();
  });

  it('starts a conversation that is found by its full id, open and empty', async () => {
    const id = randomUUID();
    await storage.conversations.start(conversation(id, time(0)));
    expect(await storage.conversations.find(id)).toEqual({
      found: true,
      conversation: { ...conversation(id, time(0)), endedAt: null, recordingPaths: [] },
      items: [],
    });
  });

  it('inserts an item and then updates it in place, keeping items in position order', async () => {
    const id = randomUUID();
    await storage.conversations.start(conversation(id, time(0)));
    await storage.conversations.upsertItem({ ...item(id, 'item_b', 1, ''), speaker: 'assistant' });
    await storage.conversations.upsertItem(item(id, 'item_a', 0, 'book me'));
    await storage.conversations.upsertItem({
      ...item(id, 'item_b', 1, 'Which day suits you?'),
      speaker: 'assistant',
      completedAt: time(5),
    });
    const found = await storage.conversations.find(id);
    expect(found.found && found.items).toEqual([
      item(id, 'item_a', 0, 'book me'),
      {
        ...item(id, 'item_b', 1, 'Which day suits you?'),
        speaker: 'assistant',
        completedAt: time(5),
      },
    ]);
  });

  it('keeps the first session id it is given', async () => {
    const id = randomUUID();
    await storage.conversations.start(conversation(id, time(0)));
    await storage.conversations.setSessionId(id, 'sess_first');
    await storage.conversations.setSessionId(id, 'sess_after_reconnect');
    const found = await storage.conversations.find(id);
    expect(found.found && found.conversation.sessionId).toBe('sess_first');
  });

  it('ends a conversation with its recording paths', async () => {
    const id = randomUUID();
    await storage.conversations.start({ ...conversation(id, time(0)), sessionId: 'sess_1' });
    const paths = ['/data/recordings/a b.wav', '/data/recordings/"quoted".wav'];
    await storage.conversations.end(id, time(90), paths);
    const found = await storage.conversations.find(id);
    expect(found.found && found.conversation).toMatchObject({
      sessionId: 'sess_1',
      endedAt: time(90),
      recordingPaths: paths,
    });
  });

  it('discards a conversation only while it has no session, item or recording', async () => {
    const [empty, withSession, withItem, withRecording] = [1, 2, 3, 4].map(() => randomUUID());
    for (const id of [empty, withSession, withItem, withRecording]) {
      await storage.conversations.start(conversation(id!, time(0)));
    }
    await storage.conversations.setSessionId(withSession!, 'sess_1');
    await storage.conversations.upsertItem(item(withItem!, 'item_a', 0, 'hello'));
    await storage.conversations.end(withRecording!, time(9), ['/data/recordings/r.wav']);
    expect(await storage.conversations.discardIfEmpty(empty!)).toBe(true);
    expect(await storage.conversations.find(empty!)).toEqual({ found: false, reason: 'not_found' });
    for (const id of [withSession, withItem, withRecording]) {
      expect(await storage.conversations.discardIfEmpty(id!)).toBe(false);
      expect((await storage.conversations.find(id!)).found).toBe(true);
    }
    expect(await storage.conversations.discardIfEmpty(randomUUID())).toBe(false);
  });

  it('lists conversations newest first with their item counts, up to a limit', async () => {
    const fresh = await createStorageTarget(dialect);
    const other = await fresh.open();
    try {
      const [older, newer, newest] = [randomUUID(), randomUUID(), randomUUID()];
      await other.conversations.start(conversation(older, time(0)));
      await other.conversations.start(conversation(newest, time(200)));
      await other.conversations.start(conversation(newer, time(100)));
      for (const [position, itemId] of ['i1', 'i2', 'i3'].entries()) {
        await other.conversations.upsertItem(item(newer, itemId, position, 'hello'));
      }
      await other.conversations.upsertItem(item(newer, 'i1', 0, 'hello again'));
      await other.conversations.upsertItem(item(older, 'i1', 0, 'hi'));
      const listed = await other.conversations.list();
      expect(listed.map((c) => [c.id, c.itemCount])).toEqual([
        [newest, 0],
        [newer, 3],
        [older, 1],
      ]);
      expect(listed[1]).toMatchObject({ startedAt: time(100), endedAt: null, recordingPaths: [] });
      expect((await other.conversations.list({ limit: 2 })).map((c) => c.id)).toEqual([
        newest,
        newer,
      ]);
    } finally {
      await other.close();
      fresh.dispose();
    }
  });

  it('finds a conversation by a unique prefix and says ambiguous or not_found otherwise', async () => {
    const first = 'qrst1234-0000-4000-8000-000000000001';
    const second = 'qrst5678-0000-4000-8000-000000000002';
    await storage.conversations.start(conversation(first, time(0)));
    await storage.conversations.start(conversation(second, time(1)));
    const byPrefix = await storage.conversations.find('qrst12');
    expect(byPrefix.found && byPrefix.conversation.id).toBe(first);
    expect(await storage.conversations.find('qrst')).toEqual({ found: false, reason: 'ambiguous' });
    expect(await storage.conversations.find('xyz')).toEqual({ found: false, reason: 'not_found' });
    expect(await storage.conversations.find('')).toEqual({ found: false, reason: 'not_found' });
    // LIKE wildcards mean nothing here.
    expect(await storage.conversations.find('%')).toEqual({ found: false, reason: 'not_found' });
    expect(await storage.conversations.find('qrst_234')).toEqual({
      found: false,
      reason: 'not_found',
    });
  });
});
