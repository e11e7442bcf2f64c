/**
 * A cheap stand-in for semantic end-of-turn detection: does the transcript so far read as a
 * finished utterance? Sentence-final punctuation says yes; a trailing connective, article or filler
 * ("and", "the", "um") says the speaker is still mid-thought. Without punctuation (pocketsphinx
 * produces none) the answer is no, and `semantic_vad` waits for its eagerness's maximum.
 */

/** Words after which a speaker is almost never done. */
const UNFINISHED_ENDINGS = new Set([
  'a',
  'an',
  'and',
  'as',
  'at',
  'because',
  'but',
  'for',
  'from',
  'if',
  'in',
  'of',
  'on',
  'or',
  'so',
  'that',
  'the',
  'to',
  'uh',
  'um',
  'with',
]);

/** Whether `text` (a partial or final transcript) reads as a complete turn; see the file comment. */
export function looksLikeCompleteTurn(text: string): boolean {
  const trimmed = text.trim();
  if (trimmed === '') return false;
  if (/(\.\.\.|…)$/.test(trimmed)) return false;
  if (!/[.!?。！？]["')\]]*$/.test(trimmed)) return false;
  const lastWord = /([\p{L}']+)[^\p{L}']*$/u.exec(trimmed)?.[1]?.toLowerCase();
  return lastWord === undefined || !UNFINISHED_ENDINGS.has(lastWord);
}
