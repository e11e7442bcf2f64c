import { z } from 'zod';
import { Secret } from './secret.js';

/** The realtime endpoint used when `OPENAI_API_KEY` is set and no `api.baseUrl` is given. */
export const OPENAI_REALTIME_URL = 'wss://api.openai.com/v1/realtime';

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/** The assistant's settings, with their defaults. Every section is always present after parsing. */
export const AppConfigSchema = z.object({
  api: z
    .object({
      apiKey: z.instanceof(Secret).optional(),
      /** A realtime WebSocket URL (`ws://` or `wss://`); unset = OpenAI with a key, else the embedded engine. */
      baseUrl: z.url({ protocol: /^wss?$/ }).optional(),
      model: z.string().min(1).default('gpt-realtime'),
      voice: z.string().min(1).default('marin'),
      instructions: z.string().optional(),
      /** `pmpt_…` names a stored prompt; any other value names a local profile. */
      assistantId: z.string().min(1).optional(),
      /** Wire shape; `temperature` only exists in the beta shape. */
      protocol: z.enum(['ga', 'beta']).default('ga'),
      temperature: z.number().min(0.6).max(1.2).optional(),
    })
    .prefault({}),
  audio: z
    .object({
      inputDevice: z.string().min(1).optional(),
      outputDevice: z.string().min(1).optional(),
      sampleRate: z
        .union([z.literal(8000), z.literal(16000), z.literal(24000), z.literal(48000)])
        .default(24000),
      saveRecordings: z.boolean().default(false),
      recordingsDir: z.string().min(1).default('recordings'),
    })
    .prefault({}),
  turnDetection: z
    .object({
      type: z.enum(['server_vad', 'semantic_vad', 'none']).default('server_vad'),
      threshold: z.number().min(0).max(1).default(0.5),
      silenceMs: z.number().int().min(0).max(10_000).default(500),
      prefixMs: z.number().int().min(0).max(10_000).default(300),
      eagerness: z.enum(['low', 'medium', 'high', 'auto']).default('auto'),
      interruptResponse: z.boolean().default(true),
      createResponse: z.boolean().default(true),
    })
    .prefault({}),
  logging: z
    .object({
      level: z.enum(LOG_LEVELS).default('info'),
      dir: z.string().min(1).default('logs'),
      console: z.enum(['pretty', 'json']).default('pretty'),
      rotateSize: z
        .number()
        .int()
        .min(1024)
        .default(10 * 1024 * 1024),
      rotateCount: z.number().int().min(1).max(100).default(5),
    })
    .prefault({}),
  storage: z
    .object({
      /** Where the SQLite database lives (unless `databaseUrl` names a PostgreSQL server). */
      dataDir: z.string().min(1).default('data'),
      /** `postgres://…`: store in PostgreSQL instead. Holds a password, so it is a secret. */
      databaseUrl: z
        .instanceof(Secret)
        .refine((url) => /^postgres(?:ql)?:\/\//.test(url.reveal()), {
          message: 'a postgres:// or postgresql:// URL',
        })
        .optional(),
    })
    .prefault({}),
  scheduler: z
    .object({
      /** The appointment desk's IANA time zone; unset = this machine's. */
      timeZone: z
        .string()
        .refine(isTimeZone, { message: 'an IANA time zone such as Europe/Berlin' })
        .optional(),
    })
    .prefault({}),
});

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The validated settings. */
export type AppConfig = z.output<typeof AppConfigSchema>;
/** A log level name. */
export type LogLevel = AppConfig['logging']['level'];

/** Where the conversation connects: OpenAI, a given URL, or an engine the caller starts in-process. */
export type ConnectionTarget =
  { kind: 'openai'; url: string } | { kind: 'custom'; url: string } | { kind: 'embedded' };

/** What `api.assistantId` names. */
export type AssistantRef = { kind: 'prompt'; id: string } | { kind: 'profile'; name: string };

/** The connection target the settings select (see {@link ConnectionTarget}). */
export function resolveTarget(config: AppConfig): ConnectionTarget {
  if (config.api.baseUrl) return { kind: 'custom', url: config.api.baseUrl };
  if (config.api.apiKey) return { kind: 'openai', url: OPENAI_REALTIME_URL };
  return { kind: 'embedded' };
}

/** A stored prompt (`pmpt_…`) or a local profile name, or `null` when no assistant id is set. */
export function resolveAssistant(config: AppConfig): AssistantRef | null {
  const id = config.api.assistantId;
  if (id === undefined) return null;
  return id.startsWith('pmpt_') ? { kind: 'prompt', id } : { kind: 'profile', name: id };
}
