import { WebSocket } from '@openai/agents-realtime/_shims';
import { betaServerEventShapeToGA, gaClientEventToBeta } from '@realtime-assistant/protocol';

/** The header that asks a server for the beta shape. */
export const BETA_HEADER = { 'OpenAI-Beta': 'realtime=v1' } as const;

/** Options of {@link BetaWire}. */
export interface BetaWireOptions {
  /** Sampling temperature (0.6–1.2), sent in every realtime `session.update`. */
  readonly temperature?: number;
}

type RawEvent = { type?: unknown } & Record<string, unknown>;

/** An outgoing frame the SDK sends often and that beta spells like GA: not worth a parse. */
const APPEND_PREFIX = '{"type":"input_audio_buffer.append"';

/**
 * One connection's translation between the GA events the agents SDK speaks and the beta
 * (`OpenAI-Beta: realtime=v1`) frames on the wire. Outgoing: `session.update` flattened (with the
 * temperature), beta items and `response.create` parameters. Incoming: renamed events, GA sessions,
 * responses and items; beta's single `conversation.item.created` becomes GA's
 * `conversation.item.added` plus, once the item is complete, `conversation.item.done` (right away for
 * a complete item, else just before its `response.output_item.done`), so the SDK keeps its history.
 */
export class BetaWire {
  readonly #temperature: number | undefined;
  /** `previous_item_id` of items added but not yet done. */
  readonly #pending = new Map<string, unknown>();

  constructor(options: BetaWireOptions = {}) {
    this.#temperature = options.temperature;
  }

  /**
   * A GA client frame as the beta frame to send. A frame that does not translate (one the GA schema
   * rejects, or a value beta has no slot for) goes out unchanged: the server's `error` reports it.
   */
  outgoing(text: string): string {
    if (text.startsWith(APPEND_PREFIX)) return text;
    const result = gaClientEventToBeta(
      text,
      this.#temperature === undefined ? {} : { extras: { temperature: this.#temperature } },
    );
    return result.ok ? JSON.stringify(result.event) : text;
  }

  /** A beta server frame as the GA frames the SDK should see (one or two; unreadable frames unchanged). */
  incoming(text: string): string[] {
    try {
      const value: unknown = JSON.parse(text);
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return [text];
      const raw = value as RawEvent;
      if (typeof raw.type !== 'string') return [text];
      return this.#toGA(betaServerEventShapeToGA(raw)).map((event) => JSON.stringify(event));
    } catch {
      return [text];
    }
  }

  #toGA(ga: Record<string, unknown>): Record<string, unknown>[] {
    const item = ga.item as { id?: unknown; status?: unknown } | undefined;
    const itemId = typeof item?.id === 'string' ? item.id : null;
    if (ga.type === 'conversation.item.created' && item) {
      const added = { ...ga, type: 'conversation.item.added' };
      if (item.status === 'in_progress' && itemId) {
        this.#pending.set(itemId, ga.previous_item_id ?? null);
        return [added];
      }
      return [added, this.#done(ga, ga.previous_item_id ?? null)];
    }
    if (ga.type === 'response.output_item.done' && itemId && this.#pending.has(itemId)) {
      const previous = this.#pending.get(itemId);
      this.#pending.delete(itemId);
      return [this.#done(ga, previous), ga];
    }
    if (ga.type === 'conversation.item.deleted' && typeof ga.item_id === 'string') {
      this.#pending.delete(ga.item_id);
    }
    return [ga];
  }

  #done(ga: Record<string, unknown>, previous: unknown): Record<string, unknown> {
    const eventId = typeof ga.event_id === 'string' ? `${ga.event_id}_done` : undefined;
    return {
      type: 'conversation.item.done',
      ...(eventId ? { event_id: eventId } : {}),
      previous_item_id: previous,
      item: ga.item,
    };
  }
}

/**
 * The SDK's WebSocket (from its runtime shim: `ws` on Node) with a {@link BetaWire} on it: `send`
 * translates GA → beta, and each incoming text frame is re-emitted as its GA frames before any
 * listener (the SDK's) sees it.
 */
export class BetaWebSocket extends WebSocket {
  readonly #wire: BetaWire;

  constructor(url: string, headers: Record<string, string>, wire: BetaWire) {
    super(url, { headers: { ...headers, ...BETA_HEADER } });
    this.#wire = wire;
  }

  override send(data: unknown, ...rest: unknown[]): void {
    const out = typeof data === 'string' ? this.#wire.outgoing(data) : data;
    (super.send as (data: unknown, ...rest: unknown[]) => void)(out, ...rest);
  }

  override emit(event: string | symbol, ...args: unknown[]): boolean {
    const [data, isBinary] = args;
    if (event !== 'message' || isBinary === true) return super.emit(event, ...args);
    const text = typeof data === 'string' ? data : Buffer.from(data as Uint8Array).toString('utf8');
    let handled = false;
    for (const frame of this.#wire.incoming(text)) {
      handled = super.emit('message', Buffer.from(frame, 'utf8'), false) || handled;
    }
    return handled;
  }
}
