import { RealtimeSession } from '@openai/agents-realtime';
import type { RealtimeAgent, RealtimeSessionConfig } from '@openai/agents-realtime';
import type { AudioSink } from './audio-sink.js';
import type { ReplayItem } from './conversation-replay.js';
import { SinkAwareWebSocketTransport } from './sink-aware-transport.js';
import type { InterruptionRecord } from './sink-aware-transport.js';

type RawEvent = { type?: unknown } & Record<string, unknown>;
type SocketStatus = 'connecting' | 'connected' | 'disconnected' | 'disconnecting';

/** Options of {@link RealtimeLink}. */
export interface RealtimeLinkOptions {
  readonly url: string;
  readonly model: string;
  readonly agent: RealtimeAgent;
  readonly config: Partial<RealtimeSessionConfig>;
  readonly sink: AudioSink;
  /** Wire shape (default `ga`) and, for beta, the temperature to send. */
  readonly protocol?: 'ga' | 'beta';
  readonly temperature?: number;
  readonly onInterrupted: (link: RealtimeLink, record: InterruptionRecord) => void;
  readonly onEvent: (link: RealtimeLink, event: RawEvent) => void;
  readonly onConnectionChange: (link: RealtimeLink, status: SocketStatus) => void;
  readonly onError: (link: RealtimeLink, error: unknown) => void;
  /** The SDK ran a tool and sent its output. */
  readonly onToolEnd?: (
    link: RealtimeLink,
    result: { callId: string; name: string; output: string },
  ) => void;
}

/**
 * One connection to one realtime session: the sink-aware transport, the SDK session over it, and what the server
 * said about it (`session.created` id and `expires_at`). The controller keeps one active link and opens a new one
 * to reconnect or rotate; callbacks carry the link so events of a stale link can be told apart by identity.
 */
export class RealtimeLink {
  readonly transport: SinkAwareWebSocketTransport;
  readonly session: RealtimeSession;
  /** The realtime session id, once `session.created` arrived. */
  sessionId: string | null = null;
  /** The model the server reported. */
  model: string | null = null;
  /** When the server ends the session (ms since the epoch), when it said. */
  expiresAtMs: number | null = null;

  constructor(options: RealtimeLinkOptions) {
    this.transport = new SinkAwareWebSocketTransport({
      url: options.url,
      sink: options.sink,
      ...(options.protocol ? { protocol: options.protocol } : {}),
      ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
      onInterrupted: (record) => options.onInterrupted(this, record),
    });
    this.session = new RealtimeSession(options.agent, {
      transport: this.transport,
      model: options.model,
      config: options.config,
      historyStoreAudio: false,
    });
    this.transport.on('*', (event) => {
      const raw = event as RawEvent;
      if (raw.type === 'session.created') this.#created(raw);
      options.onEvent(this, raw);
    });
    this.transport.on('connection_change', (status) => options.onConnectionChange(this, status));
    this.session.on('error', (error) => options.onError(this, error));
    this.session.on('agent_tool_end', (_context, _agent, tool, output, details) => {
      const call = details.toolCall;
      const callId = 'callId' in call ? call.callId : (call.id ?? '');
      options.onToolEnd?.(this, { callId, name: tool.name, output });
    });
  }

  /** Connects and resolves once the server has confirmed the session configuration (the SDK sends it). */
  async open(apiKey: string, url: string, timeoutMs: number): Promise<void> {
    const configured = this.next((e) => e.type === 'session.updated', 'session.updated', timeoutMs);
    try {
      await this.session.connect({ apiKey, url });
      await configured.promise;
    } catch (error) {
      configured.cancel();
      this.session.close();
      throw error;
    }
  }

  /**
   * Sends the items with `conversation.item.create`, each after the previous, and resolves once the server has
   * added the last one.
   */
  async replay(items: readonly ReplayItem[], timeoutMs: number): Promise<void> {
    const last = items.at(-1);
    if (!last) return;
    const added = this.next(
      (e) =>
        (e.type === 'conversation.item.added' || e.type === 'conversation.item.created') &&
        (e.item as { id?: unknown } | undefined)?.id === last.id,
      `the replayed item ${last.id}`,
      timeoutMs,
    );
    let previous: string | undefined;
    for (const item of items) {
      this.transport.sendEvent({
        type: 'conversation.item.create',
        ...(previous ? { previous_item_id: previous } : {}),
        item,
      });
      previous = item.id;
    }
    await added.promise;
  }

  close(): void {
    this.session.close();
  }

  /** The next raw event matching `match`; rejects on timeout or when the connection closes first. */
  next(
    match: (event: RawEvent) => boolean,
    what: string,
    timeoutMs: number,
  ): { promise: Promise<void>; cancel: () => void } {
    let cancel = (): void => {};
    const promise = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (event: unknown): void => {
        if (!match(event as RawEvent)) return;
        cleanup();
        resolve();
      };
      const closed = (status: string): void => {
        if (status !== 'disconnected') return;
        cleanup();
        reject(new Error(`the connection closed before ${what}`));
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        this.transport.off('*', listener);
        this.transport.off('connection_change', closed);
      };
      cancel = cleanup;
      this.transport.on('*', listener);
      this.transport.on('connection_change', closed);
    });
    promise.catch(() => {});
    return { promise, cancel };
  }

  #created(event: RawEvent): void {
    const session = event.session as
      { id?: unknown; model?: unknown; expires_at?: unknown } | undefined;
    if (typeof session?.id === 'string') this.sessionId = session.id;
    if (typeof session?.model === 'string') this.model = session.model;
    if (typeof session?.expires_at === 'number' && session.expires_at > 0) {
      this.expiresAtMs = session.expires_at * 1000;
    }
  }
}
