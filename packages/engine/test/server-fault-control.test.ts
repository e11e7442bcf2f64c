import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCliArgs } from '../src/server/cli-args.js';
import { parseFaultControlRequest } from '../src/server/fault-control.js';
import { startLocalRealtime } from '../src/testing/index.js';
import type { LocalRealtimeHandle } from '../src/testing/index.js';
import type { Json } from './helpers/ws-client.js';
import {
  eventOf,
  expectError,
  openSession,
  textTurn,
  useTextOutput,
  userText,
} from './helpers/session-client.js';
import type { SessionClient } from './helpers/session-client.js';

const KEY = 'sk-local-test-key';

let engine: LocalRealtimeHandle;
const clients: SessionClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await engine.close();
});

async function session(
  headers: Record<string, string> = {},
): Promise<{ client: SessionClient; id: string }> {
  const client = await openSession(engine, { headers });
  clients.push(client);
  const created = await client.expectNext('session.created');
  await useTextOutput(client);
  return { client, id: String((created.session as Json).id) };
}

interface HttpAnswer {
  status: number;
  body: Json;
}

/** A raw HTTP call to the control route (raw, so hostile bodies go out exactly as written). */
function call(
  method: string,
  body?: string | Buffer,
  headers: Record<string, string> = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      engine.faultsUrl,
      {
        method,
        headers: { 'content-type': 'application/json', ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Json });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const post = (body: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> =>
  call('POST', JSON.stringify(body), headers);

function expectFailed(events: Json[]): void {
  expect((eventOf(events, 'response.done').response as Json).status).toBe('failed');
}

function expectCompleted(events: Json[]): void {
  expect((eventOf(events, 'response.done').response as Json).status).toBe('completed');
}

describe('POST /v1/local/faults on an open loopback engine', () => {
  it('fails the next response of the named session only', async () => {
    engine = await startLocalRealtime();
    const a = await session();
    const b = await session();
    const answer = await post({
      fault: { type: 'error', code: 'server_error', message: 'By control call.' },
      session_id: a.id,
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      object: 'local.fault_injection',
      applied: [],
      queued: [{ object: 'local.fault', session_id: a.id, fault: { type: 'error' } }],
    });
    const listed = await call('GET');
    expect(listed.body.data).toHaveLength(1);

    const other = await textTurn(b.client, 'hello');
    expectCompleted(other);
    const failed = await textTurn(a.client, 'hello');
    expect(eventOf(failed, 'error').error).toMatchObject({ message: 'By control call.' });
    expectFailed(failed);
    expect((await call('GET')).body.data).toEqual([]);
    expectCompleted(await textTurn(a.client, 'hello'));
  });

  it('refuses the next response.create: one error naming it, no response, and the next create answers', async () => {
    engine = await startLocalRealtime();
    const a = await session();
    const answer = await post({ fault: { type: 'refuse' }, session_id: a.id });
    expect(answer.body).toMatchObject({
      applied: [],
      queued: [{ session_id: a.id, fault: { type: 'refuse' } }],
    });
    a.client.send(userText('hello'));
    await a.client.expectNext('conversation.item.added');
    await a.client.expectNext('conversation.item.done');
    a.client.send({ type: 'response.create', event_id: 'evt_refused_1' });
    // The refusal is the very next event: no response.created, no response.done.
    expect(await expectError(a.client)).toEqual({
      type: 'invalid_request_error',
      code: 'conversation_already_has_active_response',
      message:
        'Conversation already has an active response in progress. Wait until the response is finished before creating a new one.',
      param: null,
      event_id: 'evt_refused_1',
    });
    a.client.send({ type: 'response.create' });
    const answered = await a.client.until('rate_limits.updated');
    expect(answered[0]!.type).toBe('response.created');
    expectCompleted(answered);
    expect(JSON.stringify(answered)).toContain('Hello');
  });

  it('refuses with the code and message given', async () => {
    engine = await startLocalRealtime();
    const a = await session();
    await post({
      fault: { type: 'refuse', code: 'server_error', message: 'Try again.' },
      session_id: a.id,
    });
    a.client.send({ type: 'response.create', event_id: 'evt_2' });
    expect(await expectError(a.client)).toMatchObject({
      type: 'server_error',
      code: 'server_error',
      message: 'Try again.',
      event_id: 'evt_2',
    });
  });

  it('queues a fault for the next response of every open session', async () => {
    engine = await startLocalRealtime();
    const a = await session();
    const b = await session();
    const answer = await post({ fault: { type: 'rate_limit' }, sessions: 'all' });
    expect((answer.body.queued as Json[]).map((q) => q.session_id).sort()).toEqual(
      [a.id, b.id].sort(),
    );
    expectFailed(await textTurn(a.client, 'hello'));
    expectFailed(await textTurn(b.client, 'hello'));
  });

  it('gives a "first" fault to whichever session responds first', async () => {
    engine = await startLocalRealtime();
    const answer = await post({ fault: { type: 'rate_limit' }, sessions: 'first' });
    expect((answer.body.queued as Json[])[0]).toMatchObject({ session_id: null });
    const a = await session();
    const b = await session();
    expectFailed(await textTurn(b.client, 'hello'));
    expectCompleted(await textTurn(a.client, 'hello'));
  });

  it('closes a session mid-response and leaves the others running', async () => {
    engine = await startLocalRealtime();
    const a = await session();
    const b = await session();
    await post({
      fault: { type: 'close', after_events: 2, code: 4003, reason: 'control' },
      session_id: a.id,
    });
    a.client.send({
      type: 'conversation.item.create',
      item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] },
    });
    a.client.send({ type: 'response.create' });
    expect(await a.client.closed).toEqual({ code: 4003, reason: 'control' });
    expectCompleted(await textTurn(b.client, 'hello'));
  });

  it('expires a session now with when: "now"', async () => {
    engine = await startLocalRealtime();
    const a = await session();
    const b = await session();
    const answer = await post({
      fault: { type: 'session_expired' },
      session_id: a.id,
      when: 'now',
    });
    expect(answer.body).toMatchObject({ applied: [a.id], queued: [] });
    expect(await expectError(a.client)).toMatchObject({ code: 'session_expired' });
    expect((await a.client.closed).code).toBe(1000);
    expectCompleted(await textTurn(b.client, 'hello'));
  });

  it('clears queued faults with DELETE', async () => {
    engine = await startLocalRealtime();
    const a = await session();
    await post({ fault: { type: 'stall', ms: 60_000 }, session_id: a.id });
    await post({ fault: { type: 'rate_limit' }, sessions: 'first' });
    const cleared = await call('DELETE');
    expect(cleared).toEqual({ status: 200, body: { object: 'list', data: [], deleted: 2 } });
    expectCompleted(await textTurn(a.client, 'hello'));
  });

  it('answers a named session that is not open with a 404', async () => {
    engine = await startLocalRealtime();
    const answer = await post({ fault: { type: 'rate_limit' }, session_id: 'sess_nope' });
    expect(answer).toEqual({
      status: 404,
      body: {
        error: {
          type: 'invalid_request_error',
          code: 'session_not_found',
          message: "No open session with id 'sess_nope'.",
          param: 'session_id',
        },
      },
    });
  });
});

describe('hostile control requests', () => {
  const cases: Array<[string, string, { code: string | null; param: string | null }]> = [
    ['malformed JSON', '{"fault": ', { code: 'invalid_json', param: null }],
    ['a JSON array', '[1,2]', { code: 'invalid_type', param: null }],
    ['no fault', '{}', { code: 'missing_required_parameter', param: 'fault' }],
    [
      'an unknown fault',
      '{"fault":{"type":"meteor"}}',
      { code: 'invalid_value', param: 'fault.type' },
    ],
    [
      'a fault without a type',
      '{"fault":{"code":"x"}}',
      { code: 'invalid_value', param: 'fault.type' },
    ],
    ['a fault that is a string', '{"fault":"error"}', { code: 'invalid_type', param: 'fault' }],
    [
      'an unknown top-level field',
      '{"fault":{"type":"rate_limit"},"x":1}',
      { code: 'unknown_parameter', param: 'x' },
    ],
    [
      'an unknown fault field',
      '{"fault":{"type":"stall","ms":5,"extra":1}}',
      { code: 'unknown_parameter', param: 'fault.extra' },
    ],
    [
      'a negative stall',
      '{"fault":{"type":"stall","ms":-1}}',
      { code: 'invalid_value', param: 'fault.ms' },
    ],
    [
      'an error fault without a code',
      '{"fault":{"type":"error"}}',
      { code: 'invalid_type', param: 'fault.code' },
    ],
    [
      'a reserved close code',
      '{"fault":{"type":"close","code":1005}}',
      { code: 'invalid_value', param: 'fault.code' },
    ],
    [
      'a bad "when"',
      '{"fault":{"type":"rate_limit"},"when":"later"}',
      { code: 'invalid_value', param: 'when' },
    ],
    [
      'both targets',
      '{"fault":{"type":"rate_limit"},"session_id":"s","sessions":"all"}',
      { code: 'invalid_value', param: 'sessions' },
    ],
    [
      'a numeric session id',
      '{"fault":{"type":"rate_limit"},"session_id":5}',
      { code: 'invalid_type', param: 'session_id' },
    ],
    [
      '"first" applied now',
      '{"fault":{"type":"rate_limit"},"sessions":"first","when":"now"}',
      { code: 'invalid_value', param: 'sessions' },
    ],
  ];

  it.each(cases)(
    'answers %s with a 400 in the OpenAI error shape',
    async (_name, body, expected) => {
      engine = await startLocalRealtime();
      const answer = await call('POST', body);
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({
        error: {
          type: 'invalid_request_error',
          code: expected.code,
          param: expected.param,
          message: expect.any(String) as string,
        },
      });
      expect((await call('GET')).body.data).toEqual([]);
    },
  );

  it('refuses a body over 16 KiB with a 413 and keeps serving sessions', async () => {
    engine = await startLocalRealtime();
    const a = await session();
    const answer = await call('POST', Buffer.alloc(20_000, 'x'));
    expect(answer.status).toBe(413);
    expect(answer.body.error).toMatchObject({ code: 'request_too_large' });
    expectCompleted(await textTurn(a.client, 'hello'));
  });

  it('answers other methods with a 405', async () => {
    engine = await startLocalRealtime();
    const answer = await call('PUT', '{}');
    expect(answer.status).toBe(405);
  });

  it('parses without throwing whatever the body', () => {
    for (const text of [
      '',
      'null',
      '"x"',
      '{"fault":null}',
      '{"fault":{"type":"close","after_events":-1}}',
      '\u0000',
    ]) {
      const parsed = parseFaultControlRequest(text);
      expect(parsed.ok).toBe(false);
    }
  });
});

describe('control route auth', () => {
  it('needs an API key when the engine has keys, and refuses ephemeral tokens', async () => {
    engine = await startLocalRealtime({ keys: [KEY] });
    const none = await post({ fault: { type: 'rate_limit' } });
    expect(none.status).toBe(401);
    const wrong = await post(
      { fault: { type: 'rate_limit' } },
      { authorization: 'Bearer sk-wrong' },
    );
    expect(wrong.status).toBe(401);
    const token = await fetch(`${engine.httpUrl}/v1/realtime/client_secrets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: '{}',
    });
    const { value } = (await token.json()) as { value: string };
    const withToken = await post(
      { fault: { type: 'rate_limit' } },
      { authorization: `Bearer ${value}` },
    );
    expect(withToken.status).toBe(401);
    expect((await call('GET')).status).toBe(401);
    expect((await call('DELETE')).status).toBe(401);

    const a = await session({ authorization: `Bearer ${KEY}` });
    const ok = await post({ fault: { type: 'rate_limit' } }, { authorization: `Bearer ${KEY}` });
    expect(ok.status).toBe(200);
    expectFailed(await textTurn(a.client, 'hello'));
  });

  it('answers 404 when the route is turned off', async () => {
    engine = await startLocalRealtime({ faultRoute: false });
    const answer = await post({ fault: { type: 'rate_limit' } });
    expect(answer.status).toBe(404);
  });
});

describe('--no-fault-control', () => {
  it('turns the route off, and --help documents the route', () => {
    const environment = { env: {}, homeDir: '/home/tester' };
    expect(parseCliArgs(['--no-fault-control'], environment)).toMatchObject({
      kind: 'run',
      options: { faultRoute: false },
    });
    expect(parseCliArgs([], environment)).not.toHaveProperty('options.faultRoute');
    const help = parseCliArgs(['--help'], environment);
    expect(help.kind === 'help' ? help.text : '').toContain('/v1/local/faults');
  });
});
