/** Reading a reply's audio pieces in a response run: one-piece sources, reads that stop at a cancel, joining. */
import type { EncodedPiece } from './response-plan.js';

/** A whole reply's audio as a stream of one piece. */
export function onePiece(
  text: string,
  audio: Uint8Array | undefined,
): AsyncIterator<EncodedPiece, void> {
  let done = false;
  return {
    next: () => {
      if (done) return Promise.resolve({ done: true, value: undefined });
      done = true;
      return Promise.resolve({ done: false, value: { text, audio: audio ?? new Uint8Array(0) } });
    },
  };
}

/**
 * The next piece of a streamed reply, or `null` at its end, when the source fails, or as soon as `signal` aborts
 * (the run was cancelled while the next piece was still being synthesised).
 */
export async function nextPiece(
  source: AsyncIterator<EncodedPiece, void>,
  signal: AbortSignal,
): Promise<EncodedPiece | null> {
  if (signal.aborted) return null;
  let onAbort = (): void => undefined;
  const stopped = new Promise<null>((resolve) => {
    onAbort = () => resolve(null);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([
      source.next().then(
        (result) => (result.done === true ? null : result.value),
        () => null,
      ),
      stopped,
    ]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** The parts joined (the part itself when there is one). */
export function concatBytes(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}
