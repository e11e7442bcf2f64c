/**
 * Turns a recogniser's partial hypotheses, which may revise earlier words, into append-only deltas for
 * `conversation.item.input_audio_transcription.delta`.
 *
 * Policy ("local agreement"):
 * - A word is stable once two consecutive partials agree on it and on every word before it; only stable words are
 *   sent. The tail a recogniser is still unsure of ("for two" → "for do what") is held back.
 * - A delta is sent only when the stable words extend, word for word, what was already sent. When a partial revises
 *   a word already sent, nothing is sent until a later partial (or the final text) extends the sent words again;
 *   deltas are never retracted.
 * - At the end, the final text's words beyond those sent form the last delta. If the final text revised sent words,
 *   the last delta is empty and `.completed` carries the corrected transcript, which is authoritative (as live).
 * Concatenating the deltas gives the final text whenever no sent word was revised.
 */

function words(text: string): string[] {
  return text.split(/\s+/).filter((word) => word !== '');
}

function extendsSent(sent: readonly string[], next: readonly string[]): boolean {
  if (next.length < sent.length) return false;
  return sent.every((word, i) => next[i] === word);
}

/** Tracks the words sent so far for one utterance. */
export class TranscriptDeltas {
  #sent: string[] = [];
  #previous: string[] = [];

  /** The text the deltas sent so far add up to. */
  get sent(): string {
    return this.#sent.join(' ');
  }

  /** The delta for a new partial hypothesis, or `''` when there is nothing new to send yet. */
  partial(text: string): string {
    const current = words(text);
    let agreed = 0;
    while (agreed < current.length && current[agreed] === this.#previous[agreed]) agreed++;
    this.#previous = current;
    return this.#advance(current.slice(0, agreed));
  }

  /** The last delta for the final text (`''` when nothing is left or sent words were revised). */
  final(text: string): string {
    return this.#advance(words(text));
  }

  #advance(next: string[]): string {
    if (next.length <= this.#sent.length || !extendsSent(this.#sent, next)) return '';
    const added = next.slice(this.#sent.length);
    const delta = (this.#sent.length > 0 ? ' ' : '') + added.join(' ');
    this.#sent = next;
    return delta;
  }
}
