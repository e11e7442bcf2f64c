/**
 * The beta (`OpenAI-Beta: realtime=v1`) session shape: flat fields (`modalities`,
 * `input_audio_format: "pcm16"`, flat `turn_detection`, `temperature`, …), its validation with
 * beta param names, and conversion to and from the GA session.
 */
import { z } from 'zod';
import { audioRequestSchemas, type AudioFormat, type TurnDetection } from './audio-config.js';
import { decimal, integer, openString, strictObject } from './schema-primitives.js';
import {
  sessionPartRequestSchemas,
  type AnySession,
  type Modality,
  type RealtimeSessionConfig,
  type TranscriptionSessionConfig,
} from './session.js';
import { toolRequestSchemas } from './tools.js';

/** The beta format names and their GA objects. */
const BETA_FORMATS = {
  pcm16: { type: 'audio/pcm', rate: 24000 },
  g711_ulaw: { type: 'audio/pcmu' },
  g711_alaw: { type: 'audio/pcma' },
} as const satisfies Record<string, AudioFormat>;

/** `pcm16 | g711_ulaw | g711_alaw`. */
export type BetaAudioFormat = keyof typeof BETA_FORMATS;
const BetaAudioFormatSchema = z.enum(['pcm16', 'g711_ulaw', 'g711_alaw']);

/** The GA format object for a beta format name. */
export function betaFormatToGA(format: BetaAudioFormat): AudioFormat {
  return { ...BETA_FORMATS[format] };
}

/** The beta format name for a GA format object. */
export function gaFormatToBeta(format: AudioFormat): BetaAudioFormat {
  switch (format.type) {
    case 'audio/pcm':
      return 'pcm16';
    case 'audio/pcmu':
      return 'g711_ulaw';
    case 'audio/pcma':
      return 'g711_alaw';
  }
}

/** The beta flat turn detection (one object for both VAD kinds; `type` defaults to server_vad). */
const BetaTurnDetectionSchema = strictObject({
  type: z.enum(['server_vad', 'semantic_vad']).optional(),
  threshold: decimal({ min: 0, max: 1 }).optional(),
  prefix_padding_ms: integer({ min: 0 }).optional(),
  silence_duration_ms: integer({ min: 0 }).optional(),
  idle_timeout_ms: integer({ min: 5000, max: 30000 }).nullable().optional(),
  create_response: z.boolean().optional(),
  interrupt_response: z.boolean().optional(),
  eagerness: z.enum(['low', 'medium', 'high', 'auto']).optional(),
});
/** A beta `turn_detection`. */
export type BetaTurnDetection = z.infer<typeof BetaTurnDetectionSchema>;

const betaModalities = z.array(z.enum(['text', 'audio']));
const betaCommon = {
  input_audio_format: BetaAudioFormatSchema.optional(),
  input_audio_transcription: audioRequestSchemas.AudioTranscription.nullable().optional(),
  input_audio_noise_reduction: audioRequestSchemas.NoiseReduction.nullable().optional(),
  turn_detection: BetaTurnDetectionSchema.nullable().optional(),
  include: z.array(z.string()).nullable().optional(),
  modalities: betaModalities.optional(),
  /** REST-only; accepted and ignored on the WebSocket. */
  client_secret: z.looseObject({}).optional(),
};

/** The `session` of a beta `session.update`. */
export const BetaSessionUpdateSchema = strictObject({
  ...betaCommon,
  model: openString().optional(),
  instructions: z.string().optional(),
  voice: audioRequestSchemas.Voice.optional(),
  output_audio_format: BetaAudioFormatSchema.optional(),
  tools: z.array(toolRequestSchemas.ToolDefinition).optional(),
  tool_choice: toolRequestSchemas.ToolChoice.optional(),
  temperature: decimal({ min: 0.6, max: 1.2 }).optional(),
  max_response_output_tokens: sessionPartRequestSchemas.MaxOutputTokens.optional(),
  speed: decimal({ min: 0.25, max: 1.5 }).optional(),
  tracing: sessionPartRequestSchemas.Tracing.nullable().optional(),
  prompt: sessionPartRequestSchemas.Prompt.nullable().optional(),
});
/** A beta session config as a beta client sends it. */
export type BetaSessionUpdate = z.infer<typeof BetaSessionUpdateSchema>;

/** The `session` of a beta `transcription_session.update`. */
export const BetaTranscriptionSessionUpdateSchema = strictObject(betaCommon);
/** A beta transcription session config. */
export type BetaTranscriptionSessionUpdate = z.infer<typeof BetaTranscriptionSessionUpdateSchema>;

/** Beta values the GA shape has no slot for, kept so a server can echo them back. */
export interface BetaExtras {
  /** Beta-only sampling temperature (0.6–1.2). */
  temperature?: number;
  /** The beta `modalities` exactly as sent (GA keeps only `["audio"]` or `["text"]`). */
  modalities?: Modality[];
  /** The REST-only `client_secret` settings. */
  client_secret?: Record<string, unknown>;
}

/** Beta `modalities` → GA `output_modalities` (audio output always carries a transcript). */
export function betaModalitiesToGA(modalities: readonly Modality[]): ['audio'] | ['text'] {
  return modalities.includes('audio') ? ['audio'] : ['text'];
}

/** GA `output_modalities` → beta `modalities` (`["audio"]` is `["text","audio"]` in beta). */
export function gaModalitiesToBeta(modalities: readonly Modality[] | undefined): Modality[] {
  return modalities?.includes('audio') === false ? ['text'] : ['text', 'audio'];
}

/** Beta flat turn detection → GA turn detection (fields of the other VAD kind are dropped). */
export function betaTurnDetectionToGA(td: BetaTurnDetection | null): TurnDetection | null {
  if (td === null) return null;
  if (td.type === 'semantic_vad') {
    const { eagerness, create_response, interrupt_response } = td;
    return definedOnly({
      type: 'semantic_vad' as const,
      eagerness,
      create_response,
      interrupt_response,
    });
  }
  const { threshold, prefix_padding_ms, silence_duration_ms, idle_timeout_ms } = td;
  const { create_response, interrupt_response } = td;
  return definedOnly({
    type: 'server_vad' as const,
    threshold,
    prefix_padding_ms,
    silence_duration_ms,
    idle_timeout_ms,
    create_response,
    interrupt_response,
  });
}

/** A copy of `value` without its `undefined` fields. */
export function definedOnly<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = v;
  return out as T;
}

function betaInputToGA(beta: BetaTranscriptionSessionUpdate) {
  return definedOnly({
    format:
      beta.input_audio_format === undefined ? undefined : betaFormatToGA(beta.input_audio_format),
    transcription: beta.input_audio_transcription,
    noise_reduction: beta.input_audio_noise_reduction,
    turn_detection:
      beta.turn_detection === undefined ? undefined : betaTurnDetectionToGA(beta.turn_detection),
  });
}

function extrasOf(beta: BetaTranscriptionSessionUpdate & { temperature?: number }): BetaExtras {
  return definedOnly({
    temperature: beta.temperature,
    modalities: beta.modalities,
    client_secret: beta.client_secret,
  });
}

function isEmpty(value: object): boolean {
  return Object.keys(value).length === 0;
}

/** Converts a beta `session.update` session to the GA `realtime` session config. */
export function betaSessionToGA(beta: BetaSessionUpdate): {
  session: RealtimeSessionConfig;
  extras: BetaExtras;
} {
  const input = betaInputToGA(beta);
  const output = definedOnly({
    format:
      beta.output_audio_format === undefined ? undefined : betaFormatToGA(beta.output_audio_format),
    voice: beta.voice,
    speed: beta.speed,
  });
  const audio = definedOnly({
    input: isEmpty(input) ? undefined : input,
    output: isEmpty(output) ? undefined : output,
  });
  const session: RealtimeSessionConfig = definedOnly({
    type: 'realtime' as const,
    model: beta.model,
    output_modalities:
      beta.modalities === undefined || beta.modalities.length === 0
        ? undefined
        : betaModalitiesToGA(beta.modalities),
    instructions: beta.instructions,
    audio: isEmpty(audio) ? undefined : audio,
    tools: beta.tools,
    tool_choice: beta.tool_choice,
    max_output_tokens: beta.max_response_output_tokens,
    tracing: beta.tracing,
    prompt: beta.prompt,
    include: beta.include as RealtimeSessionConfig['include'],
  });
  return { session, extras: extrasOf(beta) };
}

/** Converts a beta `transcription_session.update` session to the GA `transcription` config. */
export function betaTranscriptionSessionToGA(beta: BetaTranscriptionSessionUpdate): {
  session: TranscriptionSessionConfig;
  extras: BetaExtras;
} {
  const input = betaInputToGA(beta);
  const session: TranscriptionSessionConfig = definedOnly({
    type: 'transcription' as const,
    audio: isEmpty(input) ? undefined : { input },
    include: beta.include as TranscriptionSessionConfig['include'],
  });
  return { session, extras: extrasOf(beta) };
}

/** A session as a beta server echoes it (`session.created` / `session.updated`). */
export interface BetaSession {
  object: 'realtime.session';
  id: string;
  model?: string;
  expires_at?: number;
  modalities: Modality[];
  instructions?: string;
  voice?: unknown;
  input_audio_format: BetaAudioFormat;
  output_audio_format: BetaAudioFormat;
  input_audio_transcription: unknown;
  input_audio_noise_reduction?: unknown;
  turn_detection: BetaTurnDetection | null;
  tools?: unknown[];
  tool_choice?: unknown;
  temperature: number;
  max_response_output_tokens?: number | 'inf';
  speed?: number;
  tracing?: unknown;
  prompt?: unknown;
  include?: unknown;
}

/** A transcription session as a beta server echoes it. */
export interface BetaTranscriptionSession {
  object: 'realtime.transcription_session';
  id: string;
  expires_at?: number;
  modalities: Modality[];
  input_audio_format: BetaAudioFormat;
  input_audio_transcription: unknown;
  input_audio_noise_reduction?: unknown;
  turn_detection: BetaTurnDetection | null;
  include?: unknown;
}

/** The beta default temperature, echoed when the client set none. */
export const BETA_DEFAULT_TEMPERATURE = 0.8;

/**
 * Converts a GA session echo to the beta echo shape, for `session.created/updated` (or
 * `transcription_session.*`) sent to a beta client. `extras` restores beta-only values.
 */
export function gaSessionToBeta(
  session: AnySession,
  extras: BetaExtras = {},
): BetaSession | BetaTranscriptionSession {
  const input = session.audio?.input;
  const common = {
    id: session.id,
    expires_at: session.expires_at,
    input_audio_format: input?.format === undefined ? 'pcm16' : gaFormatToBeta(input.format),
    input_audio_transcription: input?.transcription ?? null,
    input_audio_noise_reduction: input?.noise_reduction ?? null,
    turn_detection: (input?.turn_detection ?? null) as BetaTurnDetection | null,
    include: session.include ?? null,
  } as const;
  if (session.type === 'transcription') {
    return definedOnly({
      object: 'realtime.transcription_session',
      ...common,
      modalities: extras.modalities ?? ['text'],
    });
  }
  const output = session.audio?.output;
  return definedOnly({
    object: 'realtime.session',
    ...common,
    model: session.model,
    modalities: extras.modalities ?? gaModalitiesToBeta(session.output_modalities),
    instructions: session.instructions,
    voice: output?.voice,
    output_audio_format: output?.format === undefined ? 'pcm16' : gaFormatToBeta(output.format),
    tools: session.tools,
    tool_choice: session.tool_choice,
    temperature: extras.temperature ?? BETA_DEFAULT_TEMPERATURE,
    max_response_output_tokens: session.max_output_tokens,
    speed: output?.speed,
    tracing: session.tracing,
    prompt: session.prompt,
  });
}
