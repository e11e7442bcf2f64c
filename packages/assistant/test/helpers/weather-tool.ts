import { tool } from '@openai/agents-realtime';

/**
 * get_weather, as the default scenario calls it; its output is what the follow-up reads. With `ready`, it answers
 * only once that resolves (a tool still running while the user goes on).
 */
export function weatherTool(ready: Promise<void> = Promise.resolve()) {
  return tool({
    name: 'get_weather',
    description: 'The weather in a city.',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' } } as unknown as Record<string, never>,
      required: [] as never[],
      additionalProperties: true,
    },
    strict: false,
    execute: async (input) => {
      await ready;
      const { city } = input as { city?: string };
      return JSON.stringify({ summary: `Sunny in ${city ?? 'nowhere'}` });
    },
  });
}
