import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../src/scenario/index.js';
import {
  DEFAULT_POCKETSPHINX_MODEL_DIR,
  buildJsgfGrammar,
  formatGrammarExpression,
  parseGrammarExpression,
} from '../src/transcription/index.js';
import { dictionaryWords } from '../src/transcription/jsgf-grammar.js';

const HEADER = '#JSGF V1.0;\ngrammar utterances;\n';

function parsed(text: string): string {
  const result = parseGrammarExpression(text);
  if (!result.ok) throw new Error(result.error);
  return formatGrammarExpression(result.node);
}

describe('grammar expressions', () => {
  it('parses alternatives, groups, optional parts, rules and repeats', () => {
    expect(parseGrammarExpression('cancel [my] appointment <digit>+')).toEqual({
      ok: true,
      node: {
        kind: 'sequence',
        items: [
          { kind: 'word', text: 'cancel' },
          { kind: 'optional', body: { kind: 'word', text: 'my' } },
          { kind: 'word', text: 'appointment' },
          { kind: 'repeat', min: 1, body: { kind: 'rule', name: 'digit' } },
        ],
      },
    });
    expect(parsed('(book|schedule) a [basic | premium] slot (a b)*')).toBe(
      '( book | schedule ) a [ basic | premium ] slot ( a b )*',
    );
    expect(parsed("a | b c | o'clock")).toBe("a | b c | o'clock");
  });

  it('explains each syntax error with its column', () => {
    const error = (text: string): string => {
      const result = parseGrammarExpression(text);
      return result.ok ? 'parsed' : result.error;
    };
    expect(error('a (b | c')).toBe('"(" is not closed (found the end instead) at column 3');
    expect(error('a [b )')).toBe('"[" is not closed (found ")" instead) at column 3');
    expect(error('a b]')).toBe('unexpected "]" (nothing to close) at column 4');
    expect(error('a | | b')).toBe(
      'an empty alternative (nothing between "|" and its neighbour) at column 5',
    );
    expect(error('a |')).toBe(
      'an empty alternative (nothing between "|" and its neighbour) at column 4',
    );
    expect(error('[ ]')).toBe('an empty group before "]" at column 3');
    expect(error('')).toBe('an empty expression at column 1');
    expect(error('+ a')).toBe('"+" with nothing before it to repeat at column 1');
    expect(error('a++')).toBe('"+" repeated at column 3');
    expect(error('a <b')).toBe('"<" without a closing ">" at column 3');
    expect(error('<Day>')).toBe(
      '"<Day>" is not a rule name (lower-case letters, digits and _) at column 1',
    );
  });
});

describe('JSGF compilation of expressions', () => {
  const dictionary = new Set(['book', 'a', 'basic', 'premium', 'at', 'three', 'pm', 'one', 'two']);
  const hasWord = (word: string): boolean => dictionary.has(word);

  it('compiles alternatives, optional parts and repeats to JSGF, spelling digits', () => {
    const grammar = buildJsgfGrammar(
      ['Book a (Basic | premium) [at 3 PM]', '(1 | 2)+', 'book'],
      hasWord,
    );
    expect(grammar.warnings).toEqual([]);
    expect(grammar.jsgf).toBe(
      `${HEADER}public <utt> = ( book a ( basic | premium ) [ at three pm ] | ( one | two )+ | book );\n`,
    );
  });

  it('drops unknown words, turning a group with an emptied alternative optional', () => {
    const grammar = buildJsgfGrammar(['book a (basic | zzz) xyzzy', '(qqq | www)'], hasWord);
    expect(grammar.phrases).toEqual(['book a [ basic ]']);
    expect(grammar.warnings).toEqual([
      'grammar phrase "book a (basic | zzz) xyzzy": dropped "zzz", "xyzzy" (not in the pronunciation dictionary).',
      'grammar phrase "(qqq | www)" skipped: no word of it is in the pronunciation dictionary.',
    ]);
  });

  it('deduplicates alternatives and entries after normalisation', () => {
    const grammar = buildJsgfGrammar(['(one | 1 | two)', 'ONE | 1 | 2'], hasWord);
    expect(grammar.phrases).toEqual(['one | two']);
  });

  it('reads an invalid expression as plain words, and drops a rule that was not inlined', () => {
    const grammar = buildJsgfGrammar(['book a (basic', 'book a <service>'], hasWord);
    expect(grammar.phrases).toEqual(['book a basic', 'book a']);
    expect(grammar.warnings).toEqual([
      'grammar phrase "book a (basic" is not a valid expression ("(" is not closed (found the end instead) at column 8); its words are used as a phrase.',
      'grammar phrase "book a <service>": dropped the unknown rule <service>.',
    ]);
  });

  it('compiles the shipped scheduler grammar with every word in the pronunciation dictionary', async () => {
    const result = await resolveScenario('scheduler');
    if (!result.ok) throw result.error;
    const words = dictionaryWords(
      readFileSync(join(DEFAULT_POCKETSPHINX_MODEL_DIR, 'cmudict-en-us.dict'), 'utf8'),
    );
    const structured = result.scenario.grammar.filter((entry) => /[([]/.test(entry));
    expect(structured).toHaveLength(10);
    const grammar = buildJsgfGrammar(structured, (word) => words.has(word));
    expect(grammar.warnings).toEqual([]);
    expect(grammar.jsgf).toContain(
      '( reschedule | move ) [ my ] appointment [ number ] ( zero | one |',
    );
  });
});
