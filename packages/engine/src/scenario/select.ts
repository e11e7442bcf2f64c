/**
 * Choosing and filling a reply. A response is eligible when every condition it declares holds; the winner has the
 * highest priority, then the highest specificity (keywords + intents + patterns matched, turn bounds, modalities,
 * tools and function-output conditions declared), then comes first in the file. Function-output follow-ups consider
 * only responses with `when.function_output`, and vice versa; when nothing is eligible the fallback answers.
 */
import type {
  CompiledFallback,
  CompiledJson,
  CompiledReply,
  CompiledResponse,
  LoadedScenario,
  ResolvedAudio,
} from './compile.js';
import type { ResolvedFault } from './fault.js';
import type { FilterContext } from './filters.js';
import type { ResolvedPacing } from './pacing.js';
import { resolvePacing } from './pacing.js';
import type { ScenarioResponse } from './schema.js';
import type { TemplateVariables } from './template.js';
import { evaluateTemplate, renderTemplate } from './template.js';
import { hasPhrase, normalizeText } from './text-match.js';
import { formatInstant, isValidTimeZone, systemTimeZone } from './time-zone.js';

export type Modality = 'text' | 'audio';

/** The output of a function call the client sent back (`function_call_output`), when this is a follow-up. */
export interface FunctionOutputInput {
  /** Name of the tool the call was for. */
  name: string;
  output: string;
  callId: string;
}

export interface SelectionInput {
  /** The user's latest message (for a follow-up, the message that led to the call). */
  text: string;
  /** User turns so far, this one included (1-based). */
  turn: number;
  /** The response's output modalities. */
  modalities: readonly Modality[];
  functionOutput?: FunctionOutputInput;
  /** Responses created before this one in the session (0 for the first); `faults[].on_response` is 1-based. */
  responseIndex: number;
  /** Times each response id was chosen before, for `replies:` rotation; none when absent. */
  uses?: ReadonlyMap<string, number>;
  /** Clock for date filters; the current time when absent. */
  now?: Date;
  /** Zone for date filters; the scenario's `time_zone`, else the system's. */
  timeZone?: string;
  /** Replaces the scenario's pacing speed (0 = unpaced, for tests). */
  speed?: number;
  /**
   * Function tools the response offers (after `tool_choice`); absent: any. When a reply would only call tools the
   * response doesn't offer (`tool_choice: "none"`, no tools), a text reply is used instead: another of the
   * response's `replies:` with text or audio, else the scenario's fallback.
   */
  toolNames?: readonly string[];
  /** `tool_choice: "required"` or `{ type: "function", name }`: prefer a reply that calls it (absent: auto). */
  toolChoice?: SelectionToolChoice;
}

/** A `tool_choice` that asks for a call: any offered tool, or one function by name. */
export type SelectionToolChoice = 'required' | { name: string };

/** A reply with its templates filled in, ready for the engine. */
export interface ResolvedReply {
  text?: string;
  /** Absent: the engine synthesises `text` when the response has audio. */
  audio?: ResolvedAudio;
  /** `arguments` is a JSON object string. */
  functionCalls: Array<{ name: string; arguments: string }>;
  fault?: ResolvedFault;
  pacing: ResolvedPacing;
}

export interface Selection {
  response: ScenarioResponse | 'fallback';
  /** The response's id, `fallback` or `function_fallback`. */
  responseId: string;
  /** Which of `replies:` was used (0 for a single `reply`). */
  replyIndex: number;
  /** Named groups of the first pattern of the winning response that matched. */
  captures: Record<string, string>;
  /** A follow-up's function output, parsed as JSON when it is JSON (`{{output.…}}`). */
  output?: unknown;
  reply: ResolvedReply;
  score: { priority: number; specificity: number };
  /** Why the response won, e.g. `keyword "hello"`, `intent greeting`, `turn ≥ 2`. */
  reasons: string[];
}

interface MatchContext {
  raw: string;
  normalized: string;
  intents: () => Set<string>;
  input: SelectionInput;
}

interface Match {
  specificity: number;
  reasons: string[];
  captures: Record<string, string>;
}

function cleanCapture(value: string): string {
  return value.trim().replace(/[.,;:!?]+$/, '');
}

function matchResponse(r: CompiledResponse, ctx: MatchContext): Match | undefined {
  const { input, normalized } = ctx;
  const reasons: string[] = [];
  let specificity = 0;
  const fo = input.functionOutput;
  if (r.functionOutput !== undefined) {
    if (fo === undefined) return undefined;
    if (r.functionOutput.name !== undefined) {
      if (r.functionOutput.name !== fo.name) return undefined;
      specificity += 1;
      reasons.push(`function output of ${fo.name}`);
    }
    if (r.functionOutput.matches !== undefined) {
      if (!r.functionOutput.matches.test(fo.output)) return undefined;
      specificity += 1;
      reasons.push(`output matches /${r.functionOutput.matches.source}/`);
    }
  } else if (fo !== undefined) return undefined;
  if (r.minTurn !== undefined) {
    if (input.turn < r.minTurn) return undefined;
    specificity += 1;
    reasons.push(`turn ≥ ${r.minTurn}`);
  }
  if (r.maxTurn !== undefined) {
    if (input.turn > r.maxTurn) return undefined;
    specificity += 1;
    reasons.push(`turn ≤ ${r.maxTurn}`);
  }
  for (const modality of r.modalities) {
    if (!input.modalities.includes(modality)) return undefined;
    specificity += 1;
    reasons.push(`modality ${modality}`);
  }
  for (const name of r.tools) {
    if (input.toolNames !== undefined && !input.toolNames.includes(name)) return undefined;
    specificity += 1;
    reasons.push(`tool ${name} offered`);
  }
  if (r.exclude.some((phrase) => hasPhrase(normalized, phrase))) return undefined;
  for (const phrase of r.allKeywords) {
    if (!hasPhrase(normalized, phrase)) return undefined;
    specificity += 1;
    reasons.push(`keyword "${phrase}"`);
  }
  if (r.keywords.length > 0) {
    const found = r.keywords.filter((phrase) => hasPhrase(normalized, phrase));
    if (found.length === 0) return undefined;
    specificity += found.length;
    for (const phrase of found) reasons.push(`keyword "${phrase}"`);
  }
  if (r.intents.length > 0) {
    const detected = ctx.intents();
    const found = r.intents.filter((name) => detected.has(name));
    if (found.length === 0) return undefined;
    specificity += found.length;
    for (const name of found) reasons.push(`intent ${name}`);
  }
  let captures: Record<string, string> = {};
  if (r.patterns.length > 0) {
    let first: RegExpExecArray | undefined;
    for (const re of r.patterns) {
      const m = re.exec(ctx.raw);
      if (m === null) continue;
      first ??= m;
      specificity += 1;
      reasons.push(`pattern /${re.source}/`);
    }
    if (first === undefined) return undefined;
    captures = {};
    for (const [name, value] of Object.entries(first.groups ?? {}))
      if (value !== undefined) captures[name] = cleanCapture(value);
  }
  return { specificity, reasons, captures };
}

function parseOutput(output: string): unknown {
  try {
    return JSON.parse(output) as unknown;
  } catch {
    return output;
  }
}

function renderJson(value: CompiledJson, vars: TemplateVariables, ctx: FilterContext): unknown {
  switch (value.kind) {
    case 'template':
      return evaluateTemplate(value.template, vars, ctx);
    case 'value':
      return value.value;
    case 'array':
      return value.items.map((item) => renderJson(item, vars, ctx) ?? null);
    case 'object': {
      // An argument whose single expression reads nothing is left out, so optional captures make optional arguments.
      const entries = value.entries.map(([k, v]): [string, unknown] => [
        k,
        renderJson(v, vars, ctx),
      ]);
      return Object.fromEntries(entries.filter(([, v]) => v !== undefined));
    }
  }
}

function filterContextFor(scenario: LoadedScenario, input: SelectionInput): FilterContext {
  const zone = input.timeZone ?? scenario.timeZone;
  const now =
    input.now !== undefined && Number.isFinite(input.now.getTime()) ? input.now : new Date();
  return { now, timeZone: zone !== undefined && isValidTimeZone(zone) ? zone : systemTimeZone() };
}

function resolveReply(
  scenario: LoadedScenario,
  reply: CompiledReply,
  vars: TemplateVariables,
  input: SelectionInput,
  ctx: FilterContext,
): ResolvedReply {
  const out: ResolvedReply = {
    functionCalls: reply.functionCalls.map((call) => ({
      name: call.name,
      arguments: JSON.stringify(renderJson(call.arguments, vars, ctx)),
    })),
    pacing: resolvePacing([scenario.pacing, reply.pacing], input.speed),
  };
  if (reply.text !== undefined) out.text = renderTemplate(reply.text, vars, ctx);
  if (reply.audio !== undefined) out.audio = reply.audio;
  const injected = scenario.faults.find(
    (rule) => rule.onResponse === input.responseIndex + 1 || rule.onTurn === input.turn,
  );
  const fault = injected?.fault ?? reply.fault;
  if (fault !== undefined) out.fault = fault;
  return out;
}

/** Picks the reply for one response and fills in its templates. Never throws. */
export function selectReply(scenario: LoadedScenario, input: SelectionInput): Selection {
  const raw = input.text.trim().replace(/\s+/g, ' ');
  const normalized = normalizeText(raw);
  let detected: Set<string> | undefined;
  const ctx: MatchContext = {
    raw,
    normalized,
    intents: () => (detected ??= scenario.lexicon.detect(raw, normalized)),
    input,
  };
  const eligible: Array<{ response: CompiledResponse; match: Match }> = [];
  for (const response of scenario.responses) {
    const match = matchResponse(response, ctx);
    if (match !== undefined) eligible.push({ response, match });
  }
  // Stable: among equals the earlier response in the file stays first.
  eligible.sort(
    (a, b) =>
      b.response.priority - a.response.priority || b.match.specificity - a.match.specificity,
  );
  const best = eligible[0];
  const output =
    input.functionOutput === undefined ? undefined : parseOutput(input.functionOutput.output);
  let chosen: CompiledResponse | CompiledFallback =
    best?.response ??
    (input.functionOutput === undefined ? scenario.fallback : scenario.functionFallback);
  let captures = best?.match.captures ?? {};
  let replyIndex = (input.uses?.get(chosen.id) ?? 0) % chosen.replies.length;
  let reasons = best?.match.reasons ?? ['no response matched'];
  let definition: ScenarioResponse | 'fallback' = best?.response.definition ?? 'fallback';
  let score = { priority: best?.response.priority ?? 0, specificity: best?.match.specificity ?? 0 };
  const override = toolOverride(scenario, input, eligible, chosen, replyIndex);
  if (override !== undefined) {
    chosen = override.chosen;
    replyIndex = override.replyIndex;
    captures = override.match?.captures ?? {};
    reasons = [...(override.match?.reasons ?? []), override.reason];
    definition = 'definition' in chosen ? chosen.definition : 'fallback';
    score = {
      priority: 'priority' in chosen ? chosen.priority : 0,
      specificity: override.match?.specificity ?? 0,
    };
  }
  const filterContext = filterContextFor(scenario, input);
  const vars: Record<string, unknown> = { ...captures, input: raw, turn: input.turn };
  // Formatting the clock costs a few Intl calls: only when a template reads `{{now}}`.
  Object.defineProperty(vars, 'now', {
    enumerable: true,
    get: () => formatInstant(filterContext.now.getTime(), filterContext.timeZone),
  });
  if (input.functionOutput !== undefined) vars.output = output;
  const selection: Selection = {
    response: definition,
    responseId: chosen.id,
    replyIndex,
    captures,
    reply: resolveReply(scenario, chosen.replies[replyIndex]!, vars, input, filterContext),
    score,
    reasons,
  };
  if (input.functionOutput !== undefined) selection.output = output;
  return selection;
}

interface ToolOverride {
  chosen: CompiledResponse | CompiledFallback;
  replyIndex: number;
  match?: Match;
  reason: string;
}

/**
 * What `tool_choice` and the offered tools change about the chosen reply, if anything. A forced call takes the
 * best eligible response with a reply calling it, else any response with one (its captures then empty); a reply
 * that would only call tools the response doesn't offer gives way to a text alternative.
 */
function toolOverride(
  scenario: LoadedScenario,
  input: SelectionInput,
  eligible: ReadonlyArray<{ response: CompiledResponse; match: Match }>,
  chosen: CompiledResponse | CompiledFallback,
  replyIndex: number,
): ToolOverride | undefined {
  const offered = input.toolNames;
  const allowed = (name: string): boolean => offered === undefined || offered.includes(name);
  const choice = input.toolChoice;
  if (choice !== undefined) {
    const wanted =
      choice === 'required'
        ? (name: string): boolean => allowed(name)
        : (name: string): boolean => name === choice.name && allowed(name);
    const calls = (reply: CompiledReply): boolean =>
      reply.functionCalls.some((c) => wanted(c.name));
    if (calls(chosen.replies[replyIndex]!)) return undefined;
    const label = choice === 'required' ? 'tool_choice required' : `tool_choice ${choice.name}`;
    const sameResponse = chosen.replies.findIndex(calls);
    if (sameResponse >= 0) {
      const match = eligible.find((e) => e.response === chosen)?.match;
      return { chosen, replyIndex: sameResponse, reason: label, ...(match ? { match } : {}) };
    }
    const candidates = [
      ...eligible,
      ...scenario.responses
        .filter((r) => !eligible.some((e) => e.response === r))
        .map((response) => ({ response, match: undefined })),
    ];
    for (const { response, match } of candidates) {
      const index = response.replies.findIndex(calls);
      if (index >= 0) {
        return { chosen: response, replyIndex: index, reason: label, ...(match ? { match } : {}) };
      }
    }
    // No reply calls it: as without tool_choice, a reply the response can send.
  }
  if (offered === undefined || usable(chosen.replies[replyIndex]!, allowed)) return undefined;
  const reason = 'tools disabled for the response: text reply';
  const alternative = chosen.replies.findIndex((r) => usable(r, allowed));
  if (alternative >= 0) {
    const match = eligible.find((e) => e.response === chosen)?.match;
    return { chosen, replyIndex: alternative, reason, ...(match ? { match } : {}) };
  }
  for (const fallback of [scenario.functionFallback, scenario.fallback]) {
    if (fallback === chosen || (fallback.id === 'function_fallback' && !input.functionOutput))
      continue;
    const index = fallback.replies.findIndex((r) => usable(r, allowed));
    if (index >= 0) return { chosen: fallback, replyIndex: index, reason };
  }
  return undefined;
}

/** A reply that says something, or calls at least one tool the response offers. */
function usable(reply: CompiledReply, allowed: (name: string) => boolean): boolean {
  return (
    reply.text !== undefined ||
    reply.audio !== undefined ||
    reply.functionCalls.some((call) => allowed(call.name))
  );
}
