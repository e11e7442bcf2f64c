/* eslint-disable @typescript-eslint/no-empty-object-type -- named interfaces over inferred shapes */
/**
 * Responses: the `response.create` parameters a client sends, and the response object servers
 * send in `response.created` / `response.done`, with its usage.
 */
import { z } from 'zod';
import { audioEchoSchemas, audioRequestSchemas } from './audio-config.js';
import { ConversationItemSchema, ResponseInputItemSchema } from './items.js';
import {
  boundedString,
  openString,
  outputModalitiesSchema,
  strictObject,
} from './schema-primitives.js';
import { sessionPartEchoSchemas, sessionPartRequestSchemas } from './session.js';
import { toolRequestSchemas } from './tools.js';

/** Up to 16 string pairs (keys ≤ 64, values ≤ 512 characters), as in the rest of the API. */
const Metadata = z.record(boundedString(64), boundedString(512)).check((ctx) => {
  const n = Object.keys(ctx.value).length;
  if (n > 16) {
    ctx.issues.push({
      code: 'custom',
      message: 'too many keys',
      input: ctx.value,
      params: {
        realtimeCode: 'invalid_value',
        detail: `object has too many properties. Expected an object with at most 16 properties, but got an object with ${n} properties instead.`,
      },
    });
  }
});

const ResponseCreateParamsObject = strictObject({
  audio: strictObject({
    output: strictObject({
      format: audioRequestSchemas.AudioFormat.optional(),
      voice: audioRequestSchemas.Voice.optional(),
    }).optional(),
  }).optional(),
  /** `"auto"` (default conversation) or `"none"` (out-of-band, not written to the conversation). */
  conversation: openString<'auto' | 'none'>().optional(),
  /** Context for this response instead of the conversation: items and item references. */
  input: z.array(ResponseInputItemSchema).optional(),
  instructions: z.string().optional(),
  max_output_tokens: sessionPartRequestSchemas.MaxOutputTokens.optional(),
  metadata: Metadata.nullable().optional(),
  output_modalities: outputModalitiesSchema().optional(),
  parallel_tool_calls: z.boolean().optional(),
  prompt: sessionPartRequestSchemas.Prompt.nullable().optional(),
  reasoning: sessionPartRequestSchemas.Reasoning.optional(),
  tool_choice: toolRequestSchemas.ToolChoice.optional(),
  tools: z.array(toolRequestSchemas.ToolDefinition).optional(),
});
/** The per-response parameters of `response.create`. */
export interface ResponseCreateParams extends z.infer<typeof ResponseCreateParamsObject> {}
/** `response.create` `response`: per-response overrides (all optional). */
export const ResponseCreateParamsSchema: z.ZodType<ResponseCreateParams> =
  ResponseCreateParamsObject;

/** Token usage of a response. */
const UsageObject = z.object({
  total_tokens: z.number().optional(),
  input_tokens: z.number().optional(),
  output_tokens: z.number().optional(),
  input_token_details: z
    .object({
      text_tokens: z.number().optional(),
      audio_tokens: z.number().optional(),
      image_tokens: z.number().optional(),
      cached_tokens: z.number().optional(),
      cached_tokens_details: z
        .object({
          text_tokens: z.number().optional(),
          audio_tokens: z.number().optional(),
          image_tokens: z.number().optional(),
        })
        .optional(),
    })
    .optional(),
  output_token_details: z
    .object({ text_tokens: z.number().optional(), audio_tokens: z.number().optional() })
    .optional(),
});
/** Token usage of a response. */
export interface Usage extends z.infer<typeof UsageObject> {}
/** Token usage of a response. */
export const UsageSchema: z.ZodType<Usage> = UsageObject;

/** The status of a response. */
export const ResponseStatusSchema = z.enum([
  'in_progress',
  'completed',
  'cancelled',
  'failed',
  'incomplete',
]);
/** `in_progress | completed | cancelled | failed | incomplete`. */
export type ResponseStatus = z.infer<typeof ResponseStatusSchema>;

/** Why a response ended the way it did. */
const ResponseStatusDetailsObject = z.object({
  type: z.enum(['completed', 'cancelled', 'incomplete', 'failed']).optional(),
  reason: z
    .enum(['turn_detected', 'client_cancelled', 'max_output_tokens', 'content_filter'])
    .optional(),
  error: z
    .object({ type: z.string().optional(), code: z.string().nullable().optional() })
    .nullable()
    .optional(),
});
/** `{ type, reason?, error? }` of a finished response. */
export interface ResponseStatusDetails extends z.infer<typeof ResponseStatusDetailsObject> {}
/** Why a response ended the way it did. */
export const ResponseStatusDetailsSchema: z.ZodType<ResponseStatusDetails> =
  ResponseStatusDetailsObject;

const ResponseObjectShape = z.object({
  object: z.literal('realtime.response'),
  id: z.string(),
  status: ResponseStatusSchema,
  status_details: ResponseStatusDetailsObject.nullable().optional(),
  output: z.array(ConversationItemSchema),
  /** Null for out-of-band responses (`conversation: "none"`). */
  conversation_id: z.string().nullable().optional(),
  output_modalities: z.array(z.enum(['text', 'audio'])).optional(),
  max_output_tokens: sessionPartEchoSchemas.MaxOutputTokens.optional(),
  audio: z
    .object({
      output: z
        .object({
          format: audioEchoSchemas.AudioFormat.optional(),
          voice: audioEchoSchemas.Voice.optional(),
        })
        .optional(),
    })
    .optional(),
  usage: UsageObject.nullable().optional(),
  metadata: z.record(z.string(), z.string()).nullable().optional(),
});
/** A response as servers send it. */
export interface ResponseObject extends z.infer<typeof ResponseObjectShape> {}
/** The response object of `response.created` / `response.done`. */
export const ResponseObjectSchema: z.ZodType<ResponseObject> = ResponseObjectShape;
