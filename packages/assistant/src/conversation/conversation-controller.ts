import { RealtimeAgent } from '@openai/agents-realtime';
import type { RealtimeAgentConfiguration, RealtimeSession } from '@openai/agents-realtime';
import { bytesToPcm16, measureRmsDb } from '@realtime-assistant/protocol';
import type { Logger } from 'pino';
import { AppEvents } from '../events/app-events.js';
import type { AudioSink } from './audio-sink.js';
import { ClockAudioSink } from './audio-sink.js';
import type { ConnectionState, TurnState } from './conversation-state.js';
import type { ConversationSettings } from './session-settings.js';
import { toSdkSessionConfig } from './session-settings.js';
import type { InterruptionRecord } from './sink-aware-transport.js';
import { DEFAULT_BACKOFF } from './backoff.js';
import type { BackoffPolicy } from './backoff.js';
import { ConnectError, connectFailureOf, serverErrorOf } from './connect-error.js';
import { ConnectionKeeper } from './connection-keeper.js';
import { systemClock } from './controller-clock.js';
import type { ControllerClock } from './controller-clock.js';
import { ConversationReplay } from './conversation-replay.js';
import { RealtimeLink } from './realtime-link.js';
import { unfinishedResponse } from './response-outcome.js';
import { TranscriptStore } from './transcript-store.js';
import type { TranscriptEntry } from './transcript-store.js';
import { addUsage, EMPTY_USAGE, usageOfResponse } from './usage-totals.js';
import type { UsageTotals } from './usage-totals.js';

/** Options of {@link ConversationController}. */
export interface ConversationControllerOptions {
  /** Realtime WebSocket URL; `?model=` is added when missing. */
  readonly url: string;
  /** The key for the connection (any string for the embedded engine). */
  readonly apiKey: string;
  readonly settings: ConversationSettings;
  /** Speaker (default: a silent sink that keeps real time). */
  readonly sink?: AudioSink;
  /** The app's event emitter (default: a new one, see {@link ConversationController.events}). */
  readonly events?: AppEvents;
  readonly logger?: Logger;
  /** How long `connect()` (and each reconnect or rotation step) waits for the server. Default 10 s. */
  readonly connectTimeoutMs?: number;
  /** Reconnecting after an unexpected close (default {@link DEFAULT_BACKOFF}); `false` turns it off. */
  readonly reconnect?: Partial<BackoffPolicy> | false;
  /**
   * Rotating to a new session `marginMs` before the current one expires (default 5 min before `expires_at`);
   * `false` turns it off.
   */
  readonly rotation?: { readonly marginMs?: number } | false;
  /** Time for backoff and rotation (default the real clock). */
  readonly clock?: ControllerClock;
  /** Randomness for the backoff jitter, in [0, 1) (default `Math.random`). */
  readonly random?: () => number;
  /** Function tools the model may call; the SDK runs them and sends their output back. */
  readonly tools?: RealtimeTools;
  /**
   * What a message typed while the assistant answers does (see {@link ConversationController.sendText}):
   * `queue` (default) waits for the reply to end; `interrupt` cuts the reply where it was heard, as speaking over it
   * would, and goes next.
   */
  readonly typedWhileAnswering?: TypedWhileAnswering;
}

/** What a message typed while the assistant answers does: wait for the reply, or interrupt it. */
export type TypedWhileAnswering = 'queue' | 'interrupt';

/** The SDK's function tools, as a `RealtimeAgent` takes them. */
export type RealtimeTools = NonNullable<RealtimeAgentConfiguration['tools']>;

/** Rotation margin when none is given: rotate at 55 of 60 minutes. */
const DEFAULT_ROTATION_MARGIN_MS = 5 * 60_000;

type RawEvent = { type?: unknown } & Record<string, unknown>;

/**
 * One spoken (or typed) conversation over `@openai/agents-realtime` `RealtimeSession` and a WebSocket: connection
 * and turn state, transcripts in item order, usage totals, and interruption at the position actually played.
 * Survives the connection: after an unexpected close it reconnects with backoff, and before the session expires it
 * rotates to a new one, both times replaying the conversation as text. Reports everything through {@link AppEvents}.
 */
export class ConversationController {
  readonly events: AppEvents;
  readonly #options: ConversationControllerOptions;
  readonly #sink: AudioSink;
  readonly #log: Logger | undefined;
  readonly #agent: RealtimeAgent;
  readonly #url: string;
  readonly #transcripts: TranscriptStore;
  readonly #replay = new ConversationReplay();
  /** The connection in use, and the reconnects and rotations that replace it. */
  readonly #keeper: ConnectionKeeper;
  /**
   * Typed messages waiting, oldest first: for the reconnect, or for the turn under way to end. Each goes on its own
   * once the previous turn is over, so every message gets its own reply, in order.
   */
  #queuedText: string[] = [];
  /** The last server error code (tells a session expiry from a dropped connection). */
  #lastErrorCode: string | null = null;
  #connection: ConnectionState = { status: 'disconnected', reason: null };
  #turn: TurnState = 'listening';
  /** The turn underneath a pause, restored on resume. */
  #turnUnderPause: TurnState = 'listening';
  #paused = false;
  #usage: UsageTotals = EMPTY_USAGE;
  #drainTimer: ReturnType<typeof setTimeout> | null = null;
  #closing = false;
  /**
   * While `connect()` opens the first connection, the errors heard (reported once it is clear whether they stopped
   * it: folded into its {@link ConnectError}, or emitted after); null otherwise.
   */
  #opening: unknown[] | null = null;
  /** An interruption was reported during the current response (its cancel is not said again). */
  #interruptedSinceDone = false;
  /** Names of the tools the SDK runs for us. */
  readonly #toolNames: ReadonlySet<string>;
  /** Calls of our tools whose output has not been sent yet: the turn is not over until the follow-up. */
  readonly #toolsRunning = new Set<string>();

  constructor(options: ConversationControllerOptions) {
    this.#options = options;
    this.events = options.events ?? new AppEvents();
    this.#sink = options.sink ?? new ClockAudioSink();
    this.#log = options.logger;
    this.#transcripts = new TranscriptStore({
      delta: (e) => this.events.emit('transcript_delta', e),
      final: (e) => this.events.emit('transcript_final', e),
      removed: (e) => this.events.emit('transcript_removed', e),
    });
    this.#url = withModel(options.url, options.settings.model);
    this.#toolNames = new Set((options.tools ?? []).map((tool) => tool.name));
    this.#agent = new RealtimeAgent({
      name: 'Assistant',
      instructions: options.settings.instructions ?? '',
      ...(options.tools ? { tools: [...options.tools] } : {}),
    });
    this.#keeper = new ConnectionKeeper(
      {
        events: this.events,
        log: this.#log,
        createLink: () => this.#createLink(),
        replayItems: (completeOnly) =>
          this.#replay.items(this.#transcripts.itemOrder(), this.#transcripts.entries(), {
            completeOnly,
          }),
        idle: () => this.#idle(),
        setConnection: (state) => this.#setConnection(state),
        switched: (link) => this.#switched(link),
      },
      {
        apiKey: options.apiKey,
        url: this.#url,
        timeoutMs: options.connectTimeoutMs ?? 10_000,
        clock: options.clock ?? systemClock,
        ...(options.random ? { random: options.random } : {}),
        backoff: options.reconnect === false ? null : { ...DEFAULT_BACKOFF, ...options.reconnect },
        rotationMarginMs:
          options.rotation === false
            ? null
            : (options.rotation?.marginMs ?? DEFAULT_ROTATION_MARGIN_MS),
      },
    );
  }

  /** The link in use. */
  get #link(): RealtimeLink {
    return this.#keeper.link;
  }

  /** The connection state. */
  get connection(): ConnectionState {
    return this.#connection;
  }

  /** The turn state. */
  get turn(): TurnState {
    return this.#turn;
  }

  /** Token totals so far. */
  get usage(): UsageTotals {
    return this.#usage;
  }

  /** Whether the conversation is paused. */
  get paused(): boolean {
    return this.#paused;
  }

  /** The SDK session underneath (for tools and history replay); a new one after a reconnect or a rotation. */
  get session(): RealtimeSession {
    return this.#link.session;
  }

  /** The realtime session id in use, or null before the first `session.created`. */
  get realtimeSessionId(): string | null {
    return this.#link.sessionId;
  }

  /** Both sides' transcripts, in conversation order. */
  transcripts(): TranscriptEntry[] {
    return this.#transcripts.entries();
  }

  /** Connects and resolves once the server has confirmed the session configuration. */
  async connect(): Promise<void> {
    this.#closing = false;
    this.#opening = [];
    this.#setConnection({ status: 'connecting', url: this.#url });
    let heard: unknown[];
    try {
      await this.#keeper.open();
    } catch (error) {
      // One error that says what failed: the server's own word if it gave one, else the socket's.
      heard = this.#opening;
      this.#opening = null;
      const server = heard.find((e) => serverErrorOf(e) !== null);
      const failure = new ConnectError(this.#url, connectFailureOf(server ?? error));
      this.#log?.warn({ url: failure.url, reason: failure.reason }, 'could not connect');
      this.#setConnection({ status: 'disconnected', reason: failure.reason });
      throw failure;
    }
    heard = this.#opening;
    this.#opening = null;
    // Errors that did not stop the connection (a setting the server refused, say) are reported now.
    for (const error of heard) this.#error(error);
    this.#setTurn('listening');
  }

  /**
   * Sends a typed user message; the assistant answers it. A message typed while a turn is under way (a reply asked
   * for, streaming, still playing, or a tool running) or while reconnecting waits, and is sent when the turn is over
   * or the connection is back (`message_queued` says so): one reply per message, in the order they were typed.
   * With `typedWhileAnswering: 'interrupt'`, a message typed over a reply (streaming or playing) cuts it where it was
   * heard and goes as soon as the cancelled response is done. A tool that is running is not cut short: the message
   * goes after the reply to the tool's output.
   */
  sendText(text: string): void {
    const reconnecting = this.#connection.status === 'reconnecting';
    if (!reconnecting && !this.#busy() && this.#queuedText.length === 0) {
      this.#sendNow(text);
      return;
    }
    this.#queuedText.push(text);
    const interrupting =
      !reconnecting &&
      this.#options.typedWhileAnswering === 'interrupt' &&
      this.#queuedText.length === 1 &&
      (this.#link.transport.responseActive || this.#turn === 'speaking');
    this.events.emit('message_queued', {
      text,
      waiting: this.#queuedText.length,
      until: reconnecting ? 'reconnected' : 'turn_over',
      interrupting,
    });
    if (interrupting) this.interrupt();
  }

  /** Typed messages waiting to be sent (see {@link sendText}). */
  get queuedMessages(): number {
    return this.#queuedText.length;
  }

  #sendNow(text: string): void {
    this.#link.session.sendMessage(text);
    this.#setTurn('thinking');
  }

  /** Asks for a response with nothing new from the user: the assistant speaks first (a greeting), or goes on. */
  requestResponse(): void {
    if (this.#connection.status !== 'connected') return;
    this.#link.transport.sendEvent({ type: 'response.create' });
    this.#setTurn('thinking');
  }

  /** Sends microphone audio (PCM16 mono 24 kHz). Dropped while paused. */
  sendAudio(pcm: Uint8Array): void {
    if (this.#paused || this.#connection.status !== 'connected') return;
    const copy = pcm.slice();
    this.#link.session.sendAudio(copy.buffer);
    this.events.emit('audio_level', { direction: 'input', db: measureRmsDb(bytesToPcm16(pcm)) });
  }

  /** Stops the reply now: playback stops and the item is cut where it was heard; the response is cancelled. */
  interrupt(): void {
    this.#link.transport.interruptFor('manual');
  }

  /** Pauses: the mic is no longer sent, and playback stops (the reply is cut where it was heard) and stays muted. */
  pause(): void {
    if (this.#paused) return;
    this.#link.transport.interruptFor('paused');
    this.#link.transport.setPlaybackMuted(true);
    this.#turnUnderPause = this.#turn === 'speaking' ? 'listening' : this.#turn;
    this.#setTurn('paused');
    this.#paused = true;
  }

  /** Resumes after {@link pause}: mic audio and playback flow again. */
  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#link.transport.setPlaybackMuted(false);
    this.#setTurn(this.#turnUnderPause);
  }

  /** Closes the connection and stops playback; no reconnect follows. */
  close(): void {
    this.#closing = true;
    this.#clearDrainTimer();
    this.#queuedText = [];
    this.#toolsRunning.clear();
    this.#keeper.close();
    this.#setConnection({ status: 'disconnected', reason: 'closed' });
  }

  #createLink(): RealtimeLink {
    const { protocol, temperature } = this.#options.settings;
    return new RealtimeLink({
      url: this.#url,
      model: this.#options.settings.model,
      agent: this.#agent,
      config: toSdkSessionConfig(this.#options.settings),
      sink: this.#sink,
      ...(protocol ? { protocol } : {}),
      ...(temperature !== undefined ? { temperature } : {}),
      onInterrupted: (link, record) => {
        if (link === this.#link) this.#interrupted(record);
      },
      onEvent: (link, event) => {
        if (link === this.#link) this.#observe(event);
      },
      onConnectionChange: (link, status) => {
        if (link === this.#link) this.#connectionChanged(status);
      },
      onToolEnd: (link, result) => {
        if (link !== this.#link) return;
        // The SDK sends the output with a `response.create` right after this: the follow-up keeps the turn.
        this.#toolsRunning.delete(result.callId);
        this.events.emit('tool_result', result);
      },
      onError: (link, error) => {
        if (link === this.#link) this.#error(error);
        else this.#log?.warn({ error: messageOf(error) }, 'error on a connection not in use');
      },
    });
  }

  #observe(event: RawEvent): void {
    this.#transcripts.handle(event as { type: string } & Record<string, unknown>);
    this.#replay.handle(event);
    switch (event.type) {
      case 'session.created': {
        const session = event.session as { id?: unknown; model?: unknown } | undefined;
        const id = typeof session?.id === 'string' ? session.id : null;
        // "Connected" means a session exists, not just an open socket.
        if (this.#connection.status === 'connecting' && id) {
          this.#setConnection({
            status: 'connected',
            url: this.#connection.url,
            realtimeSessionId: id,
          });
          this.events.emit('session_started', {
            realtimeSessionId: id,
            model:
              typeof session?.model === 'string' ? session.model : this.#options.settings.model,
            url: this.#connection.url,
          });
        }
        return;
      }
      case 'input_audio_buffer.speech_started':
        return this.#setTurn('listening');
      case 'response.created':
        // An interruption told before this response began (of a reply still playing) was not about it.
        this.#interruptedSinceDone = false;
        if (this.#turn !== 'speaking') this.#setTurn('thinking');
        return;
      case 'input_audio_buffer.committed':
        if (this.#turn !== 'speaking') this.#setTurn('thinking');
        return;
      case 'response.output_audio.delta':
      case 'response.output_audio_transcript.delta':
      case 'response.output_text.delta':
        this.#clearDrainTimer();
        return this.#setTurn('speaking');
      case 'response.done': {
        const response = usageOfResponse(event.response);
        this.#usage = addUsage(this.#usage, response);
        this.events.emit('usage_updated', { totals: this.#usage, response });
        this.#responseUnfinished(event.response);
        // A tool is running: its output and the reply to it come next, so the turn is not over.
        if (this.#toolsRunning.size > 0) return;
        return this.#listenWhenPlayed();
      }
      case 'response.output_item.done': {
        const item = event.item as Record<string, unknown> | undefined;
        if (item?.type === 'function_call') {
          const callId = typeof item.call_id === 'string' ? item.call_id : '';
          const name = typeof item.name === 'string' ? item.name : '';
          if (this.#toolNames.has(name)) this.#toolsRunning.add(callId);
          this.events.emit('tool_call', {
            callId,
            name,
            arguments: typeof item.arguments === 'string' ? item.arguments : '',
          });
        }
        return;
      }
      case 'error': {
        const error = (event.error ?? {}) as {
          message?: unknown;
          code?: unknown;
          event_id?: unknown;
        };
        this.#lastErrorCode = typeof error.code === 'string' ? error.code : null;
        this.#log?.warn({ error }, 'server error');
        if (typeof error.event_id === 'string') this.#createRefused();
        return;
      }
      default:
        return;
    }
  }

  /**
   * The server refused a `response.create`: no response comes for it, so a turn waiting for one is over (the
   * error itself reaches the user as a server error). The SDK gives an `event_id` only to the `response.create`
   * events it sends (its sequencer names each one), and the server names a client event only when it has an id,
   * so an error naming a client event is a refused create.
   */
  #createRefused(): void {
    if (
      this.#turn === 'thinking' &&
      !this.#link.transport.responseActive &&
      this.#toolsRunning.size === 0
    ) {
      this.#listenWhenPlayed();
    }
  }

  /**
   * A response that failed, was cut short or was cancelled is said (`response_unfinished`), unless it was cut by an
   * interruption the user has already been told about.
   */
  #responseUnfinished(response: unknown): void {
    const cut = this.#interruptedSinceDone;
    this.#interruptedSinceDone = false;
    const unfinished = unfinishedResponse(response);
    if (unfinished === null || (unfinished.status === 'cancelled' && cut)) return;
    this.#log?.warn({ response: unfinished }, 'response not completed');
    this.events.emit('response_unfinished', unfinished);
  }

  /** After a response, the turn goes back to listening once the sink has played what it was given. */
  #listenWhenPlayed(): void {
    this.#clearDrainTimer();
    const unplayed = this.#link.transport.unplayedMs();
    if (unplayed <= 0) {
      this.#turnOver();
      return;
    }
    this.#drainTimer = setTimeout(() => this.#listenWhenPlayed(), Math.ceil(unplayed));
  }

  /**
   * The turn is over: the oldest typed message waiting goes now (its reply is the next turn), or the conversation
   * listens. A response still running (cancelled, its `response.done` to come) keeps the messages waiting.
   */
  #turnOver(): void {
    const free =
      this.#connection.status === 'connected' &&
      !this.#link.transport.responseActive &&
      this.#toolsRunning.size === 0;
    const next = free ? this.#queuedText.shift() : undefined;
    if (next !== undefined) this.#sendNow(next);
    else this.#setTurn('listening');
  }

  /** A turn is under way: a reply asked for, streaming or still playing, or a tool running. */
  #busy(): boolean {
    return (
      this.#turn === 'thinking' ||
      this.#turn === 'speaking' ||
      this.#link.transport.responseActive ||
      this.#toolsRunning.size > 0
    );
  }

  #clearDrainTimer(): void {
    if (this.#drainTimer) clearTimeout(this.#drainTimer);
    this.#drainTimer = null;
  }

  #interrupted(record: InterruptionRecord): void {
    this.#clearDrainTimer();
    this.#interruptedSinceDone = true;
    this.#log?.info({ interruption: record }, 'interrupted');
    if (record.itemId) {
      if (record.action === 'truncate') this.#transcripts.markInterrupted(record.itemId);
      else this.#transcripts.markDeleted(record.itemId);
      this.events.emit('interrupted', {
        reason: record.reason,
        itemId: record.itemId,
        played_ms: record.playedMs,
        truncated_ms: record.truncatedMs,
        received_ms: record.receivedMs,
        action: record.action === 'delete' ? 'delete' : 'truncate',
        cancelled: record.cancelled,
      });
    } else if (record.cancelled) {
      // A reply with no audio to cut (text): cancelling it is the cut, at the text shown so far.
      const itemId = this.#transcripts.streamingReply();
      if (itemId) {
        this.#transcripts.markInterrupted(itemId);
        this.events.emit('interrupted', {
          reason: record.reason,
          itemId,
          played_ms: 0,
          truncated_ms: null,
          received_ms: 0,
          action: 'cancel',
          cancelled: true,
        });
      }
    }
    // Speech that interrupts is the user's next turn; a manual interrupt lets the next typed message go.
    if (record.reason === 'manual') this.#turnOver();
    else if (record.reason === 'speech_started') this.#setTurn('listening');
  }

  /** The socket's own states; `connected` is reported on `session.created` instead. */
  #connectionChanged(status: 'connecting' | 'connected' | 'disconnected' | 'disconnecting'): void {
    if (status === 'connecting') {
      this.#setConnection({ status: 'connecting', url: this.#url });
    } else if (status === 'disconnected') {
      this.#clearDrainTimer();
      // The first connection failing: `connect()` says why, once.
      if (this.#opening !== null) return;
      if (!this.#closing && this.#keeper.reconnects && this.#connection.status === 'connected') {
        if (this.#turn === 'thinking' || this.#turn === 'speaking') this.#setTurn('listening');
        this.#keeper.lost(
          this.#lastErrorCode === 'session_expired' ? 'session expired' : 'connection lost',
        );
        return;
      }
      this.#setConnection({
        status: 'disconnected',
        reason: this.#closing ? 'closed' : 'connection lost',
      });
    }
  }

  /** A new link took over (reconnected or rotated): it is connected, and the oldest typed message waiting goes. */
  #switched(link: RealtimeLink): void {
    link.transport.setPlaybackMuted(this.#paused);
    this.#lastErrorCode = null;
    // A tool that was running on the old connection answers nobody on the new one.
    this.#toolsRunning.clear();
    this.#setConnection({
      status: 'connected',
      url: this.#url,
      realtimeSessionId: link.sessionId ?? '',
    });
    const next = this.#idle() ? this.#queuedText.shift() : undefined;
    if (next !== undefined) this.#sendNow(next);
  }

  /** Between turns: nothing is being generated or played. */
  #idle(): boolean {
    return (
      (this.#turn === 'listening' || this.#turn === 'paused') &&
      !this.#link.transport.responseActive &&
      this.#toolsRunning.size === 0
    );
  }

  #setConnection(next: ConnectionState): void {
    const previous = this.#connection;
    if (previous.status === next.status && JSON.stringify(previous) === JSON.stringify(next))
      return;
    this.#connection = next;
    this.#log?.info({ connection: next }, `connection ${next.status}`);
    this.events.emit('connection_changed', { state: next, previous: previous.status });
  }

  #setTurn(next: TurnState): void {
    if (this.#paused && next !== 'paused') {
      this.#turnUnderPause = next === 'speaking' ? 'listening' : next;
      return;
    }
    const previous = this.#turn;
    if (previous === next) return;
    this.#turn = next;
    this.events.emit('turn_changed', { state: next, previous });
    if (this.#idle()) this.#keeper.turnEnded();
  }

  #error(error: unknown): void {
    if (this.#opening !== null) {
      this.#opening.push(error);
      return;
    }
    const inner = (error as { error?: unknown }).error;
    const server = serverErrorOf(error);
    if (server) {
      this.events.emit('error', {
        source: 'server',
        message: server.message,
        ...(server.code !== undefined ? { code: server.code } : {}),
        recoverable: true,
      });
      return;
    }
    if (this.#toolsRunning.size > 0 && this.#connection.status === 'connected') {
      // The SDK could not run a tool (arguments it could not parse, say): no output and no reply will come.
      this.#toolsRunning.clear();
      this.events.emit('error', {
        source: 'tool',
        message: messageOf(inner ?? error),
        recoverable: true,
      });
      if (!this.#link.transport.responseActive) this.#listenWhenPlayed();
      return;
    }
    this.events.emit('error', {
      source: 'transport',
      message: messageOf(inner ?? error),
      recoverable: false,
    });
  }
}

function withModel(url: string, model: string): string {
  const parsed = new URL(url);
  if (!parsed.searchParams.has('model') && !parsed.searchParams.has('call_id')) {
    parsed.searchParams.set('model', model);
  }
  return parsed.toString();
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (error && typeof error === 'object' && 'message' in error) return String(error.message);
  return String(error);
}
