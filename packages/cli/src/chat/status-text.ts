import type { ConnectionState, TurnState } from '@realtime-assistant/assistant';

/** The one word (or few) the status line shows: the connection while not connected, else the turn. */
export function statusText(connection: ConnectionState, turn: TurnState): string {
  switch (connection.status) {
    case 'connecting':
      return 'connecting';
    case 'reconnecting':
      return `reconnecting (attempt ${connection.attempt})`;
    case 'disconnected':
      return 'disconnected';
    case 'connected':
      return turn;
  }
}

const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/** An input level as `mic` and a 5-cell bar, from −60 dBFS (all `·`) to 0 dBFS (full). */
export function levelBar(db: number): string {
  const cells = 5;
  const fill = Math.max(0, Math.min(1, (db + 60) / 60)) * cells;
  let bar = '';
  for (let i = 0; i < cells; i++) {
    const part = Math.max(0, Math.min(1, fill - i));
    bar += part <= 0 ? ' ' : BARS[Math.min(BARS.length - 1, Math.floor(part * (BARS.length - 1)))];
  }
  return `mic ${bar.replace(/ /g, '·')}`;
}

/** `HH:MM:SS` in local time. */
export function clockTime(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}
