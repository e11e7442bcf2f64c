/**
 * GA → beta client events: what a GA client (e.g. the agents SDK) sends, reshaped for a server
 * that speaks the beta (`OpenAI-Beta: realtime=v1`) shape. The inverse of `betaClientEventToGA`.
 */
import type { z } from 'zod';
import type { TurnDetection } from './audio-config.js';
import {
  BetaConversationItemCreateEventSchema,
  BetaResponseCreateEventSchema,
  BetaSessionUpdateEventSchema,
  BetaTranscriptionSessionUpdateEventSchema,
} from './beta-events.js';
import type { BetaResponseCreateParams, BetaResponseInputItem } from './beta-items.js';
import {
  definedOnly,
  gaFormatToBeta,
  gaModalitiesToBeta,
  type BetaExtras,
  type BetaSessionUpdate,
  type BetaTranscriptionSessionUpdate,
  type BetaTurnDetection,
} from './beta-session.js';
import type { ClientEvent } from './client-events.js';
import type { ResponseInputItem } from './items.js';
import {
  parseClientEvent,
  validateWithSchema,
  type ClientEventError,
  type ParseResult,
} from './parse-client-event.js';
import type { ResponseCreateParams } from './response.js';
import type { RealtimeSessionConfig, TranscriptionSessionConfig } from './session.js';

type Reshaped = 'session.update' | 'response.create' | 'conversation.item.create';

/** A client event in the beta shape (events beta spells like GA are the GA ones). */
export type BetaClientEvent =
  | z.infer<typeof BetaSessionUpdateEventSchema>
  | z.infer<typeof BetaTranscriptionSessionUpdateEventSchema>
  | z.infer<typeof BetaResponseCreateEventSchema>
  | z.infer<typeof BetaConversationItemCreateEventSchema>
  | Exclude<ClientEvent, { type: Reshaped }>;

/** The outcome of {@link gaClientEventToBeta}. */
export type GaClientEventToBetaResult =
  { ok: true; event: BetaClientEvent } | { ok: false; error: ClientEventError };

/** Options of {@link gaClientEventToBeta}. */
export interface GaClientEventToBetaOptions {
  /**
   * Beta-only values to add: `temperature` goes into every realtime `session.update` (GA has no
   * slot for it), `modalities` replaces the one derived from `output_modalities`.
   */
  extras?: Pick<BetaExtras, 'temperature' | 'modalities'>;
}

/** GA turn detection → the beta flat one (the field names are the same; `null` turns VAD off). */
function gaTurnDetectionToBeta(
  td: TurnDetection | null | undefined,
): BetaTurnDetection | null | undefined {
  if (td === undefined || td === null) return td;
  return { ...td };
}

function gaInputToBeta(
  input: NonNullable<TranscriptionSessionConfig['audio']>['input'],
): BetaTranscriptionSessionUpdate {
  if (input === undefined) return {};
  return definedOnly({
    input_audio_format: input.format === undefined ? undefined : gaFormatToBeta(input.format),
    input_audio_transcription: input.transcription,
    input_audio_noise_reduction: input.noise_reduction,
    turn_detection: gaTurnDetectionToBeta(input.turn_detection),
  });
}

/**
 * Converts a GA `realtime` session config (as a client sends it in `session.update`) to the beta
 * flat session. GA-only fields with no beta slot (`type`, `truncation`, `reasoning`,
 * `parallel_tool_calls`) are left out; `extras.temperature` is added.
 */
export function gaSessionConfigToBeta(
  session: RealtimeSessionConfig,
  extras: GaClientEventToBetaOptions['extras'] = {},
): BetaSessionUpdate {
  const output = session.audio?.output;
  return definedOnly({
    ...gaInputToBeta(session.audio?.input),
    model: session.model,
    modalities:
      extras.modalities ??
      (session.output_modalities === undefined
        ? undefined
        : gaModalitiesToBeta(session.output_modalities)),
    instructions: session.instructions,
    voice: output?.voice,
    output_audio_format: output?.format === undefined ? undefined : gaFormatToBeta(output.format),
    speed: output?.speed,
    tools: session.tools,
    tool_choice: session.tool_choice,
    temperature: extras.temperature,
    max_response_output_tokens: session.max_output_tokens,
    tracing: session.tracing,
    prompt: session.prompt,
    include: session.include,
  });
}

/** Converts a GA `transcription` session config to the beta `transcription_session.update` one. */
export function gaTranscriptionSessionConfigToBeta(
  session: TranscriptionSessionConfig,
): BetaTranscriptionSessionUpdate {
  return definedOnly({ ...gaInputToBeta(session.audio?.input), include: session.include });
}

/**
 * Converts a GA item (or `item_reference`) a client sends to the beta flat item: assistant
 * `output_text` / `output_audio` parts become `text` / `audio`. Parts beta has no name for
 * (`input_image`) are kept as they are, so validation of the beta event names them.
 */
export function gaItemInputToBeta(item: ResponseInputItem): BetaResponseInputItem {
  if (item.type !== 'message' || item.role !== 'assistant')
    return { ...item } as BetaResponseInputItem;
  return {
    ...item,
    content: item.content.map((part) => {
      if (part.type === 'output_text') return { type: 'text', text: part.text };
      return definedOnly({
        type: 'audio' as const,
        audio: part.audio,
        transcript: part.transcript,
      });
    }),
  };
}

/**
 * Converts GA `response.create` parameters to the beta ones (`output_modalities` → `modalities`,
 * `audio.output` → `voice` / `output_audio_format`, `max_output_tokens` →
 * `max_response_output_tokens`). `reasoning` and `parallel_tool_calls` have no beta slot.
 */
export function gaResponseCreateToBeta(
  response: ResponseCreateParams,
  extras: GaClientEventToBetaOptions['extras'] = {},
): BetaResponseCreateParams {
  const output = response.audio?.output;
  return definedOnly({
    modalities:
      response.output_modalities === undefined
        ? undefined
        : (extras.modalities ?? gaModalitiesToBeta(response.output_modalities)),
    instructions: response.instructions,
    voice: output?.voice,
    output_audio_format: output?.format === undefined ? undefined : gaFormatToBeta(output.format),
    tools: response.tools,
    tool_choice: response.tool_choice,
    max_response_output_tokens: response.max_output_tokens,
    conversation: response.conversation,
    metadata: response.metadata,
    prompt: response.prompt,
    input: response.input?.map(gaItemInputToBeta),
  });
}

function checked<T extends BetaClientEvent>(
  schema: z.ZodType<T>,
  value: object,
  eventId: string | null,
): GaClientEventToBetaResult {
  const result: ParseResult<T> = validateWithSchema(schema, value, { eventId });
  return result.ok ? { ok: true, event: result.value } : result;
}

/**
 * Validates a GA client event (text or a decoded value) and converts it to the beta shape, ready
 * for a beta server: `session.update` flattened (`transcription_session.update` for a
 * transcription session), beta items and `response.create` parameters; every other event is the
 * same in both shapes. Errors are GA-validation errors, or beta-validation errors (beta param
 * names) for values beta cannot carry. Never throws.
 */
export function gaClientEventToBeta(
  input: unknown,
  options: GaClientEventToBetaOptions = {},
): GaClientEventToBetaResult {
  const parsed = parseClientEvent(input);
  if (!parsed.ok) return parsed;
  const event = parsed.event;
  const extras = options.extras ?? {};
  const eventId = event.event_id ?? null;
  const id = event.event_id === undefined ? {} : { event_id: event.event_id };
  try {
    switch (event.type) {
      case 'session.update': {
        if (event.session.type === 'transcription') {
          const session = gaTranscriptionSessionConfigToBeta(event.session);
          return checked(
            BetaTranscriptionSessionUpdateEventSchema,
            { type: 'transcription_session.update', ...id, session },
            eventId,
          );
        }
        const session = gaSessionConfigToBeta(event.session, extras);
        return checked(BetaSessionUpdateEventSchema, { ...event, session }, eventId);
      }
      case 'response.create': {
        if (event.response === undefined)
          return checked(BetaResponseCreateEventSchema, event, eventId);
        const response = gaResponseCreateToBeta(event.response, extras);
        return checked(BetaResponseCreateEventSchema, { ...event, response }, eventId);
      }
      case 'conversation.item.create': {
        const item = gaItemInputToBeta(event.item);
        return checked(BetaConversationItemCreateEventSchema, { ...event, item }, eventId);
      }
      case 'input_audio_buffer.append':
      case 'input_audio_buffer.commit':
      case 'input_audio_buffer.clear':
      case 'conversation.item.retrieve':
      case 'conversation.item.truncate':
      case 'conversation.item.delete':
      case 'response.cancel':
      case 'output_audio_buffer.clear':
        return { ok: true, event };
    }
  } catch {
    const error: ClientEventError = {
      type: 'invalid_request_error',
      code: 'invalid_event',
      message: 'Invalid event: the event could not be converted to the beta shape.',
      param: null,
      event_id: eventId,
    };
    return { ok: false, error };
  }
}
