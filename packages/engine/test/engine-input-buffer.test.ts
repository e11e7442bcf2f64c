import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startLocalRealtime } from '../src/testing/index.js';
import type { LocalRealtimeHandle } from '../src/testing/index.js';
import {
  expectError,
  openSession,
  pcmBase64,
  shape,
  textTurn,
  useTextOutput,
} from './helpers/session-client.js';
import type { SessionClient } from './helpers/session-client.js';

let engine: LocalRealtimeHandle;
let client: SessionClient;

beforeEach(async () => {
  // 500 ms of 24 kHz PCM16.
  engine = await startLocalRealtime({ maxInputBufferBytes: 24_000 });
  client = await openSession(engine);
  await client.expectNext('session.created');
  client.send({
    type: 'session.update',
    session: { type: 'realtime', audio: { input: { turn_detection: null } } },
  });
  await client.expectNext('session.updated');
});

afterEach(async () => {
  await client.close();
  await engine.close();
});

describe('the input audio buffer', () => {
  it('does not acknowledge appends', async () => {
    client.send({ type: 'input_audio_buffer.append', audio: pcmBase64(40) });
    client.send({ type: 'input_audio_buffer.clear' });
    // The first event after the append is the clear's answer.
    expect(await client.expectNext('input_audio_buffer.cleared')).toMatchObject({
      type: 'input_audio_buffer.cleared',
    });
  });

  it('refuses a commit under 100 ms with the live message, echoing the event id', async () => {
    client.send({ type: 'input_audio_buffer.append', audio: pcmBase64(50) });
    client.send({ type: 'input_audio_buffer.commit', event_id: 'evt_commit' });
    expect(await expectError(client)).toEqual({
      type: 'invalid_request_error',
      code: 'input_audio_buffer_commit_empty',
      message:
        'Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has 50.00ms of audio.',
      param: null,
      event_id: 'evt_commit',
    });
  });

  it('refuses a commit of an empty buffer', async () => {
    client.send({ type: 'input_audio_buffer.commit' });
    expect(await expectError(client)).toMatchObject({
      code: 'input_audio_buffer_commit_empty',
      event_id: null,
    });
  });

  it('empties the buffer on clear, so a following commit is refused', async () => {
    client.send({ type: 'input_audio_buffer.append', audio: pcmBase64(200) });
    client.send({ type: 'input_audio_buffer.clear' });
    await client.expectNext('input_audio_buffer.cleared');
    client.send({ type: 'input_audio_buffer.commit' });
    expect(String((await expectError(client)).message)).toContain('buffer only has 0.00ms');
  });

  it('refuses appends over the buffer limit with a clear error and stays usable', async () => {
    client.send({ type: 'input_audio_buffer.append', audio: pcmBase64(400) });
    client.send({ type: 'input_audio_buffer.append', audio: pcmBase64(200), event_id: 'evt_full' });
    const error = await expectError(client);
    expect(error).toMatchObject({
      code: 'input_audio_buffer_full',
      param: 'audio',
      event_id: 'evt_full',
    });
    expect(String(error.message)).toContain('500ms');
    // The 400 ms already buffered are intact and commit.
    client.send({ type: 'input_audio_buffer.commit' });
    expect(shape(await client.until('conversation.item.done'))).toEqual([
      'input_audio_buffer.committed',
      'conversation.item.added',
      'conversation.item.done',
    ]);
    await useTextOutput(client);
    const turn = await textTurn(client, 'thank you');
    expect(shape(turn)).toContain('response.done');
  });
});
