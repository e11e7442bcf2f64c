import { afterEach, describe, expect, it } from 'vitest';
import { closeTestServers, startTestServer } from './helpers/test-server.js';
import { connect } from './helpers/ws-client.js';

afterEach(closeTestServers);

describe('frames', () => {
  it('passes text frames to the session and its answers back', async () => {
    const { info, echo } = await startTestServer();
    const client = connect(`${info.url}?model=gpt-realtime`);
    expect((await client.next()).type).toBe('session.created');
    client.ws.send(JSON.stringify({ type: 'response.create' }));
    expect(await client.next()).toEqual({ type: 'echo', of: 'response.create', length: 26 });
    expect(echo.sessions[0]?.received).toEqual(['{"type":"response.create"}']);
    client.ws.close();
  });

  it('answers a binary frame with invalid_event and keeps the session usable', async () => {
    const { info, echo } = await startTestServer();
    const client = connect(`${info.url}?model=gpt-realtime`);
    await client.next();
    client.ws.send(Buffer.from([1, 2, 3]));
    const error = await client.next();
    expect(error).toMatchObject({
      type: 'error',
      event_id: expect.stringMatching(/^event_/) as string,
      error: { type: 'invalid_request_error', code: 'invalid_event', param: null, event_id: null },
    });
    expect((error.error as { message: string }).message).toMatch(/only text frames/);
    client.ws.send('{"type":"ping"}');
    expect(await client.next()).toMatchObject({ type: 'echo', of: 'ping' });
    expect(echo.sessions[0]?.received).toEqual(['{"type":"ping"}']);
    client.ws.close();
  });

  it('answers a frame over the size limit with an error event and keeps the session usable', async () => {
    const { info, echo } = await startTestServer({ limits: { maxMessageBytes: 64 * 1024 } });
    const client = connect(`${info.url}?model=gpt-realtime`);
    await client.next();
    const audio = 'A'.repeat(64 * 1024);
    client.ws.send(JSON.stringify({ type: 'input_audio_buffer.append', audio }));
    const error = await client.next();
    expect(error.error).toMatchObject({
      type: 'invalid_request_error',
      code: 'message_too_large',
      param: null,
    });
    expect(echo.sessions[0]?.received).toEqual([]);

    const fits = JSON.stringify({
      type: 'input_audio_buffer.append',
      audio: 'A'.repeat(60 * 1024),
    });
    client.ws.send(fits);
    expect(await client.next()).toEqual({
      type: 'echo',
      of: 'input_audio_buffer.append',
      length: fits.length,
    });
    client.ws.close();
  });

  it('closes with 1009 a frame far beyond the limit, before buffering it', async () => {
    const { info, echo } = await startTestServer({ limits: { maxMessageBytes: 1024 } });
    const client = connect(`${info.url}?model=gpt-realtime`);
    await client.next();
    client.ws.send('x'.repeat(3 * 1024 * 1024));
    expect((await client.closed).code).toBe(1009);
    await echo.sessions[0]?.disposed;
    expect(echo.sessions[0]?.disposeCount).toBe(1);
  });

  it('compresses large server frames with permessage-deflate and leaves small ones alone', async () => {
    const { info } = await startTestServer({ perMessageDeflate: true });
    const client = connect(`${info.url}?model=gpt-realtime`);
    const raw: Buffer[] = [];
    // Tap the raw socket once ws has attached its own reader (attaching earlier would steal the first frames).
    client.ws.once('upgrade', (res) => {
      client.ws.once('open', () => res.socket.on('data', (chunk: Buffer) => raw.push(chunk)));
    });
    await client.opened;
    expect(client.ws.extensions).toContain('permessage-deflate');
    await client.next();

    raw.length = 0;
    client.ws.send(JSON.stringify({ type: 'big', size: 100_000 }));
    expect(((await client.next()).pad as string).length).toBe(100_000);
    const big = Buffer.concat(raw);
    expect(big[0]).toBe(0xc1); // FIN + RSV1 (compressed) + text
    expect(big.length).toBeLessThan(2_000);

    raw.length = 0;
    client.ws.send('{"type":"small"}');
    expect(await client.next()).toMatchObject({ of: 'small' });
    expect(Buffer.concat(raw)[0]).toBe(0x81); // FIN + text, not compressed
    client.ws.close();
  });

  it('serves a client asking for a smaller server window than ours without compression', async () => {
    const { info } = await startTestServer();
    const client = connect(`${info.url}?model=gpt-realtime`, {
      perMessageDeflate: { serverMaxWindowBits: 9 },
    });
    await client.opened;
    expect(client.ws.extensions).toBe('');
    expect((await client.next()).type).toBe('session.created');
    client.ws.close();
  });

  it('does not negotiate permessage-deflate when it is disabled', async () => {
    const { info } = await startTestServer({ perMessageDeflate: false });
    const client = connect(`${info.url}?model=gpt-realtime`);
    await client.opened;
    expect(client.ws.extensions).toBe('');
    client.ws.close();
  });
});

describe('closing', () => {
  it('disposes the session once when the client closes', async () => {
    const { info, echo, server } = await startTestServer();
    const client = connect(`${info.url}?model=gpt-realtime`);
    await client.next();
    expect(server.sessionCount).toBe(1);
    client.ws.close(1000, 'done');
    await echo.sessions[0]?.disposed;
    expect(echo.sessions[0]?.disposeCount).toBe(1);
    await client.closed;
    expect(server.sessionCount).toBe(0);
  });

  it('closes with the code and reason the session gives, and ignores sends after that', async () => {
    const { info, echo } = await startTestServer();
    const client = connect(`${info.url}?model=gpt-realtime`);
    await client.next();
    client.ws.send('{"type":"close"}');
    expect(await client.closed).toEqual({ code: 1000, reason: 'bye' });
    const session = echo.sessions[0];
    await session?.disposed;
    expect(() => session?.sink.sendText('{"type":"late"}')).not.toThrow();
    expect(() => session?.sink.close(1000, 'again')).not.toThrow();
    expect(session?.disposeCount).toBe(1);
  });

  it('answers a session factory failure with a server_error and close 1011', async () => {
    const { info } = await startTestServer({
      createSessionFactory: () => () => {
        throw new Error('boom');
      },
    });
    const client = connect(`${info.url}?model=gpt-realtime`);
    expect((await client.next()).error).toMatchObject({ type: 'server_error', code: null });
    expect(await client.closed).toEqual({ code: 1011, reason: 'server_error' });
  });

  it('closes open sessions with 1001 on server close and disposes each once', async () => {
    const { info, echo, server } = await startTestServer();
    const clients = [
      connect(`${info.url}?model=gpt-realtime`),
      connect(`${info.url}?model=gpt-realtime`),
    ];
    await Promise.all(clients.map((client) => client.next()));
    await server.close();
    for (const client of clients) expect((await client.closed).code).toBe(1001);
    expect(echo.sessions.map((s) => s.disposeCount)).toEqual([1, 1]);
    expect(server.sessionCount).toBe(0);
  });
});

describe('liveness', () => {
  it('terminates a peer that stops answering pings and disposes its session once', async () => {
    const { info, echo, server } = await startTestServer({ limits: { pingIntervalMs: 30 } });
    const client = connect(`${info.url}?model=gpt-realtime`, { autoPong: false });
    await client.next();
    let pings = 0;
    client.ws.on('ping', () => {
      pings += 1;
    });
    const closed = await client.closed;
    expect(closed.code).toBe(1006);
    expect(pings).toBeGreaterThanOrEqual(1);
    await echo.sessions[0]?.disposed;
    expect(echo.sessions[0]?.disposeCount).toBe(1);
    expect(server.sessionCount).toBe(0);
  });

  it('keeps a peer that answers pings', async () => {
    const { info, echo } = await startTestServer({ limits: { pingIntervalMs: 20 } });
    const client = connect(`${info.url}?model=gpt-realtime`);
    await client.next();
    // Five pings answered by the client's automatic pong: still open, still usable.
    await new Promise<void>((resolve) => {
      let pings = 0;
      client.ws.on('ping', () => {
        pings += 1;
        if (pings === 5) resolve();
      });
    });
    client.ws.send('{"type":"still.here"}');
    expect(await client.next()).toMatchObject({ of: 'still.here' });
    expect(echo.sessions[0]?.disposeCount).toBe(0);
    client.ws.close();
  });
});

describe('limits', () => {
  it('refuses a session over maxSessions with session_limit_reached and close 1013', async () => {
    const { info, echo } = await startTestServer({ limits: { maxSessions: 2 } });
    const first = connect(`${info.url}?model=gpt-realtime`);
    const second = connect(`${info.url}?model=gpt-realtime`);
    await Promise.all([first.next(), second.next()]);
    const third = connect(`${info.url}?model=gpt-realtime`);
    expect((await third.next()).error).toMatchObject({ code: 'session_limit_reached' });
    expect(await third.closed).toEqual({
      code: 1013,
      reason: 'invalid_request_error.session_limit_reached',
    });
    expect(echo.sessions).toHaveLength(2);

    first.ws.close();
    await echo.sessions[0]?.disposed;
    await first.closed;
    const fourth = connect(`${info.url}?model=gpt-realtime`);
    expect((await fourth.next()).type).toBe('session.created');
    second.ws.close();
    fourth.ws.close();
  });
});
