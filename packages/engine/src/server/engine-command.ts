/**
 * The engine's command line, shared by `local-realtime` and `realtime-assistant engine` (and so `npm start --
 * engine`): parse the flags, start one engine or a `--workers` cluster, print how to point clients at it, and close
 * on SIGINT/SIGTERM. Only the entry points touch `process`; this gets its streams, environment and signals passed in.
 */
import cluster from 'node:cluster';
import { homedir } from 'node:os';
import { runEngineWorker, startEngineCluster } from '../cluster.js';
import { createEngine } from '../engine.js';
import type { EngineOptions, LocalRealtimeEngine } from '../engine.js';
import { ScenarioError } from '../scenario/index.js';
import { engineVersion } from '../version.js';
import { parseCliArgs } from './cli-args.js';
import type { AuthMode } from './auth.js';
import type { ListenInfo } from './create-server.js';
import { EXAMPLE_MODEL } from './models.js';
import { parseServerOptions, ServerConfigError } from './options.js';
import type { ServerOptionsInput } from './options.js';
import { loadTlsMaterial } from './tls.js';
import type { TlsMaterial } from './tls.js';

/** What the engine command may touch of the outside world. */
export interface EngineCommandIo {
  readonly stdout: { write(text: string): unknown };
  /** Messages and the engine's log lines. */
  readonly stderr: NodeJS.WritableStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Calls `listener` on SIGINT / SIGTERM; returns a function that stops listening. */
  onSignal(listener: (signal: NodeJS.Signals) => void): () => void;
}

export interface EngineCommandOptions {
  /** How the command is called, for its help and messages: `local-realtime`, `realtime-assistant engine`. */
  readonly program: string;
  /** The user's home directory (default `os.homedir()`), for the certificate cache. */
  readonly homeDir?: string;
  /**
   * How long Ctrl+C waits for sessions to close and the speech workers to stop before the command returns anyway
   * (default {@link ENGINE_STOP_GRACE_MS}); a second Ctrl+C stops waiting at once.
   */
  readonly stopGraceMs?: number;
}

/** Exit codes: bad flags or settings are a usage error. */
export const EXIT_USAGE = 2;
export const EXIT_FAILURE = 1;

/**
 * How long Ctrl+C waits for the close (clients answer the 1001 close at once on loopback; the decoder children stop
 * within a few hundred ms) before the command returns anyway; the entry point's `process.exit` ends what is left.
 */
export const ENGINE_STOP_GRACE_MS = 2_000;

/** Runs the engine command line `argv` (without the node and script paths); resolves with the exit code. */
export async function runEngineCommand(
  argv: readonly string[],
  io: EngineCommandIo,
  options: EngineCommandOptions,
): Promise<number> {
  const { program } = options;
  const command = parseCliArgs(argv, {
    env: io.env,
    homeDir: options.homeDir ?? homedir(),
    program,
  });
  switch (command.kind) {
    case 'help':
      io.stdout.write(command.text);
      return 0;
    case 'version':
      io.stdout.write(`${engineVersion()}\n`);
      return 0;
    case 'error':
      io.stderr.write(`${program}: ${command.message}\nRun '${program} --help' for the flags.\n`);
      return EXIT_USAGE;
    case 'run':
      break;
  }
  const engineOptions: EngineOptions = {
    ...command.options,
    ...(command.speechWarmup === false ? { speechWarmup: false } : {}),
    logDestination: io.stderr,
  };
  const workers = command.workers ?? 1;
  if (workers > 1) return runCluster(command.options, engineOptions, workers, io, options);

  let engine: LocalRealtimeEngine;
  let info: ListenInfo;
  try {
    engine = await createEngine(engineOptions);
    info = await engine.listen();
  } catch (err) {
    io.stderr.write(`${program}: ${err instanceof Error ? err.message : String(err)}\n`);
    return err instanceof ServerConfigError || err instanceof ScenarioError
      ? EXIT_USAGE
      : EXIT_FAILURE;
  }
  // Signals first: whoever reads the banner may signal at once.
  const stopped = stopOnSignal(io, options, 'Stopping the engine', () => engine.close());
  io.stdout.write(
    banner({
      info,
      tls: engine.server.tls,
      auth: engine.server.options.auth,
      scenario: engine.scenario.name,
    }),
  );
  return stopped;
}

/**
 * `--workers N`: the primary forks N engine workers on one port; each worker runs the same entry point with the
 * same arguments, and so arrives here as a cluster worker. With `--tls self-signed` the primary makes (or reads) the
 * certificate first, so that every worker serves the one certificate in the cache, the file the banner names.
 */
async function runCluster(
  serverOptions: ServerOptionsInput,
  engineOptions: EngineOptions,
  workers: number,
  io: EngineCommandIo,
  options: EngineCommandOptions,
): Promise<number> {
  if (cluster.isWorker) {
    try {
      // The worker closes and exits on its own (primary's request, SIGINT/SIGTERM); this promise never settles.
      await runEngineWorker(engineOptions);
    } catch {
      // Reported to the primary, which says why; the worker only leaves.
      return EXIT_FAILURE;
    }
    return new Promise<number>(() => undefined);
  }
  const resolved = parseServerOptions(serverOptions);
  if (!resolved.ok) {
    io.stderr.write(`${options.program}: ${resolved.error.message}\n`);
    return EXIT_USAGE;
  }
  let tls: TlsMaterial | null = null;
  let engines;
  try {
    if (resolved.options.tls !== undefined) {
      tls = await loadTlsMaterial(resolved.options.tls, {
        cacheDir: resolved.options.tlsCacheDir,
        extraHosts: [resolved.options.host],
      });
    }
    let alive = workers;
    let lost: (() => void) | null = null;
    const allLost = new Promise<void>((resolve) => (lost = resolve));
    engines = await startEngineCluster({
      workers,
      onWorkerExit: (worker, code, signal) => {
        alive -= 1;
        io.stderr.write(
          `${options.program}: engine worker ${worker.id} exited (${signal ?? `code ${code}`}); ${alive} of ${workers} left.\n`,
        );
        if (alive === 0) lost?.();
      },
    });
    const running = engines;
    const stopped = stopOnSignal(io, options, 'Stopping the engine workers', () => running.close());
    io.stdout.write(
      banner({
        info: running.info,
        tls,
        auth: resolved.options.auth,
        scenario: resolved.options.scenario ?? 'default',
        workers,
      }),
    );
    return await Promise.race([
      stopped,
      allLost.then(() => {
        io.stderr.write(`${options.program}: every engine worker has exited; stopping.\n`);
        return EXIT_FAILURE;
      }),
    ]);
  } catch (err) {
    io.stderr.write(`${options.program}: ${err instanceof Error ? err.message : String(err)}\n`);
    return err instanceof ServerConfigError ? EXIT_USAGE : EXIT_FAILURE;
  }
}

/**
 * Waits for SIGINT / SIGTERM, then runs `close` for at most the grace period; a second signal stops waiting at
 * once. Resolves with the exit code: 0 after a close, 1 when it failed.
 */
async function stopOnSignal(
  io: EngineCommandIo,
  options: EngineCommandOptions,
  what: string,
  close: () => Promise<void>,
): Promise<number> {
  let first: () => void = () => {};
  let second: () => void = () => {};
  const firstSignal = new Promise<void>((resolve) => (first = resolve));
  const secondSignal = new Promise<void>((resolve) => (second = resolve));
  let seen = 0;
  const off = io.onSignal(() => (++seen === 1 ? first() : second()));
  try {
    await firstSignal;
    io.stderr.write(`${what} (Ctrl+C again to stop at once).\n`);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, options.stopGraceMs ?? ENGINE_STOP_GRACE_MS);
      timer.unref();
    });
    let failed = false;
    await Promise.race([
      close().catch((err: unknown) => {
        failed = true;
        io.stderr.write(`${options.program}: error while closing: ${String(err)}\n`);
      }),
      secondSignal,
      grace,
    ]);
    clearTimeout(timer);
    return failed ? EXIT_FAILURE : 0;
  } finally {
    off();
  }
}

/** What the start-up banner says: where to connect and how, for one engine or a cluster of them. */
interface BannerFacts {
  info: ListenInfo;
  tls: Pick<TlsMaterial, 'selfSigned' | 'certPath'> | null;
  auth: AuthMode;
  scenario: string;
  /** Engine processes, when more than one. */
  workers?: number;
}

function banner({ info, tls, auth, scenario, workers }: BannerFacts): string {
  const apiKey = auth === 'open' ? 'any value' : 'one of your --api-key values';
  const where = workers === undefined ? '' : ` with ${workers} worker processes`;
  const lines = [
    `LocalRealtime ${engineVersion()} listening on ${info.url}${where} (auth: ${auth}, tls: ${
      tls === null ? 'off' : tls.selfSigned ? 'self-signed' : 'on'
    }, scenario: ${scenario})`,
    '',
  ];
  if (info.secure) {
    lines.push(
      `  openai package:           OPENAI_BASE_URL=${info.httpUrl}/v1  OPENAI_API_KEY=<${apiKey}>`,
    );
    if (tls?.selfSigned) {
      lines.push(
        tls.certPath === null
          ? '                            trust the certificate: pass server.tls.certPem as `ca`'
          : `                            NODE_EXTRA_CA_CERTS=${tls.certPath}`,
      );
    }
  } else {
    lines.push(
      '  openai package:           needs TLS (it always connects with wss): add --tls self-signed',
    );
  }
  lines.push(
    `  @openai/agents-realtime:  url: '${info.url}?model=${EXAMPLE_MODEL}'`,
    `  ephemeral tokens:         POST ${info.httpUrl}/v1/realtime/client_secrets${
      workers === undefined ? '' : ' (minted by any worker, valid on every one)'
    }`,
    `  health, metrics:          ${info.httpUrl}/healthz  ${info.httpUrl}/metrics${
      workers === undefined ? '' : ' (each answered by one worker)'
    }`,
    '',
    'Ctrl+C to stop.',
    '',
  );
  return lines.join('\n');
}
