/**
 * The scenario file format: zod schemas for the YAML shape (snake_case, as written) and the types inferred from them.
 * Every object is strict, so a misspelt key is an error. Checks that need more than one field (regexes compile,
 * intents exist, templates name real captures, WAV files exist, `reply` xor `replies`, …) live in `check.ts`.
 */
import { z } from 'zod';
import { scenarioGrammarSchema } from './grammar.js';

const text = z.string().min(1);
const phrases = z.array(text);

/** Pacing knobs; every field optional, later levels override earlier ones (scenario → response reply). */
export const scenarioPacingSchema = z.strictObject({
  /** Milliseconds before the first delta. */
  first_delta_ms: z.number().min(0).optional(),
  /** Text and transcript rate; 0 = unpaced. */
  text_chars_per_second: z.number().min(0).optional(),
  /** Audio is sent at its real duration divided by this factor (2 = twice as fast); 0 = unpaced. */
  audio_speed: z.number().min(0).optional(),
  /** A multiplier applied to all of the above; 0 = unpaced (tests). */
  speed: z.number().min(0).optional(),
});

const errorFaultSchema = z.strictObject({
  type: z.literal('error'),
  code: text,
  message: text.optional(),
  param: z.string().nullable().optional(),
  /** Close the connection after the error. */
  fatal: z.boolean().optional(),
});

const closeFaultSchema = z.strictObject({
  type: z.literal('close'),
  /** Server events sent in this response before the connection closes. */
  after_events: z.int().min(0).optional(),
  code: z.int().min(1000).max(4999).optional(),
  reason: z.string().max(123).optional(),
});

const stallFaultSchema = z.strictObject({ type: z.literal('stall'), ms: z.number().min(0) });
const rateLimitFaultSchema = z.strictObject({ type: z.literal('rate_limit') });
const sessionExpiredFaultSchema = z.strictObject({ type: z.literal('session_expired') });
/** The `response.create` is refused: an `error` naming it, and no response at all. */
const refuseFaultSchema = z.strictObject({
  type: z.literal('refuse'),
  code: text.optional(),
  message: text.optional(),
});

/** A fault the engine executes while (or instead of) sending a response. */
export const scenarioFaultSchema = z.discriminatedUnion('type', [
  errorFaultSchema,
  closeFaultSchema,
  stallFaultSchema,
  rateLimitFaultSchema,
  sessionExpiredFaultSchema,
  refuseFaultSchema,
]);

export const scenarioToneSchema = z.strictObject({
  frequency: z.number().positive().max(12_000),
  duration_ms: z.int().positive().max(600_000),
});

/** `{ wav: file }` (relative to the scenario file) or `{ tone: { frequency, duration_ms } }`. */
export const scenarioAudioSchema = z.strictObject({
  wav: text.optional(),
  tone: scenarioToneSchema.optional(),
});

const toolName = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'a tool name of 1–64 letters, digits, _ or -');

export const scenarioFunctionCallSchema = z.strictObject({
  name: toolName,
  /** String leaves are templates; a leaf that is exactly one `{{…}}` keeps a non-string value's type. */
  arguments: z.record(z.string(), z.json()).optional(),
});

export const scenarioReplySchema = z.strictObject({
  text: z.string().optional(),
  audio: scenarioAudioSchema.optional(),
  function_calls: z.array(scenarioFunctionCallSchema).optional(),
  pacing: scenarioPacingSchema.optional(),
  fault: scenarioFaultSchema.optional(),
});

export const scenarioFunctionOutputConditionSchema = z.strictObject({
  /** Tool name of the call whose output this follows; any tool when absent. */
  name: text.optional(),
  /** Regex (case-insensitive) the output string must match. */
  matches: text.optional(),
});

export const scenarioConditionSchema = z.strictObject({
  keywords: phrases.optional(),
  all_keywords: phrases.optional(),
  exclude: phrases.optional(),
  intents: phrases.optional(),
  patterns: phrases.optional(),
  min_turn: z.int().min(0).optional(),
  max_turn: z.int().min(0).optional(),
  modalities: z.array(z.enum(['text', 'audio'])).optional(),
  /**
   * Function tools the response must be able to call, every one (the session's or response's `tools`, after
   * `tool_choice`); holds when the caller gives no tool list. A lower-priority response without it answers otherwise.
   */
  tools: z.array(toolName).min(1).optional(),
  function_output: scenarioFunctionOutputConditionSchema.optional(),
});

export const scenarioResponseSchema = z.strictObject({
  id: text.optional(),
  description: z.string().optional(),
  priority: z.number().optional(),
  when: scenarioConditionSchema.optional(),
  /** Exactly one of `reply` and `replies` (a list used in turn, cycling per use). */
  reply: scenarioReplySchema.optional(),
  replies: z.array(scenarioReplySchema).min(1).optional(),
});

/** The reply used when no response is eligible. */
export const scenarioFallbackSchema = z.strictObject({
  reply: scenarioReplySchema.optional(),
  replies: z.array(scenarioReplySchema).min(1).optional(),
});

/** A fault injected by position rather than by reply: at the nth response or the nth user turn (1-based). */
export const scenarioFaultRuleSchema = z.strictObject({
  on_response: z.int().min(1).optional(),
  on_turn: z.int().min(1).optional(),
  fault: scenarioFaultSchema,
});

export const scenarioIntentSchema = z.union(
  [phrases, z.strictObject({ cues: phrases, replace: z.boolean().optional() })],
  { error: 'expected a list of cue phrases, or { cues: [...], replace: true }' },
);

export const scenarioSchema = z.strictObject({
  name: text.optional(),
  description: z.string().optional(),
  /** Echoed as the session's default instructions. */
  instructions: z.string().optional(),
  /** IANA zone for the `datetime` / `date` / `time` filters; the engine's zone when absent. */
  time_zone: text.optional(),
  pacing: scenarioPacingSchema.optional(),
  /**
   * What speech recognition should expect besides trigger keywords and intent cues (added automatically): a list of
   * phrases, or `{ phrases, rules }` whose phrases are expressions with alternatives, optional parts and `<rules>`.
   */
  grammar: scenarioGrammarSchema.optional(),
  /** Adds intents, or cues to built-in ones (`replace: true` replaces a built-in's cues). */
  intents: z
    .record(
      z.string().regex(/^[a-z][a-z0-9_]*$/, 'an intent name in snake_case'),
      scenarioIntentSchema,
    )
    .optional(),
  responses: z.array(scenarioResponseSchema).optional(),
  fallback: scenarioFallbackSchema.optional(),
  /** Used for a function-output follow-up that no response matches; `fallback` when absent. */
  function_fallback: scenarioFallbackSchema.optional(),
  faults: z.array(scenarioFaultRuleSchema).optional(),
});

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioResponse = z.infer<typeof scenarioResponseSchema>;
export type ScenarioCondition = z.infer<typeof scenarioConditionSchema>;
export type ScenarioReply = z.infer<typeof scenarioReplySchema>;
export type ScenarioFallback = z.infer<typeof scenarioFallbackSchema>;
export type ScenarioFault = z.infer<typeof scenarioFaultSchema>;
export type ScenarioFaultRule = z.infer<typeof scenarioFaultRuleSchema>;
export type ScenarioPacing = z.infer<typeof scenarioPacingSchema>;
export type ScenarioAudio = z.infer<typeof scenarioAudioSchema>;
export type ScenarioFunctionCall = z.infer<typeof scenarioFunctionCallSchema>;
