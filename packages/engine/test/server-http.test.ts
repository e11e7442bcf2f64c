import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { closeTestServers, startTestServer } from './helpers/test-server.js';
import { connect } from './helpers/ws-client.js';

const KEY = 'sk-http-test-key-42';

afterEach(closeTestServers);

async function postSecrets(
  httpUrl: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{
  status: number;
  json: { error?: Record<string, unknown> } & Record<string, unknown>;
}> {
  const res = await fetch(`${httpUrl}/v1/realtime/client_secrets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: res.status, json: (await res.json()) as { error?: Record<string, unknown> } };
}

describe('GET /healthz', () => {
  it('reports status, open sessions, uptime and version as JSON', async () => {
    const { info } = await startTestServer();
    const client = connect(`${info.url}?model=gpt-realtime`);
    await client.next();
    const res = await fetch(`${info.httpUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({
      status: 'ok',
      sessions: 1,
      uptime_s: expect.any(Number) as number,
      version: '0.1.0',
    });
    client.ws.close();
  });
});

describe('GET /metrics', () => {
  it('exposes Prometheus text with sessions, events, errors and latency from its own registry', async () => {
    const { info, server } = await startTestServer();
    const client = connect(`${info.url}?model=gpt-realtime`);
    await client.next();
    client.ws.send(Buffer.from([0])); // a binary frame: error invalid_event, counted by the server layer
    await client.next();
    server.metrics.eventIn('response.create');
    server.metrics.eventOut('response.done');
    server.metrics.responseLatency(0.0008);
    server.metrics.eventIn('Bogus Type With Spaces');

    const res = await fetch(`${info.httpUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain('# TYPE local_realtime_sessions_open gauge');
    expect(text).toMatch(/^local_realtime_sessions_open 1$/m);
    expect(text).toMatch(/^local_realtime_events_in_total\{type="response\.create"\} 1$/m);
    expect(text).toMatch(/^local_realtime_events_in_total\{type="invalid"\} 1$/m);
    expect(text).toMatch(/^local_realtime_events_in_total\{type="other"\} 1$/m);
    expect(text).toMatch(/^local_realtime_events_out_total\{type="error"\} 1$/m);
    expect(text).toMatch(/^local_realtime_errors_total\{code="invalid_event"\} 1$/m);
    expect(text).toContain('# TYPE local_realtime_response_latency_seconds histogram');
    expect(text).toMatch(/^local_realtime_response_latency_seconds_bucket\{le="0\.001"\} 1$/m);
    expect(text).toMatch(/^local_realtime_response_latency_seconds_count 1$/m);
    // Not the global registry: no default process metrics unless asked for.
    expect(text).not.toContain('process_cpu');
    client.ws.close();
  });

  it('keeps two servers in one process apart', async () => {
    const a = await startTestServer();
    const b = await startTestServer();
    a.server.metrics.eventIn('session.update');
    const textB = await (await fetch(`${b.info.httpUrl}/metrics`)).text();
    expect(textB).not.toContain('type="session.update"');
  });
});

describe('routing', () => {
  it('answers an unknown path with a JSON 404 in the OpenAI error shape', async () => {
    const { info } = await startTestServer();
    const res = await fetch(`${info.httpUrl}/v1/chat/completions`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: {
        message: 'Invalid URL (GET /v1/chat/completions)',
        type: 'invalid_request_error',
        param: null,
        code: null,
      },
    });
  });

  it('answers a wrong method with a JSON 405 and an Allow header', async () => {
    const { info } = await startTestServer();
    const res = await fetch(`${info.httpUrl}/healthz`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    const body = (await res.json()) as { error: { type: string } };
    expect(body.error.type).toBe('invalid_request_error');
  });

  it('answers a plain GET on the WebSocket endpoint with 426', async () => {
    const { info } = await startTestServer();
    const res = await fetch(`${info.httpUrl}/v1/realtime?model=gpt-realtime`);
    expect(res.status).toBe(426);
    expect(res.headers.get('upgrade')).toBe('websocket');
  });
});

describe('CORS', () => {
  it('answers a preflight with any origin allowed in open mode and exposes Location', async () => {
    const { info } = await startTestServer();
    const res = await fetch(`${info.httpUrl}/v1/realtime/client_secrets`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://localhost:5173',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization, content-type',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toBe('POST, OPTIONS');
    expect(res.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    expect(res.headers.get('access-control-expose-headers')).toBe('Location');
  });

  it('sends no CORS headers in keys mode unless origins are configured', async () => {
    const { info } = await startTestServer({ keys: [KEY] });
    const res = await fetch(`${info.httpUrl}/healthz`, {
      headers: { Origin: 'http://evil.example' },
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('reflects only configured origins', async () => {
    const { info } = await startTestServer({ keys: [KEY], corsOrigin: ['http://app.example'] });
    const allowed = await fetch(`${info.httpUrl}/healthz`, {
      headers: { Origin: 'http://app.example' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://app.example');
    expect(allowed.headers.get('vary')).toBe('Origin');
    const other = await fetch(`${info.httpUrl}/healthz`, {
      headers: { Origin: 'http://other.example' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('POST /v1/realtime/client_secrets', () => {
  it('mints a secret with the GA response shape and the default 600 s expiry', async () => {
    const { info } = await startTestServer({ keys: [KEY] });
    const before = Math.floor(Date.now() / 1000);
    const { status, json } = await postSecrets(info.httpUrl, '{}', {
      Authorization: `Bearer ${KEY}`,
    });
    expect(status).toBe(200);
    expect(json.value).toMatch(/^ek_/);
    expect(json.expires_at).toBeGreaterThanOrEqual(before + 600);
    expect(json.expires_at).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 600);
    expect(json.session).toMatchObject({ type: 'realtime', object: 'realtime.session' });
  });

  it('needs a valid API key in keys mode and refuses an ephemeral token', async () => {
    const { info } = await startTestServer({ keys: [KEY] });
    const missing = await postSecrets(info.httpUrl, '{}');
    expect(missing.status).toBe(401);
    expect(missing.json.error).toMatchObject({ code: null, type: 'invalid_request_error' });
    const wrong = await postSecrets(info.httpUrl, '{}', { Authorization: 'Bearer sk-wrong' });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error).toMatchObject({ code: 'invalid_api_key' });
    const minted = await postSecrets(info.httpUrl, '{}', { Authorization: `Bearer ${KEY}` });
    const token = await postSecrets(info.httpUrl, '{}', {
      Authorization: `Bearer ${String(minted.json.value)}`,
    });
    expect(token.status).toBe(401);
  });

  it.each([
    ['non-JSON', '{"expires_after":', null, null],
    ['an array', '[1,2]', 'invalid_type', null],
    ['a string', '"hello"', 'invalid_type', null],
    ['an unknown field', '{"bogus":1}', 'unknown_parameter', 'bogus'],
    ['expires_after of the wrong type', '{"expires_after":5}', 'invalid_type', 'expires_after'],
    [
      'a wrong anchor',
      '{"expires_after":{"anchor":"now","seconds":60}}',
      'invalid_value',
      'expires_after.anchor',
    ],
    [
      'seconds as a string',
      '{"expires_after":{"seconds":"60"}}',
      'invalid_type',
      'expires_after.seconds',
    ],
    [
      'fractional seconds',
      '{"expires_after":{"seconds":60.5}}',
      'invalid_type',
      'expires_after.seconds',
    ],
    [
      'seconds below 10',
      '{"expires_after":{"seconds":9}}',
      'integer_below_min_value',
      'expires_after.seconds',
    ],
    [
      'seconds above 7200',
      '{"expires_after":{"seconds":7201}}',
      'integer_above_max_value',
      'expires_after.seconds',
    ],
    ['a session that is not an object', '{"session":[]}', 'invalid_type', 'session'],
    [
      'a session without type',
      '{"session":{"model":"gpt-realtime"}}',
      'missing_required_parameter',
      'session.type',
    ],
    [
      'a session of an unknown type',
      '{"session":{"type":"translation"}}',
      'invalid_value',
      'session.type',
    ],
  ])('answers %s with 400 naming the param', async (_name, body, code, param) => {
    const { info } = await startTestServer();
    const { status, json } = await postSecrets(info.httpUrl, body);
    expect(status).toBe(400);
    expect(json.error).toMatchObject({ type: 'invalid_request_error', code, param });
    expect(typeof json.error?.message).toBe('string');
  });

  it('answers a body over 1 MiB with 413 without reading it all', async () => {
    const { info } = await startTestServer();
    const huge = JSON.stringify({
      session: { type: 'realtime', instructions: 'x'.repeat(1024 * 1024) },
    });
    const { status, json } = await postSecrets(info.httpUrl, huge);
    expect(status).toBe(413);
    expect(json.error).toMatchObject({ code: 'request_too_large', type: 'invalid_request_error' });
  });

  it('answers a streamed (chunked) body over the limit with 413', async () => {
    const { info } = await startTestServer({ limits: { maxBodyBytes: 4096 } });
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${info.httpUrl}/v1/realtime/client_secrets`,
        { method: 'POST' },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write('{"session":{"type":"realtime","instructions":"');
      req.write('y'.repeat(8192));
      // The end is never needed: the server answers as soon as the limit is passed.
    });
    expect(status).toBe(413);
  });

  it('uses the validateSession hook and reports its errors with their param', async () => {
    const { info, echo } = await startTestServer({
      validateSession: (raw) => {
        const session = raw as Record<string, unknown>;
        if (session.voice === 'nope') {
          return {
            ok: false,
            error: {
              code: 'invalid_value',
              message: "Invalid value: 'nope'.",
              param: 'session.audio.output.voice',
            },
          };
        }
        return { ok: true, session: { ...session, instructions: 'filled by the validator' } };
      },
    });
    const bad = await postSecrets(info.httpUrl, '{"session":{"type":"realtime","voice":"nope"}}');
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({
      code: 'invalid_value',
      param: 'session.audio.output.voice',
    });

    const good = await postSecrets(
      info.httpUrl,
      '{"session":{"type":"realtime","model":"gpt-realtime"}}',
    );
    expect(good.json.session).toMatchObject({ instructions: 'filled by the validator' });
    const client = connect(info.url, {
      headers: { Authorization: `Bearer ${String(good.json.value)}` },
    });
    await client.next();
    expect(echo.sessions[0]?.request.initialSession).toEqual({
      type: 'realtime',
      model: 'gpt-realtime',
      instructions: 'filled by the validator',
    });
    client.ws.close();
  });

  it('answers 400 when the session config is too large to travel in a token', async () => {
    const { info } = await startTestServer();
    // Hex of random bytes barely compresses: the token would pass its 12 KiB limit.
    const instructions = randomBytes(20_000).toString('hex');
    const big = await postSecrets(
      info.httpUrl,
      JSON.stringify({ session: { type: 'realtime', instructions } }),
    );
    expect(big.status).toBe(400);
    expect(big.json.error).toMatchObject({ code: 'invalid_value', param: 'session' });
    expect((await postSecrets(info.httpUrl, '{}')).status).toBe(200);
  });
});
