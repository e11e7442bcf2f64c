/**
 * The checks zod's shape cannot express, run over the raw document (so they are reported even when the shape has
 * errors too): regexes compile, intents exist, templates parse and name captures their response defines, WAV files
 * exist, `reply` xor `replies`, turn bounds in order, ids unique.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { isSendableCloseCode } from './fault.js';
import { BUILTIN_INTENTS, compileIntentCue } from './intents.js';
import { compileTemplate, templateVariables } from './template.js';
import { normalizePhrase } from './text-match.js';
import { isValidTimeZone } from './time-zone.js';

/** An issue located by field path; `atKey` points at the key rather than its value. */
export interface RawIssue {
  severity: 'error' | 'warning';
  path: Array<string | number>;
  message: string;
  atKey?: boolean;
}

export interface CheckContext {
  baseDir: string;
}

type Path = Array<string | number>;
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Template variables every reply may read. */
export const BUILTIN_VARIABLES = ['input', 'turn', 'now'] as const;

/** Named groups a regex source declares. */
export function captureNames(source: string): string[] {
  return [...source.matchAll(/(?<!\\)\(\?<([A-Za-z_$][\w$]*)>/g)].map((m) => m[1]!);
}

/** Compiles a scenario regex (case-insensitive, Unicode), or explains why it does not compile. */
export function compileScenarioRegex(source: string): RegExp | string {
  try {
    return new RegExp(source, 'iu');
  } catch (err) {
    return (err as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
  }
}

/** Runs every cross-field check over a raw (unvalidated) scenario document. */
export function checkScenario(raw: unknown, ctx: CheckContext): RawIssue[] {
  const issues: RawIssue[] = [];
  if (!isObj(raw)) return issues;
  const error = (path: Path, message: string, atKey = false): void =>
    void issues.push({ severity: 'error', path, message, atKey });
  const warn = (path: Path, message: string): void =>
    void issues.push({ severity: 'warning', path, message });

  if (typeof raw.time_zone === 'string' && !isValidTimeZone(raw.time_zone))
    error(
      ['time_zone'],
      `unknown time zone "${raw.time_zone}" (expected an IANA name such as Europe/Paris)`,
    );

  const intents = new Set(Object.keys(BUILTIN_INTENTS));
  if (isObj(raw.intents)) {
    for (const [name, spec] of Object.entries(raw.intents)) {
      intents.add(name);
      const cues = isObj(spec) ? list(spec.cues) : list(spec);
      const base: Path = isObj(spec) ? ['intents', name, 'cues'] : ['intents', name];
      cues.forEach((cue, j) => {
        if (typeof cue !== 'string') return;
        const compiled = compileIntentCue(cue);
        if (!compiled.ok) error([...base, j], compiled.message);
      });
    }
  }

  const ids = new Map<string, number>();
  list(raw.responses).forEach((response, i) => {
    if (!isObj(response)) return;
    const path: Path = ['responses', i];
    if (typeof response.id === 'string') {
      const first = ids.get(response.id);
      if (first !== undefined)
        error([...path, 'id'], `duplicate id "${response.id}" (also responses[${first}])`);
      else ids.set(response.id, i);
    }
    const when = isObj(response.when) ? response.when : {};
    const captures = checkCondition(when, [...path, 'when'], intents, error);
    const followUp = isObj(when.function_output);
    checkReplies(response, path, { captures, followUp, ctx, error, warn });
  });

  for (const key of ['fallback', 'function_fallback'] as const) {
    const fallback = raw[key];
    if (!isObj(fallback)) continue;
    checkReplies(fallback, [key], {
      captures: new Set(),
      followUp: key === 'function_fallback',
      ctx,
      error,
      warn,
    });
  }

  list(raw.faults).forEach((rule, i) => {
    if (!isObj(rule)) return;
    if ((rule.on_response === undefined) === (rule.on_turn === undefined))
      error(['faults', i], 'needs exactly one of on_response or on_turn');
    if (isObj(rule.fault)) checkFault(rule.fault, ['faults', i, 'fault'], error);
  });
  return issues;
}

type Report = (path: Path, message: string, atKey?: boolean) => void;

function checkCondition(when: Obj, path: Path, intents: Set<string>, error: Report): Set<string> {
  for (const key of ['keywords', 'all_keywords', 'exclude'] as const) {
    list(when[key]).forEach((phrase, j) => {
      if (typeof phrase === 'string' && phrase !== '' && normalizePhrase(phrase) === '')
        error([...path, key, j], `${JSON.stringify(phrase)} has no words to match`);
    });
  }
  list(when.intents).forEach((name, j) => {
    if (typeof name === 'string' && !intents.has(name))
      error(
        [...path, 'intents', j],
        `unknown intent "${name}" (known: ${[...intents].join(', ')})`,
      );
  });
  const captures = new Set<string>();
  list(when.patterns).forEach((source, j) => {
    if (typeof source !== 'string') return;
    const re = compileScenarioRegex(source);
    if (typeof re === 'string') error([...path, 'patterns', j], `invalid regex /${source}/: ${re}`);
    else for (const name of captureNames(source)) captures.add(name);
  });
  if (
    typeof when.min_turn === 'number' &&
    typeof when.max_turn === 'number' &&
    when.min_turn > when.max_turn
  )
    error([...path, 'max_turn'], `max_turn ${when.max_turn} is below min_turn ${when.min_turn}`);
  const output = when.function_output;
  if (isObj(output) && typeof output.matches === 'string') {
    const re = compileScenarioRegex(output.matches);
    if (typeof re === 'string')
      error([...path, 'function_output', 'matches'], `invalid regex /${output.matches}/: ${re}`);
  }
  return captures;
}

interface ReplyContext {
  captures: Set<string>;
  followUp: boolean;
  ctx: CheckContext;
  error: Report;
  warn: (path: Path, message: string) => void;
}

function checkReplies(holder: Obj, path: Path, rc: ReplyContext): void {
  const hasReply = holder.reply !== undefined;
  const hasReplies = holder.replies !== undefined;
  if (hasReply === hasReplies) {
    rc.error(
      path,
      hasReply ? 'has both reply and replies; keep one' : 'needs a reply (or replies)',
    );
  }
  if (isObj(holder.reply)) checkReply(holder.reply, [...path, 'reply'], rc);
  list(holder.replies).forEach((reply, j) => {
    if (isObj(reply)) checkReply(reply, [...path, 'replies', j], rc);
  });
}

function checkReply(reply: Obj, path: Path, rc: ReplyContext): void {
  if (
    reply.text === undefined &&
    reply.audio === undefined &&
    reply.function_calls === undefined &&
    reply.fault === undefined
  )
    rc.error(path, 'a reply needs text, audio, function_calls or a fault');
  if (typeof reply.text === 'string') checkTemplate(reply.text, [...path, 'text'], rc);
  if (isObj(reply.audio)) {
    const audio = reply.audio;
    if ((audio.wav === undefined) === (audio.tone === undefined))
      rc.error([...path, 'audio'], 'needs exactly one of wav or tone');
    if (typeof audio.wav === 'string' && audio.wav !== '') {
      const file = resolve(rc.ctx.baseDir, audio.wav);
      if (!isFile(file)) rc.error([...path, 'audio', 'wav'], `WAV file not found: ${file}`);
    }
  }
  list(reply.function_calls).forEach((call, k) => {
    if (isObj(call) && isObj(call.arguments))
      checkJsonTemplates(call.arguments, [...path, 'function_calls', k, 'arguments'], rc);
  });
  if (isObj(reply.fault)) checkFault(reply.fault, [...path, 'fault'], rc.error);
}

function checkJsonTemplates(value: unknown, path: Path, rc: ReplyContext): void {
  if (typeof value === 'string') checkTemplate(value, path, rc);
  else if (Array.isArray(value)) value.forEach((v, i) => checkJsonTemplates(v, [...path, i], rc));
  else if (isObj(value))
    for (const [k, v] of Object.entries(value)) checkJsonTemplates(v, [...path, k], rc);
}

function checkTemplate(source: string, path: Path, rc: ReplyContext): void {
  const compiled = compileTemplate(source);
  if (!compiled.ok) return rc.error(path, `template error ${compiled.message}`);
  for (const variable of templateVariables(compiled.template)) {
    const root = variable[0]!;
    if ((BUILTIN_VARIABLES as readonly string[]).includes(root) || rc.captures.has(root)) continue;
    const name = `{{${variable.join('.')}}}`;
    if (root === 'output') {
      if (!rc.followUp)
        rc.warn(path, `${name} is only set in a reply to a function output (when.function_output)`);
    } else rc.warn(path, `${name} is not captured by any pattern of this response`);
  }
}

function checkFault(fault: Obj, path: Path, error: Report): void {
  if (fault.type === 'close' && typeof fault.code === 'number' && !isSendableCloseCode(fault.code))
    error(
      [...path, 'code'],
      `close code ${fault.code} cannot be sent (use 1000, 1001–1003, 1007–1014 or 3000–4999)`,
    );
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
