/**
 * What a `response.done` that did not complete says to the person: a failure (`status_details.error`), a reply cut
 * short (`incomplete`: the token limit, the content filter) or a cancel. A completed response says nothing.
 */
export interface UnfinishedResponse {
  readonly responseId: string;
  readonly status: 'failed' | 'incomplete' | 'cancelled';
  /** `status_details.reason` (`max_output_tokens`, `turn_detected`, `client_cancelled`, …), when given. */
  readonly reason: string | null;
  /** The server's error code for a failure (`rate_limit_exceeded`, `server_error`, …). */
  readonly code?: string;
  /** One sentence for the screen. */
  readonly message: string;
}

type Json = Record<string, unknown>;

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The unfinished outcome of a `response.done`'s `response`, or null when it completed (or is not one). */
export function unfinishedResponse(response: unknown): UnfinishedResponse | null {
  if (typeof response !== 'object' || response === null) return null;
  const r = response as Json;
  const status = r.status;
  if (status !== 'failed' && status !== 'incomplete' && status !== 'cancelled') return null;
  const details = (
    typeof r.status_details === 'object' && r.status_details !== null ? r.status_details : {}
  ) as Json;
  const reason = str(details.reason) ?? null;
  const responseId = str(r.id) ?? '';
  if (status === 'failed') {
    const error = (
      typeof details.error === 'object' && details.error !== null ? details.error : {}
    ) as Json;
    const code = str(error.code);
    const said = str(error.message)?.trim().replace(/\.+$/, '');
    const why = said ?? (code ? `the server gave the code ${code}` : 'the server gave no reason');
    return {
      responseId,
      status,
      reason,
      ...(code !== undefined ? { code } : {}),
      message: `The reply failed: ${why}${code !== undefined && said !== undefined ? ` (${code})` : ''}.`,
    };
  }
  if (status === 'incomplete') {
    const why =
      reason === 'max_output_tokens'
        ? 'it reached the output token limit'
        : reason === 'content_filter'
          ? 'the content filter stopped it'
          : reason !== null
            ? reason
            : 'the server did not say why';
    return { responseId, status, reason, message: `The reply was cut short: ${why}.` };
  }
  const why =
    reason === 'turn_detected'
      ? ': you started speaking'
      : reason === 'client_cancelled'
        ? ''
        : reason !== null
          ? ` (${reason})`
          : '';
  return { responseId, status, reason, message: `The reply was cancelled${why}.` };
}
