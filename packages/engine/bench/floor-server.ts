/**
 * The transport floor for the capacity bench (`run.ts --floor`): a bare `ws` server on `node:http`, configured as
 * the engine configures its own (no permessage-deflate, same payload cap), that greets each connection with a
 * `session.created` (so the load generator opens sessions as usual), counts the append frames it receives and
 * does nothing else. The same generator against it gives the CPU and lag that Node, `ws` and the loopback cost
 * before any engine work: the engine's figure minus this one is what the engine itself spends.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { RawData } from 'ws';

const APPEND_PREFIX = Buffer.from('{"type":"input_audio_buffer.append"');
const GREETING = JSON.stringify({ type: 'session.created', event_id: 'event_floor', session: {} });

/** What the bench reads of an engine, for the floor server. */
export interface FloorServer {
  url: string;
  httpUrl: string;
  readonly sessionCount: number;
  /** Prometheus-style text with the one counter the bench reads (appends in). */
  metricsText(): string;
  close(): Promise<void>;
}

export async function startFloorServer(): Promise<FloorServer> {
  const http = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({
    server: http,
    path: '/v1/realtime',
    perMessageDeflate: false,
    maxPayload: 16 * 1024 * 1024,
  });
  let appends = 0;
  let sessions = 0;
  wss.on('connection', (ws) => {
    sessions += 1;
    ws.on('close', () => (sessions -= 1));
    ws.on('error', () => undefined);
    ws.on('message', (data: RawData) => {
      const frame = data as Buffer;
      if (
        frame.length > APPEND_PREFIX.length &&
        frame.compare(APPEND_PREFIX, 0, APPEND_PREFIX.length, 0, APPEND_PREFIX.length) === 0
      )
        appends += 1;
    });
    ws.send(GREETING);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/v1/realtime`,
    httpUrl: `http://127.0.0.1:${port}`,
    get sessionCount() {
      return sessions;
    },
    metricsText: () =>
      `local_realtime_events_in_total{type="input_audio_buffer.append"} ${appends}\n`,
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
