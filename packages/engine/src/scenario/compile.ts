/**
 * A validated scenario compiled for selection: phrases normalised, regexes and templates compiled, WAV paths made
 * absolute, faults given their defaults. Built only from a scenario that passed the schema and `checkScenario`.
 */
import { resolve } from 'node:path';
import { compileScenarioRegex } from './check.js';
import type { ResolvedFault } from './fault.js';
import { resolveFault } from './fault.js';
import { compileScenarioGrammar, literalGrammarPhrase } from './grammar.js';
import { BUILTIN_INTENTS, IntentLexicon } from './intents.js';
import type {
  Scenario,
  ScenarioFallback,
  ScenarioPacing,
  ScenarioReply,
  ScenarioResponse,
} from './schema.js';
import type { Template } from './template.js';
import { compileTemplate } from './template.js';
import { normalizePhrase } from './text-match.js';

/** Audio of a reply: a WAV file (absolute path) or a generated tone. */
export type ResolvedAudio =
  { kind: 'wav'; path: string } | { kind: 'tone'; frequency: number; durationMs: number };

/** A JSON value whose string leaves are templates. */
export type CompiledJson =
  | { kind: 'template'; template: Template }
  | { kind: 'value'; value: unknown }
  | { kind: 'array'; items: CompiledJson[] }
  | { kind: 'object'; entries: Array<[string, CompiledJson]> };

export interface CompiledReply {
  definition: ScenarioReply;
  text?: Template;
  audio?: ResolvedAudio;
  functionCalls: Array<{ name: string; arguments: CompiledJson }>;
  pacing?: ScenarioPacing;
  fault?: ResolvedFault;
}

export interface CompiledResponse {
  /** `id` from the file, else `responses[i]`. */
  id: string;
  index: number;
  priority: number;
  definition: ScenarioResponse;
  keywords: string[];
  allKeywords: string[];
  exclude: string[];
  intents: string[];
  patterns: RegExp[];
  minTurn?: number;
  maxTurn?: number;
  modalities: Array<'text' | 'audio'>;
  /** Function tools the response must be able to call (`when.tools`). */
  tools: string[];
  functionOutput?: { name?: string; matches?: RegExp };
  replies: CompiledReply[];
}

export interface CompiledFallback {
  id: 'fallback' | 'function_fallback';
  replies: CompiledReply[];
}

export interface CompiledFaultRule {
  onResponse?: number;
  onTurn?: number;
  fault: ResolvedFault;
}

/** Where a scenario came from. */
export interface ScenarioSource {
  /** As used in messages (`scheduler.yaml` or a path). */
  fileName: string;
  /** The file read, when there was one. */
  path?: string;
  /** Relative WAV paths resolve against this folder. */
  baseDir: string;
}

/** A scenario ready for {@link selectReply}. Treat the compiled fields as read-only. */
export interface LoadedScenario {
  name: string;
  description?: string;
  instructions?: string;
  /** IANA zone for date filters, when the scenario sets one. */
  timeZone?: string;
  pacing?: ScenarioPacing;
  source: ScenarioSource;
  /** The validated document. */
  definition: Scenario;
  lexicon: IntentLexicon;
  /**
   * What a recogniser should expect: `grammar` (expressions with rules inlined) plus every keyword and intent cue
   * phrase (as literal phrases).
   */
  grammar: string[];
  responses: CompiledResponse[];
  fallback: CompiledFallback;
  functionFallback: CompiledFallback;
  faults: CompiledFaultRule[];
}

/** The reply used when a scenario declares no fallback. */
export const DEFAULT_FALLBACK_TEXT = "I'm not sure I understood. Could you say that another way?";

function mustTemplate(source: string): Template {
  const result = compileTemplate(source);
  if (!result.ok) throw new Error(`unchecked template: ${result.message}`);
  return result.template;
}

function mustRegex(source: string): RegExp {
  const re = compileScenarioRegex(source);
  if (typeof re === 'string') throw new Error(`unchecked regex: ${re}`);
  return re;
}

function compileJson(value: unknown): CompiledJson {
  if (typeof value === 'string') return { kind: 'template', template: mustTemplate(value) };
  if (Array.isArray(value)) return { kind: 'array', items: value.map(compileJson) };
  if (typeof value === 'object' && value !== null)
    return {
      kind: 'object',
      entries: Object.entries(value).map(([k, v]): [string, CompiledJson] => [k, compileJson(v)]),
    };
  return { kind: 'value', value };
}

function compileReply(reply: ScenarioReply, baseDir: string): CompiledReply {
  const out: CompiledReply = {
    definition: reply,
    functionCalls: (reply.function_calls ?? []).map((call) => ({
      name: call.name,
      arguments: compileJson(call.arguments ?? {}),
    })),
  };
  if (reply.text !== undefined) out.text = mustTemplate(reply.text);
  if (reply.audio?.wav !== undefined)
    out.audio = { kind: 'wav', path: resolve(baseDir, reply.audio.wav) };
  else if (reply.audio?.tone !== undefined)
    out.audio = {
      kind: 'tone',
      frequency: reply.audio.tone.frequency,
      durationMs: reply.audio.tone.duration_ms,
    };
  if (reply.pacing !== undefined) out.pacing = reply.pacing;
  if (reply.fault !== undefined) out.fault = resolveFault(reply.fault);
  return out;
}

function compileReplies(holder: ScenarioFallback | undefined, baseDir: string): CompiledReply[] {
  if (holder === undefined) return [];
  const list = holder.replies ?? (holder.reply === undefined ? [] : [holder.reply]);
  return list.map((reply) => compileReply(reply, baseDir));
}

function phrases(list: readonly string[] | undefined): string[] {
  return (list ?? []).map(normalizePhrase);
}

/** Compiles a scenario that has passed validation. */
export function buildScenario(definition: Scenario, source: ScenarioSource): LoadedScenario {
  const lexicon = IntentLexicon.extend(definition.intents ?? {}, BUILTIN_INTENTS);
  const responses = (definition.responses ?? []).map((r, index): CompiledResponse => {
    const when = r.when ?? {};
    const compiled: CompiledResponse = {
      id: r.id ?? `responses[${index}]`,
      index,
      priority: r.priority ?? 0,
      definition: r,
      keywords: phrases(when.keywords),
      allKeywords: phrases(when.all_keywords),
      exclude: phrases(when.exclude),
      intents: when.intents ?? [],
      patterns: (when.patterns ?? []).map(mustRegex),
      modalities: when.modalities ?? [],
      tools: when.tools ?? [],
      replies: compileReplies(r, source.baseDir),
    };
    if (when.min_turn !== undefined) compiled.minTurn = when.min_turn;
    if (when.max_turn !== undefined) compiled.maxTurn = when.max_turn;
    if (when.function_output !== undefined) {
      const fo: { name?: string; matches?: RegExp } = {};
      if (when.function_output.name !== undefined) fo.name = when.function_output.name;
      if (when.function_output.matches !== undefined)
        fo.matches = mustRegex(when.function_output.matches);
      compiled.functionOutput = fo;
    }
    return compiled;
  });
  const fallbackReplies = compileReplies(definition.fallback, source.baseDir);
  const fallback: CompiledFallback = {
    id: 'fallback',
    replies:
      fallbackReplies.length > 0
        ? fallbackReplies
        : [compileReply({ text: DEFAULT_FALLBACK_TEXT }, source.baseDir)],
  };
  const functionReplies = compileReplies(definition.function_fallback, source.baseDir);
  const grammar = new Set<string>(compileScenarioGrammar(definition.grammar));
  for (const r of definition.responses ?? []) {
    for (const phrase of [...(r.when?.keywords ?? []), ...(r.when?.all_keywords ?? [])])
      grammar.add(literalGrammarPhrase(phrase));
  }
  for (const name of new Set(responses.flatMap((r) => r.intents))) {
    for (const cue of lexicon.spec[name] ?? [])
      if (!cue.startsWith('/')) grammar.add(literalGrammarPhrase(cue.replace(/^\^|\$$/g, '')));
  }
  const scenario: LoadedScenario = {
    name: definition.name ?? source.fileName.replace(/^.*[\\/]/, '').replace(/\.ya?ml$/i, ''),
    source,
    definition,
    lexicon,
    grammar: [...grammar],
    responses,
    fallback,
    functionFallback:
      functionReplies.length > 0 ? { id: 'function_fallback', replies: functionReplies } : fallback,
    faults: (definition.faults ?? []).map((rule) => {
      const out: CompiledFaultRule = { fault: resolveFault(rule.fault) };
      if (rule.on_response !== undefined) out.onResponse = rule.on_response;
      if (rule.on_turn !== undefined) out.onTurn = rule.on_turn;
      return out;
    }),
  };
  if (definition.description !== undefined) scenario.description = definition.description;
  if (definition.instructions !== undefined) scenario.instructions = definition.instructions;
  if (definition.time_zone !== undefined) scenario.timeZone = definition.time_zone;
  if (definition.pacing !== undefined) scenario.pacing = definition.pacing;
  return scenario;
}
