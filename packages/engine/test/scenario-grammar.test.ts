import { describe, expect, it } from 'vitest';
import type { ScenarioResult } from '../src/scenario/index.js';
import {
  compileScenarioGrammar,
  formatScenarioIssue,
  parseScenario,
  resolveScenario,
} from '../src/scenario/index.js';

const yaml = (...rows: string[]): string => `${rows.join('\n')}\n`;

/** A scenario holding `grammarRows` (indented under `grammar:`) and one response. */
function withGrammar(...grammarRows: string[]): ScenarioResult {
  return parseScenario(
    yaml('name: g', 'grammar:', ...grammarRows, 'responses:', '  - reply: { text: hi }'),
    { fileName: 'g.yaml' },
  );
}

function errors(result: ScenarioResult): string[] {
  if (result.ok) throw new Error('expected the scenario to be rejected');
  return result.error.issues.filter((i) => i.severity === 'error').map(formatScenarioIssue);
}

function grammarOf(result: ScenarioResult): string[] {
  if (!result.ok) throw result.error;
  return result.scenario.grammar;
}

describe('scenario grammar syntax', () => {
  it('keeps a plain list of phrases as it was', () => {
    const result = parseScenario(yaml('grammar: [play a tone, "What is 7:30?"]'));
    expect(grammarOf(result)).toEqual(['play a tone', 'What is 7:30?']);
  });

  it('accepts phrases with alternatives, optional parts and named rules, and inlines the rules', () => {
    const result = withGrammar(
      '  phrases:',
      '    - book a <service> appointment [on] <day> at <time>',
      '    - cancel appointment <digit>+',
      '  rules:',
      '    service: [consultation, basic, premium]',
      '    day: today | tomorrow',
      "    time: <digit> [o'clock | thirty] (am | pm)",
      '    digit: [one, two]',
    );
    expect(grammarOf(result)).toEqual([
      "book a ( consultation | basic | premium ) appointment [ on ] ( today | tomorrow ) at ( one | two ) [ o'clock | thirty ] ( am | pm )",
      'cancel appointment ( one | two )+',
    ]);
  });

  it('allows expressions in a plain list when they name no rule', () => {
    expect(grammarOf(withGrammar('  - (play | sound) a [test] tone'))).toEqual([
      '( play | sound ) a [ test ] tone',
    ]);
  });

  it('adds keywords and intent cues as literal phrases, operator characters removed', () => {
    const result = parseScenario(
      yaml('responses:', '  - when: { keywords: ["a | b (c)"] }', '    reply: { text: hi }'),
    );
    expect(grammarOf(result)).toEqual(['a b c']);
  });

  it('compiles the shipped scheduler grammar into self-contained expressions', async () => {
    const result = await resolveScenario('scheduler');
    if (!result.ok) throw result.error;
    const grammar = compileScenarioGrammar(result.scenario.definition.grammar);
    expect(grammar).toHaveLength(10);
    for (const entry of grammar) expect(entry).not.toMatch(/[<>]/);
    expect(grammar[6]).toBe(
      'cancel [ my ] appointment [ number ] ( zero | one | two | three | four | five | six | seven | eight | nine | ten | eleven | twelve | thirteen | fourteen | fifteen | sixteen | seventeen | eighteen | nineteen | ( twenty | thirty | forty | fifty | sixty | seventy | eighty | ninety ) [ zero | one | two | three | four | five | six | seven | eight | nine ] ) [ for ( ( alex | sam | maria | john | emma | david | anna | lucy | tom | peter | kate | paul ) at ( example | gmail ) dot ( com | org | net ) | [ plus ] ( zero | one | two | three | four | five | six | seven | eight | nine )+ ) ] [ please ]',
    );
  });
});

describe('scenario grammar errors', () => {
  it('reports an unclosed group with file, line, field and column in the expression', () => {
    expect(errors(withGrammar('  - book a (basic | premium appointment'))).toEqual([
      'g.yaml:3:5: grammar[0]: invalid grammar expression: "(" is not closed (found the end instead) at column 8',
    ]);
  });

  it('reports an unclosed optional part and a stray closing bracket', () => {
    expect(
      errors(withGrammar('  phrases: ["book [on", "book on]"]', '  rules: { x: "a" }')),
    ).toEqual([
      'g.yaml:3:13: grammar.phrases[0]: invalid grammar expression: "[" is not closed (found the end instead) at column 6',
      'g.yaml:3:25: grammar.phrases[1]: invalid grammar expression: unexpected "]" (nothing to close) at column 8',
    ]);
  });

  it('reports an empty alternative and an empty group', () => {
    expect(errors(withGrammar('  - book | | cancel', '  - play ( ) tone'))).toEqual([
      'g.yaml:3:5: grammar[0]: invalid grammar expression: an empty alternative (nothing between "|" and its neighbour) at column 8',
      'g.yaml:4:5: grammar[1]: invalid grammar expression: an empty group before ")" at column 8',
    ]);
  });

  it('reports a rule reference in a plain list, which has no rules', () => {
    expect(errors(withGrammar('  - book a <service> appointment'))).toEqual([
      'g.yaml:3:5: grammar[0]: refers to the rule <service>, but the grammar has no rules (write grammar: { phrases: [...], rules: { service: ... } })',
    ]);
  });

  it('reports an unknown rule, in a phrase and in a rule, listing the known ones', () => {
    expect(
      errors(
        withGrammar(
          '  phrases:',
          '    - book <servce>',
          '  rules:',
          '    service: [basic, <premium_kind>]',
        ),
      ),
    ).toEqual([
      'g.yaml:4:7: grammar.phrases[0]: refers to the unknown rule <servce> (rules: service)',
      'g.yaml:6:22: grammar.rules.service[1]: refers to the unknown rule <premium_kind> (rules: service)',
    ]);
  });

  it('reports a rule that refers to itself, directly or through another rule', () => {
    expect(
      errors(
        withGrammar(
          '  phrases: [<a>]',
          '  rules:',
          '    a: x <b>',
          '    b: y [<a>]',
          '    c: <c> z',
        ),
      ),
    ).toEqual([
      'g.yaml:5:8: grammar.rules.a: rule <a> refers to itself (a → b → a)',
      'g.yaml:6:8: grammar.rules.b: rule <b> refers to itself (b → a → b)',
      'g.yaml:7:8: grammar.rules.c: rule <c> refers to itself (c → c)',
    ]);
  });

  it('reports a rule reference that is not a rule name', () => {
    expect(
      errors(withGrammar('  phrases: [book <Service>]', '  rules: { service: basic }')),
    ).toEqual([
      'g.yaml:3:13: grammar.phrases[0]: invalid grammar expression: "<Service>" is not a rule name (lower-case letters, digits and _) at column 6',
    ]);
  });

  it('reports a bad rule name and a misspelt key', () => {
    expect(
      errors(
        withGrammar('  phrases: [book <x>]', '  rules: { Service: basic }', '  rule: { x: y }'),
      ),
    ).toEqual([
      'g.yaml:4:12: grammar.rules.Service: invalid key: expected a rule name in snake_case',
      'g.yaml:5:3: grammar.rule: unknown field "rule" (did you mean "rules"?)',
    ]);
  });

  it('reports a grammar that is neither a list nor { phrases, rules }', () => {
    expect(errors(withGrammar('  42'))).toEqual([
      'g.yaml:3:3: grammar: expected a list of phrases, or { phrases: [...], rules: { name: ... } }, got 42',
    ]);
    expect(errors(withGrammar('  phrases: []'))).toEqual([
      expect.stringMatching(/grammar(\.phrases)?: .*at least 1/),
    ]);
    expect(errors(withGrammar('  phrases: [a]', '  rules: { x: [] }'))).toEqual([
      expect.stringMatching(/grammar(\.rules\.x)?: /),
    ]);
  });
});
