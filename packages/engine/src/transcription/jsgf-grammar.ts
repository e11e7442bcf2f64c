/**
 * Builds a JSGF grammar from the phrases and grammar expressions a scenario expects, so pocketsphinx recognises
 * exactly those.
 */
import type { GrammarNode } from './grammar-expression.js';
import {
  GRAMMAR_OPERATORS,
  formatGrammarExpression,
  parseGrammarExpression,
} from './grammar-expression.js';
import { spellNumberToken } from './number-spelling.js';

/** A grammar ready for pocketsphinx, and what was changed on the way. */
export interface JsgfGrammar {
  /** The JSGF source; `undefined` when no phrase survived (decode with the general model instead). */
  jsgf: string | undefined;
  /** The normalised entries (phrases and expressions) in the grammar, deduplicated, in input order. */
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
 * Builds `public <utt> = ( entry one | entry two | … );` from grammar entries: plain phrases or expressions
 * (`book a ( basic | premium ) appointment [ please ]`, see `grammar-expression.ts`; rules must be inlined already).
 * Words the dictionary lacks (`hasWord` false) are dropped from their entry with a warning; an alternative left
 * empty makes its group optional, and an entry left with no words is skipped.
 */
export function buildJsgfGrammar(
  entries: readonly string[],
  hasWord: (word: string) => boolean,
): JsgfGrammar {
  const warnings: string[] = [];
  const kept: string[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    const parsed = parseGrammarExpression(entry);
    let node: GrammarNode;
    if (parsed.ok) {
      node = parsed.node;
    } else {
      warnings.push(
        `grammar phrase ${JSON.stringify(entry)} is not a valid expression (${parsed.error}); its words are used as a phrase.`,
      );
      node = { kind: 'word', text: entry.replace(new RegExp(GRAMMAR_OPERATORS, 'g'), ' ') };
    }
    const missing = new Set<string>();
    const unresolved = new Set<string>();
    const normalized = normalizeNode(node, hasWord, missing, unresolved);
    for (const name of unresolved) {
      warnings.push(`grammar phrase ${JSON.stringify(entry)}: dropped the unknown rule <${name}>.`);
    }
    if (missing.size > 0) {
      warnings.push(
        normalized === undefined
          ? `grammar phrase ${JSON.stringify(entry)} skipped: no word of it is in the pronunciation dictionary.`
          : `grammar phrase ${JSON.stringify(entry)}: dropped ${[...missing].map((w) => JSON.stringify(w)).join(', ')} (not in the pronunciation dictionary).`,
      );
    }
    if (normalized === undefined) continue;
    const text = formatGrammarExpression(normalized);
    if (seen.has(text)) continue;
    seen.add(text);
    kept.push(text);
  }
  if (kept.length === 0) {
    if (entries.length > 0)
      warnings.push('no grammar phrase is usable; decoding with the general language model.');
    return { jsgf: undefined, phrases: kept, warnings };
  }
  const jsgf = `#JSGF V1.0;\ngrammar utterances;\npublic <utt> = ( ${kept.join(' | ')} );\n`;
  return { jsgf, phrases: kept, warnings };
}

/**
 * Normalises the words of an expression into dictionary words and drops what cannot be said; `undefined` when
 * nothing is left. Missing words and unresolved rule names are collected.
 */
function normalizeNode(
  node: GrammarNode,
  hasWord: (word: string) => boolean,
  missing: Set<string>,
  unresolved: Set<string>,
): GrammarNode | undefined {
  const recurse = (child: GrammarNode): GrammarNode | undefined =>
    normalizeNode(child, hasWord, missing, unresolved);
  switch (node.kind) {
    case 'word': {
      const words: GrammarNode[] = [];
      for (const word of normalizeGrammarPhrase(node.text)) {
        if (hasWord(word)) words.push({ kind: 'word', text: word });
        else missing.add(word);
      }
      if (words.length === 0) return undefined;
      return words.length === 1 ? words[0] : { kind: 'sequence', items: words };
    }
    case 'rule':
      unresolved.add(node.name);
      return undefined;
    case 'sequence': {
      const items = node.items
        .map(recurse)
        .filter((item) => item !== undefined)
        .flatMap((item) => (item.kind === 'sequence' ? item.items : [item]));
      if (items.length === 0) return undefined;
      return items.length === 1 ? items[0] : { kind: 'sequence', items };
    }
    case 'alternatives': {
      const options: GrammarNode[] = [];
      const texts = new Set<string>();
      let emptyOption = false;
      for (const option of node.options) {
        const kept = recurse(option);
        if (kept === undefined) {
          emptyOption = true;
          continue;
        }
        const text = formatGrammarExpression(kept);
        if (texts.has(text)) continue;
        texts.add(text);
        options.push(kept);
      }
      if (options.length === 0) return undefined;
      const body: GrammarNode =
        options.length === 1 ? options[0]! : { kind: 'alternatives', options };
      return emptyOption ? { kind: 'optional', body } : body;
    }
    case 'optional': {
      const body = recurse(node.body);
      return body === undefined ? undefined : { kind: 'optional', body };
    }
    case 'repeat': {
      const body = recurse(node.body);
      return body === undefined ? undefined : { ...node, body };
    }
  }
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
