import type { SessionRecord } from '@realtime-assistant/engine/testing';

/** An engine session's conversation as `[role, text]` pairs (tool items as `[type, call_id]`), in item order. */
export function conversationOf(session: SessionRecord): [string, string | undefined][] {
  return session.machine.items.map(({ item }) => {
    const raw = item as {
      type: string;
      role?: string;
      call_id?: string;
      content?: { text?: string; transcript?: string }[];
    };
    if (raw.type !== 'message') return [raw.type, raw.call_id];
    const part = raw.content?.[0];
    return [raw.role ?? '', part?.text ?? part?.transcript];
  });
}
