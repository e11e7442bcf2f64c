import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startEngineCluster } from '../src/cluster.js';
import type { EngineCluster } from '../src/cluster.js';
import { parseCliArgs } from '../src/server/cli-args.js';

const WORKER = fileURLToPath(new URL('./fixtures/cluster-worker.ts', import.meta.url));
const environment = { env: {}, homeDir: '/home/tester' };

/** Opens a session and resolves with the type of its first event. */
function firstEventType(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url}?model=gpt-realtime`);
    ws.once('error', reject);
    ws.once('message', (data: Buffer) => {
      resolve((JSON.parse(data.toString()) as { type: string }).type);
      ws.close();
    });
  });
}

describe('engine cluster', () => {
  let engines: EngineCluster | null = null;

  afterEach(async () => {
    await engines?.close();
    engines = null;
  });

  it('serves sessions from every worker on one shared port and stops them all on close', async () => {
    engines = await startEngineCluster({
      workers: 2,
      exec: WORKER,
      args: [],
      execArgv: ['--conditions=source', '--import', 'tsx'],
    });
    expect(engines.workers).toHaveLength(2);
    expect(engines.info.port).toBeGreaterThan(0);
    const types = await Promise.all(
      Array.from({ length: 4 }, () => firstEventType(engines!.info.url)),
    );
    expect(types).toEqual(Array(4).fill('session.created'));
    const health = await fetch(`${engines.info.httpUrl}/healthz`);
    expect(health.status).toBe(200);

    const workers = engines.workers;
    await engines.close();
    engines = null;
    expect(workers.every((worker) => worker.isDead())).toBe(true);
  }, 60_000);

  it('refuses a worker count below one', async () => {
    await expect(startEngineCluster({ workers: 0 })).rejects.toThrow(/workers/);
  });
});

describe('--workers', () => {
  it('asks for that many engine processes', () => {
    expect(parseCliArgs(['--workers', '2'], environment)).toMatchObject({
      kind: 'run',
      workers: 2,
    });
  });

  it('leaves the count out when not given', () => {
    expect(parseCliArgs([], environment)).not.toHaveProperty('workers');
  });

  it.each([['0'], ['65'], ['two']])('rejects --workers %s', (value) => {
    const command = parseCliArgs(['--workers', value], environment);
    expect(command.kind).toBe('error');
    expect(command.kind === 'error' ? command.message : '').toMatch(/--workers/);
  });
});
