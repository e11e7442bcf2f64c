import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';

type Event = { type: string } & Record<string, unknown>;

/**
 * A tiny scripted Realtime server on loopback port 0, for paths the engine cannot produce yet: it answers
 * `session.update` with `session.updated` (with the given `interrupt_response`) and lets the test send events.
 */
export class ScriptedServer {
  readonly received: Event[] = [];
  #wss: WebSocketServer;
  #socket: WebSocket | null = null;
  #waiters: { type: string; resolve: (e: Event) => void }[] = [];

  private constructor(wss: WebSocketServer, interruptResponse: boolean) {
    this.#wss = wss;
    wss.on('connection', (socket) => {
      this.#socket = socket;
      this.send({
        type: 'session.created',
        session: { id: 'sess_scripted', model: 'gpt-realtime', type: 'realtime' },
      });
      socket.on('message', (data: Buffer) => {
        const event = JSON.parse(data.toString('utf8')) as Event;
        this.received.push(event);
        if (event.type === 'session.update') {
          this.send({
            type: 'session.updated',
            session: {
              type: 'realtime',
              audio: {
                input: {
                  turn_detection: { type: 'server_vad', interrupt_response: interruptResponse },
                },
                output: { format: { type: 'audio/pcm', rate: 24_000 } },
              },
            },
          });
        }
        this.#waiters = this.#waiters.filter((w) => {
          if (w.type !== event.type) return true;
          w.resolve(event);
          return false;
        });
      });
    });
  }

  static async start(interruptResponse: boolean): Promise<ScriptedServer> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(wss, 'listening');
    return new ScriptedServer(wss, interruptResponse);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.#wss.address() as AddressInfo).port}/v1/realtime`;
  }

  send(event: Event): void {
    this.#socket?.send(
      JSON.stringify({ event_id: `event_${Math.random().toString(36).slice(2)}`, ...event }),
    );
  }

  /** Resolves with the next client event of `type`. */
  next(type: string): Promise<Event> {
    return new Promise((resolve) => this.#waiters.push({ type, resolve }));
  }

  /** Starts an assistant audio reply and sends `ms` of audio in 50 ms deltas. */
  startAudioReply(itemId: string, ms: number): void {
    this.send({
      type: 'response.created',
      response: { id: 'resp_1', object: 'realtime.response', status: 'in_progress', output: [] },
    });
    this.send({
      type: 'conversation.item.added',
      previous_item_id: null,
      item: { id: itemId, type: 'message', role: 'assistant', status: 'in_progress', content: [] },
    });
    const chunk = Buffer.alloc(2400).toString('base64');
    for (let sent = 0; sent < ms; sent += 50) {
      this.send({
        type: 'response.output_audio.delta',
        response_id: 'resp_1',
        item_id: itemId,
        output_index: 0,
        content_index: 0,
        delta: chunk,
      });
    }
  }

  async close(): Promise<void> {
    for (const client of this.#wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }
}
