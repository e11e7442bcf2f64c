/** The connection, as a union: the fields of each state exist only in that state. */
export type ConnectionState =
  | { status: 'disconnected'; reason: string | null }
  | { status: 'connecting'; url: string }
  | { status: 'connected'; url: string; realtimeSessionId: string }
  | { status: 'reconnecting'; attempt: number; delayMs: number; reason: string };

/** Whose turn it is, from the user's point of view. */
export type TurnState = 'listening' | 'thinking' | 'speaking' | 'paused';
