/* eslint-disable @typescript-eslint/no-empty-object-type -- see the named interfaces below */
/**
 * Conversation items (GA): messages (system/user/assistant with their content parts), function
 * calls and outputs, MCP items, and `item_reference` for `response.create` input.
 */
import { z } from 'zod';
import {
  boundedString,
  lenientObject,
  strictObject,
  type ObjectFactory,
} from './schema-primitives.js';

/** The live API rejects item ids longer than this. */
const MAX_ITEM_ID_LENGTH = 32;

/** Builds the content part schemas with the given object flavour. */
function buildContentParts(obj: ObjectFactory) {
  const InputText = obj({ type: z.literal('input_text'), text: z.string() });
  const InputAudio = obj({
    type: z.literal('input_audio'),
    /** Base64 audio; servers omit it except in `conversation.item.retrieved`. */
    audio: z.string().optional(),
    transcript: z.string().nullable().optional(),
  });
  const InputImage = obj({
    type: z.literal('input_image'),
    /** A data URI (`data:image/png;base64,…`). */
    image_url: z.string().optional(),
    detail: z.enum(['auto', 'low', 'high']).optional(),
  });
  const OutputText = obj({ type: z.literal('output_text'), text: z.string() });
  const OutputAudio = obj({
    type: z.literal('output_audio'),
    audio: z.string().optional(),
    transcript: z.string().nullable().optional(),
  });
  return { InputText, InputAudio, InputImage, OutputText, OutputAudio };
}

const requestParts = buildContentParts(strictObject);
const echoParts = buildContentParts(lenientObject);

/**
 * Servers may still send the beta part names `text` / `audio` inside GA assistant items (the GA
 * spec's own `conversation.item.retrieved` example does), so server-side parsing accepts them.
 */
const LegacyAssistantText = lenientObject({ type: z.literal('text'), text: z.string() });
const LegacyAssistantAudio = lenientObject({
  type: z.literal('audio'),
  audio: z.string().optional(),
  transcript: z.string().nullable().optional(),
  format: z.string().optional(),
});

const requestAssistantPart = z.discriminatedUnion('type', [
  requestParts.OutputText,
  requestParts.OutputAudio,
]);
const echoAssistantPart = z.discriminatedUnion('type', [
  echoParts.OutputText,
  echoParts.OutputAudio,
  LegacyAssistantText,
  LegacyAssistantAudio,
]);

/** Builds the item schemas; `assistantPart` and `id` differ between request and echo flavours. */
function buildItemSchemas<AssistantPart extends z.ZodType, Id extends z.ZodType<string>>(
  obj: ObjectFactory,
  parts: ReturnType<typeof buildContentParts>,
  assistantPart: AssistantPart,
  id: Id,
) {
  const common = {
    id: id.optional(),
    object: z.literal('realtime.item').optional(),
    status: z.enum(['completed', 'incomplete', 'in_progress']).optional(),
  };
  const SystemMessage = obj({
    type: z.literal('message'),
    role: z.literal('system'),
    content: z.array(parts.InputText),
    ...common,
  });
  const UserMessage = obj({
    type: z.literal('message'),
    role: z.literal('user'),
    content: z.array(
      z.discriminatedUnion('type', [parts.InputText, parts.InputAudio, parts.InputImage]),
    ),
    ...common,
  });
  const AssistantMessage = obj({
    type: z.literal('message'),
    role: z.literal('assistant'),
    content: z.array(assistantPart),
    ...common,
  });
  const Message = z.discriminatedUnion('role', [SystemMessage, UserMessage, AssistantMessage]);

  const FunctionCall = obj({
    type: z.literal('function_call'),
    name: z.string(),
    arguments: z.string(),
    call_id: z.string().optional(),
    ...common,
  });
  const FunctionCallOutput = obj({
    type: z.literal('function_call_output'),
    call_id: z.string(),
    output: z.string(),
    ...common,
  });

  // MCP items are accepted loosely (extra keys kept): the engine only stores and echoes them.
  const McpApprovalResponse = z.looseObject({
    type: z.literal('mcp_approval_response'),
    id: z.string().optional(),
    approval_request_id: z.string(),
    approve: z.boolean(),
    reason: z.string().nullable().optional(),
  });
  const McpListTools = z.looseObject({
    type: z.literal('mcp_list_tools'),
    id: z.string().optional(),
    server_label: z.string(),
    tools: z.array(
      z.looseObject({
        name: z.string(),
        input_schema: z.unknown(),
        description: z.string().nullable().optional(),
        annotations: z.unknown().optional(),
      }),
    ),
  });
  const McpCall = z.looseObject({
    type: z.literal('mcp_call'),
    id: z.string(),
    server_label: z.string(),
    name: z.string(),
    arguments: z.string(),
    approval_request_id: z.string().nullable().optional(),
    output: z.string().nullable().optional(),
    error: z.unknown().optional(),
  });
  const McpApprovalRequest = z.looseObject({
    type: z.literal('mcp_approval_request'),
    id: z.string(),
    server_label: z.string(),
    name: z.string(),
    arguments: z.string(),
  });

  const itemOptions = [
    Message,
    FunctionCall,
    FunctionCallOutput,
    McpApprovalResponse,
    McpListTools,
    McpCall,
    McpApprovalRequest,
  ] as const;
  const ConversationItem = z.discriminatedUnion('type', itemOptions);
  const ItemReference = obj({ type: z.literal('item_reference'), id: z.string() });
  const ResponseInputItem = z.discriminatedUnion('type', [...itemOptions, ItemReference]);

  return {
    SystemMessage,
    UserMessage,
    AssistantMessage,
    Message,
    FunctionCall,
    FunctionCallOutput,
    McpApprovalResponse,
    McpListTools,
    McpCall,
    McpApprovalRequest,
    ConversationItem,
    ItemReference,
    ResponseInputItem,
  };
}

// Kept module-private; the public schemas below carry named types (small declarations).
const itemRequestSchemas = buildItemSchemas(
  strictObject,
  requestParts,
  requestAssistantPart,
  boundedString(MAX_ITEM_ID_LENGTH),
);
const itemEchoSchemas = buildItemSchemas(lenientObject, echoParts, echoAssistantPart, z.string());

type Echo = typeof itemEchoSchemas;
type Request = typeof itemRequestSchemas;

// Named interfaces over the inferred shapes keep hovers, errors and declarations readable.
/** A `system` message item: `input_text` parts. */
export interface SystemMessageItem extends z.infer<Echo['SystemMessage']> {}
/** A `user` message item: `input_text`, `input_audio`, `input_image` parts. */
export interface UserMessageItem extends z.infer<Echo['UserMessage']> {}
/** An `assistant` message item as servers send it (legacy `text`/`audio` parts accepted). */
export interface AssistantMessageItem extends z.infer<Echo['AssistantMessage']> {}
/** An `assistant` message item as clients create it (`output_text`/`output_audio` parts). */
export interface AssistantMessageItemInput extends z.infer<Request['AssistantMessage']> {}
/** A `function_call` item. */
export interface FunctionCallItem extends z.infer<Echo['FunctionCall']> {}
/** A `function_call_output` item. */
export interface FunctionCallOutputItem extends z.infer<Echo['FunctionCallOutput']> {}
/** An `mcp_approval_response` item. */
export interface McpApprovalResponseItem extends z.infer<Echo['McpApprovalResponse']> {}
/** An `mcp_list_tools` item. */
export interface McpListToolsItem extends z.infer<Echo['McpListTools']> {}
/** An `mcp_call` item. */
export interface McpCallItem extends z.infer<Echo['McpCall']> {}
/** An `mcp_approval_request` item. */
export interface McpApprovalRequestItem extends z.infer<Echo['McpApprovalRequest']> {}
/** `{ type: "item_reference", id }` in `response.create` input. */
export interface ItemReference extends z.infer<Request['ItemReference']> {}

/** A `message` item (any role) as servers send it. */
export type MessageItem = SystemMessageItem | UserMessageItem | AssistantMessageItem;
type OtherItem =
  | FunctionCallItem
  | FunctionCallOutputItem
  | McpApprovalResponseItem
  | McpListToolsItem
  | McpCallItem
  | McpApprovalRequestItem;

/** A conversation item as servers send it, discriminated on `type` (and `role` for messages). */
export type ConversationItem = MessageItem | OtherItem;
/** An item as a server sends it (also accepts the legacy assistant parts `text` / `audio`). */
export const ConversationItemSchema: z.ZodType<ConversationItem> = itemEchoSchemas.ConversationItem;

/** A conversation item as a client sends it in `conversation.item.create` (`id` etc. optional). */
export type ConversationItemInput =
  SystemMessageItem | UserMessageItem | AssistantMessageItemInput | OtherItem;
/** An item as a client creates it (`id`, `object`, `status` optional). */
export const ConversationItemInputSchema: z.ZodType<ConversationItemInput> =
  itemRequestSchemas.ConversationItem;

/** An entry of `response.create` `response.input`: an item or an item reference. */
export type ResponseInputItem = ConversationItemInput | ItemReference;
/** Validates a `response.input` entry. */
export const ResponseInputItemSchema: z.ZodType<ResponseInputItem> =
  itemRequestSchemas.ResponseInputItem;

/** A content part of a user message. */
export type UserContentPart = UserMessageItem['content'][number];
/** A content part of an assistant message as servers send it. */
export type AssistantContentPart = AssistantMessageItem['content'][number];
