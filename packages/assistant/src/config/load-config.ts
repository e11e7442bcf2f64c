import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { AppConfigSchema, resolveAssistant, resolveTarget } from './config-schema.js';
import type { AppConfig, AssistantRef, ConnectionTarget } from './config-schema.js';
import { maskSecret, Secret } from './secret.js';
import { SECRET_FLAGS, SETTINGS } from './settings.js';
import type { SettingKind } from './settings.js';

/** Command-line flags, already parsed: `{ 'vad-threshold': '0.7', model: 'x' }` (camelCase keys work too). */
export type ConfigFlags = Readonly<Record<string, string | number | boolean | undefined>>;

/** Where a setting's value came from: `default`, `.env VAR`, `env VAR` or `flag --name`. */
export type SettingSource = 'default' | `.env ${string}` | `env ${string}` | `flag --${string}`;

/** One invalid setting: which, the bad value (masked if secret), what is allowed, and where it came from. */
export interface ConfigIssue {
  readonly setting: string;
  readonly value: string;
  readonly allowed: string;
  readonly source: SettingSource | `file ${string}`;
  /** One readable sentence naming all of the above. */
  readonly message: string;
}

/** Inputs of {@link loadConfig}; everything is injected so nothing reads or mutates globals. */
export interface LoadConfigOptions {
  readonly flags?: ConfigFlags;
  /** Environment variables (default: none — pass `process.env` explicitly). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** A `.env` file; relative to `cwd`. Default `.env` (missing is fine unless given explicitly). */
  readonly envFile?: string;
  readonly cwd?: string;
}

/** The result of {@link loadConfig}. */
export type LoadConfigResult =
  | {
      ok: true;
      config: AppConfig;
      /** Source of every setting, by dotted path. */
      sources: Record<string, SettingSource>;
      target: ConnectionTarget;
      assistant: AssistantRef | null;
      /** Settings that are valid but have no effect, in words. */
      warnings: string[];
    }
  | { ok: false; errors: ConfigIssue[] };

type Raw = { value: unknown; text: string; source: SettingSource };

/**
 * Loads the settings: defaults < `.env` (parsed, `process.env` untouched) < environment < flags. Never throws on
 * bad input; every invalid value comes back as a {@link ConfigIssue}.
 */
export function loadConfig(options: LoadConfigOptions = {}): LoadConfigResult {
  const cwd = options.cwd ?? process.cwd();
  const errors: ConfigIssue[] = [];
  const dotenv = readEnvFile(cwd, options.envFile, errors);
  const env = options.env ?? {};
  const chosen = new Map<string, Raw>();

  for (const spec of SETTINGS) {
    const layers: { text: string | number | boolean | undefined; source: SettingSource }[] = [];
    for (const name of spec.env) layers.push({ text: dotenv[name], source: `.env ${name}` });
    for (const name of spec.env) layers.push({ text: env[name], source: `env ${name}` });
    if (spec.flag)
      layers.push({ text: flagValue(options.flags, spec.flag), source: `flag --${spec.flag}` });
    // Later layers win: .env < environment < flag.
    const winner = layers.filter((l) => l.text !== undefined && l.text !== '').at(-1);
    if (!winner || winner.text === undefined) continue;
    const coerced = coerce(spec.kind, winner.text);
    const text = spec.secret ? maskSecret(String(winner.text)) : String(winner.text);
    if (!coerced.ok) {
      errors.push(issue(spec.path, text, spec.allowed, winner.source));
      continue;
    }
    chosen.set(spec.path, { value: coerced.value, text, source: winner.source });
  }

  for (const [key, value] of Object.entries(options.flags ?? {})) {
    if (value === undefined || !SECRET_FLAGS.includes(kebab(key))) continue;
    errors.push(
      issue(
        'api.apiKey',
        maskSecret(String(value)),
        'an API key from OPENAI_API_KEY in the environment or .env, never a flag',
        `flag --${kebab(key)}`,
      ),
    );
  }

  const raw: Record<string, Record<string, unknown>> = {};
  for (const [path, { value }] of chosen) {
    const [section, field] = path.split('.') as [string, string];
    (raw[section] ??= {})[field] = value;
  }
  const parsed = AppConfigSchema.safeParse(raw);
  if (!parsed.success) {
    for (const zodIssue of parsed.error.issues) {
      const path = zodIssue.path.map(String).slice(0, 2).join('.');
      const spec = SETTINGS.find((s) => s.path === path);
      const picked = chosen.get(path);
      errors.push(
        issue(
          path,
          picked?.text ?? '',
          spec?.allowed ?? zodIssue.message,
          picked?.source ?? 'default',
        ),
      );
    }
  }
  if (errors.length > 0 || !parsed.success) return { ok: false, errors };

  const config = parsed.data;
  const sources: Record<string, SettingSource> = {};
  for (const spec of SETTINGS) sources[spec.path] = chosen.get(spec.path)?.source ?? 'default';
  const warnings: string[] = [];
  if (config.api.temperature !== undefined && config.api.protocol === 'ga') {
    warnings.push(
      `api.temperature (${config.api.temperature}, from ${sources['api.temperature']}) has no effect: the GA Realtime API has no temperature; it applies only with api.protocol beta.`,
    );
  }
  return {
    ok: true,
    config,
    sources,
    target: resolveTarget(config),
    assistant: resolveAssistant(config),
    warnings,
  };
}

function readEnvFile(
  cwd: string,
  envFile: string | undefined,
  errors: ConfigIssue[],
): Record<string, string> {
  const path = resolve(cwd, envFile ?? '.env');
  if (!existsSync(path)) {
    if (envFile !== undefined) {
      errors.push(issue('envFile', envFile, 'an existing .env file', `file ${path}`));
    }
    return {};
  }
  try {
    return parseDotenv(readFileSync(path));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    errors.push(
      issue('envFile', envFile ?? '.env', `a readable .env file (${reason})`, `file ${path}`),
    );
    return {};
  }
}

function flagValue(
  flags: ConfigFlags | undefined,
  flag: string,
): string | number | boolean | undefined {
  if (!flags) return undefined;
  return flags[flag] ?? flags[camel(flag)];
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function camel(name: string): string {
  return name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

function coerce(
  kind: SettingKind,
  input: string | number | boolean,
): { ok: true; value: unknown } | { ok: false } {
  if (kind === 'secret') return { ok: true, value: new Secret(String(input)) };
  if (kind === 'string')
    return typeof input === 'string' ? { ok: true, value: input } : { ok: false };
  if (kind === 'boolean') {
    if (typeof input === 'boolean') return { ok: true, value: input };
    const text = String(input).trim().toLowerCase();
    if (TRUE.has(text)) return { ok: true, value: true };
    if (FALSE.has(text)) return { ok: true, value: false };
    return { ok: false };
  }
  if (kind === 'number' || kind === 'integer') {
    if (typeof input === 'number')
      return Number.isFinite(input) ? { ok: true, value: input } : { ok: false };
    const text = String(input).trim();
    return NUMBER.test(text) ? { ok: true, value: Number(text) } : { ok: false };
  }
  const text = String(input).trim().toLowerCase();
  return kind.enum.includes(text) ? { ok: true, value: text } : { ok: false };
}

function issue(
  setting: string,
  value: string,
  allowed: string,
  source: ConfigIssue['source'],
): ConfigIssue {
  return {
    setting,
    value,
    allowed,
    source,
    message: `${setting}: "${value}" (from ${source}) is not allowed; use ${allowed}.`,
  };
}
