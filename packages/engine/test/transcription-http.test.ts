import { once } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { readWav } from '@realtime-assistant/protocol';
import { createTranscriber, isTranscriptionFailure } from '../src/transcription/index.js';
import { silence } from './helpers/speak.js';

interface Received {
  headers: IncomingMessage['headers'];
  fields: Map<string, string>;
  file: { name: string | null; type: string; bytes: Uint8Array } | undefined;
}

let server: Server | undefined;

afterEach(async () => {
  if (server !== undefined) {
    server.closeAllConnections();
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
  }
});

/** Starts a server on port 0 that parses each multipart request and answers with `reply`. */
async function startServer(
  reply: (received: Received, res: ServerResponse) => void,
): Promise<{ baseURL: string; requests: Received[] }> {
  const requests: Received[] = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        // Parse with the platform's own multipart parser (what a real server would accept).
        const form = await new Request('http://x/', {
          method: 'POST',
          headers: { 'content-type': req.headers['content-type'] ?? '' },
          body: Buffer.concat(chunks),
        }).formData();
        const fields = new Map<string, string>();
        let file: Received['file'];
        for (const [name, value] of form.entries()) {
          if (typeof value === 'string') fields.set(name, value);
          else if (name === 'file') {
            file = {
              name: value.name,
              type: value.type,
              bytes: new Uint8Array(await value.arrayBuffer()),
            };
          }
        }
        const received = { headers: req.headers, fields, file };
        requests.push(received);
        reply(received, res);
      })();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { baseURL: `http://127.0.0.1:${port}/v1`, requests };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

describe('http transcriber', () => {
  it('posts the utterance as a multipart WAV with model, language, prompt and the API key', async () => {
    const { baseURL, requests } = await startServer((_, res) =>
      json(res, 200, { text: ' Hello there. ' }),
    );
    const transcriber = createTranscriber({
      kind: 'http',
      baseURL,
      apiKey: 'sk-local',
      model: 'whisper-large',
    });
    const stream = transcriber.open({ language: 'en', prompt: 'Greetings.' });
    const audio = silence(500).map((_, i) => Math.round(Math.sin(i / 5) * 1000));
    stream.write(audio.subarray(0, 3000));
    stream.write(audio.subarray(3000));
    const result = await stream.finish();

    expect(result).toEqual({
      text: 'Hello there.',
      finalDelta: 'Hello there.',
      usage: { type: 'duration', seconds: 0.5 },
    });
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request!.headers.authorization).toBe('Bearer sk-local');
    expect(request!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(Object.fromEntries(request!.fields)).toEqual({
      model: 'whisper-large',
      response_format: 'json',
      language: 'en',
      prompt: 'Greetings.',
    });
    expect(request!.file).toMatchObject({ name: 'audio.wav', type: 'audio/wav' });
    const wav = readWav(request!.file!.bytes);
    expect(wav.sampleRate).toBe(16_000);
    expect(wav.channels).toBe(1);
    expect([...wav.samples]).toEqual([...audio]);
    expect(transcriber.kind).toBe('http');
  });

  it('turns a non-2xx answer into an error with the status and the server message', async () => {
    const { baseURL } = await startServer((_, res) =>
      json(res, 401, {
        error: { message: 'Incorrect API key provided', type: 'invalid_request_error' },
      }),
    );
    const stream = createTranscriber({ kind: 'http', baseURL }).open();
    stream.write(silence(100));
    const result = await stream.finish();
    expect(isTranscriptionFailure(result) && result.error).toEqual({
      code: 'transcriber_error',
      message: 'The transcription server answered 401 Unauthorized: Incorrect API key provided',
    });
  });

  it('omits the Authorization header without a key and defaults the model to whisper-1', async () => {
    const { baseURL, requests } = await startServer((_, res) => json(res, 200, { text: 'ok' }));
    const stream = createTranscriber({ kind: 'http', baseURL }).open();
    stream.write(silence(100));
    await stream.finish();
    expect(requests[0]!.headers.authorization).toBeUndefined();
    expect(requests[0]!.fields.get('model')).toBe('whisper-1');
    expect(requests[0]!.fields.has('language')).toBe(false);
  });

  it('fails an empty transcript with audio_unintelligible', async () => {
    const { baseURL } = await startServer((_, res) => json(res, 200, { text: '  ' }));
    const stream = createTranscriber({ kind: 'http', baseURL }).open();
    stream.write(silence(100));
    const result = await stream.finish();
    expect(isTranscriptionFailure(result) && result.error.code).toBe('audio_unintelligible');
  });

  it('fails empty audio without a request', async () => {
    const { baseURL, requests } = await startServer((_, res) => json(res, 200, { text: 'x' }));
    const result = await createTranscriber({ kind: 'http', baseURL }).open().finish();
    expect(isTranscriptionFailure(result) && result.error.code).toBe('audio_unintelligible');
    expect(requests).toHaveLength(0);
  });

  it('times out a server that does not answer', async () => {
    const { baseURL } = await startServer(() => {
      // Never answers.
    });
    const stream = createTranscriber({ kind: 'http', baseURL, timeoutMs: 50 }).open();
    stream.write(silence(100));
    const result = await stream.finish();
    expect(isTranscriptionFailure(result) && result.error.code).toBe('transcriber_timeout');
  });

  it('resolves an aborted request with aborted', async () => {
    let answered!: () => void;
    const arrived = new Promise<void>((resolve) => (answered = resolve));
    const { baseURL } = await startServer(() => answered());
    const stream = createTranscriber({ kind: 'http', baseURL }).open();
    stream.write(silence(100));
    const pending = stream.finish();
    await arrived;
    stream.abort();
    expect(await pending).toMatchObject({ error: { code: 'aborted' } });
  });

  it('reports an unreachable server as unavailable', async () => {
    const { baseURL } = await startServer((_, res) => json(res, 200, { text: 'x' }));
    server!.closeAllConnections();
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    const transcriber = createTranscriber({ kind: 'http', baseURL });
    const availability = await transcriber.available();
    expect(availability.ok).toBe(false);
    expect(availability.reason).toContain(baseURL);
    const stream = transcriber.open();
    stream.write(silence(100));
    const result = await stream.finish();
    expect(isTranscriptionFailure(result) && result.error.code).toBe('transcriber_unavailable');
  });
});
