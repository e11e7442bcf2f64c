/**
 * Builds a JSGF grammar from the phrases a scenario expects, so pocketsphinx recognises exactly those phrases.
 */
import { spellNumberToken } from './number-spelling.js';

/** A grammar ready for pocketsphinx, and what was changed on the way. */
export interface JsgfGrammar {
  /** The JSGF source; `undefined` when no phrase survived (decode with the general model instead). */
  jsgf: string | undefined;
  /** The normalised phrases in the grammar, deduplicated, in input order. */
  phrases: string[];
  /** Words dropped because the dictionary lacks them, phrases skipped, and similar. */
  warnings: string[];
}

/**
 * Normalises a phrase into dictionary words: lower-cased, numbers spelled out ("7:30" → "seven thirty"), punctuation
 * stripped (apostrophes inside words kept: "don't"), hyphens and slashes splitting words.
 */
export function normalizeGrammarPhrase(phrase: string): string[] {
  const tokens = phrase
    .toLowerCase()
    .replace(/[‘’]/g, "'")
    .replace(/[-–—/_]/g, ' ')
    .split(/\s+/);
  const out: string[] = [];
  for (const raw of tokens) {
    // Keep ':' and '.' between digits (times, decimals); everything else that is not a letter, digit or apostrophe goes.
    const token = raw
      .replace(/(?<!\d)[:.]|[:.](?!\d)/g, '')
      .replace(/[^\p{L}\p{N}':.]/gu, '')
      .replace(/^'+|'+$/g, '');
    if (token === '') continue;
    const spelled = /\d/.test(token) ? spellNumberToken(token) : [token];
    for (const word of spelled) {
      const clean = word.replace(/[:.]/g, '');
      if (clean !== '') out.push(clean);
    }
  }
  return out;
}

/**
 * Builds `public <utt> = ( phrase one | phrase two | … );`. Words the dictionary lacks (`hasWord` false) are dropped
 * from their phrase with a warning; a phrase left with no words is skipped.
 */
export function buildJsgfGrammar(
  phrases: readonly string[],
  hasWord: (word: string) => boolean,
): JsgfGrammar {
  const warnings: string[] = [];
  const kept: string[] = [];
  const seen = new Set<string>();
  for (const phrase of phrases) {
    const normalized = normalizeGrammarPhrase(phrase);
    const missing = normalized.filter((word) => !hasWord(word));
    const known = normalized.filter((word) => hasWord(word));
    if (missing.length > 0) {
      warnings.push(
        known.length === 0
          ? `grammar phrase ${JSON.stringify(phrase)} skipped: no word of it is in the pronunciation dictionary.`
          : `grammar phrase ${JSON.stringify(phrase)}: dropped ${missing.map((w) => JSON.stringify(w)).join(', ')} (not in the pronunciation dictionary).`,
      );
    }
    if (known.length === 0) continue;
    const text = known.join(' ');
    if (seen.has(text)) continue;
    seen.add(text);
    kept.push(text);
  }
  if (kept.length === 0) {
    if (phrases.length > 0)
      warnings.push('no grammar phrase is usable; decoding with the general language model.');
    return { jsgf: undefined, phrases: kept, warnings };
  }
  const jsgf = `#JSGF V1.0;\ngrammar utterances;\npublic <utt> = ( ${kept.join(' | ')} );\n`;
  return { jsgf, phrases: kept, warnings };
}

/** Parses a CMU-style pronunciation dictionary (`word PH ON ES`, alternates as `word(2)`) into its headwords. */
export function dictionaryWords(text: string): Set<string> {
  const words = new Set<string>();
  for (const line of text.split('\n')) {
    const end = line.search(/[\s(]/);
    const word = end === -1 ? line : line.slice(0, end);
    if (word !== '') words.add(word);
  }
  return words;
}
