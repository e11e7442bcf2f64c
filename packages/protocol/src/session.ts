/* eslint-disable @typescript-eslint/no-empty-object-type -- named interfaces over inferred shapes */
/**
 * The GA session object: what a client sends in `session.update` (`realtime` or `transcription`,
 * every field optional but `type`) and what servers echo in `session.created` / `session.updated`.
 */
import { z } from 'zod';
import { audioEchoSchemas, audioRequestSchemas } from './audio-config.js';
import {
  decimal,
  integer,
  lenientObject,
  openString,
  outputModalitiesSchema,
  strictObject,
  type ObjectFactory,
} from './schema-primitives.js';
import { toolEchoSchemas, toolRequestSchemas } from './tools.js';

/** Realtime models the live API names; any other string is accepted. */
export type KnownRealtimeModel =
  | 'gpt-realtime'
  | 'gpt-realtime-1.5'
  | 'gpt-realtime-2'
  | 'gpt-realtime-2.1'
  | 'gpt-realtime-2.1-mini'
  | 'gpt-realtime-2025-08-28'
  | 'gpt-realtime-mini'
  | 'gpt-realtime-mini-2025-10-06'
  | 'gpt-realtime-mini-2025-12-15'
  | 'gpt-4o-realtime-preview'
  | 'gpt-4o-mini-realtime-preview'
  | 'gpt-audio-1.5'
  | 'gpt-audio-mini';

/** Builds the schemas shared by sessions and responses with the given object flavour. */
export function buildSessionPartSchemas(obj: ObjectFactory) {
  const Prompt = obj({
    id: z.string(),
    version: z.string().nullable().optional(),
    variables: z.record(z.string(), z.unknown()).nullable().optional(),
  });
  const Tracing = z.union([
    z.literal('auto'),
    obj({
      workflow_name: z.string().optional(),
      group_id: z.string().optional(),
      metadata: z.unknown().optional(),
    }),
  ]);
  const Truncation = z.union([
    z.enum(['auto', 'disabled']),
    obj({
      type: z.literal('retention_ratio'),
      retention_ratio: decimal({ min: 0, max: 1 }),
      token_limits: obj({ post_instructions: integer({ min: 0 }).optional() }).optional(),
    }),
  ]);
  const Reasoning = obj({
    effort: z.enum(['minimal', 'low', 'medium', 'high', 'xhigh']).optional(),
  });
  const Include = z.array(z.enum(['item.input_audio_transcription.logprobs']));
  const MaxOutputTokens = z.union([integer({ min: 1, max: 4096 }), z.literal('inf')]);
  return { Prompt, Tracing, Truncation, Reasoning, Include, MaxOutputTokens };
}

/** Session-part schemas for what clients send. */
export const sessionPartRequestSchemas = buildSessionPartSchemas(strictObject);
/** Session-part schemas for what servers send. */
export const sessionPartEchoSchemas = buildSessionPartSchemas(lenientObject);

type AudioSchemas = typeof audioRequestSchemas;
type ToolSchemas = typeof toolRequestSchemas;
type PartSchemas = typeof sessionPartRequestSchemas;

/** Builds the `realtime` and `transcription` session config schemas (every field optional). */
function buildSessionConfigSchemas(
  obj: ObjectFactory,
  audio: AudioSchemas,
  tools: ToolSchemas,
  parts: PartSchemas,
) {
  const RealtimeSessionConfig = obj({
    type: z.literal('realtime'),
    model: openString<KnownRealtimeModel>().optional(),
    output_modalities: outputModalitiesSchema().optional(),
    instructions: z.string().optional(),
    audio: obj({
      input: audio.AudioInputConfig.optional(),
      output: audio.AudioOutputConfig.optional(),
    }).optional(),
    include: parts.Include.nullable().optional(),
    max_output_tokens: parts.MaxOutputTokens.optional(),
    prompt: parts.Prompt.nullable().optional(),
    reasoning: parts.Reasoning.optional(),
    parallel_tool_calls: z.boolean().optional(),
    tool_choice: tools.ToolChoice.optional(),
    tools: z.array(tools.ToolDefinition).optional(),
    tracing: parts.Tracing.nullable().optional(),
    truncation: parts.Truncation.optional(),
  });
  const TranscriptionSessionConfig = obj({
    type: z.literal('transcription'),
    audio: obj({ input: audio.AudioInputConfig.optional() }).optional(),
    include: parts.Include.nullable().optional(),
  });
  return { RealtimeSessionConfig, TranscriptionSessionConfig };
}

const requestConfigs = buildSessionConfigSchemas(
  strictObject,
  audioRequestSchemas,
  toolRequestSchemas,
  sessionPartRequestSchemas,
);
const echoConfigs = buildSessionConfigSchemas(
  lenientObject,
  audioEchoSchemas,
  toolEchoSchemas,
  sessionPartEchoSchemas,
);

/** A `realtime` session config as a client sends it (only `type` required). */
export const RealtimeSessionConfigSchema = requestConfigs.RealtimeSessionConfig;
/** A `realtime` session config as a client sends it in `session.update`. */
export interface RealtimeSessionConfig extends z.infer<typeof RealtimeSessionConfigSchema> {}
/** A `transcription` session config as a client sends it (only `type` required). */
export const TranscriptionSessionConfigSchema = requestConfigs.TranscriptionSessionConfig;
/** A `transcription` session config as a client sends it in `session.update`. */
export interface TranscriptionSessionConfig extends z.infer<
  typeof TranscriptionSessionConfigSchema
> {}

/** The partial session a client sends in `session.update`, discriminated on `type`. */
export type SessionUpdate = RealtimeSessionConfig | TranscriptionSessionConfig;
/** The `session` of a `session.update`: discriminated on `type` (`realtime` | `transcription`). */
export const SessionUpdateSchema: z.ZodType<SessionUpdate> = z.discriminatedUnion('type', [
  RealtimeSessionConfigSchema,
  TranscriptionSessionConfigSchema,
]);

const { AudioInputConfig: EchoAudioInput, AudioOutputConfig: EchoAudioOutput } = audioEchoSchemas;

/** A `realtime` session as servers echo it; fields newer or older servers may omit are optional. */
export const RealtimeSessionSchema = echoConfigs.RealtimeSessionConfig.extend({
  object: z.literal('realtime.session'),
  id: z.string(),
  expires_at: z.number().optional(),
});
/** A `realtime` session as servers send it in `session.created` / `session.updated`. */
export interface RealtimeSession extends z.infer<typeof RealtimeSessionSchema> {}

/** A `transcription` session as servers echo it. */
export const TranscriptionSessionSchema = echoConfigs.TranscriptionSessionConfig.extend({
  object: z.literal('realtime.transcription_session'),
  id: z.string(),
  expires_at: z.number().optional(),
});
/** A `transcription` session as servers send it. */
export interface TranscriptionSession extends z.infer<typeof TranscriptionSessionSchema> {}

/** Either echoed session, discriminated on `type`. */
export type AnySession = RealtimeSession | TranscriptionSession;
/** Either echoed session, discriminated on `type`. */
export const AnySessionSchema: z.ZodType<AnySession> = z.discriminatedUnion('type', [
  RealtimeSessionSchema,
  TranscriptionSessionSchema,
]);

/**
 * A `realtime` session with every field the live server echoes present: the effective
 * configuration a server holds and sends (see `defaultRealtimeSession`).
 */
export const ResolvedRealtimeSessionSchema = RealtimeSessionSchema.extend({
  model: z.string(),
  output_modalities: outputModalitiesSchema(),
  instructions: z.string(),
  audio: lenientObject({
    input: EchoAudioInput.required(),
    output: EchoAudioOutput.required(),
  }),
  include: sessionPartEchoSchemas.Include.nullable(),
  max_output_tokens: sessionPartEchoSchemas.MaxOutputTokens,
  prompt: sessionPartEchoSchemas.Prompt.nullable(),
  tool_choice: toolEchoSchemas.ToolChoice,
  tools: z.array(toolEchoSchemas.ToolDefinition),
  tracing: sessionPartEchoSchemas.Tracing.nullable(),
  truncation: sessionPartEchoSchemas.Truncation,
  expires_at: z.number(),
});
/** A complete `realtime` session (every echoed field present). */
export interface ResolvedRealtimeSession extends z.infer<typeof ResolvedRealtimeSessionSchema> {}

/** A `transcription` session with every echoed field present. */
export const ResolvedTranscriptionSessionSchema = TranscriptionSessionSchema.extend({
  audio: lenientObject({ input: EchoAudioInput.required() }),
  include: sessionPartEchoSchemas.Include.nullable(),
  expires_at: z.number(),
});
/** A complete `transcription` session. */
export interface ResolvedTranscriptionSession extends z.infer<
  typeof ResolvedTranscriptionSessionSchema
> {}

/** `"auto"`, `{ workflow_name?, group_id?, metadata? }` (null in a session: off). */
export type Tracing = z.infer<typeof sessionPartRequestSchemas.Tracing>;
/** `"auto" | "disabled" | { type: "retention_ratio", retention_ratio, token_limits? }`. */
export type Truncation = z.infer<typeof sessionPartRequestSchemas.Truncation>;
/** A stored prompt reference `{ id, version?, variables? }`. */
export type Prompt = z.infer<typeof sessionPartRequestSchemas.Prompt>;
/** 1–4096 or `"inf"`. */
export type MaxOutputTokens = z.infer<typeof sessionPartRequestSchemas.MaxOutputTokens>;
/** `"text"` or `"audio"`. */
export type Modality = 'text' | 'audio';
