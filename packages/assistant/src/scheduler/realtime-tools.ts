/**
 * Tool definitions → `@openai/agents-realtime` function tools. The SDK gets our JSON schema with `strict: false`
 * (so it neither rewrites the schema nor validates the arguments itself) and each call's raw argument text goes
 * to our `invoke`, so the model hears our validation sentences rather than the SDK's generic error.
 */
import { tool } from '@openai/agents-realtime';
import type { RealtimeAgent } from '@openai/agents-realtime';
import { malformedArgumentsError } from './tool-definition.js';
import type { ToolDefinition } from './tool-definition.js';

/** The SDK's JSON-schema parameters for a non-strict tool. */
type NonStrictParameters = {
  type: 'object';
  properties: Record<string, never>;
  required: never[];
  additionalProperties: true;
};

/** The definition's JSON schema in the shape the SDK's non-strict `tool()` takes (unknown keys are ignored). */
function sdkParameters(definition: ToolDefinition): NonStrictParameters {
  const schema = definition.jsonSchema;
  return {
    ...schema,
    type: 'object',
    properties: (schema.properties ?? {}) as Record<string, never>,
    required: (schema.required ?? []) as never[],
    additionalProperties: true,
  };
}

/** A function tool as `new RealtimeAgent({ tools })` takes it. */
export type RealtimeFunctionTool = NonNullable<
  ConstructorParameters<typeof RealtimeAgent>[0]['tools']
>[number];

/** One definition as an SDK function tool; its output is the tool's JSON object as text. */
export function toRealtimeTool(definition: ToolDefinition): RealtimeFunctionTool {
  return tool({
    name: definition.name,
    description: definition.description,
    parameters: sdkParameters(definition),
    strict: false,
    // The raw argument text, when the SDK passes it, is exactly what the model sent.
    execute: async (input, _context, details) =>
      JSON.stringify(await definition.invoke(details?.toolCall?.arguments ?? input)),
    // `invoke` never throws, so this is reached only when the SDK's own JSON.parse rejected the arguments.
    errorFunction: () =>
      JSON.stringify(malformedArgumentsError(definition.name, definition.example)),
  });
}

/** Every definition as an SDK function tool, for `new RealtimeAgent({ tools })`. */
export function toRealtimeTools(definitions: readonly ToolDefinition[]): RealtimeFunctionTool[] {
  return definitions.map(toRealtimeTool);
}
