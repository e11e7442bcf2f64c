export type {
  Scenario,
  ScenarioAudio,
  ScenarioCondition,
  ScenarioFallback,
  ScenarioFault,
  ScenarioFaultRule,
  ScenarioFunctionCall,
  ScenarioPacing,
  ScenarioReply,
  ScenarioResponse,
} from './schema.js';
export { scenarioFaultSchema, scenarioPacingSchema, scenarioSchema } from './schema.js';
export type { ScenarioGrammar } from './grammar.js';
export { compileScenarioGrammar, scenarioGrammarSchema } from './grammar.js';
export type { ScenarioIssue } from './scenario-error.js';
export { formatScenarioIssue, ScenarioError } from './scenario-error.js';
export type { ScenarioResult, ScenarioSourceOptions } from './load.js';
export {
  compileScenario,
  listShippedScenarios,
  loadScenarioFile,
  parseScenario,
  resolveScenario,
  shippedScenariosDir,
} from './load.js';
export type { CompiledResponse, LoadedScenario, ResolvedAudio, ScenarioSource } from './compile.js';
export { DEFAULT_FALLBACK_TEXT } from './compile.js';
export type {
  FunctionOutputInput,
  Modality,
  ResolvedReply,
  Selection,
  SelectionInput,
  SelectionToolChoice,
} from './select.js';
export { selectReply } from './select.js';
export type { ScenarioResponderOptions } from './responder.js';
export { ScenarioResponder } from './responder.js';
export type { IntentExtension, IntentLexiconSpec } from './intents.js';
export { BUILTIN_INTENTS, detectIntents, IntentLexicon } from './intents.js';
export type { ResolvedFault } from './fault.js';
export { resolveFault } from './fault.js';
export type { ResolvedPacing } from './pacing.js';
export { DEFAULT_PACING, resolvePacing } from './pacing.js';
export type { Template, TemplateResult, TemplateVariables } from './template.js';
export { compileTemplate, evaluateTemplate, renderTemplate } from './template.js';
export type { FilterContext } from './filters.js';
export { FILTERS } from './filters.js';
export type { WhenContext, WhenValue } from './datetime.js';
export { formatWhenDate, formatWhenDateTime, formatWhenTime, parseWhen } from './datetime.js';
export { parseNumberPhrase } from './number-words.js';
