import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ServerOptionsInput } from './options.js';
import { CERT_FILE } from './tls.js';
import { DEFAULT_HOST, DEFAULT_PORT, parseServerOptions } from './options.js';

/** What the `local-realtime` command line asks for. */
export type CliCommand =
  | { kind: 'help'; text: string }
  | { kind: 'version' }
  /** `workers`: engine processes (`--workers`, node:cluster); absent = one. */
  | { kind: 'run'; options: ServerOptionsInput; workers?: number; speechWarmup?: false }
  | { kind: 'error'; message: string };

export interface CliEnvironment {
  /** `process.env`: `LOCAL_REALTIME_API_KEYS` (comma-separated), `XDG_CACHE_HOME`. */
  env: Readonly<Record<string, string | undefined>>;
  /** The user's home directory, for the default certificate cache. */
  homeDir: string;
  /** How the command is called, for its help (default `local-realtime`). */
  program?: string;
}

/** Where `--tls self-signed` keeps its certificate unless `--tls-cache-dir` says otherwise. */
export function defaultTlsCacheDir(environment: CliEnvironment): string {
  const cacheRoot = environment.env.XDG_CACHE_HOME ?? join(environment.homeDir, '.cache');
  return join(cacheRoot, 'local-realtime');
}

const FLAGS = {
  host: { type: 'string' },
  port: { type: 'string' },
  tls: { type: 'string' },
  cert: { type: 'string' },
  key: { type: 'string' },
  'tls-cache-dir': { type: 'string' },
  'api-key': { type: 'string', multiple: true },
  auth: { type: 'string' },
  scenario: { type: 'string' },
  speed: { type: 'string' },
  'max-sessions': { type: 'string' },
  'max-session-minutes': { type: 'string' },
  model: { type: 'string', multiple: true },
  'cors-origin': { type: 'string', multiple: true },
  'refuse-beta': { type: 'boolean' },
  deflate: { type: 'boolean' },
  'no-deflate': { type: 'boolean' },
  extensions: { type: 'boolean' },
  'no-fault-control': { type: 'boolean' },
  'no-speech-warmup': { type: 'boolean' },
  'log-level': { type: 'string' },
  workers: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

/** Option paths as flags, so validation messages name what the user typed. */
const FLAG_FOR_PATH: Record<string, string> = {
  host: '--host',
  port: '--port',
  keys: '--api-key',
  auth: '--auth',
  speed: '--speed',
  scenario: '--scenario',
  logLevel: '--log-level',
  corsOrigin: '--cors-origin',
  models: '--model',
  'limits.maxSessions': '--max-sessions',
  'limits.maxSessionMinutes': '--max-session-minutes',
};

/** The `--help` text, for the command called `program`, with the certificate cache of `environment`. */
export function helpText(
  environment: CliEnvironment = { env: {}, homeDir: '~' },
  program = environment.program ?? 'local-realtime',
): string {
  return `${program}: an offline server that speaks the OpenAI Realtime API (WebSocket).

Usage: ${program} [options]

Network
  --host HOST                 address to bind (default ${DEFAULT_HOST})
  --port N                    TCP port, 0 for any free one (default ${DEFAULT_PORT})
  --tls self-signed           serve wss:// with a certificate made for localhost (the openai package needs TLS)
  --cert FILE --key FILE      serve wss:// with this certificate and key (PEM)
  --tls-cache-dir DIR         keep the self-signed certificate here (default ${defaultTlsCacheDir(environment)})
  --deflate                   negotiate permessage-deflate like the live service (costs CPU when streaming audio)
  --no-deflate                don't negotiate permessage-deflate (the default)

Access
  --api-key KEY               accept this API key (repeatable; also LOCAL_REALTIME_API_KEYS=k1,k2)
  --auth open|keys            open: no key needed (default on loopback only); keys: an API key or ek_ token
  --cors-origin ORIGIN        allow this browser origin on the REST routes (repeatable; '*' for any)
  --refuse-beta               answer OpenAI-Beta: realtime=v1 clients with beta_api_shape_disabled, as live

Behaviour
  --scenario NAME|PATH        scenario to play (built-in name or YAML file)
  --speed N                   pacing factor; 0 = unpaced
  --model NAME                accept this model name too (repeatable)
  --max-sessions N            sessions open at once (default 2000)
  --max-session-minutes N     session duration before session_expired (default 60)
  --extensions                accept the custom client events audio, interrupt and heartbeat
  --no-speech-warmup          don't synthesise the scenario's fixed replies in the background at start-up
  --no-fault-control          don't serve /v1/local/faults: POST {"fault":{"type":"error","code":"server_error"},
                              "session_id":"sess_…"} fails that session's next response (also close, stall,
                              rate_limit, session_expired, refuse; "sessions":"all"|"first", "when":"now"); GET
                              lists, DELETE clears. Needs an API key when the engine has keys, else loopback clients
                              only
  --workers N                 run N engine processes on the port (node:cluster; default 1). Per process:
                              --max-sessions and /metrics; ephemeral tokens (HMAC-signed with a secret the
                              workers share) open sessions on every worker

Other
  --log-level LEVEL           fatal|error|warn|info|debug|trace|silent (default info; logs go to stderr)
  -h, --help                  show this help
  -v, --version               show the version

Point clients at it
  openai package (needs --tls):  OPENAI_BASE_URL=https://127.0.0.1:${DEFAULT_PORT}/v1
                                 NODE_EXTRA_CA_CERTS=${join(defaultTlsCacheDir(environment), CERT_FILE)}
  @openai/agents-realtime:       new OpenAIRealtimeWebSocket({ url: 'ws://127.0.0.1:${DEFAULT_PORT}/v1/realtime?model=gpt-realtime' })
`;
}

/**
 * Parses `local-realtime` arguments (without the node and script paths) into server options, validated as the
 * server will validate them. Never throws: a bad flag or value is a `{ kind: 'error' }` with a readable message.
 */
export function parseCliArgs(argv: readonly string[], environment: CliEnvironment): CliCommand {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: FLAGS,
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    return { kind: 'error', message: err instanceof Error ? err.message : String(err) };
  }
  if (values.help) return { kind: 'help', text: helpText(environment) };
  if (values.version) return { kind: 'version' };

  const options: ServerOptionsInput = {};
  const problems: string[] = [];
  const integer = (flag: string, raw: string | undefined): number | undefined => {
    if (raw === undefined) return undefined;
    if (!/^\d+$/.test(raw)) {
      problems.push(`${flag}: expected a whole number, got '${raw}'.`);
      return undefined;
    }
    return Number(raw);
  };
  const decimal = (flag: string, raw: string | undefined): number | undefined => {
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value)) {
      problems.push(`${flag}: expected a number, got '${raw}'.`);
      return undefined;
    }
    return value;
  };

  if (values.host !== undefined) options.host = values.host;
  const port = integer('--port', values.port);
  if (port !== undefined) options.port = port;

  if (values.tls !== undefined && values.tls !== 'self-signed') {
    problems.push(
      `--tls: the only mode is 'self-signed' (got '${values.tls}'); use --cert and --key for your own.`,
    );
  }
  if ((values.cert === undefined) !== (values.key === undefined)) {
    problems.push('--cert and --key go together: give both.');
  } else if (values.cert !== undefined && values.key !== undefined) {
    if (values.tls !== undefined)
      problems.push('--tls self-signed and --cert/--key exclude each other.');
    options.tls = { cert: values.cert, key: values.key };
  } else if (values.tls === 'self-signed') {
    options.tls = 'self-signed';
    options.tlsCacheDir = values['tls-cache-dir'] ?? defaultTlsCacheDir(environment);
  }
  if (values['tls-cache-dir'] !== undefined && options.tls !== 'self-signed') {
    problems.push('--tls-cache-dir only applies with --tls self-signed.');
  }

  const envKeys = (environment.env.LOCAL_REALTIME_API_KEYS ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key.length > 0);
  const keys = [...(values['api-key'] ?? []), ...envKeys];
  if (keys.length > 0) options.keys = keys;
  if (values.auth !== undefined) {
    if (values.auth === 'open' || values.auth === 'keys') options.auth = values.auth;
    else problems.push(`--auth: expected 'open' or 'keys', got '${values.auth}'.`);
  }
  const origins = values['cors-origin'];
  if (origins !== undefined) options.corsOrigin = origins.includes('*') ? '*' : origins;
  if (values['refuse-beta']) options.allowBeta = false;
  if (values.deflate) options.perMessageDeflate = true;
  if (values['no-deflate']) options.perMessageDeflate = false;

  if (values.scenario !== undefined) options.scenario = values.scenario;
  const speed = decimal('--speed', values.speed);
  if (speed !== undefined) options.speed = speed;
  if (values.model !== undefined) options.models = values.model;
  if (values.extensions) options.extensions = true;
  if (values['no-fault-control']) options.faultRoute = false;
  const maxSessions = integer('--max-sessions', values['max-sessions']);
  const maxSessionMinutes = decimal('--max-session-minutes', values['max-session-minutes']);
  if (maxSessions !== undefined || maxSessionMinutes !== undefined) {
    options.limits = {
      ...(maxSessions !== undefined ? { maxSessions } : {}),
      ...(maxSessionMinutes !== undefined ? { maxSessionMinutes } : {}),
    };
  }
  const workers = integer('--workers', values.workers);
  if (workers !== undefined && (workers < 1 || workers > 64))
    problems.push(`--workers: expected 1 to 64, got ${workers}.`);
  if (values['log-level'] !== undefined) {
    options.logLevel = values['log-level'] as ServerOptionsInput['logLevel'];
  }

  if (problems.length > 0) return { kind: 'error', message: problems.join('\n') };
  const checked = parseServerOptions(options);
  if (!checked.ok) {
    return { kind: 'error', message: checked.error.issues.map(renameToFlag).join('\n') };
  }
  return {
    kind: 'run',
    options,
    ...(workers !== undefined ? { workers } : {}),
    ...(values['no-speech-warmup'] ? { speechWarmup: false as const } : {}),
  };
}

function renameToFlag(issue: string): string {
  const colon = issue.indexOf(':');
  if (colon < 0) return issue;
  const path = issue.slice(0, colon);
  const base = path.replace(/\.\d+$/, '');
  const flag = FLAG_FOR_PATH[path] ?? FLAG_FOR_PATH[base];
  return flag === undefined ? issue : `${flag}${issue.slice(colon)}`;
}
