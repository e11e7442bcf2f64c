/**
 * `{{ … }}` templates: `{{name}}`, `{{output.slots.0.start}}`, `{{ when | datetime }}`, `{{ name | default("there") }}`.
 * A filter argument is a quoted string, a number, or a variable path. Compiled once at load, rendered per reply.
 */
import type { FilterContext } from './filters.js';
import { FILTERS, stringify } from './filters.js';

export type TemplateArg =
  { kind: 'literal'; value: string | number } | { kind: 'path'; path: string[] };

export interface TemplateFilter {
  name: string;
  args: TemplateArg[];
}

export interface TemplateExpression {
  path: string[];
  filters: TemplateFilter[];
}

/** A compiled template: literal text and expressions in order. */
export interface Template {
  source: string;
  parts: ReadonlyArray<string | TemplateExpression>;
}

export type TemplateResult = { ok: true; template: Template } | { ok: false; message: string };

type Token =
  | { t: 'path'; path: string[] }
  | { t: 'string'; value: string }
  | { t: 'number'; value: number }
  | { t: '|' | '(' | ')' | ',' };

function tokenize(expr: string): Token[] | string {
  const tokens: Token[] = [];
  const re =
    /\s*(?:([A-Za-z_][\w]*(?:\.(?:[A-Za-z_][\w]*|\d+))*)|"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|(-?\d+(?:\.\d+)?)|([|(),]))/y;
  let at = 0;
  while (at < expr.length) {
    if (/^\s*$/.test(expr.slice(at))) break;
    re.lastIndex = at;
    const m = re.exec(expr);
    if (m === null) return `unexpected ${JSON.stringify(expr.slice(at).trim().slice(0, 12))}`;
    at = re.lastIndex;
    if (m[1] !== undefined) tokens.push({ t: 'path', path: m[1].split('.') });
    else if (m[2] !== undefined) tokens.push({ t: 'string', value: m[2].replace(/\\(.)/g, '$1') });
    else if (m[3] !== undefined) tokens.push({ t: 'string', value: m[3].replace(/\\(.)/g, '$1') });
    else if (m[4] !== undefined) tokens.push({ t: 'number', value: Number(m[4]) });
    else tokens.push({ t: m[5] as '|' | '(' | ')' | ',' });
  }
  return tokens;
}

function parseExpression(expr: string): TemplateExpression | string {
  const tokens = tokenize(expr);
  if (typeof tokens === 'string') return tokens;
  let i = 0;
  const head = tokens[i++];
  if (head?.t !== 'path') return 'expected a variable name';
  const filters: TemplateFilter[] = [];
  while (i < tokens.length) {
    if (tokens[i++]?.t !== '|') return 'expected "|" before a filter';
    const name = tokens[i++];
    if (name?.t !== 'path' || name.path.length !== 1) return 'expected a filter name after "|"';
    const filterName = name.path[0]!;
    const spec = FILTERS[filterName];
    if (spec === undefined)
      return `unknown filter "${filterName}" (known: ${Object.keys(FILTERS).join(', ')})`;
    const args: TemplateArg[] = [];
    if (tokens[i]?.t === '(') {
      i += 1;
      while (tokens[i]?.t !== ')') {
        const arg = tokens[i++];
        if (arg === undefined) return `unclosed "(" after ${filterName}`;
        if (arg.t === 'path') args.push({ kind: 'path', path: arg.path });
        else if (arg.t === 'string' || arg.t === 'number')
          args.push({ kind: 'literal', value: arg.value });
        else return `expected an argument to ${filterName}`;
        if (tokens[i]?.t === ',') i += 1;
        else if (tokens[i]?.t !== ')') return `expected "," or ")" in ${filterName}(…)`;
      }
      i += 1;
    }
    if (args.length < spec.minArgs || args.length > spec.maxArgs) {
      const want =
        spec.minArgs === spec.maxArgs ? `${spec.minArgs}` : `${spec.minArgs}–${spec.maxArgs}`;
      return `filter "${filterName}" takes ${want} argument${want === '1' ? '' : 's'}, got ${args.length}`;
    }
    filters.push({ name: filterName, args });
  }
  return { path: head.path, filters };
}

/** Compiles a template, or explains its syntax error. */
export function compileTemplate(source: string): TemplateResult {
  const parts: Array<string | TemplateExpression> = [];
  let at = 0;
  while (at < source.length) {
    const open = source.indexOf('{{', at);
    if (open < 0) break;
    const close = source.indexOf('}}', open + 2);
    if (close < 0) return { ok: false, message: `unclosed "{{" at character ${open + 1}` };
    if (open > at) parts.push(source.slice(at, open));
    const inner = source.slice(open + 2, close);
    const expr = parseExpression(inner);
    if (typeof expr === 'string') return { ok: false, message: `in "{{${inner}}}": ${expr}` };
    parts.push(expr);
    at = close + 2;
  }
  if (at < source.length) parts.push(source.slice(at));
  return { ok: true, template: { source, parts } };
}

/** Variable paths a template reads (expressions and path arguments), e.g. `["name"], ["output", "id"]`. */
export function templateVariables(template: Template): string[][] {
  const out: string[][] = [];
  for (const part of template.parts) {
    if (typeof part === 'string') continue;
    out.push(part.path);
    for (const filter of part.filters)
      for (const arg of filter.args) if (arg.kind === 'path') out.push(arg.path);
  }
  return out;
}

/** Variables a template is rendered with: captures and built-ins (`input`, `turn`, `output`). */
export type TemplateVariables = Readonly<Record<string, unknown>>;

function lookup(vars: TemplateVariables, path: readonly string[]): unknown {
  let value: unknown = Object.hasOwn(vars, path[0]!) ? vars[path[0]!] : undefined;
  for (const key of path.slice(1)) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function evaluate(expr: TemplateExpression, vars: TemplateVariables, ctx: FilterContext): unknown {
  let value = lookup(vars, expr.path);
  for (const filter of expr.filters) {
    const args = filter.args.map((a) => (a.kind === 'literal' ? a.value : lookup(vars, a.path)));
    value = FILTERS[filter.name]!.apply(value, args, ctx);
  }
  return value;
}

/** Renders a template to text; missing variables read as nothing. */
export function renderTemplate(
  template: Template,
  vars: TemplateVariables,
  ctx: FilterContext,
): string {
  let out = '';
  for (const part of template.parts)
    out += typeof part === 'string' ? part : stringify(evaluate(part, vars, ctx));
  return out;
}

/**
 * A template's value: a template that is exactly one expression keeps its result's type (`{{n | number}}` → 3,
 * `{{output.slots}}` → the array, a missing variable → undefined); anything else renders to text.
 */
export function evaluateTemplate(
  template: Template,
  vars: TemplateVariables,
  ctx: FilterContext,
): unknown {
  const only = template.parts.length === 1 ? template.parts[0] : undefined;
  if (only !== undefined && typeof only !== 'string') return evaluate(only, vars, ctx);
  return renderTemplate(template, vars, ctx);
}
