/**
 * Beta items and responses: one flat item shape with assistant parts `text` / `audio` (GA:
 * `output_text` / `output_audio`), the beta `response.create` parameters, and conversions.
 */
import { z } from 'zod';
import { audioRequestSchemas } from './audio-config.js';
import {
  betaFormatToGA,
  betaModalitiesToGA,
  definedOnly,
  gaFormatToBeta,
  gaModalitiesToBeta,
  type BetaAudioFormat,
  type BetaExtras,
} from './beta-session.js';
import type { ConversationItem, ConversationItemInput, ResponseInputItem } from './items.js';
import type { ResponseCreateParams, ResponseObject } from './response.js';
import { decimal, openString, strictObject } from './schema-primitives.js';
import { sessionPartRequestSchemas, type Modality } from './session.js';
import { toolRequestSchemas } from './tools.js';

const BetaContentPartSchema = strictObject({
  type: z.enum(['input_text', 'input_audio', 'item_reference', 'text', 'audio']),
  text: z.string().optional(),
  audio: z.string().optional(),
  transcript: z.string().nullable().optional(),
  id: z.string().optional(),
});
/** A beta content part. */
export type BetaContentPart = z.infer<typeof BetaContentPartSchema>;

const betaItemShape = {
  id: z.string().optional(),
  object: z.literal('realtime.item').optional(),
  status: z.enum(['completed', 'incomplete', 'in_progress']).optional(),
  role: z.enum(['user', 'assistant', 'system']).optional(),
  content: z.array(BetaContentPartSchema).optional(),
  call_id: z.string().optional(),
  name: z.string().optional(),
  arguments: z.string().optional(),
  output: z.string().optional(),
};

/** A beta item as a client creates it (every field optional, `type` inferred when absent). */
export const BetaConversationItemSchema = strictObject({
  ...betaItemShape,
  type: z.enum(['message', 'function_call', 'function_call_output']).optional(),
});
/** A beta conversation item. */
export type BetaConversationItem = z.infer<typeof BetaConversationItemSchema>;

const BetaResponseInputItemSchema = strictObject({
  ...betaItemShape,
  type: z.enum(['message', 'function_call', 'function_call_output', 'item_reference']).optional(),
});
/** A beta `response.input` entry (an item or an item reference). */
export type BetaResponseInputItem = z.infer<typeof BetaResponseInputItemSchema>;

/** The `response` of a beta `response.create`. */
export const BetaResponseCreateParamsSchema = strictObject({
  modalities: z.array(z.enum(['text', 'audio'])).optional(),
  instructions: z.string().optional(),
  voice: audioRequestSchemas.Voice.optional(),
  output_audio_format: z.enum(['pcm16', 'g711_ulaw', 'g711_alaw']).optional(),
  tools: z.array(toolRequestSchemas.ToolDefinition).optional(),
  tool_choice: toolRequestSchemas.ToolChoice.optional(),
  temperature: decimal({ min: 0.6, max: 1.2 }).optional(),
  max_response_output_tokens: sessionPartRequestSchemas.MaxOutputTokens.optional(),
  conversation: openString<'auto' | 'none'>().optional(),
  metadata: z.record(z.string(), z.string()).nullable().optional(),
  input: z.array(BetaResponseInputItemSchema).optional(),
  prompt: sessionPartRequestSchemas.Prompt.nullable().optional(),
});
/** Beta per-response parameters. */
export type BetaResponseCreateParams = z.infer<typeof BetaResponseCreateParamsSchema>;

function inferType(item: BetaResponseInputItem): NonNullable<BetaResponseInputItem['type']> {
  if (item.type !== undefined) return item.type;
  if (item.role !== undefined || item.content !== undefined) return 'message';
  if (item.output !== undefined) return 'function_call_output';
  if (item.name !== undefined || item.arguments !== undefined) return 'function_call';
  return item.id !== undefined ? 'item_reference' : 'message';
}

function partToGA(part: BetaContentPart, role: 'user' | 'assistant' | 'system'): unknown {
  const { type, text, audio, transcript } = part;
  if (role === 'assistant') {
    if (type === 'audio' || type === 'input_audio') {
      return definedOnly({ type: 'output_audio', audio, transcript });
    }
    return { type: 'output_text', text: text ?? '' };
  }
  if (type === 'input_audio' || type === 'audio') {
    return definedOnly({ type: 'input_audio', audio, transcript });
  }
  return { type: 'input_text', text: text ?? '' };
}

/**
 * Converts a beta item to the GA item shape. The result is not validated here: GA validation of
 * the converted event reports what is missing (e.g. `item.name`).
 */
export function betaItemToGA(item: BetaResponseInputItem): ResponseInputItem {
  const { id, object, status } = item;
  const type = inferType(item);
  switch (type) {
    case 'item_reference':
      return { type, id: id ?? '' };
    case 'function_call':
      return definedOnly({
        type,
        id,
        object,
        status,
        call_id: item.call_id,
        name: item.name as string,
        arguments: item.arguments ?? '',
      });
    case 'function_call_output':
      return definedOnly({
        type,
        id,
        object,
        status,
        call_id: item.call_id as string,
        output: item.output as string,
      });
    case 'message': {
      const role = item.role ?? 'user';
      const content = (item.content ?? [])
        .filter((part) => part.type !== 'item_reference')
        .map((part) => partToGA(part, role));
      return definedOnly({ type, role, id, object, status, content }) as ConversationItemInput;
    }
  }
}

/** A beta item as a beta server sends it. */
export interface BetaItem {
  type: string;
  id?: string;
  [key: string]: unknown;
}

/** Converts a GA item to the beta shape: assistant `output_text`/`output_audio` → `text`/`audio`. */
export function gaItemToBeta(item: ConversationItem): BetaItem {
  if (item.type !== 'message' || item.role !== 'assistant') return { ...item };
  return {
    ...item,
    content: item.content.map((part) => {
      if (part.type === 'output_text') return { ...part, type: 'text' };
      if (part.type === 'output_audio') return { ...part, type: 'audio' };
      return { ...part };
    }),
  };
}

/** Converts a beta `response.create` `response` to GA, keeping beta-only values in `extras`. */
export function betaResponseToGA(beta: BetaResponseCreateParams): {
  response: ResponseCreateParams;
  extras: BetaExtras;
} {
  const output = definedOnly({
    voice: beta.voice,
    format:
      beta.output_audio_format === undefined ? undefined : betaFormatToGA(beta.output_audio_format),
  });
  const response: ResponseCreateParams = definedOnly({
    output_modalities:
      beta.modalities === undefined || beta.modalities.length === 0
        ? undefined
        : betaModalitiesToGA(beta.modalities),
    instructions: beta.instructions,
    audio: Object.keys(output).length === 0 ? undefined : { output },
    tools: beta.tools,
    tool_choice: beta.tool_choice,
    max_output_tokens: beta.max_response_output_tokens,
    conversation: beta.conversation,
    metadata: beta.metadata,
    prompt: beta.prompt,
    input: beta.input?.map(betaItemToGA),
  });
  return {
    response,
    extras: definedOnly({ temperature: beta.temperature, modalities: beta.modalities }),
  };
}

/** A response as a beta server sends it. */
export interface BetaResponse {
  object: 'realtime.response';
  id: string;
  status: ResponseObject['status'];
  status_details?: ResponseObject['status_details'];
  output: BetaItem[];
  conversation_id?: string | null;
  modalities?: Modality[];
  voice?: unknown;
  output_audio_format?: BetaAudioFormat;
  temperature?: number;
  /** The beta response object keeps the GA name (only `response.create` used the long one). */
  max_output_tokens?: number | 'inf';
  usage?: ResponseObject['usage'];
  metadata?: ResponseObject['metadata'];
}

/** Converts a GA response object to the beta shape. */
export function gaResponseToBeta(response: ResponseObject, extras: BetaExtras = {}): BetaResponse {
  const output = response.audio?.output;
  return definedOnly({
    object: response.object,
    id: response.id,
    status: response.status,
    status_details: response.status_details,
    output: response.output.map(gaItemToBeta),
    conversation_id: response.conversation_id,
    modalities:
      response.output_modalities === undefined
        ? undefined
        : (extras.modalities ?? gaModalitiesToBeta(response.output_modalities)),
    voice: output?.voice,
    output_audio_format: output?.format === undefined ? undefined : gaFormatToBeta(output.format),
    temperature: extras.temperature,
    max_output_tokens: response.max_output_tokens,
    usage: response.usage,
    metadata: response.metadata,
  });
}
