/**
 * A tool the assistant's model can call, defined by one zod schema that both validates the arguments and gives the
 * JSON schema the model sees. `invoke` never throws: every failure is `{ error: "<a sentence for the user>" }`.
 */
import { z } from 'zod';

/** What a tool answers: a JSON object, `{ error }` when it could not do what was asked. */
export type ToolOutput = Readonly<Record<string, unknown>>;

/** A failed call, phrased so the model can say it to the user. */
// A type alias (not an interface) so it stays assignable to ToolOutput's index signature.
export type ToolError = { readonly error: string };

/** A JSON schema object (`{ type: 'object', properties, required }`). */
export type JsonSchemaObject = Readonly<Record<string, unknown>>;

export interface ToolDefinition<Schema extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly description: string;
  /** Validates the arguments; the source of {@link ToolDefinition.jsonSchema}. */
  readonly parameters: Schema;
  /** The arguments' JSON schema (draft 2020-12, without `$schema`), as the model sees it. */
  readonly jsonSchema: JsonSchemaObject;
  /** Valid arguments as JSON text, quoted when the arguments are not a JSON object. */
  readonly example: string;
  /** Runs the tool on raw arguments (a JSON string or a value). Never throws. */
  invoke(args: unknown): Promise<ToolOutput>;
}

/** Where a tool reports failures it hides from the model (pino's `Logger` fits). */
export interface ToolLogger {
  error(details: object, message: string): void;
}

/** What the model hears when storage (or anything unexpected) fails; the details go to the log only. */
export const SYSTEM_UNAVAILABLE =
  'The booking system is unavailable right now. Please try again in a moment.';

export interface DefineToolOptions<Schema extends z.ZodType> {
  readonly name: string;
  readonly description: string;
  readonly parameters: Schema;
  /** An example of valid arguments, quoted in the message for arguments that are not a JSON object. */
  readonly example: string;
  readonly run: (args: z.output<Schema>) => Promise<ToolOutput>;
  readonly logger?: ToolLogger | undefined;
}

/** The arguments' JSON schema for a tool: the input side of `schema`, without the `$schema` marker. */
export function toolJsonSchema(schema: z.ZodType): JsonSchemaObject {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input' }) as Record<
    string,
    unknown
  >;
  return rest;
}

/** A tool error output. */
export function toolError(error: string): ToolError {
  return { error };
}

/** The answer to arguments that are not a JSON object (malformed JSON, an array, a number…). */
export function malformedArgumentsError(name: string, example: string): ToolError {
  return toolError(`The arguments for ${name} must be a JSON object, for example ${example}.`);
}

/** Raw arguments → a value: a JSON string is parsed, an empty string or nothing is `{}`. */
function readArguments(raw: unknown): { ok: true; value: unknown } | { ok: false } {
  if (raw === undefined || raw === null) return { ok: true, value: {} };
  if (typeof raw !== 'string') return { ok: true, value: raw };
  if (raw.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(raw) as unknown };
  } catch {
    return { ok: false };
  }
}

/** The schema's own messages, one sentence per problem, each said once. */
function issuesToSentence(error: z.ZodError): string {
  const messages = [...new Set(error.issues.map((issue) => issue.message))];
  return messages.map((m) => (/[.!?]$/.test(m) ? m : `${m}.`)).join(' ');
}

/** Builds a {@link ToolDefinition} whose `invoke` parses, validates and runs, turning every failure into `{ error }`. */
export function defineTool<Schema extends z.ZodType>(
  options: DefineToolOptions<Schema>,
): ToolDefinition<Schema> {
  const { name, description, parameters, example, run, logger } = options;
  const badShape = malformedArgumentsError(name, example);
  return {
    name,
    description,
    parameters,
    jsonSchema: toolJsonSchema(parameters),
    example,
    async invoke(raw: unknown): Promise<ToolOutput> {
      const read = readArguments(raw);
      if (
        !read.ok ||
        typeof read.value !== 'object' ||
        read.value === null ||
        Array.isArray(read.value)
      )
        return badShape;
      const parsed = parameters.safeParse(read.value);
      if (!parsed.success) return toolError(issuesToSentence(parsed.error));
      try {
        return await run(parsed.data);
      } catch (err) {
        logger?.error({ err, tool: name }, `tool ${name} failed`);
        return toolError(SYSTEM_UNAVAILABLE);
      }
    },
  };
}
