#!/usr/bin/env node
/** The `local-realtime` command: parse flags, start the server, print how to connect, close on SIGINT/SIGTERM. */
import cluster from 'node:cluster';
import { homedir } from 'node:os';
import { runEngineWorker, startEngineCluster } from '../cluster.js';
import { createEngine } from '../engine.js';
import type { EngineOptions, LocalRealtimeEngine } from '../engine.js';
import { ScenarioError } from '../scenario/index.js';
import { parseCliArgs } from '../server/cli-args.js';
import type { ListenInfo, LocalRealtimeServer } from '../server/create-server.js';
import { EXAMPLE_MODEL } from '../server/models.js';
import { ServerConfigError } from '../server/options.js';
import { engineVersion } from '../version.js';

const EXIT_USAGE = 2;
const EXIT_FAILURE = 1;

async function main(argv: readonly string[]): Promise<number> {
  const command = parseCliArgs(argv, { env: process.env, homeDir: homedir() });
  switch (command.kind) {
    case 'help':
      process.stdout.write(command.text);
      return 0;
    case 'version':
      process.stdout.write(`${engineVersion()}\n`);
      return 0;
    case 'error':
      process.stderr.write(
        `local-realtime: ${command.message}\nRun 'local-realtime --help' for the flags.\n`,
      );
      return EXIT_USAGE;
    case 'run':
      break;
  }
  const options: EngineOptions = {
    ...command.options,
    ...(command.speechWarmup === false ? { speechWarmup: false } : {}),
  };
  if ((command.workers ?? 1) > 1) return runCluster(options, command.workers ?? 1);

  let engine: LocalRealtimeEngine;
  let info: ListenInfo;
  try {
    engine = await createEngine({ ...options, logDestination: process.stderr });
    info = await engine.listen();
  } catch (err) {
    process.stderr.write(`local-realtime: ${err instanceof Error ? err.message : String(err)}\n`);
    return err instanceof ServerConfigError || err instanceof ScenarioError
      ? EXIT_USAGE
      : EXIT_FAILURE;
  }
  const server = engine.server;
  // Handlers first: whoever reads the banner may signal at once.
  const stopped = new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) {
        process.stderr.write(`local-realtime: ${signal} again, exiting now\n`);
        resolve(EXIT_FAILURE);
        return;
      }
      stopping = true;
      process.stderr.write(`local-realtime: ${signal}, closing sessions…\n`);
      server.close().then(
        () => resolve(0),
        (err: unknown) => {
          process.stderr.write(`local-realtime: error while closing: ${String(err)}\n`);
          resolve(EXIT_FAILURE);
        },
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  process.stdout.write(banner(server, info, engine.scenario.name));
  return stopped;
}

/** `--workers N`: the primary forks N engine workers on one port; each worker runs this script too. */
async function runCluster(options: EngineOptions, workers: number): Promise<number> {
  if (cluster.isWorker) {
    // The worker closes and exits on its own (primary's request, SIGINT/SIGTERM); this promise never settles.
    await runEngineWorker({ ...options, logDestination: process.stderr });
    return new Promise<number>(() => undefined);
  }
  let engines;
  try {
    engines = await startEngineCluster({ workers });
  } catch (err) {
    process.stderr.write(`local-realtime: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT_FAILURE;
  }
  const info = engines.info;
  process.stdout.write(
    `LocalRealtime ${engineVersion()} listening on ${info.url} with ${workers} worker processes ` +
      `(health, metrics of one worker: ${info.httpUrl}/healthz  ${info.httpUrl}/metrics)\n` +
      'Ephemeral tokens minted by any worker open sessions on every worker.\nCtrl+C to stop.\n',
  );
  return new Promise<number>((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.stderr.write(`local-realtime: ${signal}, closing workers…\n`);
      void engines.close().then(() => resolve(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

function banner(server: LocalRealtimeServer, info: ListenInfo, scenario: string): string {
  const tls = server.tls;
  const apiKey = server.options.auth === 'open' ? 'any value' : 'one of your --api-key values';
  const lines = [
    `LocalRealtime ${engineVersion()} listening on ${info.url} (auth: ${server.options.auth}, tls: ${
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
    `  health, metrics:          ${info.httpUrl}/healthz  ${info.httpUrl}/metrics`,
    '',
    'Ctrl+C to stop.',
    '',
  );
  return lines.join('\n');
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(
      `local-realtime: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(EXIT_FAILURE);
  },
);
