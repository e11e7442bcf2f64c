import { afterEach, describe, expect, it } from 'vitest';
import { createLocalRealtimeServer } from '../src/server/create-server.js';
import { ServerConfigError } from '../src/server/options.js';
import { echoSessions } from './helpers/echo-session.js';
import { ManualClock } from './helpers/manual-clock.js';
import { closeTestServers, startTestServer } from './helpers/test-server.js';
import { connect } from './helpers/ws-client.js';

const KEY = 'sk-test-key-0123456789';
const OTHER_KEY = 'sk-other-key-9876543210';

afterEach(closeTestServers);

async function mintToken(
  httpUrl: string,
  body: unknown,
  key: string | null = KEY,
): Promise<{ value: string; expires_at: number; session: Record<string, unknown> }> {
  const res = await fetch(`${httpUrl}/v1/realtime/client_secrets`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key ? { authorization: `Bearer ${key}` } : {}),
    },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as {
    value: string;
    expires_at: number;
    session: Record<string, unknown>;
  };
}

describe('open mode', () => {
  it('accepts a connection with no credentials on a loopback server', async () => {
    const { info, echo } = await startTestServer();
    const client = connect(`${info.url}?model=gpt-realtime`);
    const created = await client.next();
    expect(created.type).toBe('session.created');
    expect(echo.sessions[0]?.request).toMatchObject({
      kind: 'realtime',
      model: 'gpt-realtime',
      beta: false,
      initialSession: null,
      auth: { kind: 'open' },
      remoteAddress: '127.0.0.1',
    });
    client.ws.close();
    await client.closed;
  });

  it('ignores an API key it was not configured with', async () => {
    const { info, server } = await startTestServer();
    expect(server.options.auth).toBe('open');
    const client = connect(`${info.url}?model=gpt-realtime`, {
      headers: { Authorization: `Bearer ${OTHER_KEY}` },
    });
    expect((await client.next()).type).toBe('session.created');
    client.ws.close();
  });
});

describe('API keys', () => {
  it('accepts a configured key in the Authorization header and passes only a key id to the session', async () => {
    const { info, echo } = await startTestServer({ keys: [KEY] });
    const client = connect(`${info.url}?model=gpt-realtime-mini`, {
      headers: { Authorization: `Bearer ${KEY}` },
    });
    expect((await client.next()).type).toBe('session.created');
    const auth = echo.sessions[0]?.request.auth;
    expect(auth?.kind).toBe('api_key');
    expect(JSON.stringify(auth)).not.toContain(KEY);
    expect(auth).toEqual({
      kind: 'api_key',
      keyId: expect.stringMatching(/^[0-9a-f]{12}$/) as string,
    });
    client.ws.close();
  });

  it('accepts a key in the browser subprotocols and answers with the realtime subprotocol', async () => {
    const { info } = await startTestServer({ keys: [KEY] });
    const client = connect(`${info.url}?model=gpt-realtime`, {
      protocols: [
        'realtime',
        `openai-insecure-api-key.${KEY}`,
        'openai-organization.org_1',
        'openai-agents-sdk.0.17.0',
      ],
    });
    await client.opened;
    expect(client.ws.protocol).toBe('realtime');
    expect((await client.next()).type).toBe('session.created');
    client.ws.close();
  });

  it('sends invalid_api_key then closes 3000 for a wrong key', async () => {
    const { info, echo } = await startTestServer({ keys: [KEY] });
    const client = connect(`${info.url}?model=gpt-realtime`, {
      headers: { Authorization: `Bearer ${OTHER_KEY}` },
    });
    await client.opened;
    const error = await client.next();
    expect(error).toMatchObject({
      type: 'error',
      event_id: expect.stringMatching(/^event_[A-Za-z0-9]{21}$/) as string,
      error: {
        type: 'invalid_request_error',
        code: 'invalid_api_key',
        param: null,
        event_id: null,
      },
    });
    expect(JSON.stringify(error)).not.toContain(OTHER_KEY);
    expect(await client.closed).toEqual({
      code: 3000,
      reason: 'invalid_request_error.invalid_api_key',
    });
    expect(echo.sessions).toHaveLength(0);
  });

  it('sends a null-code error then closes 3000 when no credentials are given', async () => {
    const { info } = await startTestServer({ keys: [KEY] });
    const client = connect(`${info.url}?model=gpt-realtime`);
    const error = await client.next();
    expect(error.error).toMatchObject({
      type: 'invalid_request_error',
      code: null,
      message: 'Missing bearer or basic authentication in header',
    });
    expect((await client.closed).code).toBe(3000);
  });

  it('checks credentials before the model', async () => {
    const { info } = await startTestServer({ keys: [KEY] });
    const client = connect(`${info.url}?model=nope`, {
      headers: { Authorization: `Bearer ${OTHER_KEY}` },
    });
    expect((await client.next()).error).toMatchObject({ code: 'invalid_api_key' });
    expect((await client.closed).code).toBe(3000);
  });
});

describe('ephemeral tokens', () => {
  it('mints a token that opens several sessions and carries its session config to the factory', async () => {
    const { info, echo } = await startTestServer({ keys: [KEY] });
    const minted = await mintToken(info.httpUrl, {
      expires_after: { anchor: 'created_at', seconds: 120 },
      session: { type: 'realtime', model: 'gpt-realtime', instructions: 'Be brief.' },
    });
    expect(minted.value).toMatch(/^ek_[A-Za-z0-9]+$/);
    expect(minted.session).toMatchObject({
      type: 'realtime',
      object: 'realtime.session',
      instructions: 'Be brief.',
    });
    expect(minted.session.id).toMatch(/^sess_/);

    for (let i = 0; i < 2; i += 1) {
      const client = connect(info.url, {
        protocols: ['realtime', `openai-insecure-api-key.${minted.value}`],
      });
      const created = await client.next();
      expect(created.type).toBe('session.created');
      client.ws.close();
      await client.closed;
    }
    expect(echo.sessions).toHaveLength(2);
    const request = echo.sessions[1]?.request;
    // The model comes from the token when the URL has none.
    expect(request?.model).toBe('gpt-realtime');
    expect(request?.initialSession).toEqual({
      type: 'realtime',
      model: 'gpt-realtime',
      instructions: 'Be brief.',
    });
    expect(request?.auth).toEqual({
      kind: 'ephemeral',
      tokenId: expect.stringMatching(/^[0-9a-f]{12}$/) as string,
    });
  });

  it('refuses an expired token with invalid_api_key and close 3000', async () => {
    const clock = new ManualClock();
    const { info, echo } = await startTestServer({ keys: [KEY], clock });
    const minted = await mintToken(info.httpUrl, {
      expires_after: { anchor: 'created_at', seconds: 10 },
    });
    expect(minted.expires_at).toBe(Math.floor(clock.now() / 1000) + 10);

    clock.advance(9_999);
    const before = connect(`${info.url}?model=gpt-realtime`, {
      headers: { Authorization: `Bearer ${minted.value}` },
    });
    expect((await before.next()).type).toBe('session.created');
    before.ws.close();

    clock.advance(1);
    const after = connect(`${info.url}?model=gpt-realtime`, {
      headers: { Authorization: `Bearer ${minted.value}` },
    });
    expect((await after.next()).error).toMatchObject({
      code: 'invalid_api_key',
      type: 'invalid_request_error',
    });
    expect(await after.closed).toEqual({
      code: 3000,
      reason: 'invalid_request_error.invalid_api_key',
    });
    expect(echo.sessions).toHaveLength(1);
  });

  it('refuses an unknown token even in open mode', async () => {
    const { info } = await startTestServer();
    const client = connect(`${info.url}?model=gpt-realtime`, {
      headers: { Authorization: 'Bearer ek_doesnotexist' },
    });
    expect((await client.next()).error).toMatchObject({ code: 'invalid_api_key' });
    expect((await client.closed).code).toBe(3000);
  });

  it('opens a transcription session from a transcription token without a model', async () => {
    const { info, echo } = await startTestServer({ keys: [KEY] });
    const minted = await mintToken(info.httpUrl, { session: { type: 'transcription' } });
    expect(minted.session.object).toBe('realtime.transcription_session');
    const client = connect(info.url, { headers: { Authorization: `Bearer ${minted.value}` } });
    expect((await client.next()).type).toBe('session.created');
    expect(echo.sessions[0]?.request).toMatchObject({ kind: 'transcription', model: null });
    client.ws.close();
  });
});

describe('models, intents and the beta shape', () => {
  it('refuses an unknown model with invalid_model and close 4000', async () => {
    const { info } = await startTestServer();
    const client = connect(`${info.url}?model=gpt-4o`);
    const error = await client.next();
    expect(error.error).toMatchObject({ code: 'invalid_model', type: 'invalid_request_error' });
    expect((error.error as { message: string }).message).toContain(
      '"gpt-4o" is not supported in realtime mode',
    );
    expect(await client.closed).toEqual({
      code: 4000,
      reason: 'invalid_request_error.invalid_model',
    });
  });

  it('refuses a missing model with missing_model and close 4000', async () => {
    const { info } = await startTestServer();
    const client = connect(info.url);
    const error = await client.next();
    expect(error.error).toMatchObject({ code: 'missing_model' });
    expect((error.error as { message: string }).message).toContain(
      `${info.url}?model=gpt-realtime`,
    );
    expect(await client.closed).toEqual({
      code: 4000,
      reason: 'invalid_request_error.missing_model',
    });
  });

  it('accepts dated snapshots of the live families and configured extra models', async () => {
    const { info, echo } = await startTestServer({ models: ['my-local-model'] });
    for (const model of [
      'gpt-4o-realtime-preview-2024-12-17',
      'gpt-4o-mini-realtime-preview',
      'my-local-model',
    ]) {
      const client = connect(`${info.url}?model=${model}`);
      expect((await client.next()).type).toBe('session.created');
      client.ws.close();
      await client.closed;
    }
    expect(echo.sessions.map((s) => s.request.model)).toEqual([
      'gpt-4o-realtime-preview-2024-12-17',
      'gpt-4o-mini-realtime-preview',
      'my-local-model',
    ]);
  });

  it('opens a transcription session on ?intent=transcription with no model', async () => {
    const { info, echo } = await startTestServer();
    const client = connect(`${info.url}?intent=transcription`);
    expect((await client.next()).type).toBe('session.created');
    expect(echo.sessions[0]?.request).toMatchObject({ kind: 'transcription', model: null });
    client.ws.close();
  });

  it('answers ?call_id= with a not-found error event and close 4000', async () => {
    const { info } = await startTestServer();
    const client = connect(`${info.url}?call_id=rtc_123`);
    expect((await client.next()).error).toMatchObject({ code: 'call_not_found', param: 'call_id' });
    expect((await client.closed).code).toBe(4000);
  });

  it('marks beta clients (header or subprotocol) and lets them in by default', async () => {
    const { info, echo } = await startTestServer();
    const byHeader = connect(`${info.url}?model=gpt-realtime`, {
      headers: { 'OpenAI-Beta': 'realtime=v1' },
    });
    expect((await byHeader.next()).type).toBe('session.created');
    const byProtocol = connect(`${info.url}?model=gpt-realtime`, {
      protocols: ['realtime', 'openai-beta.realtime-v1'],
    });
    expect((await byProtocol.next()).type).toBe('session.created');
    expect(echo.sessions.map((s) => s.request.beta)).toEqual([true, true]);
    byHeader.ws.close();
    byProtocol.ws.close();
  });

  it('refuses beta clients with beta_api_shape_disabled when allowBeta is false', async () => {
    const { info } = await startTestServer({ allowBeta: false });
    const client = connect(`${info.url}?model=gpt-realtime`, {
      headers: { 'OpenAI-Beta': 'realtime=v1' },
    });
    expect((await client.next()).error).toMatchObject({ code: 'beta_api_shape_disabled' });
    expect(await client.closed).toEqual({
      code: 4000,
      reason: 'invalid_request_error.beta_api_shape_disabled',
    });
  });

  it('answers an upgrade on another path with a plain HTTP 404', async () => {
    const { info } = await startTestServer();
    const client = connect(`${info.httpUrl.replace('http', 'ws')}/v1/other`);
    await expect(client.opened).rejects.toThrow(/404/);
  });
});

describe('start-up safety', () => {
  it('refuses to bind a non-loopback address with no keys', () => {
    const create = (): unknown =>
      createLocalRealtimeServer({
        host: '0.0.0.0',
        port: 0,
        createSessionFactory: echoSessions().provider,
      });
    expect(create).toThrow(ServerConfigError);
    expect(create).toThrow(/not a loopback address.*--auth open/s);
  });

  it('binds a non-loopback address when keys are given or open auth is explicit', async () => {
    const keyed = createLocalRealtimeServer({
      host: '0.0.0.0',
      port: 0,
      keys: [KEY],
      logLevel: 'silent',
      createSessionFactory: echoSessions().provider,
    });
    expect(keyed.options.auth).toBe('keys');
    const open = createLocalRealtimeServer({
      host: '0.0.0.0',
      port: 0,
      auth: 'open',
      logLevel: 'silent',
      createSessionFactory: echoSessions().provider,
    });
    expect(open.options.auth).toBe('open');
    const info = await keyed.listen();
    expect(info.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/v1\/realtime$/);
    await keyed.close();
    await open.close();
  });
});
