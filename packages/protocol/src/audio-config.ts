/* eslint-disable @typescript-eslint/no-empty-object-type -- named interfaces over inferred shapes */
/**
 * Session audio configuration (GA): formats, turn detection, input transcription, noise
 * reduction and the `audio.input` / `audio.output` objects.
 */
import { z } from 'zod';
import {
  decimal,
  integer,
  lenientObject,
  openString,
  strictObject,
  type ObjectFactory,
} from './schema-primitives.js';

/** The voices the live API names; any other string (or `{ id }`) is accepted too. */
export type KnownVoice =
  'alloy' | 'ash' | 'ballad' | 'coral' | 'echo' | 'sage' | 'shimmer' | 'verse' | 'marin' | 'cedar';

/** Transcription models the live API names. */
export type KnownTranscriptionModel =
  | 'whisper-1'
  | 'gpt-transcribe'
  | 'gpt-live-transcribe'
  | 'gpt-4o-mini-transcribe'
  | 'gpt-4o-mini-transcribe-2025-12-15'
  | 'gpt-4o-transcribe'
  | 'gpt-4o-transcribe-diarize'
  | 'gpt-realtime-whisper';

/** The only PCM rate the API accepts. */
const PCM_RATE = 24000;

/** Builds the audio schemas with the given object flavour (strict or lenient). */
export function buildAudioSchemas(obj: ObjectFactory) {
  const PcmFormat = obj({
    type: z.literal('audio/pcm'),
    // Lower rates → integer_below_min_value, higher → integer_above_max_value, as live.
    rate: integer({ min: PCM_RATE, max: PCM_RATE }).pipe(z.literal(PCM_RATE)).optional(),
  });
  const AudioFormat = z.discriminatedUnion('type', [
    PcmFormat,
    obj({ type: z.literal('audio/pcmu') }),
    obj({ type: z.literal('audio/pcma') }),
  ]);

  const ServerVad = obj({
    type: z.literal('server_vad'),
    threshold: decimal({ min: 0, max: 1 }).optional(),
    prefix_padding_ms: integer({ min: 0 }).optional(),
    silence_duration_ms: integer({ min: 0 }).optional(),
    idle_timeout_ms: integer({ min: 5000, max: 30000 }).nullable().optional(),
    create_response: z.boolean().optional(),
    interrupt_response: z.boolean().optional(),
  });
  const SemanticVad = obj({
    type: z.literal('semantic_vad'),
    eagerness: z.enum(['low', 'medium', 'high', 'auto']).optional(),
    create_response: z.boolean().optional(),
    interrupt_response: z.boolean().optional(),
  });
  const TurnDetection = z.discriminatedUnion('type', [ServerVad, SemanticVad]);

  const AudioTranscription = obj({
    model: openString<KnownTranscriptionModel>().optional(),
    language: z.string().nullable().optional(),
    prompt: z.string().nullable().optional(),
    delay: z.enum(['minimal', 'low', 'medium', 'high', 'xhigh']).optional(),
    keywords: z.array(z.string()).optional(),
    languages: z.array(z.string()).optional(),
  });

  const NoiseReduction = obj({ type: z.enum(['near_field', 'far_field']).optional() });

  const Voice = z.union([openString<KnownVoice>(), obj({ id: z.string() })]);

  const AudioInputConfig = obj({
    format: AudioFormat.optional(),
    transcription: AudioTranscription.nullable().optional(),
    noise_reduction: NoiseReduction.nullable().optional(),
    turn_detection: TurnDetection.nullable().optional(),
  });
  const AudioOutputConfig = obj({
    format: AudioFormat.optional(),
    voice: Voice.optional(),
    speed: decimal({ min: 0.25, max: 1.5 }).optional(),
  });

  return {
    AudioFormat,
    ServerVad,
    SemanticVad,
    TurnDetection,
    AudioTranscription,
    NoiseReduction,
    Voice,
    AudioInputConfig,
    AudioOutputConfig,
  };
}

/** Audio schemas for what clients send (unknown keys rejected). */
export const audioRequestSchemas = buildAudioSchemas(strictObject);
/** Audio schemas for what servers send (unknown keys tolerated). */
export const audioEchoSchemas = buildAudioSchemas(lenientObject);

/** `{type:"audio/pcm", rate:24000}` | `{type:"audio/pcmu"}` | `{type:"audio/pcma"}`. */
export const AudioFormatSchema = audioRequestSchemas.AudioFormat;
/** A GA audio format object. */
export type AudioFormat = z.infer<typeof AudioFormatSchema>;

/** `server_vad` turn detection settings. */
export interface ServerVadTurnDetection extends z.infer<typeof audioRequestSchemas.ServerVad> {}
/** `semantic_vad` turn detection settings. */
export interface SemanticVadTurnDetection extends z.infer<typeof audioRequestSchemas.SemanticVad> {}
/** Turn detection settings (null in a session disables turn detection). */
export type TurnDetection = ServerVadTurnDetection | SemanticVadTurnDetection;
/** `server_vad` or `semantic_vad` turn detection. */
export const TurnDetectionSchema: z.ZodType<TurnDetection> = audioRequestSchemas.TurnDetection;

/** `audio.input.transcription`. */
export interface AudioTranscription extends z.infer<
  typeof audioRequestSchemas.AudioTranscription
> {}
/** `audio.input.noise_reduction`. */
export interface NoiseReduction extends z.infer<typeof audioRequestSchemas.NoiseReduction> {}
/** A voice name (open) or a custom voice `{ id }`. */
export type Voice = KnownVoice | (string & {}) | { id: string };
/** `session.audio.input`. */
export interface AudioInputConfig extends z.infer<typeof audioRequestSchemas.AudioInputConfig> {}
/** `session.audio.output`. */
export interface AudioOutputConfig extends z.infer<typeof audioRequestSchemas.AudioOutputConfig> {}
