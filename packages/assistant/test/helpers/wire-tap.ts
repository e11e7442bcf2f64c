import type { IncomingHttpHeaders } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import type { RawData } from 'ws';

type Frame = { type: string } & Record<string, unknown>;

/** One proxied connection: the upgrade headers and every text frame, decoded, each way. */
export interface TappedConnection {
  readonly headers: IncomingHttpHeaders;
  /** Frames the client sent, as they were on the wire. */
  readonly fromClient: Frame[];
  /** Frames the server sent, as they were on the wire. */
  readonly fromServer: Frame[];
}

/** A loopback WebSocket proxy in front of a realtime server that records what crosses it. */
export interface WireTap {
  /** `ws://127.0.0.1:<port>/v1/realtime`. */
  readonly url: string;
  readonly connections: TappedConnection[];
  close(): Promise<void>;
}

function textOf(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

function decode(data: RawData): Frame {
  return JSON.parse(textOf(data)) as Frame;
}

/** Starts a proxy to `upstreamUrl` (a `ws://…/v1/realtime` URL) on a free loopback port. */
export async function startWireTap(upstreamUrl: string): Promise<WireTap> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const connections: TappedConnection[] = [];
  server.on('connection', (client, request) => {
    const tapped: TappedConnection = { headers: request.headers, fromClient: [], fromServer: [] };
    connections.push(tapped);
    const query = new URL(request.url ?? '/', 'ws://tap').search;
    const forwarded: Record<string, string> = {};
    for (const name of ['authorization', 'openai-beta']) {
      const value = request.headers[name];
      if (typeof value === 'string') forwarded[name] = value;
    }
    const upstream = new WebSocket(`${upstreamUrl}${query}`, { headers: forwarded });
    const queued: string[] = [];
    client.on('message', (data) => {
      tapped.fromClient.push(decode(data));
      const text = textOf(data);
      if (upstream.readyState === WebSocket.OPEN) upstream.send(text);
      else queued.push(text);
    });
    upstream.on('open', () => {
      for (const text of queued.splice(0)) upstream.send(text);
    });
    upstream.on('message', (data) => {
      tapped.fromServer.push(decode(data));
      client.send(textOf(data));
    });
    upstream.on('close', () => client.close());
    upstream.on('error', () => client.terminate());
    client.on('close', () => upstream.close());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `ws://127.0.0.1:${port}/v1/realtime`,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of server.clients) ws.terminate();
        server.close(() => resolve());
      }),
  };
}
