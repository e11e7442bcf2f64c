import { afterEach, describe, expect, it } from 'vitest';
import { startLocalRealtime } from '../src/testing/index.js';
import type { LocalRealtimeHandle } from '../src/testing/index.js';
import { ManualClock } from './helpers/manual-clock.js';
import type { Json } from './helpers/ws-client.js';
import { eventOf, expectError, openSession, textTurn, userText } from './helpers/session-client.js';
import type { SessionClient } from './helpers/session-client.js';

let engine: LocalRealtimeHandle | undefined;
const clients: SessionClient[] = [];

async function start(
  options: Parameters<typeof startLocalRealtime>[0] = {},
): Promise<LocalRealtimeHandle> {
  engine = await startLocalRealtime(options);
  return engine;
}

async function open(options: Parameters<typeof openSession>[1] = {}): Promise<SessionClient> {
  const client = await openSession(engine!, options);
  clients.push(client);
  return client;
}

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  await engine?.close();
  engine = undefined;
});

const SCENARIO_INSTRUCTIONS = 'You are a helpful, friendly assistant. Keep your answers short.';

async function update(client: SessionClient, session: Json, eventId?: string): Promise<Json> {
  client.send({ type: 'session.update', ...(eventId ? { event_id: eventId } : {}), session });
  return client.next();
}

describe('session.created', () => {
  it('carries the GA defaults with the scenario instructions', async () => {
    await start();
    const client = await open();
    const created = await client.expectNext('session.created');
    const session = created.session as Json;
    expect(session).toMatchObject({
      type: 'realtime',
      object: 'realtime.session',
      model: 'gpt-realtime',
      output_modalities: ['audio'],
      instructions: SCENARIO_INSTRUCTIONS,
      tools: [],
      tool_choice: 'auto',
      max_output_tokens: 'inf',
      tracing: null,
      truncation: 'auto',
      prompt: null,
      include: null,
      audio: {
        input: {
          format: { type: 'audio/pcm', rate: 24000 },
          transcription: null,
          noise_reduction: null,
          turn_detection: {
            type: 'server_vad',
            threshold: 0.5,
            prefix_padding_ms: 300,
            silence_duration_ms: 200,
            idle_timeout_ms: null,
            create_response: true,
            interrupt_response: true,
          },
        },
        output: { format: { type: 'audio/pcm', rate: 24000 }, speed: 1 },
      },
    });
    expect(String(session.id)).toMatch(/^sess_/);
    const expiresIn = (session.expires_at as number) - Date.now() / 1000;
    expect(expiresIn).toBeGreaterThan(3590);
    expect(expiresIn).toBeLessThanOrEqual(3600);
    expect(typeof (session.audio as { output: Json }).output.voice).toBe('string');
  });
});

describe('session.update', () => {
  it('changes only the fields given and answers with the full session', async () => {
    await start();
    const client = await open();
    const before = (await client.expectNext('session.created')).session as Json;
    const updated = await update(client, {
      type: 'realtime',
      audio: { output: { voice: 'marin' } },
    });
    expect(updated.type).toBe('session.updated');
    const after = updated.session as Json;
    const expected = structuredClone(before);
    ((expected.audio as Json).output as Json).voice = 'marin';
    expect(after).toEqual(expected);
  });

  it('rejects the whole update on an unknown field and keeps the session unchanged', async () => {
    await start();
    const client = await open();
    const before = (await client.expectNext('session.created')).session as Json;
    const error = await update(
      client,
      { type: 'realtime', instructions: 'changed', bogus_field: 1 },
      'evt_bad',
    );
    expect(error).toMatchObject({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        code: 'unknown_parameter',
        param: 'session.bogus_field',
        event_id: 'evt_bad',
      },
    });
    const echo = await update(client, { type: 'realtime' });
    expect(echo.session).toEqual(before);
  });

  it('rejects an update without session.type as missing_required_parameter', async () => {
    await start();
    const client = await open();
    const before = (await client.expectNext('session.created')).session as Json;
    const error = await update(client, { instructions: 'changed' }, 'evt_type');
    expect(error.error).toMatchObject({
      code: 'missing_required_parameter',
      param: 'session.type',
      event_id: 'evt_type',
    });
    expect((await update(client, { type: 'realtime' })).session).toEqual(before);
  });

  it('rejects an invalid nested value with its path', async () => {
    await start();
    const client = await open();
    const before = (await client.expectNext('session.created')).session as Json;
    const error = await update(client, {
      type: 'realtime',
      instructions: 'changed',
      audio: { input: { format: { type: 'audio/pcm', rate: 16000 } } },
    });
    expect(error.error).toMatchObject({
      code: 'integer_below_min_value',
      param: 'session.audio.input.format.rate',
    });
    expect((await update(client, { type: 'realtime' })).session).toEqual(before);
  });

  it('refuses a voice change once the session produced audio', async () => {
    await start();
    const client = await open();
    await client.expectNext('session.created');
    await textTurn(client, 'play a tone');
    const error = await update(
      client,
      { type: 'realtime', audio: { output: { voice: 'verse' } } },
      'evt_voice',
    );
    expect(error.error).toMatchObject({
      code: 'cannot_update_voice',
      param: 'session.audio.output.voice',
      event_id: 'evt_voice',
    });
    const echo = await update(client, { type: 'realtime' });
    expect(((echo.session as Json).audio as Json).output).toMatchObject({ voice: 'alloy' });
  });
});

describe('a transcription session', () => {
  it('starts with type transcription and refuses response.create', async () => {
    await start();
    const client = await open({ query: 'intent=transcription' });
    const created = await client.expectNext('session.created');
    expect(created.session).toMatchObject({
      type: 'transcription',
      object: 'realtime.transcription_session',
    });
    expect((created.session as Json).output_modalities).toBeUndefined();
    client.send({ type: 'response.create', event_id: 'evt_resp' });
    expect(await expectError(client)).toMatchObject({
      type: 'invalid_request_error',
      event_id: 'evt_resp',
    });
    client.send({ type: 'input_audio_buffer.clear' });
    await client.expectNext('input_audio_buffer.cleared');
  });
});

describe('ephemeral tokens end to end', () => {
  const KEY = 'sk-engine-test-0123456789';

  async function mint(body: Json): Promise<{ value: string; expires_at: number }> {
    const res = await fetch(`${engine!.httpUrl}/v1/realtime/client_secrets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { value: string; expires_at: number };
  }

  it("opens a session with the token's instructions and voice", async () => {
    await start({ keys: [KEY] });
    const token = await mint({
      session: {
        type: 'realtime',
        model: 'gpt-realtime',
        instructions: 'Talk like a pirate.',
        audio: { output: { voice: 'coral' } },
      },
    });
    expect(token.value).toMatch(/^ek_/);
    const client = await open({
      query: 'model=gpt-realtime',
      headers: { Authorization: `Bearer ${token.value}` },
    });
    const created = await client.expectNext('session.created');
    expect(created.session).toMatchObject({
      instructions: 'Talk like a pirate.',
      audio: { output: { voice: 'coral' } },
    });
    const turn = await textTurn(client, 'thank you');
    expect(eventOf(turn, 'response.done').response).toMatchObject({
      status: 'completed',
      audio: { output: { voice: 'coral' } },
    });
  });

  it('refuses an expired token', async () => {
    const clock = new ManualClock(Date.now());
    await start({ keys: [KEY], clock });
    const token = await mint({ expires_after: { anchor: 'created_at', seconds: 10 } });
    clock.advance(11_000);
    const client = await open({ headers: { Authorization: `Bearer ${token.value}` } });
    const error = await expectError(client);
    expect(error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_api_key' });
    expect((await client.closed).code).toBe(3000);
  });
});

describe('the beta shape', () => {
  const ways: [string, Parameters<typeof openSession>[1]][] = [
    ['the OpenAI-Beta header', { headers: { 'OpenAI-Beta': 'realtime=v1' } }],
    [
      'the openai-beta.realtime-v1 subprotocol',
      { protocols: ['realtime', 'openai-beta.realtime-v1'] },
    ],
  ];
  for (const [how, options] of ways) {
    it(`speaks beta events and session fields with ${how}`, async () => {
      await start();
      const client = await open(options);
      const created = (await client.expectNext('session.created')).session as Json;
      expect(created).toMatchObject({
        object: 'realtime.session',
        modalities: ['text', 'audio'],
        input_audio_format: 'pcm16',
        output_audio_format: 'pcm16',
        temperature: 0.8,
      });
      expect(typeof created.voice).toBe('string');
      expect(created.type).toBeUndefined();
      expect(created.audio).toBeUndefined();

      client.send({
        type: 'session.update',
        session: { modalities: ['text'], temperature: 0.7 },
      });
      const updated = (await client.expectNext('session.updated')).session as Json;
      expect(updated).toMatchObject({ modalities: ['text'], temperature: 0.7 });

      client.send({
        type: 'conversation.item.create',
        item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hello' }] },
      });
      client.send({ type: 'response.create' });
      const text = await client.until('response.done');
      const types = text.map((e) => e.type);
      expect(types).toContain('response.text.delta');
      expect(types).toContain('response.text.done');
      expect(types.filter((t) => t === 'conversation.item.created')).toHaveLength(2);
      expect(types).not.toContain('conversation.item.added');
      expect(types).not.toContain('response.output_text.delta');
      const done = eventOf(text, 'response.done').response as Json;
      expect(done).toMatchObject({ status: 'completed', modalities: ['text'], temperature: 0.7 });
      await client.expectNext('rate_limits.updated');

      client.send({
        type: 'conversation.item.create',
        item: {
          type: 'message',
          role: 'user',
          content: [{ type: 'input_text', text: 'play a tone' }],
        },
      });
      client.send({ type: 'response.create', response: { modalities: ['text', 'audio'] } });
      const audio = (await client.until('response.done')).map((e) => e.type);
      expect(audio).toContain('response.audio.delta');
      expect(audio).toContain('response.audio_transcript.delta');
      expect(audio).toContain('response.audio.done');
      expect(audio).not.toContain('response.output_audio.delta');
    });
  }
});

describe('a session after many turns', () => {
  it('keeps answering in order', async () => {
    await start();
    const client = await open();
    await client.expectNext('session.created');
    for (const text of ['Hello', 'thank you', 'goodbye']) {
      client.send(userText(text));
      client.send({ type: 'response.create' });
      const events = await client.until('rate_limits.updated');
      expect(eventOf(events, 'response.done').response).toMatchObject({ status: 'completed' });
    }
  });
});
