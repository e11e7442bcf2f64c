import type { Logger } from 'pino';
import type { AudioRenderer } from '../voice/audio-renderer.js';
import type { Responder, Reply } from '../responder/responder.js';
import type { EngineMetrics } from '../server/metrics.js';
import type { SessionPort, SessionRequest, SessionSink } from './session-port.js';
import type { Clock, TimerHandle } from './clock.js';
import { Conversation } from './conversation.js';
import type { StoredItem } from './conversation.js';
import { InputAudioBuffer } from './input-buffer.js';
import {
  applyRealtimeSessionUpdate,
  applyTranscriptionSessionUpdate,
} from '@realtime-assistant/protocol';
import type {
  BetaExtras,
  ResolvedRealtimeSession,
  ResolvedTranscriptionSession,
} from '@realtime-assistant/protocol';
import type { PlannedOutput } from './response-plan.js';
import { readReplyContext } from './reply-context.js';
import type { ReplyContext } from './reply-context.js';
import { ResponseRun } from './response-run.js';
import type { CancelReason, OutboundEvent, RunFault } from './response-run.js';
import type { OutputEncoder } from './output-encoder.js';
import { createOutputEncoder } from './output-encoder.js';
import * as wire from './wire.js';

/** Limits one session enforces. */
export interface SessionLimits {
  /** Session duration; `session_expired` then close. */
  maxSessionMs: number;
  /** Decoded audio bytes per `input_audio_buffer.append` (live: 15 MiB). */
  maxAppendBytes: number;
  /** Bytes the input audio buffer may hold before appends are refused. */
  maxInputBufferBytes: number;
}

/** Watches a session from outside (the test kit records, the metrics count). */
export interface SessionObserver {
  clientEvent?(sessionId: string, event: { type: string } & Record<string, unknown>): void;
  serverEvent?(sessionId: string, event: { type: string } & Record<string, unknown>): void;
  closed?(sessionId: string): void;
}

/** Faults injected by a control call, consumed by the next response of the session. */
export interface FaultSource {
  nextResponseFault(sessionId: string): RunFault | { type: 'session_expired' } | undefined;
}

export interface SessionDeps {
  id?: string;
  request: SessionRequest;
  sink: SessionSink;
  responder: Responder;
  renderer: AudioRenderer;
  clock: Clock;
  logger: Logger;
  metrics: EngineMetrics;
  limits: SessionLimits;
  /** Accept the seed's custom client events (`audio`, `interrupt`, `heartbeat`). */
  extensions: boolean;
  faults?: FaultSource;
  observer?: SessionObserver;
  /** Default instructions shown in `session.created` (the scenario's, or the live default). */
  instructions?: string;
}

const MIN_COMMIT_MS = 100;
const EXTENSION_TYPES = new Set(['audio', 'interrupt', 'heartbeat']);

type Json = Record<string, unknown>;

/**
 * One Realtime session as a state machine with injected I/O: it receives client text frames and sends server
 * events through a sink. It holds the effective session config, the default conversation, the input audio
 * buffer, at most one in-band response and any number of out-of-band ones.
 */
export class RealtimeSessionMachine implements SessionPort {
  readonly id: string;
  readonly kind: 'realtime' | 'transcription';
  #deps: SessionDeps;
  #log: Logger;
  #config: Json;
  #conversation = new Conversation();
  #input: InputAudioBuffer;
  #inBand: ResponseRun | null = null;
  #outOfBand = new Set<ResponseRun>();
  #responseCount = 0;
  #expiryTimer: TimerHandle | null = null;
  #disposed = false;
  #audioProduced = false;
  #encoder: OutputEncoder | null = null;

  constructor(deps: SessionDeps) {
    this.#deps = deps;
    this.id = deps.id ?? wire.ids.session();
    this.kind = deps.request.kind;
    this.#log = deps.logger.child({ session_id: this.id });
    this.#input = new InputAudioBuffer(deps.limits.maxInputBufferBytes);
    const base = wire.defaultSession(this.kind, {
      id: this.id,
      model: deps.request.model,
      createdAtMs: deps.clock.now(),
      instructions: deps.instructions,
    });
    base.expires_at = Math.floor((deps.clock.now() + deps.limits.maxSessionMs) / 1000);
    this.#config = deps.request.initialSession
      ? this.#apply(base, wire.stripReadOnly(deps.request.initialSession as Json))
      : base;
  }

  #betaExtras: BetaExtras = {};

  #apply(current: Json, update: Json): Json {
    const next =
      this.kind === 'transcription'
        ? applyTranscriptionSessionUpdate(current as unknown as ResolvedTranscriptionSession, {
            ...update,
            type: 'transcription',
          })
        : applyRealtimeSessionUpdate(current as unknown as ResolvedRealtimeSession, {
            ...update,
            type: 'realtime',
          });
    return next;
  }

  /** The effective session object (a copy). */
  get session(): Json {
    return structuredClone(this.#config);
  }

  /** Items of the default conversation, in order (copies). */
  get items(): StoredItem[] {
    return this.#conversation.items();
  }

  /** The in-band response running now, if any. */
  get activeResponseId(): string | null {
    return this.#inBand?.id ?? null;
  }

  start(): void {
    this.#emit({ type: 'session.created', session: this.#config });
    this.#expiryTimer = this.#deps.clock.setTimeout(
      () => this.expire(),
      this.#deps.limits.maxSessionMs,
    );
    this.#log.info(
      { kind: this.kind, model: this.#deps.request.model, beta: this.#deps.request.beta },
      'session started',
    );
  }

  /** Ends the session as the live service does at its maximum duration. */
  expire(): void {
    if (this.#disposed) return;
    this.#emit(
      wire.error(
        'session_expired',
        'Your session hit the maximum duration of 60 minutes.',
        null,
        null,
      ),
    );
    this.#log.info('session expired');
    this.#deps.sink.close(1000, 'invalid_request_error.session_expired');
    this.dispose();
  }

  /** Sends an `error` event (fault injection); `fatal` closes the connection after it. */
  sendError(code: string, message: string, param: string | null, fatal = false): void {
    this.#error(
      code,
      message,
      param,
      null,
      code === 'server_error' ? 'server_error' : 'invalid_request_error',
    );
    if (fatal) this.closeConnection(1011, `server_error.${code}`);
  }

  /** Closes the connection from the server side. */
  closeConnection(code: number, reason: string): void {
    if (this.#disposed) return;
    this.#deps.sink.close(code, reason);
    this.dispose();
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    if (this.#expiryTimer !== null) this.#deps.clock.clearTimeout(this.#expiryTimer);
    this.#inBand?.drop();
    for (const run of this.#outOfBand) run.drop();
    this.#outOfBand.clear();
    this.#deps.observer?.closed?.(this.id);
    this.#log.info('session closed');
  }

  // ---------------------------------------------------------------------------------------------- sending

  #emit(event: OutboundEvent): void {
    if (this.#disposed) return;
    const stamped = { event_id: wire.ids.event(), ...event } as OutboundEvent;
    this.#deps.metrics.eventOut(stamped.type);
    if (stamped.type === 'error') {
      const code = (stamped.error as { code?: string | null } | undefined)?.code;
      this.#deps.metrics.error(code ?? 'null');
    }
    this.#deps.observer?.serverEvent?.(this.id, stamped);
    for (const text of wire.serialize(stamped, this.#deps.request.beta, this.#betaExtras))
      this.#deps.sink.sendText(text);
  }

  #error(
    code: string,
    message: string,
    param: string | null,
    eventId: string | null,
    type?: string,
  ): void {
    this.#emit(wire.error(code, message, param, eventId, type));
  }

  // ---------------------------------------------------------------------------------------------- receiving

  receiveText(text: string): void {
    if (this.#disposed) return;
    const parsed = wire.parse(text, {
      beta: this.#deps.request.beta,
      extensions: this.#deps.extensions ? EXTENSION_TYPES : null,
    });
    if (!parsed.ok) {
      this.#deps.metrics.eventIn('invalid');
      this.#emit({ type: 'error', error: parsed.error });
      return;
    }
    const event = parsed.event;
    this.#deps.metrics.eventIn(event.type);
    this.#deps.observer?.clientEvent?.(this.id, event);
    try {
      this.#dispatch(event, parsed.extras);
    } catch (err) {
      // A bug here must not take the session (or the process) down: answer like the live service would.
      this.#log.error({ err, type: event.type }, 'error handling client event');
      this.#error(
        'server_error',
        'The server had an error while processing your request.',
        null,
        wire.eventIdOf(event),
        'server_error',
      );
    }
  }

  #dispatch(event: Json & { type: string }, extras: BetaExtras): void {
    const eventId = wire.eventIdOf(event);
    switch (event.type) {
      case 'session.update':
        return this.#sessionUpdate(event.session as Json, eventId, extras);
      case 'input_audio_buffer.append':
        return this.#append(event.audio as string, eventId);
      case 'input_audio_buffer.commit':
        return this.#commit(eventId);
      case 'input_audio_buffer.clear':
        this.#input.clear();
        return this.#emit({ type: 'input_audio_buffer.cleared' });
      case 'conversation.item.create':
        return this.#itemCreate(
          event.item as Json,
          event.previous_item_id as string | null | undefined,
          eventId,
        );
      case 'conversation.item.retrieve':
        return this.#itemRetrieve(event.item_id as string, eventId);
      case 'conversation.item.delete':
        return this.#itemDelete(event.item_id as string, eventId);
      case 'conversation.item.truncate':
        return this.#itemTruncate(
          event.item_id as string,
          event.content_index as number,
          event.audio_end_ms as number,
          eventId,
        );
      case 'response.create':
        return this.#responseCreate((event.response as Json | undefined) ?? {}, eventId);
      case 'response.cancel':
        return this.#responseCancel(event.response_id as string | undefined, eventId);
      case 'output_audio_buffer.clear':
        // WebRTC/SIP only: the live WebSocket endpoint does not accept it.
        return this.#error(
          'invalid_value',
          wire.unsupportedTypeMessage('output_audio_buffer.clear'),
          'type',
          eventId,
        );
      case 'audio':
        this.#log.info({ extension: 'audio' }, 'extension event used');
        return this.#append(event.audio as string, eventId);
      case 'interrupt':
        this.#log.info({ extension: 'interrupt' }, 'extension event used');
        this.#inBand?.cancel('client_cancelled');
        return;
      case 'heartbeat':
        this.#log.info({ extension: 'heartbeat' }, 'extension event used');
        return;
      default:
        return this.#error(
          'invalid_value',
          wire.unsupportedTypeMessage(event.type),
          'type',
          eventId,
        );
    }
  }

  // ---------------------------------------------------------------------------------------------- session

  #sessionUpdate(update: Json, eventId: string | null, extras: BetaExtras): void {
    const expected = this.kind;
    if (!this.#deps.request.beta && update.type !== expected) {
      this.#error(
        'invalid_value',
        `Invalid value: '${String(update.type)}'. This session's type is '${expected}'; it cannot be changed.`,
        'session.type',
        eventId,
      );
      return;
    }
    const voiceNow = (this.#config.audio as Json | undefined)?.output as Json | undefined;
    const voiceNext = ((update.audio as Json | undefined)?.output as Json | undefined)?.voice;
    if (
      this.#audioProduced &&
      voiceNext !== undefined &&
      JSON.stringify(voiceNext) !== JSON.stringify(voiceNow?.voice)
    ) {
      this.#error(
        'cannot_update_voice',
        "Cannot update a conversation's voice if assistant audio is present.",
        'session.audio.output.voice',
        eventId,
      );
      return;
    }
    this.#config = this.#apply(this.#config, wire.stripReadOnly(update));
    if (Object.keys(extras).length > 0) this.#betaExtras = { ...this.#betaExtras, ...extras };
    this.#encoder = null;
    this.#emit({ type: 'session.updated', session: this.#config });
  }

  // ---------------------------------------------------------------------------------------------- input audio

  #inputFormat(): unknown {
    return ((this.#config.audio as Json | undefined)?.input as Json | undefined)?.format;
  }

  #append(audio: string, eventId: string | null): void {
    const bytes = wire.decodeBase64(audio);
    if (bytes === null) {
      this.#error(
        'invalid_value',
        "Invalid 'audio'. Expected base64-encoded audio bytes.",
        'audio',
        eventId,
      );
      return;
    }
    if (bytes.byteLength > this.#deps.limits.maxAppendBytes) {
      const mib = (n: number): string => (n / 1024 / 1024).toFixed(1);
      this.#error(
        'invalid_value',
        `Audio chunk too large: ${mib(bytes.byteLength)} MiB exceeds the ${mib(this.#deps.limits.maxAppendBytes)} MiB limit per input_audio_buffer.append.`,
        'audio',
        eventId,
      );
      return;
    }
    if (!this.#input.append(bytes)) {
      const limitMs = Math.round(wire.bytesToMs(this.#inputFormat(), this.#input.maxBytes));
      this.#error(
        'input_audio_buffer_full',
        `The input audio buffer is full (${limitMs}ms). Commit or clear it before appending more audio.`,
        'audio',
        eventId,
      );
    }
  }

  #commit(eventId: string | null): void {
    const format = this.#inputFormat();
    const ms = wire.bytesToMs(format, this.#input.byteLength);
    if (ms < MIN_COMMIT_MS) {
      this.#error(
        'input_audio_buffer_commit_empty',
        `Error committing input audio buffer: buffer too small. Expected at least ${MIN_COMMIT_MS}ms of audio, but buffer only has ${ms.toFixed(2)}ms of audio.`,
        null,
        eventId,
      );
      return;
    }
    this.#commitAudio(this.#input.take());
  }

  /** Turns committed audio into a user item (GA: committed → item added → item done). */
  #commitAudio(bytes: Uint8Array): string {
    const itemId = wire.ids.item();
    const item = {
      id: itemId,
      object: 'realtime.item',
      type: 'message',
      status: 'completed',
      role: 'user',
      content: [{ type: 'input_audio', transcript: null }],
    };
    const stored: StoredItem = {
      item: item as StoredItem['item'],
      audio: new Map([[0, bytes]]),
      audioSentMs: new Map(),
    };
    const result = this.#conversation.insert(stored);
    const previous = result.ok ? result.previousItemId : null;
    this.#emit({
      type: 'input_audio_buffer.committed',
      previous_item_id: previous,
      item_id: itemId,
    });
    this.#emit({ type: 'conversation.item.added', previous_item_id: previous, item });
    this.#emit({ type: 'conversation.item.done', previous_item_id: previous, item });
    return itemId;
  }

  // ---------------------------------------------------------------------------------------------- items

  #itemCreate(raw: Json, previousItemId: string | null | undefined, eventId: string | null): void {
    const item = wire.completeClientItem(raw);
    if (this.#conversation.has(item.id)) {
      this.#error('invalid_value', `Item with id '${item.id}' already exists.`, 'item.id', eventId);
      return;
    }
    const audio = new Map<number, Uint8Array>();
    const content = item.content as Json[] | undefined;
    content?.forEach((part, index) => {
      if (typeof part.audio === 'string') {
        const bytes = wire.decodeBase64(part.audio);
        if (bytes) audio.set(index, bytes);
        delete part.audio;
      }
    });
    const result = this.#conversation.insert(
      { item: item as StoredItem['item'], audio, audioSentMs: new Map() },
      previousItemId,
    );
    if (!result.ok) {
      if (result.reason === 'unknown_previous_item') {
        this.#error(
          'item_not_found',
          `Previous item with id '${result.previousItemId}' not found.`,
          'previous_item_id',
          eventId,
        );
      }
      return;
    }
    // Items created by the client that carried audio keep it for `retrieve`.
    for (const [index, bytes] of audio) {
      this.#conversation
        .get(item.id)
        ?.audioSentMs.set(index, wire.bytesToMs(this.#inputFormat(), bytes.byteLength));
    }
    this.#emit({ type: 'conversation.item.added', previous_item_id: result.previousItemId, item });
    this.#emit({ type: 'conversation.item.done', previous_item_id: result.previousItemId, item });
  }

  #itemRetrieve(itemId: string, eventId: string | null): void {
    const stored = this.#conversation.get(itemId);
    if (!stored) return this.#itemNotFound(itemId, eventId);
    const item = structuredClone(stored.item) as Json;
    const content = item.content as Json[] | undefined;
    for (const [index, bytes] of stored.audio) {
      const part = content?.[index];
      if (part) part.audio = wire.encodeBase64(bytes);
    }
    this.#emit({ type: 'conversation.item.retrieved', item });
  }

  #itemDelete(itemId: string, eventId: string | null): void {
    if (!this.#conversation.delete(itemId)) return this.#itemNotFound(itemId, eventId);
    this.#emit({ type: 'conversation.item.deleted', item_id: itemId });
  }

  #itemNotFound(itemId: string, eventId: string | null): void {
    this.#error('item_not_found', `Item with item_id not found: ${itemId}`, 'item_id', eventId);
  }

  #itemTruncate(
    itemId: string,
    contentIndex: number,
    audioEndMs: number,
    eventId: string | null,
  ): void {
    const stored = this.#conversation.get(itemId);
    if (!stored) return this.#itemNotFound(itemId, eventId);
    const item = stored.item as Json;
    const content = item.content as Json[] | undefined;
    const part = content?.[contentIndex];
    if (item.type !== 'message' || item.role !== 'assistant') {
      this.#error('invalid_value', 'Only assistant messages can be truncated.', 'item_id', eventId);
      return;
    }
    if (!part || part.type !== 'output_audio') {
      this.#error(
        'invalid_value',
        `Content part ${contentIndex} of item '${itemId}' is not audio.`,
        'content_index',
        eventId,
      );
      return;
    }
    if (this.#inBand && this.#inBand.id && this.#producing(itemId))
      this.#inBand.cancel('client_cancelled');
    const sentMs = Math.floor(stored.audioSentMs.get(contentIndex) ?? 0);
    if (audioEndMs > sentMs) {
      this.#error(
        'invalid_value',
        `Audio content of ${sentMs}ms is already shorter than ${audioEndMs}ms`,
        'audio_end_ms',
        eventId,
      );
      return;
    }
    const format = this.#outputFormat();
    const bytes = stored.audio.get(contentIndex);
    if (bytes)
      stored.audio.set(contentIndex, bytes.subarray(0, wire.msToBytes(format, audioEndMs)));
    stored.audioSentMs.set(contentIndex, audioEndMs);
    const transcript = typeof part.transcript === 'string' ? part.transcript : '';
    part.transcript = sentMs > 0 ? cutTranscript(transcript, audioEndMs / sentMs) : '';
    this.#emit({
      type: 'conversation.item.truncated',
      item_id: itemId,
      content_index: contentIndex,
      audio_end_ms: audioEndMs,
    });
  }

  #producingItems = new Set<string>();

  #producing(itemId: string): boolean {
    return this.#producingItems.has(itemId);
  }

  // ---------------------------------------------------------------------------------------------- responses

  #outputFormat(): unknown {
    return ((this.#config.audio as Json | undefined)?.output as Json | undefined)?.format;
  }

  #responseCreate(params: Json, eventId: string | null): void {
    if (this.kind === 'transcription') {
      this.#error(
        'invalid_value',
        'Transcription sessions do not generate responses.',
        'type',
        eventId,
      );
      return;
    }
    const outOfBand = params.conversation === 'none';
    if (!outOfBand && this.#inBand) {
      this.#error(
        'conversation_already_has_active_response',
        `Conversation already has an active response in progress: ${this.#inBand.id}. Wait until the response is finished before creating a new one.`,
        null,
        eventId,
      );
      return;
    }
    const injected = this.#deps.faults?.nextResponseFault(this.id);
    if (injected?.type === 'session_expired') return this.expire();
    const responseId = wire.ids.response();
    const context = this.#context(params);
    const config = this.#config;
    const audioConfig = (config.audio as Json).output as Json;
    const outputModalities =
      (params.output_modalities as ('text' | 'audio')[] | undefined) ??
      (config.output_modalities as ('text' | 'audio')[]);
    const paramsAudio = (params.audio as Json | undefined)?.output as Json | undefined;
    const format = paramsAudio?.format ?? audioConfig.format;
    const voice = paramsAudio?.voice ?? audioConfig.voice;
    const tools = (params.tools as Json[] | undefined) ?? (config.tools as Json[]);
    const toolChoice = params.tool_choice ?? config.tool_choice;
    const toolNames =
      toolChoice === 'none'
        ? []
        : tools.filter((t) => t.type === 'function').map((t) => String(t.name));
    const instructions =
      (params.instructions as string | undefined) ?? (config.instructions as string);
    const responseIndex = this.#responseCount++;
    // The run is registered before any await, so a second create is refused at once.
    const placeholder = { responseId, outOfBand };
    const start = async (): Promise<void> => {
      let reply: Reply;
      try {
        reply = await this.#deps.responder.reply({
          text: context.text,
          turn: context.turn,
          modalities: outputModalities,
          ...(context.functionOutput ? { functionOutput: context.functionOutput } : {}),
          responseIndex,
          toolNames,
          instructions,
        });
      } catch (err) {
        this.#log.error({ err }, 'responder failed');
        reply = {
          functionCalls: [],
          text: 'Sorry, something went wrong.',
          pacing: { firstDeltaMs: 0, textCharsPerSecond: 0, audioSpeed: 0 },
          source: 'error',
        };
      }
      const fault = injected ?? reply.fault;
      if (fault?.type === 'session_expired') {
        this.#finishPlaceholder(placeholder);
        return this.expire();
      }
      const plan = await this.#plan(
        reply,
        outputModalities,
        format,
        String(typeof voice === 'string' ? voice : 'alloy'),
        toolNames,
      );
      if (this.#disposed) return;
      const run = new ResponseRun(
        {
          id: responseId,
          conversationId: outOfBand ? null : wire.conversationId(this.id),
          outputModalities,
          maxOutputTokens:
            (params.max_output_tokens as number | 'inf' | undefined) ??
            (config.max_output_tokens as number | 'inf'),
          audioOutput: { format, voice },
          metadata: (params.metadata as Record<string, string> | undefined) ?? null,
          plan,
          pacing: reply.pacing,
          inputTokens: context.inputTokens,
          ...(fault ? { fault } : {}),
        },
        {
          clock: this.#deps.clock,
          emit: (e) => this.#emit(e),
          addItem: (item) => {
            this.#producingItems.add(item.id);
            const result = this.#conversation.insert({
              item: item as unknown as StoredItem['item'],
              audio: new Map(),
              audioSentMs: new Map(),
            });
            return result.ok ? result.previousItemId : null;
          },
          finishItem: (item, audio, audioMs) => {
            this.#producingItems.delete(item.id);
            const stored = this.#conversation.get(item.id);
            if (!stored) return;
            stored.item = item as unknown as StoredItem['item'];
            if (audio) {
              stored.audio.set(0, audio);
              stored.audioSentMs.set(0, audioMs);
              this.#audioProduced = true;
            }
          },
          audioSent: (itemId, ms) => {
            this.#conversation.get(itemId)?.audioSentMs.set(0, ms);
          },
          bytesToMs: (n) => wire.bytesToMs(format, n),
          msToBytes: (ms) => wire.msToBytes(format, ms),
          toBase64: wire.encodeBase64,
          closeConnection: (code, reason) => {
            this.#deps.sink.close(code, reason);
            this.dispose();
          },
          onFinished: (r) => {
            const latency = r.firstDeltaLatencyMs;
            if (latency !== null) this.#deps.metrics.responseLatency(latency / 1000);
            if (this.#inBand === r) this.#inBand = null;
            this.#outOfBand.delete(r);
          },
        },
      );
      this.#finishPlaceholder(placeholder);
      if (outOfBand) this.#outOfBand.add(run);
      else this.#inBand = run;
      if (this.#pendingCancel.has(responseId)) run.cancel(this.#pendingCancel.get(responseId)!);
      await run.run();
    };
    this.#pending.set(responseId, placeholder);
    if (!outOfBand) this.#inBandPending = responseId;
    void start().catch((err: unknown) => this.#log.error({ err }, 'response failed'));
  }

  #pending = new Map<string, { responseId: string; outOfBand: boolean }>();
  #pendingCancel = new Map<string, CancelReason>();
  #inBandPending: string | null = null;

  #finishPlaceholder(p: { responseId: string; outOfBand: boolean }): void {
    this.#pending.delete(p.responseId);
    if (this.#inBandPending === p.responseId) this.#inBandPending = null;
  }

  /** The in-band response, whether it is running or still being prepared. */
  #activeInBandId(): string | null {
    return this.#inBand?.id ?? this.#inBandPending;
  }

  #responseCancel(responseId: string | undefined, eventId: string | null): void {
    const active = this.#activeInBandId();
    const target = responseId ?? active;
    const run =
      (this.#inBand && this.#inBand.id === target ? this.#inBand : undefined) ??
      [...this.#outOfBand].find((r) => r.id === target);
    if (run && !run.cancelling) {
      run.cancel('client_cancelled');
      return;
    }
    if (target !== null && this.#pending.has(target) && !this.#pendingCancel.has(target)) {
      this.#pendingCancel.set(target, 'client_cancelled');
      return;
    }
    this.#error(
      'response_cancel_not_active',
      'Cancellation failed: no active response found.',
      null,
      eventId,
    );
  }

  /** Cancels the running in-band response because the user started speaking (server VAD). */
  cancelForTurn(): boolean {
    if (this.#inBand && !this.#inBand.cancelling) {
      this.#inBand.cancel('turn_detected');
      return true;
    }
    return false;
  }

  /** The conversation a response sees: the default conversation, or the `input` given to it. */
  #context(params: Json): ReplyContext {
    const conversation = this.#conversation.items().map((s) => s.item as Json);
    const items = Array.isArray(params.input)
      ? (params.input as Json[]).flatMap((entry): Json[] => {
          if (entry.type !== 'item_reference') return [entry];
          const stored =
            typeof entry.id === 'string' ? this.#conversation.get(entry.id) : undefined;
          return stored ? [stored.item as Json] : [];
        })
      : conversation;
    let audioMs = 0;
    for (const stored of this.#conversation.items()) {
      for (const ms of stored.audioSentMs.values()) audioMs += ms;
    }
    const instructions =
      typeof params.instructions === 'string'
        ? params.instructions
        : String(this.#config.instructions);
    return readReplyContext(items, conversation, instructions, audioMs);
  }

  async #plan(
    reply: Reply,
    modalities: ('text' | 'audio')[],
    format: unknown,
    voice: string,
    toolNames: string[],
  ): Promise<PlannedOutput[]> {
    const plan: PlannedOutput[] = [];
    const calls = reply.functionCalls.filter((call) => {
      const ok = toolNames.includes(call.name);
      if (!ok)
        this.#log.warn(
          { tool: call.name },
          'scenario calls a tool the session does not define; skipped',
        );
      return ok;
    });
    const text = reply.text ?? '';
    const wantsMessage = text.length > 0 || reply.audio !== undefined || calls.length === 0;
    if (wantsMessage) {
      if (modalities.includes('audio')) {
        const pcm = await this.#deps.renderer.render({
          text,
          ...(reply.audio ? { audio: reply.audio } : {}),
          voice,
        });
        const encoder = this.#encoderFor(format);
        const audio = encoder.encode(pcm);
        plan.push({
          kind: 'message',
          itemId: wire.ids.item(),
          modality: 'audio',
          text,
          audio,
          audioMs: wire.bytesToMs(format, audio.byteLength),
        });
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
    if (this.#encoder && this.#encoder.matches(format)) return this.#encoder;
    this.#encoder = createOutputEncoder(format);
    return this.#encoder;
  }
}

/** The transcript cut at `fraction` of its length, at a word boundary. */
export function cutTranscript(transcript: string, fraction: number): string {
  if (fraction >= 1) return transcript;
  const cut = Math.floor(transcript.length * Math.max(0, fraction));
  const space = transcript.lastIndexOf(' ', cut);
  return transcript.slice(0, space > 0 ? space : cut).trimEnd();
}
