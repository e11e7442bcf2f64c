/**
 * Grammar expressions: the JSGF-style syntax a scenario grammar is written in. A plain phrase ("play a tone") is an
 * expression too, so phrase lists keep working. Operators:
 *
 *   a | b        alternatives          ( a | b )   a group          [ a | b ]   optional
 *   <name>       a named rule          x+          one or more      x*          zero or more
 *
 * Words are anything else between spaces and operators; they are normalised (case, digits) when compiled to JSGF.
 */

/** A parsed expression. */
export type GrammarNode =
  | { kind: 'word'; text: string }
  | { kind: 'rule'; name: string }
  | { kind: 'sequence'; items: GrammarNode[] }
  | { kind: 'alternatives'; options: GrammarNode[] }
  | { kind: 'optional'; body: GrammarNode }
  | { kind: 'repeat'; body: GrammarNode; min: 0 | 1 };

/** The outcome of {@link parseGrammarExpression}: a tree, or why the text is not an expression. */
export type GrammarParseResult = { ok: true; node: GrammarNode } | { ok: false; error: string };

/** Characters with a meaning in an expression; a plain phrase holding one is read as an expression. */
export const GRAMMAR_OPERATORS = /[()[\]|<>+*]/;

/** What a rule name may look like (as in scenario intent names). */
export const GRAMMAR_RULE_NAME = /^[a-z][a-z0-9_]*$/;

const CLOSING: Readonly<Record<string, string>> = { '(': ')', '[': ']' };

class ParseError extends Error {}

/** Parses an expression. Never throws: a syntax error comes back with its 1-based column. */
export function parseGrammarExpression(text: string): GrammarParseResult {
  let at = 0;
  const fail = (message: string, column = at): never => {
    throw new ParseError(`${message} at column ${column + 1}`);
  };
  const skipSpace = (): void => {
    while (at < text.length && /\s/.test(text[at]!)) at += 1;
  };
  const describe = (ch: string | undefined): string =>
    ch === undefined ? 'the end' : JSON.stringify(ch);

  // alternatives := sequence ('|' sequence)*
  const alternatives = (closer: string | undefined): GrammarNode => {
    const options: GrammarNode[] = [sequence(closer)];
    skipSpace();
    while (text[at] === '|') {
      at += 1;
      options.push(sequence(closer));
      skipSpace();
    }
    return options.length === 1 ? options[0]! : { kind: 'alternatives', options };
  };

  // sequence := item+ (an empty sequence is an error: "a | | b", "( )")
  const sequence = (closer: string | undefined): GrammarNode => {
    const items: GrammarNode[] = [];
    for (;;) {
      skipSpace();
      const ch = text[at];
      // Inside a group any closing bracket ends it: the group reports a mismatched one.
      if (ch === undefined || ch === '|' || (closer !== undefined && (ch === ')' || ch === ']'))) {
        break;
      }
      items.push(postfix(item()));
    }
    if (items.length === 0) {
      fail(
        text[at] === '|' || text[at - 1] === '|'
          ? 'an empty alternative (nothing between "|" and its neighbour)'
          : closer === undefined
            ? 'an empty expression'
            : `an empty group before ${JSON.stringify(closer)}`,
      );
    }
    return items.length === 1 ? items[0]! : { kind: 'sequence', items };
  };

  const postfix = (node: GrammarNode): GrammarNode => {
    const ch = text[at];
    if (ch !== '+' && ch !== '*') return node;
    at += 1;
    if (text[at] === '+' || text[at] === '*') fail(`${JSON.stringify(ch)} repeated`);
    return { kind: 'repeat', body: node, min: ch === '+' ? 1 : 0 };
  };

  const item = (): GrammarNode => {
    const start = at;
    const ch = text[at]!;
    if (ch === '(' || ch === '[') {
      at += 1;
      const body = alternatives(CLOSING[ch]);
      if (text[at] !== CLOSING[ch]) {
        fail(`${JSON.stringify(ch)} is not closed (found ${describe(text[at])} instead)`, start);
      }
      at += 1;
      return ch === '(' ? body : { kind: 'optional', body };
    }
    if (ch === '<') {
      const end = text.indexOf('>', at);
      if (end === -1) fail('"<" without a closing ">"');
      const name = text.slice(at + 1, end);
      if (!GRAMMAR_RULE_NAME.test(name)) {
        fail(
          `${JSON.stringify(`<${name}>`)} is not a rule name (lower-case letters, digits and _)`,
        );
      }
      at = end + 1;
      return { kind: 'rule', name };
    }
    if (ch === ')' || ch === ']' || ch === '>') {
      fail(`unexpected ${JSON.stringify(ch)}${ch === '>' ? '' : ' (nothing to close)'}`);
    }
    if (ch === '+' || ch === '*') fail(`${JSON.stringify(ch)} with nothing before it to repeat`);
    while (at < text.length && !/\s/.test(text[at]!) && !GRAMMAR_OPERATORS.test(text[at]!)) {
      at += 1;
    }
    return { kind: 'word', text: text.slice(start, at) };
  };

  try {
    const node = alternatives(undefined);
    if (at < text.length) fail(`unexpected ${describe(text[at])} (nothing to close)`);
    return { ok: true, node };
  } catch (error) {
    if (error instanceof ParseError) return { ok: false, error: error.message };
    throw error;
  }
}

/** Names of the rules an expression refers to, in order of first use. */
export function grammarRuleReferences(node: GrammarNode): string[] {
  const names = new Set<string>();
  const visit = (n: GrammarNode): void => {
    switch (n.kind) {
      case 'rule':
        names.add(n.name);
        break;
      case 'sequence':
        n.items.forEach(visit);
        break;
      case 'alternatives':
        n.options.forEach(visit);
        break;
      case 'optional':
      case 'repeat':
        visit(n.body);
        break;
      case 'word':
        break;
    }
  };
  visit(node);
  return [...names];
}

/**
 * Replaces every `<rule>` by its definition (recursively). Rules must not refer to themselves, directly or not;
 * `undefined` when a rule is missing or recursive (validate with the scenario schema first).
 */
export function inlineGrammarRules(
  node: GrammarNode,
  rules: ReadonlyMap<string, GrammarNode>,
  active: readonly string[] = [],
): GrammarNode | undefined {
  switch (node.kind) {
    case 'word':
      return node;
    case 'rule': {
      const body = rules.get(node.name);
      if (body === undefined || active.includes(node.name)) return undefined;
      return inlineGrammarRules(body, rules, [...active, node.name]);
    }
    case 'sequence':
    case 'alternatives': {
      const children = node.kind === 'sequence' ? node.items : node.options;
      const out: GrammarNode[] = [];
      for (const child of children) {
        const inlined = inlineGrammarRules(child, rules, active);
        if (inlined === undefined) return undefined;
        out.push(inlined);
      }
      return node.kind === 'sequence'
        ? { kind: 'sequence', items: out }
        : { kind: 'alternatives', options: out };
    }
    case 'optional':
    case 'repeat': {
      const body = inlineGrammarRules(node.body, rules, active);
      return body === undefined ? undefined : { ...node, body };
    }
  }
}

/** Writes an expression back as text (alternatives inside a sequence are parenthesised). */
export function formatGrammarExpression(node: GrammarNode, nested = false): string {
  switch (node.kind) {
    case 'word':
      return node.text;
    case 'rule':
      return `<${node.name}>`;
    case 'sequence':
      return node.items.map((item) => formatGrammarExpression(item, true)).join(' ');
    case 'alternatives': {
      const inner = node.options.map((option) => formatGrammarExpression(option)).join(' | ');
      return nested ? `( ${inner} )` : inner;
    }
    case 'optional':
      return `[ ${formatGrammarExpression(node.body)} ]`;
    case 'repeat': {
      const body = formatGrammarExpression(node.body, true);
      const atom = node.body.kind === 'sequence' ? `( ${body} )` : body;
      return `${atom}${node.min === 1 ? '+' : '*'}`;
    }
  }
}
