import { OpenAIRealtimeWebSocket } from '@openai/agents-realtime';
import type { OpenAIRealtimeWebSocketOptions, TransportLayerAudio } from '@openai/agents-realtime';
import type { InterruptionReason } from '../events/app-event-map.js';
import type { AudioSink } from './audio-sink.js';
import { BetaWebSocket, BetaWire } from './beta-wire.js';
import { PlaybackTracker } from './playback-tracker.js';

/** What an interruption did. */
export interface InterruptionRecord {
  readonly reason: InterruptionReason;
  /** The assistant item cut, or null when there was no audio to cut (only a response to cancel). */
  readonly itemId: string | null;
  readonly playedMs: number;
  readonly receivedMs: number;
  /** `audio_end_ms` sent, or null when the item was deleted or nothing was sent. */
  readonly truncatedMs: number | null;
  readonly action: 'truncate' | 'delete' | 'none';
  /** Whether this client sent `response.cancel`. */
  readonly cancelled: boolean;
}

/** Options of {@link SinkAwareWebSocketTransport}. */
export type SinkAwareTransportOptions = OpenAIRealtimeWebSocketOptions & {
  readonly sink: AudioSink;
  readonly onInterrupted?: (record: InterruptionRecord) => void;
  /** Wire shape (default `ga`); `beta` sends `OpenAI-Beta: realtime=v1` and translates both ways. */
  readonly protocol?: 'ga' | 'beta';
  /** Sampling temperature for the beta shape (GA has none). */
  readonly temperature?: number;
};

type RawEvent = { type?: unknown } & Record<string, unknown>;

/**
 * The SDK's WebSocket transport, extended through its hooks so that playback goes to an {@link AudioSink} and an
 * interruption truncates the assistant item at the position the sink actually played (clamped to the audio
 * received), deletes it when nothing was heard, and sends `response.cancel` only when the server is not already
 * cancelling (a VAD barge-in with `interrupt_response`) and the response is still running.
 */
export class SinkAwareWebSocketTransport extends OpenAIRealtimeWebSocket {
  readonly #sink: AudioSink;
  readonly #onInterrupted: (record: InterruptionRecord) => void;
  readonly #tracker = new PlaybackTracker();
  #responseActive = false;
  #cancelSent = false;
  #playNext = false;
  #muted = false;
  #reason: InterruptionReason = 'manual';
  readonly #beta: boolean;

  constructor(options: SinkAwareTransportOptions) {
    const beta = options.protocol === 'beta';
    // The SDK opens its socket itself unless given `createWebSocket`: the beta one adds the beta header and the
    // translation. It is made at connect time, when `this` (and the SDK's own headers) exist.
    const headers = { of: (): Record<string, string> => ({}) };
    super(
      beta
        ? {
            ...options,
            createWebSocket: ({ url, apiKey }) =>
              Promise.resolve(
                new BetaWebSocket(
                  url,
                  { Authorization: `Bearer ${apiKey}`, ...headers.of() },
                  new BetaWire(
                    options.temperature === undefined ? {} : { temperature: options.temperature },
                  ),
                ),
              ),
          }
        : options,
    );
    this.#beta = beta;
    headers.of = () => this.getCommonRequestHeaders();
    this.#sink = options.sink;
    this.#onInterrupted = options.onInterrupted ?? (() => {});
    // '*' carries every raw event before the SDK acts on it (its speech_started handler calls interrupt()).
    this.on('*', (event) => this.#observe(event as RawEvent));
  }

  /** The wire shape in use. */
  get protocol(): 'ga' | 'beta' {
    return this.#beta ? 'beta' : 'ga';
  }

  /** Whether a response is being generated (between `response.created` and `response.done`). */
  get responseActive(): boolean {
    return this.#responseActive;
  }

  /** Milliseconds of received assistant audio not yet played by the sink. */
  unplayedMs(): number {
    const unplayed = this.#tracker.unplayedMs(this.#sink.playedMs());
    // The sink's own account wins when it lost audio it was given.
    return Math.min(unplayed, this.#sink.unplayedMs?.() ?? unplayed);
  }

  /** While muted, received audio is not played (it is still counted, so a later cut stays exact). */
  setPlaybackMuted(muted: boolean): void {
    this.#muted = muted;
  }

  /** Interrupts for a given reason (`manual` through {@link interrupt}, `paused` when the user pauses). */
  interruptFor(reason: InterruptionReason, cancelOngoingResponse = true): void {
    this.#reason = reason;
    this.interrupt(cancelOngoingResponse);
  }

  /**
   * Stops the sink at once and cuts the reply where it was heard. Called by the SDK on
   * `input_audio_buffer.speech_started` (with `cancelOngoingResponse` = !interrupt_response) and by
   * `RealtimeSession.interrupt()`.
   */
  override interrupt(cancelOngoingResponse = true): void {
    const playedMs = this.#sink.stop();
    this._interrupt(playedMs, cancelOngoingResponse);
  }

  /**
   * The SDK's interruption hook, here driven by the sink position instead of wall-clock time since the first
   * audio delta: `playedMs` is what the sink reported when it stopped.
   */
  override _interrupt(playedMs: number, cancelOngoingResponse = true): void {
    const reason = this.#reason;
    this.#reason = 'manual';
    let cancelled = false;
    if (
      cancelOngoingResponse &&
      this.#responseActive &&
      !this.#cancelSent &&
      this.status === 'connected'
    ) {
      this.#cancelSent = true;
      cancelled = true;
      this._cancelResponse();
    }
    const cut = this.#tracker.cut(playedMs);
    // Fully heard and finished: nothing to take back.
    const heardAll = cut !== null && cut.playedMs >= cut.receivedMs && !this.#responseActive;
    if (!cut || heardAll || this.status !== 'connected') {
      if (cancelled) {
        this.#report({
          reason,
          itemId: null,
          playedMs,
          receivedMs: 0,
          truncatedMs: null,
          action: 'none',
          cancelled,
        });
      }
      return;
    }
    if (cut.audioEndMs > 0) {
      this.sendEvent({
        type: 'conversation.item.truncate',
        item_id: cut.itemId,
        content_index: cut.contentIndex,
        audio_end_ms: cut.audioEndMs,
      });
    } else {
      this.sendEvent({ type: 'conversation.item.delete', item_id: cut.itemId });
    }
    this.emit('audio_interrupted');
    this.#report({
      reason,
      itemId: cut.itemId,
      playedMs: cut.playedMs,
      receivedMs: cut.receivedMs,
      truncatedMs: cut.audioEndMs > 0 ? cut.audioEndMs : null,
      action: cut.audioEndMs > 0 ? 'truncate' : 'delete',
      cancelled,
    });
  }

  protected override _onAudio(audioEvent: TransportLayerAudio): void {
    if (!this.#playNext) return;
    this.#sink.write(new Uint8Array(audioEvent.data));
    super._onAudio(audioEvent);
  }

  override close(): void {
    this.#sink.stop();
    this.#tracker.reset();
    this.#responseActive = false;
    this.#cancelSent = false;
    super.close();
  }

  #observe(event: RawEvent): void {
    switch (event.type) {
      case 'response.created':
        this.#responseActive = true;
        this.#cancelSent = false;
        return;
      case 'response.done':
        this.#responseActive = false;
        this.#cancelSent = false;
        return;
      case 'input_audio_buffer.speech_started':
        this.#reason = 'speech_started';
        return;
      case 'response.output_audio.delta': {
        const itemId = typeof event.item_id === 'string' ? event.item_id : '';
        const contentIndex = typeof event.content_index === 'number' ? event.content_index : 0;
        const delta = typeof event.delta === 'string' ? event.delta : '';
        const ms = this.#bytesToMs(base64ByteLength(delta));
        this.#playNext = this.#tracker.received(itemId, contentIndex, ms) && !this.#muted;
        return;
      }
      default:
        return;
    }
  }

  #bytesToMs(bytes: number): number {
    const format = (this._rawSessionConfig?.audio as { output?: { format?: unknown } } | undefined)
      ?.output?.format;
    if (format && typeof format === 'object') {
      const { type, rate } = format as { type?: string; rate?: number };
      if (type === 'audio/pcmu' || type === 'audio/pcma') return bytes / 8;
      return (bytes / 2 / (rate ?? 24_000)) * 1000;
    }
    if (typeof format === 'string' && format.startsWith('g711_')) return bytes / 8;
    return bytes / 48;
  }

  #report(record: InterruptionRecord): void {
    try {
      this.#onInterrupted(record);
    } catch (error) {
      this._onError(error);
    }
  }
}

/** Decoded size of a base64 string, without decoding it. */
function base64ByteLength(text: string): number {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return Math.floor((text.length * 3) / 4) - padding;
}
