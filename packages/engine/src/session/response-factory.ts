import type { Logger } from 'pino';
import type { Reply, Responder } from '../responder/responder.js';
import type { AudioRenderer, RenderInput, SpokenPiece } from '../voice/audio-renderer.js';
import type { Conversation } from './conversation.js';
import type { OutputEncoder } from './output-encoder.js';
import { createOutputEncoder } from './output-encoder.js';
import { contextFromTally, readReplyContext } from './reply-context.js';
import type { ReplyContext } from './reply-context.js';
import type { EncodedPiece, PlannedOutput } from './response-plan.js';
import { UNPACED } from './response-plan.js';
import type { ResponseRunOptions, RunFault } from './response-types.js';
import * as wire from './wire.js';

type Json = Record<string, unknown>;
type Modality = 'text' | 'audio';

/** What one `response.create` resolves to before anything is sent: session defaults with its overrides. */
export interface ResponseSettings {
  id: string;
  outOfBand: boolean;
  outputModalities: Modality[];
  format: unknown;
  voice: unknown;
  /** `audio.output.speed` of the session (0.25–1.5). */
  speed: number;
  toolNames: string[];
  /** `tool_choice` when it asks for a call (`required` or one function); absent for `auto` and `none`. */
  toolChoice?: 'required' | { name: string };
  instructions: string;
  maxOutputTokens: number | 'inf';
  metadata: Record<string, string> | null;
  context: ReplyContext;
}

/** A prepared response: the run's options, or what a fault asked for instead (a refusal, an early session expiry). */
export type PreparedResponse =
  | { kind: 'run'; options: ResponseRunOptions }
  | { kind: 'refused'; code: string; message: string }
  | { kind: 'session_expired' };

export interface ResponseFactoryDeps {
  sessionId: string;
  conversation: Conversation;
  responder: Responder;
  renderer: AudioRenderer;
  logger: Logger;
  /** What speech recognition heard in a user audio item, when it is still being (or was) recognised. */
  heard?: (itemId: string) => Promise<string> | undefined;
}

/**
 * Turns `response.create` params into a planned response: resolves overrides against the session config, reads the
 * context (the default conversation, or the `input` items and references), asks the responder for a reply and
 * renders its audio in the response's format.
 */
export class ResponseFactory {
  #deps: ResponseFactoryDeps;
  #encoder: OutputEncoder | null = null;
  #count = 0;
  /** `Conversation.insertions` when the previous in-band response read the conversation. */
  #readUpTo = 0;

  constructor(deps: ResponseFactoryDeps) {
    this.#deps = deps;
  }

  /** The settings of one response (synchronous: ids are assigned before any await). */
  settings(params: Json, config: Json): ResponseSettings {
    const audioConfig = (config.audio as Json).output as Json;
    const paramsAudio = (params.audio as Json | undefined)?.output as Json | undefined;
    const tools = (params.tools as Json[] | undefined) ?? (config.tools as Json[]);
    const toolChoice = params.tool_choice ?? config.tool_choice;
    const instructions =
      typeof params.instructions === 'string' ? params.instructions : String(config.instructions);
    return {
      id: wire.ids.response(),
      outOfBand: params.conversation === 'none',
      outputModalities:
        (params.output_modalities as Modality[] | undefined) ??
        (config.output_modalities as Modality[]),
      format: paramsAudio?.format ?? audioConfig.format,
      voice: paramsAudio?.voice ?? audioConfig.voice,
      speed: typeof audioConfig.speed === 'number' ? audioConfig.speed : 1,
      toolNames: allowedTools(tools, toolChoice),
      ...requiredCall(toolChoice),
      instructions,
      maxOutputTokens:
        (params.max_output_tokens as number | 'inf' | undefined) ??
        (config.max_output_tokens as number | 'inf'),
      metadata: (params.metadata as Record<string, string> | undefined) ?? null,
      context: this.#context(params, instructions),
    };
  }

  /** Asks the responder and plans the output; `fault` (injected) wins over the reply's own. */
  async prepare(settings: ResponseSettings, injected?: RunFault): Promise<PreparedResponse> {
    // An injected refusal is decided before the scenario is asked, so it does not use up a scripted reply.
    if (injected?.type === 'refuse') {
      return { kind: 'refused', code: injected.code, message: injected.message };
    }
    const reply = await this.#reply(settings);
    const fault = injected ?? reply.fault;
    if (fault?.type === 'session_expired') return { kind: 'session_expired' };
    if (fault?.type === 'refuse') {
      return { kind: 'refused', code: fault.code, message: fault.message };
    }
    const plan = await this.#plan(reply, settings);
    return {
      kind: 'run',
      options: {
        id: settings.id,
        conversationId: settings.outOfBand ? null : wire.conversationId(this.#deps.sessionId),
        outputModalities: settings.outputModalities,
        maxOutputTokens: settings.maxOutputTokens,
        audioOutput: { format: settings.format, voice: settings.voice },
        metadata: settings.metadata,
        plan,
        pacing: reply.pacing,
        inputTokens: settings.context.inputTokens,
        ...(fault ? { fault } : {}),
      },
    };
  }

  async #reply(settings: ResponseSettings): Promise<Reply> {
    const { context } = settings;
    let text = context.text;
    if (text === '' && context.lastUserItemId !== undefined) {
      text = (await this.#deps.heard?.(context.lastUserItemId)) ?? '';
    }
    try {
      return await this.#deps.responder.reply({
        text,
        turn: context.turn,
        modalities: settings.outputModalities,
        ...(context.functionOutput ? { functionOutput: context.functionOutput } : {}),
        responseIndex: this.#count++,
        toolNames: settings.toolNames,
        ...(settings.toolChoice ? { toolChoice: settings.toolChoice } : {}),
        instructions: settings.instructions,
      });
    } catch (err) {
      this.#deps.logger.error({ err }, 'responder failed');
      return {
        functionCalls: [],
        text: 'Sorry, something went wrong.',
        pacing: UNPACED,
        source: 'error',
      };
    }
  }

  /** The conversation a response sees: the default conversation, or the `input` given to it. */
  #context(params: Json, instructions: string): ReplyContext {
    const conversation = this.#deps.conversation;
    const input = Array.isArray(params.input) ? (params.input as Json[]) : null;
    if (input === null) {
      // The whole default conversation: its running tally, every item's input audio counted. What it answers is
      // the newest user message or tool output since the previous response, wherever the client inserted it
      // (else, as before, the conversation's last item): a function output that arrives while a later response
      // runs still gets its follow-up instead of the user's last words being answered again (a tool loop).
      const tally = conversation.tally();
      const fresh = conversation.newestInputSince(this.#readUpTo);
      if (params.conversation !== 'none') this.#readUpTo = conversation.insertions;
      return contextFromTally(
        fresh === undefined ? tally : { ...tally, last: fresh },
        (isCall) => conversation.findLast(isCall),
        instructions,
      );
    }
    const items = input.flatMap((entry): Json[] => {
      if (entry.type !== 'item_reference') return [entry];
      const found = typeof entry.id === 'string' ? conversation.get(entry.id) : undefined;
      return found ? [found.item as Json] : [];
    });
    // Input audio is counted for the items the response actually sees.
    const seen = new Set(items.map((i) => i.id));
    let audioMs = 0;
    for (const s of conversation.items()) {
      if (!seen.has(s.item.id)) continue;
      for (const ms of s.audioSentMs.values()) audioMs += ms;
    }
    return readReplyContext(
      items,
      () => conversation.items().map((s) => s.item as Json),
      instructions,
      audioMs,
    );
  }

  async #plan(reply: Reply, settings: ResponseSettings): Promise<PlannedOutput[]> {
    const plan: PlannedOutput[] = [];
    const calls = reply.functionCalls.filter((call) => {
      const ok = settings.toolNames.includes(call.name);
      if (!ok) {
        this.#deps.logger.warn(
          { tool: call.name },
          'scenario calls a tool the response does not offer; skipped',
        );
      }
      return ok;
    });
    const text = reply.text ?? '';
    const wantsMessage = text.length > 0 || reply.audio !== undefined || calls.length === 0;
    if (wantsMessage) {
      if (settings.outputModalities.includes('audio')) {
        const voice = typeof settings.voice === 'string' ? settings.voice : 'alloy';
        const input: RenderInput = {
          text,
          ...(reply.audio ? { audio: reply.audio } : {}),
          voice,
          speed: settings.speed,
        };
        const encoder = this.#encoderFor(settings.format);
        const renderer = this.#deps.renderer;
        if (renderer.stream && !reply.audio) {
          // Speech starts streaming now; the run sends each piece as soon as it is synthesised.
          plan.push({
            kind: 'message',
            itemId: wire.ids.item(),
            modality: 'audio',
            text,
            audioStream: encodePieces(renderer.stream(input), encoder),
          });
        } else {
          const audio = encoder.encode(await renderer.render(input));
          plan.push({
            kind: 'message',
            itemId: wire.ids.item(),
            modality: 'audio',
            text,
            audio,
            audioMs: wire.bytesToMs(settings.format, audio.byteLength),
          });
        }
      } else {
        plan.push({ kind: 'message', itemId: wire.ids.item(), modality: 'text', text });
      }
    }
    for (const call of calls) {
      plan.push({
        kind: 'function_call',
        itemId: wire.ids.item(),
        callId: wire.ids.call(),
        name: call.name,
        arguments: call.arguments,
      });
    }
    return plan;
  }

  #encoderFor(format: unknown): OutputEncoder {
    if (this.#encoder?.matches(format)) return this.#encoder;
    this.#encoder = createOutputEncoder(format);
    return this.#encoder;
  }
}

/** A stream of voice pieces as a stream of encoded pieces; stopping it stops the source at once. */
function encodePieces(
  source: AsyncIterator<SpokenPiece, void>,
  encoder: OutputEncoder,
): AsyncIterator<EncodedPiece, void> {
  return {
    next: async () => {
      const result = await source.next();
      if (result.done === true) return { done: true, value: undefined };
      return {
        done: false,
        value: { text: result.value.text, audio: encoder.encode(result.value) },
      };
    },
    return: async () => {
      await source.return?.();
      return { done: true, value: undefined };
    },
  };
}

/** Function tools a response may call: none with `tool_choice: "none"`, one with `{type:"function", name}`. */
function allowedTools(tools: Json[], toolChoice: unknown): string[] {
  if (toolChoice === 'none') return [];
  const names = tools.filter((t) => t.type === 'function').map((t) => String(t.name));
  if (toolChoice !== null && typeof toolChoice === 'object') {
    const forced = (toolChoice as Json).name;
    if ((toolChoice as Json).type === 'function' && typeof forced === 'string')
      return names.filter((n) => n === forced);
  }
  return names;
}

/** The call a `tool_choice` asks for: `required` (any offered tool) or `{ type: "function", name }`. */
function requiredCall(toolChoice: unknown): Pick<ResponseSettings, 'toolChoice'> {
  if (toolChoice === 'required') return { toolChoice: 'required' };
  if (toolChoice !== null && typeof toolChoice === 'object') {
    const { type, name } = toolChoice as Json;
    if (type === 'function' && typeof name === 'string') return { toolChoice: { name } };
  }
  return {};
}
