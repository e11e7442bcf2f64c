const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO ',
  40: 'WARN ',
  50: 'ERROR',
  60: 'FATAL',
};

/** Fields the pretty line shows in its head (or drops), not as `key=value`. */
const HEAD_FIELDS = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'session_id', 'component']);

/**
 * Turns one pino JSON line into a readable one: `12:03:04.512 INFO  [conversation] connected model=gpt-realtime`.
 * A line that is not JSON comes back unchanged.
 */
export function formatPrettyLine(line: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`;
  }
  const time = typeof record.time === 'string' ? record.time.slice(11, 23) : '';
  const level = LEVEL_NAMES[Number(record.level)] ?? String(record.level);
  const component = typeof record.component === 'string' ? ` [${record.component}]` : '';
  const extras = Object.entries(record)
    .filter(([key]) => !HEAD_FIELDS.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  const msg = typeof record.msg === 'string' ? record.msg : '';
  return `${[time, level].filter(Boolean).join(' ')}${component} ${msg}${extras.length ? ' ' + extras.join(' ') : ''}\n`;
}
