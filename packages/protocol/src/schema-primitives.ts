/**
 * Building blocks shared by the wire schemas: strict/lenient object factories, numbers and strings
 * whose range failures carry the live API's error codes, and open string enums.
 */
import { z } from 'zod';

/**
 * Builds an object schema. The same builder code makes two flavours of each nested schema: strict
 * (unknown keys are errors) for what clients send, and lenient (unknown keys dropped) for what
 * servers send. Both have the same static type.
 */
export type ObjectFactory = <T extends z.core.$ZodLooseShape>(
  shape: T,
) => z.ZodObject<{ -readonly [K in keyof T]: T[K] }, z.core.$strip>;

/** Strict objects: an unknown key is an `unknown_parameter` error. */
export const strictObject: ObjectFactory = (shape) => z.strictObject(shape);

/** Lenient objects: unknown keys (fields added by newer servers) are tolerated and dropped. */
export const lenientObject: ObjectFactory = (shape) => z.object(shape);

/** The live error codes a validation failure can carry (besides the envelope codes). */
export type RangeErrorCode =
  | 'integer_below_min_value'
  | 'integer_above_max_value'
  | 'decimal_below_min_value'
  | 'decimal_above_max_value'
  | 'string_above_max_length'
  | 'array_above_max_length'
  | 'empty_array'
  | 'invalid_value';

/** Parameters carried by the custom issues this module emits; read by the error translator. */
export interface RealtimeIssueParams {
  realtimeCode: RangeErrorCode;
  /** The text after `Invalid '<param>': `. */
  detail: string;
}

/** Marker messages on number schemas so a type error can say "an integer" or "a decimal". */
export const INTEGER_MARK = 'realtime:integer';
export const DECIMAL_MARK = 'realtime:decimal';

/** A range, either end open. */
export interface NumberRange {
  min?: number;
  max?: number;
}

function rangeCheck(kind: 'integer' | 'decimal', range: NumberRange) {
  const { min, max } = range;
  return (ctx: z.core.ParsePayload<number>): void => {
    const value = ctx.value;
    if (min !== undefined && value < min) {
      const params: RealtimeIssueParams = {
        realtimeCode: kind === 'integer' ? 'integer_below_min_value' : 'decimal_below_min_value',
        detail: `${kind} below minimum value. Expected a value >= ${min}, but got ${value} instead.`,
      };
      ctx.issues.push({ code: 'custom', message: params.detail, input: value, params });
    } else if (max !== undefined && value > max) {
      const params: RealtimeIssueParams = {
        realtimeCode: kind === 'integer' ? 'integer_above_max_value' : 'decimal_above_max_value',
        detail: `${kind} above maximum value. Expected a value <= ${max}, but got ${value} instead.`,
      };
      ctx.issues.push({ code: 'custom', message: params.detail, input: value, params });
    }
  };
}

/** An integer, optionally bounded; failures use the live `integer_*` codes. */
export function integer(range: NumberRange = {}): z.ZodNumber {
  const schema = z.number({ error: INTEGER_MARK }).int({ error: INTEGER_MARK });
  return range.min === undefined && range.max === undefined
    ? schema
    : schema.check(rangeCheck('integer', range));
}

/** A decimal number, optionally bounded; failures use the live `decimal_*` codes. */
export function decimal(range: NumberRange = {}): z.ZodNumber {
  const schema = z.number({ error: DECIMAL_MARK });
  return range.min === undefined && range.max === undefined
    ? schema
    : schema.check(rangeCheck('decimal', range));
}

/** A string of at most `max` characters (`string_above_max_length` beyond). */
export function boundedString(max: number): z.ZodString {
  return z.string().check((ctx) => {
    if (ctx.value.length > max) {
      const params: RealtimeIssueParams = {
        realtimeCode: 'string_above_max_length',
        detail: `string too long. Expected a string with maximum length ${max}, but got a string with length ${ctx.value.length} instead.`,
      };
      ctx.issues.push({ code: 'custom', message: params.detail, input: ctx.value, params });
    }
  });
}

/** An array of at most `max` elements (`array_above_max_length` beyond). */
export function boundedArray<T extends z.ZodType>(element: T, max: number): z.ZodArray<T> {
  return z.array(element).check((ctx) => {
    if (ctx.value.length > max) {
      const params: RealtimeIssueParams = {
        realtimeCode: 'array_above_max_length',
        detail: `array too long. Expected an array with maximum length ${max}, but got an array with length ${ctx.value.length} instead.`,
      };
      ctx.issues.push({ code: 'custom', message: params.detail, input: ctx.value, params });
    }
  });
}

/**
 * A string typed as an open enum: the known names autocomplete, any other string is accepted
 * (`'alloy' | … | (string & {})`).
 */
export function openString<Known extends string>(): z.ZodType<Known | (string & {}), string> {
  return z.string();
}

/** Output modalities: exactly one of `["audio"]` or `["text"]`. */
export function outputModalitiesSchema(): z.ZodArray<z.ZodEnum<{ text: 'text'; audio: 'audio' }>> {
  return z.array(z.enum(['text', 'audio'])).check((ctx) => {
    const n = ctx.value.length;
    if (n === 1) return;
    const params: RealtimeIssueParams =
      n === 0
        ? {
            realtimeCode: 'empty_array',
            detail:
              'empty array. Expected an array with minimum length 1, but got an empty array instead.',
          }
        : {
            realtimeCode: 'array_above_max_length',
            detail: `array too long. Expected an array with maximum length 1, but got an array with length ${n} instead.`,
          };
    ctx.issues.push({ code: 'custom', message: params.detail, input: ctx.value, params });
  });
}
