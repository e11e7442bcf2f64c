/** Token counts, summed over responses. */
export interface UsageTotals {
  readonly responses: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly totalTokens: number;
  readonly inputTextTokens: number;
  readonly inputAudioTokens: number;
  readonly cachedTokens: number;
  readonly outputTextTokens: number;
  readonly outputAudioTokens: number;
}

/** All zeros. */
export const EMPTY_USAGE: UsageTotals = {
  responses: 0,
  inputTokens: 0,
  outputTokens: 0,
  totalTokens: 0,
  inputTextTokens: 0,
  inputAudioTokens: 0,
  cachedTokens: 0,
  outputTextTokens: 0,
  outputAudioTokens: 0,
};

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

/** The usage of one `response.done` (`response.usage`, missing fields as 0). */
export function usageOfResponse(response: unknown): UsageTotals {
  const usage = record(record(response).usage);
  const input = record(usage.input_token_details);
  const output = record(usage.output_token_details);
  const inputTokens = count(usage.input_tokens);
  const outputTokens = count(usage.output_tokens);
  return {
    responses: 1,
    inputTokens,
    outputTokens,
    totalTokens: count(usage.total_tokens) || inputTokens + outputTokens,
    inputTextTokens: count(input.text_tokens),
    inputAudioTokens: count(input.audio_tokens),
    cachedTokens: count(input.cached_tokens),
    outputTextTokens: count(output.text_tokens),
    outputAudioTokens: count(output.audio_tokens),
  };
}

/** `a + b`, field by field. */
export function addUsage(a: UsageTotals, b: UsageTotals): UsageTotals {
  const sum = { ...a };
  for (const key of Object.keys(sum) as (keyof UsageTotals)[]) sum[key] = a[key] + b[key];
  return sum;
}
