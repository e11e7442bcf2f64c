/**
 * A scenario's `grammar:` for speech recognition: a list of phrases, or phrases with named rules so a phrase can
 * have structure (`book a <service> appointment [on] <day> at <time>`). Validated here with the scenario's zod
 * schema, and compiled to self-contained expressions (rules inlined) for the recogniser.
 */
import { z } from 'zod';
import type { GrammarNode } from '../transcription/grammar-expression.js';
import {
  GRAMMAR_OPERATORS,
  GRAMMAR_RULE_NAME,
  formatGrammarExpression,
  grammarRuleReferences,
  inlineGrammarRules,
  parseGrammarExpression,
} from '../transcription/grammar-expression.js';

const expression = z.string().min(1);

/** A rule's definition: one expression, or a list of alternatives. */
const ruleSchema = z.union([expression, z.array(expression).min(1)], {
  error: 'expected an expression, or a list of alternative expressions',
});

const structuredGrammarSchema = z.strictObject({
  /** What a speaker may say: expressions that may use the rules. */
  phrases: z.array(expression).min(1),
  /** Named sub-expressions, used as `<name>`. */
  rules: z
    .record(z.string().regex(GRAMMAR_RULE_NAME, 'a rule name in snake_case'), ruleSchema)
    .optional(),
});

const listGrammarSchema = z.array(expression);
const grammarShapes = z.union([listGrammarSchema, structuredGrammarSchema]);
type GrammarValue = z.infer<typeof grammarShapes>;

/**
 * `grammar:` — `[phrase, …]`, or `{ phrases: [expression, …], rules: { name: expression | [expression, …] } }`.
 * Expressions use `a | b`, `( … )`, `[ optional ]`, `<rule>`, `x+`, `x*`; a plain phrase is an expression too.
 */
export const scenarioGrammarSchema = z.pipe(
  // Validated by hand first: a plain union would report a whole bad mapping as "expected a list or a mapping".
  z.unknown().superRefine((value, ctx) => {
    const isMapping = typeof value === 'object' && value !== null && !Array.isArray(value);
    if (!Array.isArray(value) && !isMapping) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a list of phrases, or { phrases: [...], rules: { name: ... } }, got ${value === null || value === undefined ? 'an empty value' : JSON.stringify(value)}`,
      });
      return;
    }
    const shape = Array.isArray(value) ? listGrammarSchema : structuredGrammarSchema;
    const parsed = shape.safeParse(value, { reportInput: true });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue(issue as never);
      return;
    }
    checkExpressions(parsed.data, (path, message) =>
      ctx.addIssue({ code: 'custom', path, message }),
    );
  }),
  grammarShapes,
);

/** Reports expressions that do not parse, unknown rules and rules that refer to themselves. */
function checkExpressions(
  grammar: GrammarValue,
  issue: (path: Array<string | number>, message: string) => void,
): void {
  const { phrases, rules, base } = Array.isArray(grammar)
    ? { phrases: grammar, rules: {}, base: [] as Array<string | number> }
    : { phrases: grammar.phrases, rules: grammar.rules ?? {}, base: ['phrases'] };
  const known = Object.keys(rules);
  const checkReferences = (node: GrammarNode, path: Array<string | number>): void => {
    for (const name of grammarRuleReferences(node)) {
      if (known.includes(name)) continue;
      issue(
        path,
        known.length === 0
          ? `refers to the rule <${name}>, but the grammar has no rules (write grammar: { phrases: [...], rules: { ${name}: ... } })`
          : `refers to the unknown rule <${name}> (rules: ${known.join(', ')})`,
      );
    }
  };
  phrases.forEach((text, i) => {
    const parsed = parseGrammarExpression(text);
    if (!parsed.ok) return issue([...base, i], `invalid grammar expression: ${parsed.error}`);
    checkReferences(parsed.node, [...base, i]);
  });
  const references = new Map<string, string[]>();
  for (const [name, definition] of Object.entries(rules)) {
    const names: string[] = [];
    (typeof definition === 'string' ? [definition] : definition).forEach((text, i) => {
      const path = typeof definition === 'string' ? ['rules', name] : ['rules', name, i];
      const parsed = parseGrammarExpression(text);
      if (!parsed.ok) return issue(path, `invalid grammar expression: ${parsed.error}`);
      checkReferences(parsed.node, path);
      names.push(...grammarRuleReferences(parsed.node));
    });
    references.set(name, names);
  }
  for (const name of references.keys()) {
    const cycle = findCycle(name, references);
    if (cycle !== undefined) {
      issue(['rules', name], `rule <${name}> refers to itself (${cycle.join(' → ')})`);
    }
  }
}

export type ScenarioGrammar = z.infer<typeof scenarioGrammarSchema>;

/** The chain from `start` back to itself through rule references, if there is one. */
function findCycle(
  start: string,
  references: ReadonlyMap<string, readonly string[]>,
): string[] | undefined {
  const visit = (name: string, path: string[]): string[] | undefined => {
    for (const next of references.get(name) ?? []) {
      if (next === start) return [...path, next];
      if (path.includes(next)) continue;
      const found = visit(next, [...path, next]);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return visit(start, [start]);
}

/**
 * The recogniser's entries for a validated grammar: each phrase with its rules inlined, as expression text.
 * Entries that do not parse or name a missing rule are left out (the schema has reported them).
 */
export function compileScenarioGrammar(grammar: ScenarioGrammar | undefined): string[] {
  if (grammar === undefined) return [];
  const phrases = Array.isArray(grammar) ? grammar : grammar.phrases;
  const rules = new Map<string, GrammarNode>();
  if (!Array.isArray(grammar)) {
    for (const [name, definition] of Object.entries(grammar.rules ?? {})) {
      const nodes: GrammarNode[] = [];
      for (const text of typeof definition === 'string' ? [definition] : definition) {
        const parsed = parseGrammarExpression(text);
        if (parsed.ok) nodes.push(parsed.node);
      }
      if (nodes.length > 0) {
        rules.set(name, nodes.length === 1 ? nodes[0]! : { kind: 'alternatives', options: nodes });
      }
    }
  }
  const out: string[] = [];
  for (const text of phrases) {
    const parsed = parseGrammarExpression(text);
    const inlined = parsed.ok ? inlineGrammarRules(parsed.node, rules) : undefined;
    if (inlined !== undefined) out.push(formatGrammarExpression(inlined));
  }
  return out;
}

/** A literal phrase (a keyword or intent cue) as a grammar entry: operator characters become spaces. */
export function literalGrammarPhrase(phrase: string): string {
  return phrase.replace(new RegExp(GRAMMAR_OPERATORS, 'g'), ' ').replace(/\s+/g, ' ').trim();
}
