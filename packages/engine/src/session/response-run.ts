import { concatBytes, nextPiece, onePiece } from './audio-pieces.js';
import { sleep } from './clock.js';
import { faultError, rateLimitsUpdated } from './response-events.js';
import type { EncodedPiece, PlannedOutput } from './response-plan.js';
import type {
  CancelReason,
  OutboundEvent,
  ResponseRunDeps,
  ResponseRunOptions,
  RunFault,
  WireItem,
} from './response-types.js';
import {
  audioTokens,
  responseUsage,
  splitTextDeltas,
  textTokens,
  wordStartTimes,
} from './response-plan.js';

export type {
  CancelReason,
  OutboundEvent,
  ResponseRunDeps,
  ResponseRunOptions,
  RunFault,
  WireItem,
} from './response-types.js';

/**
 * One response, from `response.created` to `response.done` and `rate_limits.updated`, in the live GA order:
 * output_item.added → conversation.item.added → content_part.added → deltas → *.done → conversation.item.done →
 * output_item.done. A cancel stops the deltas and still sends every pending `*.done`.
 */
export class ResponseRun {
  readonly id: string;
  readonly inBand: boolean;
  #opts: ResponseRunOptions;
  #deps: ResponseRunDeps;
  #abort = new AbortController();
  #cancelReason: CancelReason | null = null;
  #dropped = false;
  #eventsSent = 0;
  #output: WireItem[] = [];
  #outputText = '';
  #outputAudioMs = 0;

  /** Milliseconds of audio this response has sent. */
  get outputAudioMs(): number {
    return this.#outputAudioMs;
  }
  #status: 'completed' | 'cancelled' | 'incomplete' | 'failed' = 'completed';
  #statusDetails: Record<string, unknown> | null = null;
  #firstDeltaAt: number | null = null;
  readonly startedAt: number;

  constructor(options: ResponseRunOptions, deps: ResponseRunDeps) {
    this.id = options.id;
    this.inBand = options.conversationId !== null;
    this.#opts = options;
    this.#deps = deps;
    this.startedAt = deps.clock.now();
  }

  /** True once cancel was asked for. */
  get cancelling(): boolean {
    return this.#cancelReason !== null;
  }

  /** Milliseconds from start to the first delta, once there was one. */
  get firstDeltaLatencyMs(): number | null {
    return this.#firstDeltaAt === null ? null : this.#firstDeltaAt - this.startedAt;
  }

  /** Stops the response: pending deltas are dropped, every open `*.done` is still sent. Idempotent. */
  cancel(reason: CancelReason): void {
    if (this.#cancelReason !== null) return;
    this.#cancelReason = reason;
    this.#abort.abort();
  }

  /** Stops without sending anything more (the connection is gone). */
  drop(): void {
    this.#dropped = true;
    this.#abort.abort();
  }

  #emit(event: OutboundEvent): void {
    if (this.#dropped) return;
    this.#deps.emit(event);
    this.#eventsSent += 1;
    const fault = this.#opts.fault;
    if (fault?.type === 'close' && this.#eventsSent === fault.afterEvents) {
      this.#dropped = true;
      this.#abort.abort();
      this.#deps.closeConnection(fault.code, fault.reason);
    }
  }

  get #stopped(): boolean {
    return this.#abort.signal.aborted;
  }

  async #pace(ms: number): Promise<void> {
    if (ms <= 0 || this.#stopped) return;
    await sleep(this.#deps.clock, ms, this.#abort.signal).catch(() => undefined);
  }

  #stalled = false;

  /** A stall fault pauses the response once, right after its first delta. */
  async #afterDelta(): Promise<void> {
    const fault = this.#opts.fault;
    if (fault?.type !== 'stall' || this.#stalled) return;
    this.#stalled = true;
    await this.#pace(fault.ms);
  }

  #markFirstDelta(): void {
    if (this.#firstDeltaAt !== null) return;
    this.#firstDeltaAt = this.#deps.clock.now();
    this.#deps.onFirstDelta?.();
  }

  #responseObject(final: boolean): Record<string, unknown> {
    const o = this.#opts;
    return {
      object: 'realtime.response',
      id: this.id,
      status: final ? this.#status : 'in_progress',
      status_details: final ? this.#statusDetails : null,
      output: final ? this.#output.slice() : [],
      conversation_id: o.conversationId,
      output_modalities: o.outputModalities,
      max_output_tokens: o.maxOutputTokens,
      audio: { output: o.audioOutput },
      usage: final ? this.#usage() : null,
      metadata: o.metadata,
    };
  }

  #usage(): Record<string, unknown> {
    return responseUsage(this.#opts.inputTokens, this.#outputText, this.#outputAudioMs);
  }

  /** Runs the response to its end. Never rejects. */
  async run(): Promise<void> {
    try {
      await this.#run();
    } finally {
      this.#deps.onFinished(this);
    }
  }

  async #run(): Promise<void> {
    const o = this.#opts;
    this.#emit({ type: 'response.created', response: this.#responseObject(false) });
    const fault = o.fault;
    if (fault?.type === 'error' || fault?.type === 'rate_limit') {
      await this.#pace(o.pacing.firstDeltaMs);
      this.#fail(fault);
      return;
    }
    await this.#pace(o.pacing.firstDeltaMs);
    let budget = o.maxOutputTokens === 'inf' ? Number.POSITIVE_INFINITY : o.maxOutputTokens;
    for (let index = 0; index < o.plan.length && !this.#stopped; index++) {
      const planned = o.plan[index]!;
      const used = planned.kind === 'message' ? await this.#message(index, planned, budget) : 0;
      if (planned.kind === 'function_call') await this.#functionCall(index, planned);
      budget -= used;
      if (budget <= 0 && index < o.plan.length - 1 && !this.#stopped) {
        this.#setIncomplete();
        break;
      }
    }
    if (this.#dropped) return;
    if (this.#cancelReason !== null) {
      this.#status = 'cancelled';
      this.#statusDetails = { type: 'cancelled', reason: this.#cancelReason };
    }
    this.#finish();
  }

  #setIncomplete(): void {
    this.#status = 'incomplete';
    this.#statusDetails = { type: 'incomplete', reason: 'max_output_tokens' };
  }

  #fail(fault: Extract<RunFault, { type: 'error' | 'rate_limit' }>): void {
    const error = faultError(fault);
    this.#status = 'failed';
    this.#statusDetails = { type: 'failed', error };
    if (fault.type === 'error') {
      this.#emit({
        type: 'error',
        error: { ...error, param: fault.param ?? null, event_id: null },
      });
    }
    this.#finish(fault.type === 'rate_limit' ? 0 : undefined);
    if (fault.type === 'error' && fault.fatal === true && !this.#dropped) {
      this.#dropped = true;
      this.#deps.closeConnection(1011, `server_error.${fault.code}`);
    }
  }

  #finish(remainingOverride?: number): void {
    this.#emit({ type: 'response.done', response: this.#responseObject(true) });
    const limit = this.#opts.rateLimit ?? { limit: 40_000, remaining: 40_000 };
    const usage = this.#usage();
    const spent = typeof usage.total_tokens === 'number' ? usage.total_tokens : 0;
    this.#emit(rateLimitsUpdated(limit, spent, remainingOverride));
  }

  #startItem(index: number, item: WireItem): string | null {
    // Events are serialized as they are sent and never changed afterwards, so they can share one snapshot; the
    // conversation gets its own copy because it updates its item as the response streams.
    const snapshot = copyItem(item);
    this.#emit({
      type: 'response.output_item.added',
      response_id: this.id,
      output_index: index,
      item: snapshot,
    });
    if (!this.inBand) return null;
    const previous = this.#deps.addItem?.(copyItem(item)) ?? null;
    this.#emit({
      type: 'conversation.item.added',
      previous_item_id: previous,
      item: snapshot,
    });
    return previous;
  }

  /** Closes an output item; it is `incomplete` when cancelled or cut short by `max_output_tokens`. */
  #endItem(
    index: number,
    item: WireItem,
    previous: string | null,
    media: { audio?: Uint8Array; audioMs?: number; cutShort?: boolean } = {},
  ): void {
    const cancelled = this.#stopped && this.#cancelReason !== null;
    item.status = cancelled || media.cutShort === true ? 'incomplete' : 'completed';
    if (this.#dropped) return;
    // The item is final here: the done events and `response.done` share one snapshot of it.
    const snapshot = copyItem(item);
    this.#output.push(snapshot);
    if (this.inBand) {
      this.#deps.finishItem?.(copyItem(item), media.audio, media.audioMs ?? 0);
      this.#emit({
        type: 'conversation.item.done',
        previous_item_id: previous,
        item: snapshot,
      });
    }
    this.#emit({
      type: 'response.output_item.done',
      response_id: this.id,
      output_index: index,
      item: snapshot,
    });
  }

  /** Sends one message item; returns the tokens it used. */
  async #message(
    index: number,
    planned: Extract<PlannedOutput, { kind: 'message' }>,
    budget: number,
  ): Promise<number> {
    const audio = planned.modality === 'audio';
    const item: WireItem = {
      id: planned.itemId,
      object: 'realtime.item',
      type: 'message',
      status: 'in_progress',
      role: 'assistant',
      content: [],
    };
    const previous = this.#startItem(index, item);
    const ids = { response_id: this.id, item_id: item.id, output_index: index, content_index: 0 };
    this.#emit({
      type: 'response.content_part.added',
      ...ids,
      part: audio ? { type: 'audio', transcript: '' } : { type: 'text', text: '' },
    });
    if (this.inBand) {
      this.#deps.partStarted?.(
        item.id,
        audio ? { type: 'output_audio', transcript: '' } : { type: 'output_text', text: '' },
      );
    }

    let sentText = '';
    let sentAudio: Uint8Array = new Uint8Array(0);
    let incomplete = false;
    if (audio) {
      const source = planned.audioStream ?? onePiece(planned.text, planned.audio);
      ({ sentText, sentAudio, incomplete } = await this.#streamAudio(ids, source, budget * 50));
      if (!this.#stopped && !incomplete && sentText === '' && planned.text !== '') {
        // Nothing was spoken (text with nothing to say): the transcript still carries the text.
        this.#emit({ type: 'response.output_audio_transcript.delta', ...ids, delta: planned.text });
        sentText = planned.text;
      }
    } else {
      let text = planned.text;
      if (textTokens(text) > budget) {
        text = text.slice(0, Math.max(0, Math.floor(budget * 4)));
        incomplete = true;
      }
      const cps = this.#opts.pacing.textCharsPerSecond;
      for (const delta of splitTextDeltas(text)) {
        if (this.#stopped) break;
        this.#markFirstDelta();
        this.#emit({ type: 'response.output_text.delta', ...ids, delta });
        sentText += delta;
        await this.#afterDelta();
        if (cps > 0) await this.#pace((delta.length / cps) * 1000);
      }
    }
    if (this.#dropped) return 0;
    const sentMs = this.#deps.bytesToMs(sentAudio.byteLength);
    if (audio) {
      this.#emit({ type: 'response.output_audio.done', ...ids });
      this.#emit({ type: 'response.output_audio_transcript.done', ...ids, transcript: sentText });
      item.content = [{ type: 'output_audio', transcript: sentText }];
    } else {
      this.#emit({ type: 'response.output_text.done', ...ids, text: sentText });
      item.content = [{ type: 'output_text', text: sentText }];
    }
    this.#emit({
      type: 'response.content_part.done',
      ...ids,
      part: audio ? { type: 'audio', transcript: sentText } : { type: 'text', text: sentText },
    });
    this.#outputText += sentText;
    this.#outputAudioMs += sentMs;
    this.#endItem(index, item, previous, {
      ...(audio ? { audio: sentAudio, audioMs: sentMs } : {}),
      cutShort: incomplete,
    });
    if (incomplete && !this.#stopped) this.#setIncomplete();
    return audio ? audioTokens(sentMs) + textTokens(sentText) : textTokens(sentText);
  }

  /**
   * Sends a reply's audio piece by piece as the pieces arrive, in chunks of `audioChunkMs`, each chunk preceded by
   * the transcript words that start within it (spread over the piece by character offset), paced at the audio's
   * duration ÷ speed. Stops at a cancel (even while waiting for a piece) or once `maxMs` of audio is sent (the
   * token budget), cutting that piece and its text.
   */
  async #streamAudio(
    ids: Record<string, unknown>,
    source: AsyncIterator<EncodedPiece, void>,
    maxMs: number,
  ): Promise<{ sentText: string; sentAudio: Uint8Array; incomplete: boolean }> {
    const chunkBytes = Math.max(1, this.#deps.msToBytes(this.#opts.audioChunkMs ?? 100));
    const maxBytes = Number.isFinite(maxMs)
      ? this.#deps.msToBytes(maxMs)
      : Number.POSITIVE_INFINITY;
    const speed = this.#opts.pacing.audioSpeed;
    const sentPieces: Uint8Array[] = [];
    let sentText = '';
    let sentTotal = 0;
    let incomplete = false;
    let ended = false;
    while (!this.#stopped && !incomplete) {
      const piece = await nextPiece(source, this.#abort.signal);
      if (piece === null) {
        ended = !this.#stopped;
        break;
      }
      let text = piece.text;
      let bytes = piece.audio;
      if (sentTotal + bytes.byteLength > maxBytes) {
        const keepBytes = Math.max(0, maxBytes - sentTotal);
        text = text.slice(0, Math.floor((text.length * keepBytes) / Math.max(1, bytes.byteLength)));
        bytes = bytes.subarray(0, keepBytes);
        incomplete = true;
      }
      const words = splitTextDeltas(text);
      const starts = wordStartTimes(words, Math.max(1, this.#deps.bytesToMs(bytes.byteLength)));
      let nextWord = 0;
      let sent = 0;
      while (sent < bytes.byteLength && !this.#stopped) {
        const end = Math.min(bytes.byteLength, sent + chunkBytes);
        const chunkEndMs = this.#deps.bytesToMs(end);
        let transcriptDelta = '';
        while (nextWord < words.length && starts[nextWord]! < chunkEndMs) {
          transcriptDelta += words[nextWord]!;
          nextWord += 1;
        }
        this.#markFirstDelta();
        if (transcriptDelta.length > 0) {
          this.#emit({
            type: 'response.output_audio_transcript.delta',
            ...ids,
            delta: transcriptDelta,
          });
          sentText += transcriptDelta;
        }
        this.#emit({
          type: 'response.output_audio.delta',
          ...ids,
          delta: this.#deps.toBase64(bytes.subarray(sent, end)),
        });
        const chunkMs = this.#deps.bytesToMs(end - sent);
        sent = end;
        this.#deps.audioSent?.(String(ids.item_id), this.#deps.bytesToMs(sentTotal + sent));
        await this.#afterDelta();
        if (speed > 0) await this.#pace(chunkMs / speed);
      }
      if (sent > 0) sentPieces.push(bytes.subarray(0, sent));
      sentTotal += sent;
      // Words left after the piece's last chunk (rounding) still belong to the transcript when its audio completed.
      if (!this.#stopped && nextWord < words.length) {
        const rest = words.slice(nextWord).join('');
        this.#emit({ type: 'response.output_audio_transcript.delta', ...ids, delta: rest });
        sentText += rest;
      }
    }
    if (!ended) void source.return?.()?.catch(() => undefined);
    return { sentText, sentAudio: concatBytes(sentPieces), incomplete };
  }

  async #functionCall(
    index: number,
    planned: Extract<PlannedOutput, { kind: 'function_call' }>,
  ): Promise<void> {
    const item: WireItem = {
      id: planned.itemId,
      object: 'realtime.item',
      type: 'function_call',
      status: 'in_progress',
      call_id: planned.callId,
      name: planned.name,
      arguments: '',
    };
    const previous = this.#startItem(index, item);
    const base = {
      response_id: this.id,
      item_id: item.id,
      output_index: index,
      call_id: planned.callId,
    };
    const cps = this.#opts.pacing.textCharsPerSecond;
    let sent = '';
    for (const delta of splitTextDeltas(planned.arguments, 16)) {
      if (this.#stopped) break;
      this.#markFirstDelta();
      this.#emit({ type: 'response.function_call_arguments.delta', ...base, delta });
      sent += delta;
      await this.#afterDelta();
      if (cps > 0) await this.#pace((delta.length / cps) * 1000);
    }
    if (this.#dropped) return;
    this.#emit({
      type: 'response.function_call_arguments.done',
      ...base,
      name: planned.name,
      arguments: sent,
    });
    item.arguments = sent;
    this.#outputText += sent;
    this.#endItem(index, item, previous);
  }
}

/** A deep copy of an output item (its content parts are its only nested objects), far cheaper than `structuredClone`. */
function copyItem(item: WireItem): WireItem {
  const copy = { ...item };
  if (item.content !== undefined) copy.content = item.content.map((part) => ({ ...part }));
  return copy;
}
