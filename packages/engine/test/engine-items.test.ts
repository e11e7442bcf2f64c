import { describe, expect, it } from 'vitest';
import { useEngineSession } from './helpers/engine-session.js';
import type { Json } from './helpers/ws-client.js';
import {
  audioBytes,
  eventOf,
  expectError,
  pcmBase64,
  shape,
  textTurn,
  useTextOutput,
  userText,
} from './helpers/session-client.js';
import type { SessionClient } from './helpers/session-client.js';

let client: SessionClient;

useEngineSession((opened) => ({ client } = opened));

async function createText(text: string, extra: Json = {}): Promise<Json> {
  client.send({ ...userText(text), ...extra });
  const events = await client.until('conversation.item.done');
  expect(shape(events)).toEqual(['conversation.item.added', 'conversation.item.done']);
  return events[1]!;
}

/** An audio turn with the default scenario's 800 ms tone; returns the assistant item id. */
async function toneTurn(): Promise<{ itemId: string; events: Json[] }> {
  client.send(userText('play a tone'));
  client.send({ type: 'response.create' });
  const events = await client.until('rate_limits.updated');
  const itemId = String((eventOf(events, 'response.output_item.done').item as Json).id);
  return { itemId, events };
}

describe('conversation.item.create', () => {
  it('appends at the end and fills in id, object and status', async () => {
    const first = await createText('one');
    const second = await createText('two');
    expect(first.previous_item_id).toBeNull();
    expect(second.previous_item_id).toBe((first.item as Json).id);
    expect(second.item).toMatchObject({
      object: 'realtime.item',
      status: 'completed',
      type: 'message',
      role: 'user',
      content: [{ type: 'input_text', text: 'two' }],
    });
    expect(String((second.item as Json).id)).toMatch(/^item_/);
  });

  it('inserts after a given previous_item_id and at the start with root', async () => {
    const first = await createText('one');
    await createText('two');
    const firstId = String((first.item as Json).id);
    const middle = await createText('between', { previous_item_id: firstId });
    expect(middle.previous_item_id).toBe(firstId);
    const head = await createText('zero', { previous_item_id: 'root' });
    expect(head.previous_item_id).toBeNull();
  });

  it('refuses an unknown previous_item_id with param previous_item_id, echoing the event id', async () => {
    client.send({ ...userText('lost'), previous_item_id: 'item_nope', event_id: 'evt_prev' });
    const error = await expectError(client);
    expect(error).toMatchObject({
      type: 'invalid_request_error',
      code: 'invalid_value',
      param: 'previous_item_id',
      event_id: 'evt_prev',
    });
    expect(String(error.message)).toContain('item_nope');
  });

  it('refuses an id that is already in the conversation', async () => {
    await createText('one', { item: { id: 'item_mine', ...(userText('x').item as Json) } });
    client.send({
      ...userText('again'),
      event_id: 'evt_dup',
      item: { id: 'item_mine', ...(userText('y').item as Json) },
    });
    expect(await expectError(client)).toMatchObject({ param: 'item.id', event_id: 'evt_dup' });
  });
});

describe('conversation.item.retrieve', () => {
  it('returns a text item as it was created', async () => {
    const created = await createText('keep me');
    const id = String((created.item as Json).id);
    client.send({ type: 'conversation.item.retrieve', item_id: id });
    const retrieved = await client.expectNext('conversation.item.retrieved');
    expect(retrieved.item).toEqual(created.item);
  });

  it('returns the audio of an assistant audio item', async () => {
    const { itemId, events } = await toneTurn();
    client.send({ type: 'conversation.item.retrieve', item_id: itemId });
    const retrieved = await client.expectNext('conversation.item.retrieved');
    const part = ((retrieved.item as Json).content as Json[])[0]!;
    expect(part.type).toBe('output_audio');
    expect(part.transcript).toBe('Here is a test tone.');
    expect(Buffer.from(String(part.audio), 'base64').equals(audioBytes(events))).toBe(true);
  });

  it('returns the audio of a committed user audio item', async () => {
    // Push-to-talk: no server VAD, so the tone is committed by hand.
    client.send({
      type: 'session.update',
      session: { type: 'realtime', audio: { input: { turn_detection: null } } },
    });
    await client.expectNext('session.updated');
    const audio = pcmBase64(150);
    client.send({ type: 'input_audio_buffer.append', audio });
    client.send({ type: 'input_audio_buffer.commit' });
    const committed = await client.expectNext('input_audio_buffer.committed');
    await client.until('conversation.item.done');
    client.send({ type: 'conversation.item.retrieve', item_id: committed.item_id });
    const retrieved = await client.expectNext('conversation.item.retrieved');
    expect(((retrieved.item as Json).content as Json[])[0]).toEqual({
      type: 'input_audio',
      transcript: null,
      audio,
    });
  });

  it('refuses an unknown item id', async () => {
    client.send({ type: 'conversation.item.retrieve', item_id: 'item_nope', event_id: 'evt_r' });
    expect(await expectError(client)).toMatchObject({
      code: 'item_retrieve_invalid_item_id',
      event_id: 'evt_r',
    });
  });
});

describe('conversation.item.delete', () => {
  it('deletes an item, which then cannot be retrieved', async () => {
    const created = await createText('delete me');
    const id = String((created.item as Json).id);
    client.send({ type: 'conversation.item.delete', item_id: id });
    expect(await client.expectNext('conversation.item.deleted')).toMatchObject({ item_id: id });
    client.send({ type: 'conversation.item.retrieve', item_id: id });
    expect(await expectError(client)).toMatchObject({ code: 'item_retrieve_invalid_item_id' });
  });

  it('refuses an unknown item id', async () => {
    client.send({ type: 'conversation.item.delete', item_id: 'item_nope', event_id: 'evt_d' });
    expect(await expectError(client)).toMatchObject({
      code: 'item_delete_invalid_item_id',
      event_id: 'evt_d',
    });
  });
});

describe('conversation.item.truncate', () => {
  it('cuts the audio and the transcript of an assistant audio item', async () => {
    const { itemId } = await toneTurn();
    client.send({
      type: 'conversation.item.truncate',
      item_id: itemId,
      content_index: 0,
      audio_end_ms: 400,
    });
    expect(await client.expectNext('conversation.item.truncated')).toMatchObject({
      item_id: itemId,
      content_index: 0,
      audio_end_ms: 400,
    });
    client.send({ type: 'conversation.item.retrieve', item_id: itemId });
    const retrieved = await client.expectNext('conversation.item.retrieved');
    const part = ((retrieved.item as Json).content as Json[])[0]!;
    // 400 ms of 24 kHz PCM16; the transcript keeps the words said in that time.
    expect(Buffer.from(String(part.audio), 'base64').length).toBe(400 * 48);
    expect(part.transcript).toBe('Here is a');
  });

  it('refuses audio_end_ms beyond the audio sent with the live "already shorter than" error', async () => {
    const { itemId } = await toneTurn();
    client.send({
      type: 'conversation.item.truncate',
      event_id: 'evt_t',
      item_id: itemId,
      content_index: 0,
      audio_end_ms: 1500,
    });
    expect(await expectError(client)).toEqual({
      type: 'invalid_request_error',
      code: 'invalid_value',
      message: 'Audio content of 800ms is already shorter than 1500ms',
      param: 'audio_end_ms',
      event_id: 'evt_t',
    });
  });

  it('refuses to truncate a user item', async () => {
    const created = await createText('mine');
    client.send({
      type: 'conversation.item.truncate',
      event_id: 'evt_u',
      item_id: (created.item as Json).id,
      content_index: 0,
      audio_end_ms: 0,
    });
    expect(await expectError(client)).toMatchObject({ code: 'invalid_value', event_id: 'evt_u' });
  });

  it('refuses to truncate an assistant text item', async () => {
    await useTextOutput(client);
    const events = await textTurn(client);
    const itemId = (eventOf(events, 'response.output_item.done').item as Json).id;
    client.send({
      type: 'conversation.item.truncate',
      event_id: 'evt_x',
      item_id: itemId,
      content_index: 0,
      audio_end_ms: 0,
    });
    expect(await expectError(client)).toMatchObject({
      code: 'invalid_value',
      param: 'content_index',
      event_id: 'evt_x',
    });
  });

  it('refuses an unknown item id', async () => {
    client.send({
      type: 'conversation.item.truncate',
      event_id: 'evt_n',
      item_id: 'item_nope',
      content_index: 0,
      audio_end_ms: 0,
    });
    expect(await expectError(client)).toMatchObject({
      code: 'item_truncate_invalid_item_id',
      event_id: 'evt_n',
    });
  });
});
