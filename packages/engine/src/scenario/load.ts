/**
 * Loading scenarios: YAML text → validated, compiled {@link LoadedScenario}, with every problem reported as
 * `file:line:column: path: message`. Nothing here throws on bad input; failures come back as a {@link ScenarioError}.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineCounter, parseDocument } from 'yaml';
import type { RawIssue } from './check.js';
import { checkScenario } from './check.js';
import type { LoadedScenario } from './compile.js';
import { buildScenario } from './compile.js';
import type { ScenarioIssue } from './scenario-error.js';
import { FILE_PATH, formatPath, ScenarioError } from './scenario-error.js';
import { scenarioSchema } from './schema.js';
import type { SourcePosition } from './yaml-position.js';
import { locatePath } from './yaml-position.js';
import { fromZodIssues } from './zod-issues.js';

/** A loaded scenario with its warnings, or the error listing everything wrong with it. */
export type ScenarioResult =
  | { ok: true; scenario: LoadedScenario; warnings: ScenarioIssue[] }
  | { ok: false; error: ScenarioError; warnings: ScenarioIssue[] };

export interface ScenarioSourceOptions {
  /** Used in messages and as the default scenario name; `scenario.yaml` when absent. */
  fileName?: string;
  /** Relative WAV paths resolve against it; the working directory when absent. */
  baseDir?: string;
  /** The file the text came from, if any. */
  path?: string;
}

/** Every key the schema knows, for "did you mean" hints. */
const KNOWN_KEYS: readonly string[] = (() => {
  const keys = new Set<string>();
  const seen = new Set<unknown>();
  const walk = (schema: unknown): void => {
    if (seen.has(schema) || typeof schema !== 'object' || schema === null) return;
    seen.add(schema);
    const def = (schema as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
    if (def === undefined) return;
    if (def.type === 'object') {
      for (const [key, value] of Object.entries(def.shape as Record<string, unknown>)) {
        keys.add(key);
        walk(value);
      }
    }
    for (const field of ['innerType', 'element', 'valueType', 'in', 'out'] as const)
      walk(def[field]);
    if (Array.isArray(def.options)) def.options.forEach(walk);
  };
  walk(scenarioSchema);
  return [...keys];
})();

function toIssues(
  raw: readonly RawIssue[],
  fileName: string,
  locate?: (issue: RawIssue) => SourcePosition,
): ScenarioIssue[] {
  const issues = raw.map((r): ScenarioIssue => {
    const issue: ScenarioIssue = {
      severity: r.severity,
      file: fileName,
      path: formatPath(r.path),
      message: r.message,
    };
    if (locate !== undefined) {
      const pos = locate(r);
      issue.line = pos.line;
      issue.column = pos.column;
    }
    return issue;
  });
  return issues.sort(
    (a, b) =>
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      a.path.localeCompare(b.path),
  );
}

function validate(
  value: unknown,
  options: ScenarioSourceOptions,
  locate?: (issue: RawIssue) => SourcePosition,
): ScenarioResult {
  const fileName = options.fileName ?? 'scenario.yaml';
  const baseDir = resolve(options.baseDir ?? process.cwd());
  const parsed = scenarioSchema.safeParse(value, { reportInput: true });
  const raw: RawIssue[] = [
    ...(parsed.success ? [] : fromZodIssues(parsed.error.issues, KNOWN_KEYS)),
    ...checkScenario(value, { baseDir }),
  ];
  const issues = toIssues(raw, fileName, locate);
  const warnings = issues.filter((i) => i.severity === 'warning');
  if (!parsed.success || issues.some((i) => i.severity === 'error'))
    return { ok: false, error: new ScenarioError(issues), warnings };
  const source =
    options.path === undefined ? { fileName, baseDir } : { fileName, baseDir, path: options.path };
  return { ok: true, scenario: buildScenario(parsed.data, source), warnings };
}

/**
 * Validates and compiles a scenario given as a plain object (e.g. from a test). Messages name the field path but no
 * line, as there is no text.
 */
export function compileScenario(
  value: unknown,
  options: ScenarioSourceOptions = {},
): ScenarioResult {
  return validate(value, options);
}

/** Parses, validates and compiles scenario YAML text. */
export function parseScenario(
  yamlText: string,
  options: ScenarioSourceOptions = {},
): ScenarioResult {
  const fileName = options.fileName ?? 'scenario.yaml';
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const syntax: ScenarioIssue[] = [...doc.errors, ...doc.warnings].map((err) => {
    const pos = lineCounter.linePos(err.pos[0]);
    return {
      severity: err.name === 'YAMLWarning' ? 'warning' : 'error',
      file: fileName,
      line: pos.line,
      column: pos.col,
      path: '(yaml)',
      message: err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''),
    };
  });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      error: new ScenarioError(syntax),
      warnings: syntax.filter((i) => i.severity === 'warning'),
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    const issue: ScenarioIssue = {
      severity: 'error',
      file: fileName,
      line: 1,
      column: 1,
      path: '(yaml)',
      message: (err as Error).message,
    };
    return { ok: false, error: new ScenarioError([issue]), warnings: [] };
  }
  const result = validate(value, options, (issue) =>
    locatePath(doc, lineCounter, issue.path, issue.atKey),
  );
  const warnings = [...syntax, ...result.warnings];
  return result.ok ? { ...result, warnings } : { ok: false, error: result.error, warnings };
}

/** Reads and parses a scenario file; WAV paths resolve against its folder. */
export async function loadScenarioFile(path: string): Promise<ScenarioResult> {
  const absolute = resolve(path);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (err) {
    const issue: ScenarioIssue = {
      severity: 'error',
      file: path,
      path: FILE_PATH,
      message: `cannot read scenario file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    };
    return { ok: false, error: new ScenarioError([issue]), warnings: [] };
  }
  return parseScenario(text, {
    fileName: basename(absolute),
    baseDir: dirname(absolute),
    path: absolute,
  });
}

/** The folder of the scenarios shipped with the engine (`packages/engine/scenarios`), from `src/` or `dist/`. */
export function shippedScenariosDir(): string {
  return fileURLToPath(new URL('../../scenarios/', import.meta.url));
}

/** Names of the shipped scenarios (`default`, `scheduler`, …). */
export async function listShippedScenarios(): Promise<string[]> {
  const files = await readdir(shippedScenariosDir()).catch(() => [] as string[]);
  return files
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

/**
 * Loads a shipped scenario by bare name (`default`, `scheduler`) or any scenario file by path (anything with a
 * slash or a `.yaml` / `.yml` suffix).
 */
export async function resolveScenario(nameOrPath: string): Promise<ScenarioResult> {
  if (/[\\/]|\.ya?ml$/i.test(nameOrPath)) return loadScenarioFile(nameOrPath);
  if (!/^[\w-]+$/.test(nameOrPath)) {
    return notFound(nameOrPath, 'not a scenario name or a path to a .yaml file');
  }
  const shipped = await listShippedScenarios();
  if (!shipped.includes(nameOrPath)) {
    return notFound(
      nameOrPath,
      `no shipped scenario of that name (shipped: ${shipped.join(', ')})`,
    );
  }
  return loadScenarioFile(resolve(shippedScenariosDir(), `${nameOrPath}.yaml`));
}

function notFound(nameOrPath: string, message: string): ScenarioResult {
  const issue: ScenarioIssue = { severity: 'error', file: nameOrPath, path: FILE_PATH, message };
  return { ok: false, error: new ScenarioError([issue]), warnings: [] };
}
