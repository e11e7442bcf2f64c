/** One problem found in a scenario, located in its file. */
export interface ScenarioIssue {
  severity: 'error' | 'warning';
  /** File name as given (`scheduler.yaml`, or a path). */
  file: string;
  /** 1-based; absent when the scenario did not come from YAML text. */
  line?: number;
  column?: number;
  /** Field path, e.g. `responses[2].when.min_turn`; `(root)` for the document itself. */
  path: string;
  message: string;
}

/**
 * `scheduler.yaml:14:9: responses[2].when.min_turn: expected a number, got "two"`; a problem with the file itself
 * (not found, unreadable) has no field: `nope: no shipped scenario of that name (…)`.
 */
export function formatScenarioIssue(issue: ScenarioIssue): string {
  const where =
    issue.line === undefined ? issue.file : `${issue.file}:${issue.line}:${issue.column ?? 1}`;
  const tag = issue.severity === 'warning' ? 'warning: ' : '';
  const field = issue.path === FILE_PATH ? '' : `${issue.path}: `;
  return `${where}: ${tag}${field}${issue.message}`;
}

/** The `path` of an issue with the file itself rather than one of its fields. */
export const FILE_PATH = '(file)';

/** Renders a zod / document path as `responses[2].when.min_turn`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (typeof part === 'string' && /^[A-Za-z_][\w-]*$/.test(part))
      out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out === '' ? '(root)' : out;
}

/**
 * A scenario that cannot be used. `message` lists every error (one `file:line:column: path: message` a line);
 * `issues` holds them, and the warnings, as data.
 */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
  readonly code = 'E_SCENARIO_INVALID';
  readonly issues: readonly ScenarioIssue[];

  constructor(issues: readonly ScenarioIssue[]) {
    const errors = issues.filter((i) => i.severity === 'error');
    super(errors.map(formatScenarioIssue).join('\n') || 'invalid scenario');
    this.issues = issues;
  }
}
