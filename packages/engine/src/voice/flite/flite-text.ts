/** Preparing reply text for Flite: control characters out, a length cap, and sentence splitting for streaming. */

/** The most characters of one reply that are spoken; the rest is dropped at a word boundary. */
export const MAX_SPEECH_CHARS = 4_000;

/** The longest piece handed to Flite in one call; longer sentences are split at a comma or a space. */
const MAX_PIECE_CHARS = 400;

// C0/C1 controls except tab/newline/CR, plus zero-width and bidi formatting characters and lone surrogates.
const CONTROL =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text as Flite should see it: control and invisible formatting characters removed, whitespace collapsed, and at
 * most `maxChars` characters (cut at the last word boundary). Returns `''` for text with nothing to say.
 */
export function sanitizeSpeechText(text: string, maxChars = MAX_SPEECH_CHARS): string {
  let clean = String(text)
    .replace(CONTROL, ' ')
    .replace(LONE_SURROGATE, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (clean.length > maxChars) {
    const cut = clean.slice(0, maxChars);
    const space = cut.lastIndexOf(' ');
    clean = (space > maxChars / 2 ? cut.slice(0, space) : cut).trim();
  }
  return clean;
}

/**
 * Splits sanitised text into sentences (at `.`, `!`, `?`, `;` or `…` followed by a space), splitting any sentence
 * longer than 400 characters at a comma or a space, so the first sentence of a long reply can be spoken before
 * the rest is synthesised. Pieces with no letters or digits are merged into their neighbour.
 */
export function splitSentences(text: string): string[] {
  const clean = sanitizeSpeechText(text);
  if (clean === '') return [];
  const sentences = clean.split(/(?<=[.!?;…]["')\]]?)\s+/u);
  const pieces: string[] = [];
  for (const sentence of sentences) {
    for (const piece of splitLong(sentence)) {
      const last = pieces.length - 1;
      if (last >= 0 && !/[\p{L}\p{N}]/u.test(piece)) pieces[last] = `${pieces[last]} ${piece}`;
      else if (last >= 0 && !/[\p{L}\p{N}]/u.test(pieces[last]!))
        pieces[last] = `${pieces[last]} ${piece}`;
      else pieces.push(piece);
    }
  }
  return pieces;
}

/** A first sentence longer than this is split at its first clause boundary when streaming. */
export const FIRST_PIECE_CHARS = 48;

/**
 * {@link splitSentences} for streaming: when the first sentence is long, it is split at its first clause boundary
 * (a comma, semicolon, colon or dash after a few words), so the first audio is ready sooner. The first piece keeps at
 * least 12 characters and leaves at least 12 for the second; a first sentence over twice `firstChars` with no clause
 * boundary is split at a space near `firstChars`.
 */
export function splitForStreaming(text: string, firstChars = FIRST_PIECE_CHARS): string[] {
  const pieces = splitSentences(text);
  const first = pieces[0];
  if (first === undefined || first.length <= firstChars) return pieces;
  const MIN = 12;
  let cut = -1;
  for (const match of first.matchAll(/[,;:\u2013\u2014]\s/gu)) {
    const at = match.index + 1;
    if (at >= MIN && first.length - at >= MIN) {
      cut = at;
      break;
    }
  }
  if (cut < 0 && first.length > firstChars * 2) {
    const space = first.lastIndexOf(' ', firstChars);
    if (space >= MIN) cut = space;
  }
  if (cut < 0) return pieces;
  return [first.slice(0, cut).trim(), first.slice(cut).trim(), ...pieces.slice(1)];
}

/** Joins consecutive sentences into pieces of at most `maxChars` characters (a longer sentence stays whole). */
export function groupSentences(sentences: readonly string[], maxChars: number): string[] {
  const groups: string[] = [];
  let current = '';
  for (const sentence of sentences) {
    if (current !== '' && current.length + 1 + sentence.length > maxChars) {
      groups.push(current);
      current = '';
    }
    current = current === '' ? sentence : `${current} ${sentence}`;
  }
  if (current !== '') groups.push(current);
  return groups;
}

function splitLong(sentence: string): string[] {
  const out: string[] = [];
  let rest = sentence;
  while (rest.length > MAX_PIECE_CHARS) {
    const window = rest.slice(0, MAX_PIECE_CHARS);
    let cut = window.lastIndexOf(', ');
    if (cut < MAX_PIECE_CHARS / 2) cut = window.lastIndexOf(' ');
    if (cut < MAX_PIECE_CHARS / 4) cut = MAX_PIECE_CHARS - 1;
    out.push(rest.slice(0, cut + 1).trim());
    rest = rest.slice(cut + 1).trim();
  }
  if (rest !== '') out.push(rest);
  return out;
}
