/**
 * A cheap stand-in for semantic end-of-turn detection: does the transcript so far read as a
 * finished utterance? Sentence-final punctuation says yes; a trailing connective, article or filler
 * ("and", "the", "um") says the speaker is still mid-thought. Recognisers such as pocketsphinx write
 * no punctuation, so unpunctuated text is read by its words: a closing courtesy ("… thank you",
 * "bye") or a whole question ("what time is it") reads as complete, a dangling word as unfinished,
 * anything else as open (no sign either way).
 */

/** How a transcript so far ends: see the file comment. */
export type TurnEnding = 'complete' | 'open' | 'unfinished';

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
  'my',
  'your',
  'our',
  'their',
  'his',
  'her',
  'about',
  'into',
  'than',
  'like',
  'er',
  'erm',
  'hmm',
]);

/** Closing words after which a speaker is usually done. */
const CLOSING_PHRASES = [
  'thank you',
  'thanks',
  'thank you very much',
  'please',
  'bye',
  'goodbye',
  'good bye',
  "that's all",
  'that is all',
  "that's it",
  'that is it',
  'never mind',
];

/** Words that open a question ("what time is it", "can you …"). */
const QUESTION_OPENERS = new Set([
  'what',
  "what's",
  'when',
  'where',
  "where's",
  'who',
  "who's",
  'why',
  'how',
  "how's",
  'which',
  'is',
  'are',
  'can',
  'could',
  'would',
  'will',
  'do',
  'does',
  'did',
  'should',
  'may',
  'shall',
]);

/** Shortest unpunctuated question read as complete: "what time is it" yes, "what is" no. */
const MIN_QUESTION_WORDS = 3;

/** How `text` (a partial or final transcript) ends; see the file comment. */
export function turnEnding(text: string): TurnEnding {
  const trimmed = text.trim();
  if (trimmed === '') return 'open';
  if (/(\.\.\.|…)$/.test(trimmed)) return 'unfinished';
  const words = trimmed.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
  const last = words.at(-1);
  if (last !== undefined && UNFINISHED_ENDINGS.has(last)) return 'unfinished';
  if (/[.!?。！？]["')\]]*$/.test(trimmed)) return 'complete';
  const joined = ` ${words.join(' ')}`;
  if (CLOSING_PHRASES.some((phrase) => joined.endsWith(` ${phrase}`))) return 'complete';
  const first = words[0];
  if (first !== undefined && QUESTION_OPENERS.has(first) && words.length >= MIN_QUESTION_WORDS)
    return 'complete';
  return 'open';
}

/** Whether `text` (a partial or final transcript) reads as a complete turn; see the file comment. */
export function looksLikeCompleteTurn(text: string): boolean {
  return turnEnding(text) === 'complete';
}
