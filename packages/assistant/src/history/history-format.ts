import type {
  ConversationItemRecord,
  ConversationRecord,
  ConversationSummary,
  ItemSpeaker,
} from '../storage/records.js';

/** How times are shown: in a time zone (default this machine's). */
export interface HistoryFormatOptions {
  readonly timeZone?: string;
}

const LABELS: Readonly<Record<ItemSpeaker, string>> = {
  user: 'You',
  assistant: 'Assistant',
  system: 'System',
  tool: 'Tool',
};

/** The lines of `realtime-assistant history`: one conversation a line, newest first. */
export function formatConversationList(
  conversations: readonly ConversationSummary[],
  options: HistoryFormatOptions = {},
): string {
  if (conversations.length === 0) return 'No conversations yet.\n';
  const rows = conversations.map((c) => [
    c.id.slice(0, 8),
    localTime(c.startedAt, options, 'minutes'),
    c.endedAt ? duration(c.startedAt, c.endedAt) : 'open',
    `${c.itemCount} ${c.itemCount === 1 ? 'item' : 'items'}`,
    c.assistant,
    c.target,
  ]);
  const header = ['ID', 'STARTED', 'LENGTH', 'ITEMS', 'ASSISTANT', 'TARGET'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ');
  return `${[header, ...rows].map(line).join('\n')}\n`;
}

/** `history show <id>`: the header, then each item with its time and speaker. */
export function formatConversationText(
  conversation: ConversationRecord,
  items: readonly ConversationItemRecord[],
  options: HistoryFormatOptions = {},
): string {
  const lines = [
    `Conversation ${conversation.id}`,
    `Assistant: ${conversation.assistant}   Target: ${conversation.target}`,
    `Session:   ${conversation.sessionId ?? '(none)'}`,
    `Started:   ${localTime(conversation.startedAt, options, 'seconds')}` +
      (conversation.endedAt
        ? `   Ended: ${localTime(conversation.endedAt, options, 'seconds')} (${duration(conversation.startedAt, conversation.endedAt)})`
        : '   (not ended)'),
    ...conversation.recordingPaths.map((path) => `Recording: ${path}`),
    '',
  ];
  for (const item of items) {
    const time = localTime(item.createdAt, options, 'seconds').slice(11);
    lines.push(`[${time}] ${LABELS[item.speaker]}: ${item.text}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `history export <id> --format md`. */
export function conversationToMarkdown(
  conversation: ConversationRecord,
  items: readonly ConversationItemRecord[],
  options: HistoryFormatOptions = {},
): string {
  const lines = [
    `# Conversation ${conversation.id}`,
    '',
    `- Assistant: ${conversation.assistant}`,
    `- Target: ${conversation.target}`,
    `- Session: ${conversation.sessionId ?? '(none)'}`,
    `- Started: ${localTime(conversation.startedAt, options, 'seconds')}`,
    `- Ended: ${conversation.endedAt ? localTime(conversation.endedAt, options, 'seconds') : '(not ended)'}`,
    ...conversation.recordingPaths.map((path) => `- Recording: \`${path}\``),
    '',
  ];
  for (const item of items) {
    const time = localTime(item.createdAt, options, 'seconds').slice(11);
    const text = item.speaker === 'tool' ? `\`${item.text}\`` : escapeMarkdown(item.text);
    lines.push(`**${LABELS[item.speaker]}** (${time}): ${text}`, '');
  }
  return `${lines.join('\n')}`;
}

/** `history export <id> --format json`: the conversation and its items, times as ISO 8601 (UTC). */
export function conversationToJson(
  conversation: ConversationRecord,
  items: readonly ConversationItemRecord[],
): string {
  const json = {
    id: conversation.id,
    sessionId: conversation.sessionId,
    assistant: conversation.assistant,
    target: conversation.target,
    startedAt: conversation.startedAt.toISOString(),
    endedAt: conversation.endedAt?.toISOString() ?? null,
    recordings: [...conversation.recordingPaths],
    items: items.map((item) => ({
      itemId: item.itemId,
      position: item.position,
      speaker: item.speaker,
      text: item.text,
      createdAt: item.createdAt.toISOString(),
      completedAt: item.completedAt?.toISOString() ?? null,
    })),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

/** `YYYY-MM-DD HH:mm[:ss]` in the zone asked for (Swedish locale formats exactly so). */
function localTime(
  date: Date,
  options: HistoryFormatOptions,
  precision: 'minutes' | 'seconds',
): string {
  return new Intl.DateTimeFormat('sv-SE', {
    ...(options.timeZone ? { timeZone: options.timeZone } : {}),
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    ...(precision === 'seconds' ? { second: '2-digit' } : {}),
    hourCycle: 'h23',
  }).format(date);
}

function duration(from: Date, to: Date): string {
  const seconds = Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** Keeps a transcript from being read as Markdown markup (headings, lists, emphasis, links). */
function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]<>#|])/g, '\\$1').replace(/^(\s*)([-+]|\d+\.)\s/gm, '$1\\$2 ');
}
