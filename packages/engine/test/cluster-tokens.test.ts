import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startEngineCluster } from '../src/cluster.js';
import type { EngineCluster } from '../src/cluster.js';

const WORKER = fileURLToPath(new URL('./fixtures/cluster-worker.ts', import.meta.url));

let engines: EngineCluster;

beforeAll(async () => {
  engines = await startEngineCluster({
    workers: 2,
    exec: WORKER,
    args: [],
    execArgv: ['--conditions=source', '--import', 'tsx'],
  });
}, 60_000);

afterAll(async () => {
  await engines.close();
});

/** Mints a client secret on a fresh connection (`Connection: close`), so the primary hands each to the next worker. */
function mint(body: unknown): Promise<{ value: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${engines.info.httpUrl}/v1/realtime/client_secrets`,
      { method: 'POST', headers: { 'content-type': 'application/json', connection: 'close' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve(JSON.parse(Buffer.concat(chunks).toString()) as { value: string }),
        );
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** Opens a session with a token and resolves with its first event. */
function firstEvent(token: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(engines.info.url, { headers: { Authorization: `Bearer ${token}` } });
    ws.once('error', reject);
    ws.once('message', (data: Buffer) => {
      resolve(JSON.parse(data.toString()) as Record<string, unknown>);
      ws.close();
    });
  });
}

describe('ephemeral tokens in a 2-worker cluster', () => {
  it('opens sessions on every worker with a token minted by either', async () => {
    const tokens = [
      await mint({ session: { type: 'realtime', model: 'gpt-realtime', instructions: 'One.' } }),
      await mint({ session: { type: 'realtime', model: 'gpt-realtime', instructions: 'Two.' } }),
    ];
    // Connections are handed out round-robin: four per token reach both workers.
    for (const [i, token] of tokens.entries()) {
      const events = await Promise.all(Array.from({ length: 4 }, () => firstEvent(token.value)));
      for (const event of events) {
        expect(event.type).toBe('session.created');
        expect(event.session).toMatchObject({ instructions: i === 0 ? 'One.' : 'Two.' });
      }
    }
  }, 60_000);

  it('refuses a tampered token on every worker', async () => {
    const { value } = await mint({ session: { type: 'realtime', model: 'gpt-realtime' } });
    const last = value.at(-1) === '0' ? '1' : '0';
    const forged = value.slice(0, -1) + last;
    const events = await Promise.all(Array.from({ length: 4 }, () => firstEvent(forged)));
    for (const event of events) expect(event.error).toMatchObject({ code: 'invalid_api_key' });
  }, 60_000);
});
