import { afterEach, describe, expect, it } from 'vitest';
import { createServerLogger } from '../src/server/logger.js';
import { LogCapture, closeTestServers, startTestServer } from './helpers/test-server.js';
import { connect } from './helpers/ws-client.js';

const KEY = 'sk-live-SECRETKEYVALUE-0001';
const WRONG_KEY = 'sk-wrong-SECRETKEYVALUE-0002';

afterEach(closeTestServers);

describe('server logs', () => {
  it('never contain an API key or an ephemeral token, even at debug level', async () => {
    const logs = new LogCapture();
    const { info } = await startTestServer({
      keys: [KEY],
      logLevel: 'trace',
      logDestination: logs,
    });

    const byHeader = connect(`${info.url}?model=gpt-realtime`, {
      headers: { Authorization: `Bearer ${KEY}` },
    });
    await byHeader.next();
    byHeader.ws.send('{"type":"session.update"}');
    await byHeader.next();
    byHeader.ws.close();
    await byHeader.closed;

    const byProtocol = connect(`${info.url}?model=gpt-realtime`, {
      protocols: ['realtime', `openai-insecure-api-key.${KEY}`],
    });
    await byProtocol.next();
    byProtocol.ws.close();
    await byProtocol.closed;

    const wrong = connect(`${info.url}?model=gpt-realtime`, {
      headers: { Authorization: `Bearer ${WRONG_KEY}` },
    });
    await wrong.closed;

    const res = await fetch(`${info.httpUrl}/v1/realtime/client_secrets`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: '{"expires_after":{"seconds":60}}',
    });
    const token = ((await res.json()) as { value: string }).value;
    const byToken = connect(`${info.url}?model=gpt-realtime`, {
      protocols: ['realtime', `openai-insecure-api-key.${token}`],
    });
    await byToken.next();
    byToken.ws.close();
    await byToken.closed;
    const expired = connect(`${info.url}?model=gpt-realtime`, {
      headers: { Authorization: 'Bearer ek_notarealtoken123' },
    });
    await expired.closed;
    await closeTestServers();

    const text = logs.text();
    expect(logs.lines().length).toBeGreaterThan(8);
    for (const secret of [
      KEY,
      WRONG_KEY,
      token,
      'ek_notarealtoken123',
      'SECRETKEYVALUE',
      token.slice(3),
    ]) {
      expect(text).not.toContain(secret);
    }
    // What is logged instead: key and token ids, and masked subprotocols.
    expect(text).toMatch(/"keyId":"[0-9a-f]{12}"/);
    expect(text).toMatch(/"tokenId":"[0-9a-f]{12}"/);
    expect(text).toContain('openai-insecure-api-key.[redacted]');
  });

  it('puts the session id on every line about a session', async () => {
    const logs = new LogCapture();
    const { info, echo } = await startTestServer({ logLevel: 'debug', logDestination: logs });
    const client = connect(`${info.url}?model=gpt-realtime`);
    await client.next();
    client.ws.send(Buffer.from([1]));
    await client.next();
    client.ws.close();
    await echo.sessions[0]?.disposed;

    const sessionId = echo.sessions[0]?.id;
    const lines = logs.lines().filter((line) => /session/.test(String(line.msg)));
    expect(lines.map((line) => line.msg)).toEqual(['session opened', 'session closed']);
    for (const line of lines) expect(line.session_id).toBe(sessionId);
  });

  it('warns once per session when the client reads too slowly', async () => {
    const logs = new LogCapture();
    const { info, echo } = await startTestServer({
      logDestination: logs,
      logLevel: 'info',
      perMessageDeflate: false,
      limits: { bufferedHighWaterBytes: 1024 * 1024 },
    });
    const client = connect(`${info.url}?model=gpt-realtime`);
    await client.next();
    client.ws.pause(); // the client stops reading: the kernel buffers fill, then the server's queue grows
    const isWarning = (line: Record<string, unknown>): boolean => line.level === 40;
    const warned = logs.waitFor(isWarning);
    client.ws.send('{"type":"big","size":1000000,"count":40}');
    await warned;
    client.ws.send('{"type":"big","size":1000000,"count":40}');
    client.ws.resume();
    let received = 0;
    while (received < 80) if ((await client.next()).type === 'big') received += 1;
    client.ws.close();
    await echo.sessions[0]?.disposed;
    const warnings = logs.lines().filter(isWarning);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      session_id: echo.sessions[0]?.id,
      high_water_bytes: 1024 * 1024,
    });
  });

  it('redacts secrets in objects that other code logs by mistake', () => {
    const logs = new LogCapture();
    const logger = createServerLogger({ level: 'info', destination: logs });
    logger.info(
      {
        headers: {
          authorization: `Bearer ${KEY}`,
          'sec-websocket-protocol': `openai-insecure-api-key.${KEY}`,
        },
        options: { apiKey: KEY, keys: [KEY] },
        token: 'ek_abc',
      },
      'oops',
    );
    expect(logs.text()).not.toContain(KEY);
    expect(logs.text()).not.toContain('ek_abc');
    expect(logs.lines()[0]).toMatchObject({
      headers: { authorization: '[redacted]' },
      token: '[redacted]',
    });
  });
});
