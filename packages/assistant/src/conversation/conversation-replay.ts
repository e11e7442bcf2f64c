import type { TranscriptEntry } from './transcript-store.js';

/** An item sent with `conversation.item.create` to bring a new session up to date. */
export type ReplayItem =
  | { type: 'message'; id: string; role: 'user'; content: [{ type: 'input_text'; text: string }] }
  | {
      type: 'message';
      id: string;
      role: 'assistant';
      content: [{ type: 'output_text'; text: string }];
    }
  | { type: 'function_call'; id: string; call_id: string; name: string; arguments: string }
  | { type: 'function_call_output'; id: string; call_id: string; output: string };

type FunctionItem = Extract<ReplayItem, { type: 'function_call' | 'function_call_output' }>;
type ServerEvent = { type?: unknown } & Record<string, unknown>;

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * What a new session needs to know of the conversation so far, as text: the messages (user `input_text`, assistant
 * `output_text`, audio replaced by its transcript) and the tool calls with their outputs. Feed it server events for
 * the tool items; the messages come from the {@link TranscriptStore}.
 */
export class ConversationReplay {
  readonly #functions = new Map<string, FunctionItem>();

  /** Records tool calls and outputs from server events; other events are ignored. */
  handle(event: ServerEvent): void {
    if (
      event.type !== 'conversation.item.done' &&
      event.type !== 'conversation.item.added' &&
      event.type !== 'response.output_item.done'
    ) {
      return;
    }
    const item = event.item as Record<string, unknown> | undefined;
    const id = str(item?.id);
    const callId = str(item?.call_id);
    if (!item || !id || !callId) return;
    if (item.type === 'function_call' && item.status !== 'in_progress') {
      const name = str(item.name);
      const args = str(item.arguments);
      if (name !== undefined && args !== undefined) {
        this.#functions.set(id, {
          type: 'function_call',
          id,
          call_id: callId,
          name,
          arguments: args,
        });
      }
    } else if (item.type === 'function_call_output') {
      const output = str(item.output);
      if (output !== undefined) {
        this.#functions.set(id, { type: 'function_call_output', id, call_id: callId, output });
      }
    }
  }

  /** Forgets everything (a new conversation). */
  clear(): void {
    this.#functions.clear();
  }

  /**
   * The items to replay, in conversation order (`order`: every item id, as {@link TranscriptStore.itemOrder}).
   * Empty messages are left out, and so are tool calls without an output (and outputs without their call): a new
   * session would otherwise wait for a result that never comes. `completeOnly` also leaves out messages whose
   * transcript is still arriving (they are replayed once complete).
   */
  items(
    order: readonly string[],
    messages: readonly TranscriptEntry[],
    options: { completeOnly?: boolean } = {},
  ): ReplayItem[] {
    const byId = new Map(messages.map((m) => [m.itemId, m]));
    const calls = new Set<string>();
    const outputs = new Set<string>();
    for (const item of this.#functions.values()) {
      (item.type === 'function_call' ? calls : outputs).add(item.call_id);
    }
    const items: ReplayItem[] = [];
    for (const id of order) {
      const message = byId.get(id);
      if (message) {
        const text = message.text.trim();
        if (!text || (options.completeOnly && !message.final)) continue;
        items.push(
          message.speaker === 'user'
            ? { type: 'message', id, role: 'user', content: [{ type: 'input_text', text }] }
            : { type: 'message', id, role: 'assistant', content: [{ type: 'output_text', text }] },
        );
        continue;
      }
      const fn = this.#functions.get(id);
      if (fn && calls.has(fn.call_id) && outputs.has(fn.call_id)) items.push(fn);
    }
    return items;
  }
}
