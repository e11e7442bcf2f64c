/**
 * Case-, punctuation- and apostrophe-insensitive phrase matching, so typed text ("What's up?") and speech-recognition
 * output ("whats up") match the same keywords.
 */

const APOSTROPHES = /['’‘`´]/g;
const NON_WORD = /[^\p{L}\p{N}]+/gu;

/** Lowercase words separated by single spaces, with a space at each end (`" whats up "`), for `includes` tests. */
export function normalizeText(text: string): string {
  const words = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(APOSTROPHES, '')
    .replace(NON_WORD, ' ')
    .trim();
  return words === '' ? ' ' : ` ${words} `;
}

/** A phrase normalised the same way, without the padding (`"What's"` → `"whats"`). */
export function normalizePhrase(phrase: string): string {
  return normalizeText(phrase).trim();
}

/** Whether `normalized` (from {@link normalizeText}) holds `phrase` (from {@link normalizePhrase}) on word boundaries. */
export function hasPhrase(normalized: string, phrase: string): boolean {
  return phrase !== '' && normalized.includes(` ${phrase} `);
}
