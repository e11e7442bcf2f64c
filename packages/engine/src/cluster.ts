/**
 * Cluster mode: N engine processes sharing one port through `node:cluster`, so a many-core machine serves more
 * sessions than one event loop can. Sessions are per connection, so workers are independent; the primary only
 * hands connections out (round-robin) and starts and stops the workers.
 *
 * Ephemeral tokens work across workers: they are stateless, HMAC-signed with a secret the primary makes and hands
 * to each worker in its environment (read and removed from the worker's `process.env` at start, never logged), so a
 * token minted by one worker opens sessions on any other. Other state stays per process: `GET /metrics` shows one
 * worker's counters, and `--max-sessions` is per worker.
 */
import cluster from 'node:cluster';
import type { Worker } from 'node:cluster';
import { newTokenSecret } from './server/ephemeral-tokens.js';
import { createEngine } from './engine.js';
import type { EngineOptions, LocalRealtimeEngine } from './engine.js';
import type { ListenInfo } from './server/create-server.js';

/** The environment variable that carries the cluster's token secret (hex) to its workers. */
export const TOKEN_SECRET_ENV = 'LOCAL_REALTIME_TOKEN_SECRET';

/** Tag of the messages between the primary and its engine workers. */
export const CLUSTER_MESSAGE_TAG = 'local-realtime:cluster';

type ClusterMessage =
  | { tag: typeof CLUSTER_MESSAGE_TAG; kind: 'listening'; info: ListenInfo }
  | { tag: typeof CLUSTER_MESSAGE_TAG; kind: 'failed'; message: string }
  | { tag: typeof CLUSTER_MESSAGE_TAG; kind: 'close' };

function isClusterMessage(message: unknown): message is ClusterMessage {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { tag?: unknown }).tag === CLUSTER_MESSAGE_TAG
  );
}

export interface EngineClusterOptions {
  /** Engine processes to fork (≥ 1); the number of cores is a good choice. */
  workers: number;
  /** Script the workers run (default: the primary's own script, which must then branch on `cluster.isPrimary`). */
  exec?: string;
  /** Arguments for the workers' script (default: the primary's). */
  args?: string[];
  /** Node flags for the workers (default: the primary's `process.execArgv`). */
  execArgv?: string[];
  /** How long workers get to start listening before the start fails (default 30 s). */
  startTimeoutMs?: number;
  /** How long workers get to close before they are killed (default 10 s). */
  closeTimeoutMs?: number;
  /** Key that signs the workers' ephemeral tokens (default: a random one per cluster). */
  tokenSecret?: Buffer;
  /** Called when a worker exits while the cluster is running (not during `close()`). */
  onWorkerExit?: (worker: Worker, code: number | null, signal: string | null) => void;
}

export interface EngineCluster {
  /** Where the workers listen (all on the same port). */
  readonly info: ListenInfo;
  readonly workers: readonly Worker[];
  /** Asks every worker to close its sessions and exit; kills those still running after `closeTimeoutMs`. */
  close(): Promise<void>;
}

/**
 * Starts an engine cluster from the primary process: forks `workers` processes that each call
 * {@link runEngineWorker} and resolves once all of them listen on the shared port. Rejects (after killing the
 * workers) if one fails to start or exits first. With `port: 0` the workers share one free port.
 */
export async function startEngineCluster(options: EngineClusterOptions): Promise<EngineCluster> {
  if (!cluster.isPrimary)
    throw new Error('startEngineCluster must be called in the primary process.');
  if (!Number.isInteger(options.workers) || options.workers < 1) {
    throw new Error(`workers: expected a whole number ≥ 1, got ${options.workers}.`);
  }
  cluster.setupPrimary({
    ...(options.exec !== undefined ? { exec: options.exec } : {}),
    ...(options.args !== undefined ? { args: options.args } : {}),
    ...(options.execArgv !== undefined ? { execArgv: options.execArgv } : {}),
  });
  const workers: Worker[] = [];
  let closing = false;
  const secretHex = (options.tokenSecret ?? newTokenSecret()).toString('hex');
  const started = Array.from({ length: options.workers }, () => {
    const worker = cluster.fork({ [TOKEN_SECRET_ENV]: secretHex });
    workers.push(worker);
    return new Promise<ListenInfo>((resolve, reject) => {
      const onExit = (code: number | null, signal: string | null): void =>
        reject(new Error(`engine worker ${worker.id} exited while starting (${signal ?? code}).`));
      worker.once('exit', onExit);
      worker.on('message', (message: unknown) => {
        if (!isClusterMessage(message)) return;
        if (message.kind === 'listening') {
          worker.off('exit', onExit);
          worker.once('exit', (code: number | null, signal: string | null) => {
            if (!closing) options.onWorkerExit?.(worker, code, signal);
          });
          resolve(message.info);
        } else if (message.kind === 'failed') {
          reject(new Error(`engine worker ${worker.id} failed to start: ${message.message}`));
        }
      });
    });
  });

  const close = async (): Promise<void> => {
    closing = true;
    const exits = workers.map((worker) =>
      worker.isDead()
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            worker.once('exit', () => resolve());
            const message: ClusterMessage = { tag: CLUSTER_MESSAGE_TAG, kind: 'close' };
            if (worker.isConnected()) worker.send(message);
            else worker.kill();
          }),
    );
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), options.closeTimeoutMs ?? 10_000);
    });
    const outcome = await Promise.race([Promise.all(exits), timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      for (const worker of workers) if (!worker.isDead()) worker.process.kill('SIGKILL');
      await Promise.all(exits);
    }
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error('engine workers did not start listening in time.')),
      options.startTimeoutMs ?? 30_000,
    );
  });
  try {
    const infos = await Promise.race([Promise.all(started), timedOut]);
    return { info: infos[0]!, workers, close };
  } catch (err) {
    await close();
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs one engine in a cluster worker: creates and starts it, tells the primary where it listens, and closes it
 * (then exits) when the primary asks, when the primary goes away, or on SIGINT/SIGTERM. A start failure is
 * reported to the primary and the worker exits with code 1.
 */
export async function runEngineWorker(options: EngineOptions): Promise<LocalRealtimeEngine> {
  if (!cluster.isWorker || process.send === undefined) {
    throw new Error('runEngineWorker must be called in a cluster worker.');
  }
  const send = (message: ClusterMessage): void => {
    if (process.connected) process.send?.(message);
  };
  const secret = takeTokenSecret();
  let engine: LocalRealtimeEngine;
  try {
    engine = await createEngine({ ...(secret ? { tokenSecret: secret } : {}), ...options });
    const info = await engine.listen();
    send({ tag: CLUSTER_MESSAGE_TAG, kind: 'listening', info });
  } catch (err) {
    send({
      tag: CLUSTER_MESSAGE_TAG,
      kind: 'failed',
      message: err instanceof Error ? err.message : String(err),
    });
    process.exitCode = 1;
    process.disconnect();
    throw err;
  }
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    engine.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('message', (message: unknown) => {
    if (isClusterMessage(message) && message.kind === 'close') stop();
  });
  process.on('disconnect', stop);
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return engine;
}

/** The primary's token secret, removed from the environment so nothing the worker starts inherits it. */
function takeTokenSecret(): Buffer | undefined {
  const hex = process.env[TOKEN_SECRET_ENV];
  delete process.env[TOKEN_SECRET_ENV];
  if (hex === undefined || !/^(?:[0-9a-f]{2}){16,}$/.test(hex)) return undefined;
  return Buffer.from(hex, 'hex');
}
