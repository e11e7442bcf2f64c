import { afterEach, describe, expect, it } from 'vitest';
import { compileScenario } from '../src/scenario/index.js';
import type { LoadedScenario } from '../src/scenario/index.js';
import { startLocalRealtime } from '../src/testing/index.js';
import type { LocalRealtimeHandle } from '../src/testing/index.js';
import { ManualClock } from './helpers/manual-clock.js';
import type { Json } from './helpers/ws-client.js';
import {
  eventOf,
  expectError,
  joinDeltas,
  openSession,
  pcmBase64,
  shape,
  textTurn,
  useTextOutput,
  userText,
} from './helpers/session-client.js';
import type { SessionClient } from './helpers/session-client.js';

let engine: LocalRealtimeHandle;
let client: SessionClient;

function faultScenario(): LoadedScenario {
  const result = compileScenario({
    name: 'faults',
    responses: [
      {
        when: { keywords: ['boom'] },
        reply: { text: 'never', fault: { type: 'error', code: 'server_error' } },
      },
      {
        when: { keywords: ['drop'] },
        reply: {
          text: 'one two three four five six',
          fault: { type: 'close', after_events: 4, code: 4001, reason: 'dropped' },
        },
      },
      {
        when: { keywords: ['slow'] },
        reply: { text: 'one two three', fault: { type: 'stall', ms: 5000 } },
      },
      { when: { keywords: ['limit'] }, reply: { text: 'no', fault: { type: 'rate_limit' } } },
      { when: { keywords: ['refuse'] }, reply: { text: 'no', fault: { type: 'refuse' } } },
      {
        when: { keywords: ['expire'] },
        reply: { text: 'no', fault: { type: 'session_expired' } },
      },
    ],
    fallback: { reply: { text: 'Fine, thanks.' } },
  });
  if (!result.ok) throw result.error;
  return result.scenario;
}

async function start(options: Parameters<typeof startLocalRealtime>[0] = {}): Promise<void> {
  engine = await startLocalRealtime({ scenario: faultScenario(), ...options });
  client = await openSession(engine);
  await client.expectNext('session.created');
  await useTextOutput(client);
}

afterEach(async () => {
  await client.close();
  await engine.close();
});

async function ask(text: string): Promise<void> {
  client.send(userText(text));
  await client.until('conversation.item.done');
  client.send({ type: 'response.create' });
}

function expectFailed(events: Json[]): Json {
  const done = eventOf(events, 'response.done').response as Json;
  expect(done.status).toBe('failed');
  return done;
}

describe('scenario faults', () => {
  it('sends an error event and a failed response.done, and the session goes on', async () => {
    await start();
    await ask('boom');
    const events = await client.until('rate_limits.updated');
    expect(shape(events)).toEqual([
      'response.created',
      'error',
      'response.done',
      'rate_limits.updated',
    ]);
    expect(eventOf(events, 'error').error).toMatchObject({
      type: 'server_error',
      code: 'server_error',
    });
    expect(expectFailed(events).status_details).toMatchObject({
      type: 'failed',
      error: { type: 'server_error', code: 'server_error' },
    });
    const next = await textTurn(client, 'hello');
    expect(joinDeltas(next, 'response.output_text.delta')).toBe('Fine, thanks.');
  });

  it('closes the connection mid-response with the given code', async () => {
    await start();
    await ask('drop');
    const events: Json[] = [];
    await expect(
      (async () => {
        for (;;) events.push(await client.next());
      })(),
    ).rejects.toThrow(/closed 4001 dropped/);
    expect(shape(events)).toEqual([
      'response.created',
      'response.output_item.added',
      'conversation.item.added',
      'response.content_part.added',
    ]);
    expect(await client.closed).toEqual({ code: 4001, reason: 'dropped' });
  });

  it('stalls after the first delta and resumes when the time has passed', async () => {
    const clock = new ManualClock(Date.now());
    await start({ clock });
    await ask('slow');
    const head = await client.until('response.output_text.delta');
    expect(client.pending()).toEqual([]);
    clock.advance(5000);
    const tail = await client.until('rate_limits.updated');
    expect(joinDeltas([...head, ...tail], 'response.output_text.delta')).toBe('one two three');
    expect(eventOf(tail, 'response.done').response).toMatchObject({ status: 'completed' });
  });

  it('answers a rate limit with remaining 0 and a failed response', async () => {
    await start();
    await ask('limit');
    const events = await client.until('rate_limits.updated');
    expect(shape(events)).toEqual(['response.created', 'response.done', 'rate_limits.updated']);
    expect(expectFailed(events).status_details).toMatchObject({
      error: { code: 'rate_limit_exceeded' },
    });
    const limits = eventOf(events, 'rate_limits.updated').rate_limits as Json[];
    expect(limits[0]).toMatchObject({ name: 'tokens', remaining: 0 });
  });

  it('refuses the response.create with an error naming it, and creates no response', async () => {
    await start();
    client.send(userText('refuse this'));
    await client.until('conversation.item.done');
    client.send({ type: 'response.create', event_id: 'evt_create_1' });
    expect(await expectError(client)).toMatchObject({
      code: 'conversation_already_has_active_response',
      event_id: 'evt_create_1',
    });
    // No response was created: the next turn's events start with its own response.created.
    const next = await textTurn(client, 'how are you');
    expect(shape(next).filter((t) => t.startsWith('response.created'))).toHaveLength(1);
    expect(joinDeltas(next, 'response.output_text.delta')).toBe('Fine, thanks.');
  });

  it('expires the session early: session_expired, then close', async () => {
    await start();
    await ask('expire');
    expect(await expectError(client)).toMatchObject({ code: 'session_expired' });
    expect((await client.closed).code).toBe(1000);
  });
});

describe('injected faults', () => {
  it('sends an error event at once with injectFault', async () => {
    await start();
    engine.injectFault({ type: 'error', code: 'server_error', message: 'Injected.' });
    expect(await expectError(client)).toMatchObject({
      type: 'server_error',
      code: 'server_error',
      message: 'Injected.',
    });
    expect(shape(await textTurn(client, 'hello'))).toContain('response.done');
  });

  it('fails the next response with injectFaultOnNextResponse', async () => {
    await start();
    engine.injectFaultOnNextResponse({ type: 'error', code: 'server_error', message: 'Next.' });
    const events = await textTurn(client, 'hello');
    expect(eventOf(events, 'error').error).toMatchObject({ message: 'Next.' });
    expectFailed(events);
    const next = await textTurn(client, 'hello');
    expect(eventOf(next, 'response.done').response).toMatchObject({ status: 'completed' });
  });

  it('rate-limits the next response when injected', async () => {
    await start();
    engine.injectFault({ type: 'rate_limit' });
    const events = await textTurn(client, 'hello');
    expectFailed(events);
    expect((eventOf(events, 'rate_limits.updated').rate_limits as Json[])[0]).toMatchObject({
      remaining: 0,
    });
  });

  it('closes the connection mid-response when injected', async () => {
    await start();
    engine.injectFaultOnNextResponse({ type: 'close', afterEvents: 2, code: 4002, reason: 'cut' });
    client.send(userText('hello'));
    client.send({ type: 'response.create' });
    expect(await client.closed).toEqual({ code: 4002, reason: 'cut' });
  });

  it('stalls the next response when injected, resuming on the clock', async () => {
    const clock = new ManualClock(Date.now());
    await start({ clock });
    engine.injectFault({ type: 'stall', ms: 1000 });
    client.send(userText('hello'));
    client.send({ type: 'response.create' });
    await client.until('response.output_text.delta');
    clock.advance(1000);
    const tail = await client.until('rate_limits.updated');
    expect(eventOf(tail, 'response.done').response).toMatchObject({ status: 'completed' });
  });

  it('expires a session at once when injected', async () => {
    await start();
    engine.injectFault({ type: 'session_expired' });
    expect(await expectError(client)).toMatchObject({ code: 'session_expired' });
    expect((await client.closed).code).toBe(1000);
  });
});

describe('session duration', () => {
  it('expires at limits.maxSessionMinutes on the injected clock', async () => {
    const clock = new ManualClock(Date.now());
    await start({ clock, limits: { maxSessionMinutes: 2 } });
    clock.advance(119_000);
    expect(shape(await textTurn(client, 'hello'))).toContain('response.done');
    clock.advance(1000);
    expect(await expectError(client)).toEqual({
      type: 'invalid_request_error',
      code: 'session_expired',
      message: 'Your session hit the maximum duration of 2 minutes.',
      param: null,
      event_id: null,
    });
    expect((await client.closed).code).toBe(1000);
  });
});

describe('extension events', () => {
  for (const event of [
    { type: 'audio', audio: pcmBase64(20) },
    { type: 'interrupt' },
    { type: 'heartbeat' },
  ]) {
    it(`refuses '${event.type}' with the live invalid_value error without extensions`, async () => {
      await start();
      client.send({ ...event, event_id: 'evt_ext' });
      const error = await expectError(client);
      expect(error).toMatchObject({
        type: 'invalid_request_error',
        code: 'invalid_value',
        param: 'type',
        event_id: 'evt_ext',
      });
      expect(String(error.message)).toMatch(
        new RegExp(`^Invalid value: '${event.type}'. Supported values are: `),
      );
    });
  }

  it('accepts audio, heartbeat and interrupt with extensions', async () => {
    await start({ extensions: true, speed: 1 });
    // Push-to-talk: no server VAD, so the tone is committed by hand.
    client.send({
      type: 'session.update',
      session: { type: 'realtime', audio: { input: { turn_detection: null } } },
    });
    await client.expectNext('session.updated');
    client.send({ type: 'audio', audio: pcmBase64(150) });
    client.send({ type: 'heartbeat' });
    client.send({ type: 'input_audio_buffer.commit' });
    expect(shape(await client.until('conversation.item.done'))).toEqual([
      'input_audio_buffer.committed',
      'conversation.item.added',
      'conversation.item.done',
    ]);
    client.send(userText('one two three four five six seven eight nine ten'));
    client.send({ type: 'response.create' });
    await client.until('response.output_text.delta');
    client.send({ type: 'interrupt' });
    const events = await client.until('rate_limits.updated');
    expect(eventOf(events, 'response.done').response).toMatchObject({
      status: 'cancelled',
      status_details: { reason: 'client_cancelled' },
    });
  });
});
