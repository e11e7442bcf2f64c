/** What the server layer needs from one Realtime session; the session knows nothing about sockets. */
export interface SessionPort {
  readonly id: string; // sess_…
  /** Sends `session.created` and starts timers. */
  start(): void;
  /** One text frame from the client (already size-checked); the session parses, validates and answers (errors included). */
  receiveText(text: string): void;
  /** The connection closed (by either side); release timers, cancel responses. Idempotent. */
  dispose(): void;
}
export interface SessionSink {
  /** Serialized server event (one JSON text frame). */
  sendText(text: string): void;
  /** Close the connection with a WebSocket close code and reason (e.g. 1000, 'session_expired'). */
  close(code: number, reason: string): void;
}
export interface SessionRequest {
  kind: 'realtime' | 'transcription';
  model: string | null;
  beta: boolean; // OpenAI-Beta: realtime=v1 header or openai-beta.realtime-v1 subprotocol
  // eslint-disable-next-line @typescript-eslint/no-redundant-type-constituents -- `null` documents the no-token case
  initialSession: unknown | null; // the session config carried by the ephemeral token that opened it (GA shape), else null
  auth:
    { kind: 'open' } | { kind: 'api_key'; keyId: string } | { kind: 'ephemeral'; tokenId: string }; // never the key itself
  remoteAddress: string;
}
export type SessionFactory = (request: SessionRequest, sink: SessionSink) => SessionPort;
