/* eslint-disable @typescript-eslint/no-empty-object-type -- named interfaces over inferred shapes */
/**
 * Tool definitions (`function` and `mcp`) and `tool_choice`, shared by sessions and
 * `response.create`.
 */
import { z } from 'zod';
import { lenientObject, strictObject, type ObjectFactory } from './schema-primitives.js';

/** Builds the tool schemas with the given object flavour (strict or lenient). */
export function buildToolSchemas(obj: ObjectFactory) {
  const FunctionTool = obj({
    type: z.literal('function'),
    name: z.string(),
    description: z.string().optional(),
    /** A JSON Schema object describing the arguments. */
    parameters: z.record(z.string(), z.unknown()).optional(),
  });

  // MCP tools are accepted loosely: the engine does not run MCP servers, it only echoes them.
  const McpTool = z.looseObject({
    type: z.literal('mcp'),
    server_label: z.string(),
    server_url: z.string().optional(),
    connector_id: z.string().optional(),
    authorization: z.string().optional(),
    headers: z.record(z.string(), z.string()).nullable().optional(),
    server_description: z.string().optional(),
    allowed_tools: z.unknown().optional(),
    require_approval: z.unknown().optional(),
  });

  const ToolDefinition = z.discriminatedUnion('type', [FunctionTool, McpTool]);

  const ToolChoice = z.union([
    z.enum(['auto', 'none', 'required']),
    z.discriminatedUnion('type', [
      obj({ type: z.literal('function'), name: z.string() }),
      obj({
        type: z.literal('mcp'),
        server_label: z.string(),
        name: z.string().nullable().optional(),
      }),
    ]),
  ]);

  return { FunctionTool, McpTool, ToolDefinition, ToolChoice };
}

/** Tool schemas for what clients send. */
export const toolRequestSchemas = buildToolSchemas(strictObject);
/** Tool schemas for what servers send. */
export const toolEchoSchemas = buildToolSchemas(lenientObject);

/** `{ type: "function", name, description?, parameters? }`. */
export interface FunctionTool extends z.infer<typeof toolRequestSchemas.FunctionTool> {}
/** An MCP tool (`server_label` plus `server_url` or `connector_id`, …). */
export interface McpTool extends z.infer<typeof toolRequestSchemas.McpTool> {}
/** A `function` or `mcp` tool definition. */
export type ToolDefinition = FunctionTool | McpTool;
/** A `function` or `mcp` tool definition. */
export const ToolDefinitionSchema: z.ZodType<ToolDefinition> = toolRequestSchemas.ToolDefinition;

/** `"auto" | "none" | "required"`, `{ type: "function", name }` or `{ type: "mcp", server_label, name? }`. */
export const ToolChoiceSchema = toolRequestSchemas.ToolChoice;
/** How the model picks tools. */
export type ToolChoice = z.infer<typeof ToolChoiceSchema>;
