import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { SessionPort } from './session-port.js';
import type { TimerHandle } from './clock.js';
import { Conversation } from './conversation.js';
import type { StoredItem } from './conversation.js';
import { ConversationOps } from './conversation-ops.js';
import { InputAudioBuffer } from './input-buffer.js';
import { ActiveResponses } from './active-responses.js';
import { ResponseFactory } from './response-factory.js';
import type { ResponseSettings } from './response-factory.js';
import {
  applyRealtimeSessionUpdate,
  applyTranscriptionSessionUpdate,
  conversationAlreadyHasActiveResponseError,
  inputAudioBufferCommitEmptyError,
  responseCancelNotActiveError,
} from '@realtime-assistant/protocol';
import type {
  BetaExtras,
  ResolvedRealtimeSession,
  ResolvedTranscriptionSession,
} from '@realtime-assistant/protocol';
import { ResponseRun } from './response-run.js';
import { SpeechInput } from './speech-input.js';
import type { OutboundEvent, RunFault } from './response-types.js';
import { faultErrorType } from './response-events.js';
import * as wire from './wire.js';

import type { SessionDeps } from './session-deps.js';

export type { FaultSource, SessionDeps, SessionLimits, SessionObserver } from './session-deps.js';

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
  #items: ConversationOps;
  #responses = new ActiveResponses();
  #factory: ResponseFactory;
  #expiryTimer: TimerHandle | null = null;
  #disposed = false;
  #audioProduced = false;
  #speech: SpeechInput;

  constructor(deps: SessionDeps) {
    this.#deps = deps;
    this.id = deps.id ?? wire.ids.session();
    this.kind = deps.request.kind;
    this.#log = deps.logger.child({ session_id: this.id });
    this.#input = new InputAudioBuffer(deps.limits.maxInputBufferBytes);
    this.#items = new ConversationOps({
      conversation: this.#conversation,
      emit: (event) => this.#emit(event),
      inputFormat: () => this.#inputFormat(),
      cancelInBand: () => this.#responses.inBandRun?.cancel('client_cancelled'),
    });
    this.#factory = new ResponseFactory({
      sessionId: this.id,
      conversation: this.#conversation,
      responder: deps.responder,
      renderer: deps.renderer,
      logger: this.#log,
      heard: (itemId) => this.#speech.heard(itemId),
    });
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
    this.#speech = new SpeechInput({
      logger: this.#log,
      transcriber: deps.transcriber ?? null,
      grammar: deps.grammar,
      ...(deps.speechClassifier ? { classifier: deps.speechClassifier } : {}),
      buffer: this.#input,
      items: this.#items,
      emit: (event) => this.#emit(event),
      config: () => this.#config,
      onSpeechStarted: (interrupt) => {
        if (interrupt) this.cancelForTurn();
      },
      onTurnCommitted: (createResponse) => {
        if (createResponse && this.kind === 'realtime' && this.#responses.inBandId === null) {
          this.#responseCreate({}, null);
        }
      },
    });
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
    return this.#responses.inBandId;
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
      wire.error('session_expired', expiryMessage(this.#deps.limits.maxSessionMs), null, null),
    );
    this.#log.info('session expired');
    this.#deps.sink.close(1000, 'invalid_request_error.session_expired');
    this.dispose();
  }

  /** Sends an `error` event (fault injection); `fatal` closes the connection after it. */
  sendError(code: string, message: string, param: string | null, fatal = false): void {
    this.#error(code, message, param, null, faultErrorType(code));
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
    this.#responses.dropAll();
    this.#speech.dispose();
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
      this.#dispatch(event, parsed.extras, parsed.audioBytes);
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

  #dispatch(event: Json & { type: string }, extras: BetaExtras, audioBytes?: Uint8Array): void {
    const eventId = wire.eventIdOf(event);
    switch (event.type) {
      case 'session.update':
        return this.#sessionUpdate(event.session as Json, eventId, extras);
      case 'input_audio_buffer.append':
        return this.#append(event.audio as string, eventId, audioBytes);
      case 'input_audio_buffer.commit':
        return this.#commit(eventId);
      case 'input_audio_buffer.clear':
        this.#input.clear();
        this.#speech.bufferReset();
        return this.#emit({ type: 'input_audio_buffer.cleared' });
      case 'conversation.item.create':
        return this.#items.create(
          event.item as Json,
          event.previous_item_id as string | null | undefined,
          eventId,
        );
      case 'conversation.item.retrieve':
        return this.#items.retrieve(event.item_id as string, eventId);
      case 'conversation.item.delete':
        return this.#items.delete(event.item_id as string, eventId);
      case 'conversation.item.truncate':
        return this.#items.truncate(
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
        this.#responses.cancel(undefined, 'client_cancelled');
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
    this.#emit({ type: 'session.updated', session: this.#config });
    this.#speech.configure();
  }

  // ---------------------------------------------------------------------------------------------- input audio

  #inputFormat(): unknown {
    return ((this.#config.audio as Json | undefined)?.input as Json | undefined)?.format;
  }

  #append(audio: string, eventId: string | null, decoded?: Uint8Array): void {
    const bytes = decoded ?? wire.decodeBase64(audio);
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
      return;
    }
    this.#speech.appended(bytes);
  }

  #commit(eventId: string | null): void {
    const format = this.#inputFormat();
    const ms = wire.bytesToMs(format, this.#input.byteLength);
    if (ms < MIN_COMMIT_MS) {
      this.#emit(
        wire.fromErrorEvent(inputAudioBufferCommitEmptyError({ bufferedMs: ms, eventId })),
      );
      return;
    }
    const bytes = this.#input.take();
    const itemId = this.#items.commitAudio(bytes);
    this.#speech.bufferReset();
    this.#speech.recognise(itemId, bytes);
  }

  // ---------------------------------------------------------------------------------------------- responses

  #responseCreate(params: Json, eventId: string | null): void {
    // The latency metric starts here, as the client's clock does (not when the run starts, after the responder).
    const requestedAt = performance.now();
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
    const active = this.#responses.inBandId;
    if (!outOfBand && active !== null) {
      this.#emit(
        wire.fromErrorEvent(
          conversationAlreadyHasActiveResponseError({ responseId: active, eventId }),
        ),
      );
      return;
    }
    const injected = this.#deps.faults?.nextResponseFault(this.id);
    if (injected?.type === 'session_expired') return this.expire();
    const settings = this.#factory.settings(params, this.#config);
    // Claimed before any await: a second in-band create is refused at once, an early cancel is kept.
    this.#responses.claim(settings.id, settings.outOfBand);
    void this.#runResponse(settings, injected, requestedAt, eventId)
      .catch((err: unknown) => this.#log.error({ err }, 'response failed'))
      .finally(() => this.#responses.release(settings.id));
  }

  async #runResponse(
    settings: ResponseSettings,
    injected: RunFault | undefined,
    requestedAt: number,
    eventId: string | null,
  ): Promise<void> {
    const prepared = await this.#factory.prepare(settings, injected);
    if (this.#disposed) return;
    if (prepared.kind === 'session_expired') return this.expire();
    if (prepared.kind === 'refused') {
      // As the live service refuses a create: one `error` naming the client event, and no response events.
      this.#emit(
        wire.error(prepared.code, prepared.message, null, eventId, faultErrorType(prepared.code)),
      );
      return;
    }
    const format = settings.format;
    const run = new ResponseRun(prepared.options, {
      clock: this.#deps.clock,
      emit: (e) => this.#emit(e),
      addItem: (item) => this.#items.addAssistantItem(item, format),
      finishItem: (item, audio, audioMs) => {
        if (audio) this.#audioProduced = true;
        this.#items.finishAssistantItem(item, audio, audioMs);
      },
      partStarted: (itemId, part) => this.#items.assistantPartStarted(itemId, part),
      audioSent: (itemId, ms) => this.#items.assistantAudioSent(itemId, ms),
      bytesToMs: (n) => wire.bytesToMs(format, n),
      msToBytes: (ms) => wire.msToBytes(format, ms),
      toBase64: wire.encodeBase64,
      closeConnection: (code, reason) => this.closeConnection(code, reason),
      onFirstDelta: () =>
        this.#deps.metrics.responseLatency((performance.now() - requestedAt) / 1000),
      onFinished: (r) => {
        this.#responses.release(r.id);
        if (r.inBand) this.#speech.responseFinished(r.outputAudioMs);
      },
    });
    this.#responses.attach(run);
    await run.run();
  }

  #responseCancel(responseId: string | undefined, eventId: string | null): void {
    if (this.#responses.cancel(responseId, 'client_cancelled')) return;
    this.#emit(wire.fromErrorEvent(responseCancelNotActiveError({ eventId })));
  }

  /** Cancels the running in-band response because the user started speaking (server VAD). */
  cancelForTurn(): boolean {
    const run = this.#responses.inBandRun;
    if (!run || run.cancelling) return false;
    run.cancel('turn_detected');
    return true;
  }
}

/** The live expiry message, for the session's configured duration ("… of 60 minutes."). */
export function expiryMessage(maxSessionMs: number): string {
  const minutes = Math.round((maxSessionMs / 60_000) * 100) / 100;
  return `Your session hit the maximum duration of ${minutes} minute${minutes === 1 ? '' : 's'}.`;
}
