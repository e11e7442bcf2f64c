/** Model families the live Realtime API serves over `/v1/realtime` (dated snapshots included). */
const REALTIME_MODEL_PREFIXES = [
  'gpt-realtime',
  'gpt-realtime-mini',
  'gpt-4o-realtime-preview',
  'gpt-4o-mini-realtime-preview',
] as const;

/** The model used in examples and messages. */
export const EXAMPLE_MODEL = 'gpt-realtime';

/**
 * Whether `model` is one this server accepts: a live Realtime family (`gpt-realtime*`,
 * `gpt-4o-realtime-preview*`, `gpt-4o-mini-realtime-preview*`) or one of the configured `extra` names.
 */
export function isKnownRealtimeModel(model: string, extra: readonly string[] = []): boolean {
  if (extra.includes(model)) return true;
  return REALTIME_MODEL_PREFIXES.some((prefix) => model.startsWith(prefix));
}
