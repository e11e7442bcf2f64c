import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadedScenario, ScenarioIssue, ScenarioResult } from '../src/scenario/index.js';
import {
  compileScenario,
  formatScenarioIssue,
  listShippedScenarios,
  loadScenarioFile,
  parseScenario,
  resolveScenario,
  ScenarioError,
  selectReply,
  shippedScenariosDir,
} from '../src/scenario/index.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scenario-load-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes `text` as `name` in the temp dir and loads it. */
async function load(name: string, text: string): Promise<ScenarioResult> {
  const path = join(dir, name);
  await writeFile(path, text);
  return loadScenarioFile(path);
}

function errorsOf(result: ScenarioResult): ScenarioIssue[] {
  if (result.ok) throw new Error('expected the scenario to be rejected');
  return result.error.issues.filter((i) => i.severity === 'error');
}

function lines(result: ScenarioResult): string[] {
  return errorsOf(result).map(formatScenarioIssue);
}

const yaml = (...rows: string[]): string => `${rows.join('\n')}\n`;

describe('shipped scenarios', () => {
  it('loads default and scheduler by name without warnings', async () => {
    for (const name of ['default', 'scheduler']) {
      const result = await resolveScenario(name);
      if (!result.ok) throw result.error;
      expect(result.warnings).toEqual([]);
      expect(result.scenario.name).toBe(name);
      expect(result.scenario.responses.length).toBeGreaterThan(5);
      expect(result.scenario.source.path).toBe(join(shippedScenariosDir(), `${name}.yaml`));
    }
  });

  it('lists the shipped scenarios from the folder next to the package', async () => {
    expect(await listShippedScenarios()).toEqual(expect.arrayContaining(['default', 'scheduler']));
    expect(existsSync(join(shippedScenariosDir(), 'default.yaml'))).toBe(true);
  });

  it('resolves a path as a file and an unknown bare name as a clear error', async () => {
    const byPath = await resolveScenario(join(shippedScenariosDir(), 'scheduler.yaml'));
    expect(byPath.ok).toBe(true);
    const unknown = await resolveScenario('nope');
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.error.message).toMatch(/^nope: no shipped scenario.*default/);
  });

  it('collects trigger keywords and intent cues into the grammar', async () => {
    const result = await resolveScenario('default');
    if (!result.ok) throw result.error;
    expect(result.scenario.grammar).toEqual(
      expect.arrayContaining(['play a tone', 'weather', 'goodbye', 'thank you']),
    );
  });
});

describe('validation errors', () => {
  it('names file, line, column and path for a value of the wrong type', async () => {
    const result = await load(
      'scheduler.yaml',
      yaml(
        'name: test',
        'responses:',
        '  - id: a',
        '    reply: { text: hi }',
        '  - id: b',
        '    reply: { text: hi }',
        '  - id: c',
        '    when:',
        '      min_turn: two',
        '    reply: { text: hi }',
      ),
    );
    expect(lines(result)).toEqual([
      'scheduler.yaml:9:17: responses[2].when.min_turn: expected a number, got "two"',
    ]);
    if (!result.ok) {
      expect(result.error).toBeInstanceOf(ScenarioError);
      expect(result.error.message).toBe(lines(result)[0]);
    }
  });

  it('reports YAML syntax errors with their position', async () => {
    const result = await load(
      'syntax.yaml',
      yaml('name: x', 'responses:', '  - id: a: b', '    priority: 1'),
    );
    expect(lines(result)).toEqual([
      'syntax.yaml:3:9: (yaml): Nested mappings are not allowed in compact mappings',
    ]);
    const tabs = await load('tabs.yaml', yaml('name: x', '\tpriority: 1'));
    expect(lines(tabs)).toEqual(['tabs.yaml:2:1: (yaml): Tabs are not allowed as indentation']);
  });

  it('reports duplicate keys as YAML errors', async () => {
    const result = await load('dup.yaml', yaml('name: x', 'name: y'));
    expect(errorsOf(result)[0]).toMatchObject({ line: 2, column: 1, path: '(yaml)' });
    expect(errorsOf(result)[0]?.message).toMatch(/unique/i);
  });

  it('points an unknown field at its key and suggests the intended one', async () => {
    const result = await load(
      'typo.yaml',
      yaml('responses:', '  - id: a', '    prioirty: 3', '    reply: { text: hi }'),
    );
    expect(lines(result)).toEqual([
      'typo.yaml:3:5: responses[0].prioirty: unknown field "prioirty" (did you mean "priority"?)',
    ]);
  });

  it('points a missing required field at the mapping that should hold it', async () => {
    const result = await load(
      'missing.yaml',
      yaml(
        'responses:',
        '  - reply:',
        '      fault:',
        '        type: error',
        '        message: boom',
      ),
    );
    expect(lines(result)).toEqual([
      'missing.yaml:4:9: responses[0].reply.fault.code: is required (a string)',
    ]);
  });

  it('lists the fault types for an unknown one', async () => {
    const result = await load(
      'fault.yaml',
      yaml('responses:', '  - reply: { fault: { type: explode } }'),
    );
    expect(lines(result)).toEqual([
      'fault.yaml:2:29: responses[0].reply.fault.type: expected one of error, close, stall, rate_limit, session_expired, refuse, got "explode"',
    ]);
  });

  it('compiles patterns at load and names the one that is invalid', async () => {
    const result = await load(
      'regex.yaml',
      yaml(
        'responses:',
        '  - when:',
        "      patterns: ['ok', 'book (?<service>\\w+']",
        '    reply: { text: hi }',
      ),
    );
    const [line] = lines(result);
    expect(line).toMatch(
      /^regex\.yaml:3:24: responses\[0\]\.when\.patterns\[1\]: invalid regex \/book \(\?<service>\\w\+\/: /,
    );
  });

  it('rejects a function_output regex that does not compile', async () => {
    const result = await load(
      'fo.yaml',
      yaml(
        'responses:',
        '  - when:',
        "      function_output: { matches: '[' }",
        '    reply: { text: ok }',
      ),
    );
    expect(lines(result)[0]).toMatch(
      /^fo\.yaml:3:35: responses\[0\]\.when\.function_output\.matches: invalid regex/,
    );
  });

  it('rejects unknown intents and accepts intents the scenario defines', async () => {
    const result = await load(
      'intents.yaml',
      yaml(
        'intents:',
        '  booking: [book]',
        'responses:',
        '  - when: { intents: [booking, greeting, gossip] }',
        '    reply: { text: hi }',
      ),
    );
    expect(lines(result)).toHaveLength(1);
    expect(lines(result)[0]).toMatch(
      /^intents\.yaml:4:42: responses\[0\]\.when\.intents\[2\]: unknown intent "gossip" \(known: greeting, .*booking\)$/,
    );
  });

  it('warns about templates that read captures no pattern of the response defines', async () => {
    const result = await load(
      'captures.yaml',
      yaml(
        'responses:',
        '  - when:',
        "      patterns: ['my name is (?<name>\\w+)']",
        '    reply:',
        "      text: 'Hi {{name}}, {{nmae}}, {{output.id}}, turn {{turn}} of {{input}}'",
      ),
    );
    if (!result.ok) throw result.error;
    expect(result.warnings.map(formatScenarioIssue)).toEqual([
      'captures.yaml:5:13: warning: responses[0].reply.text: {{nmae}} is not captured by any pattern of this response',
      'captures.yaml:5:13: warning: responses[0].reply.text: {{output.id}} is only set in a reply to a function output (when.function_output)',
    ]);
  });

  it('rejects template syntax errors, unknown filters and wrong argument counts', async () => {
    const result = await load(
      'templates.yaml',
      yaml(
        'responses:',
        "  - reply: { text: 'Hi {{name' }",
        "  - reply: { text: '{{name | shout}}' }",
        '  - reply:',
        '      function_calls:',
        '        - name: f',
        "          arguments: { a: '{{x | default}}' }",
      ),
    );
    const out = lines(result);
    expect(out).toHaveLength(3);
    expect(out[0]).toMatch(
      /^templates\.yaml:2:20: responses\[0\]\.reply\.text: template error unclosed "\{\{"/,
    );
    expect(out[1]).toMatch(
      /^templates\.yaml:3:20: responses\[1\]\.reply\.text: template error .*unknown filter "shout"/,
    );
    expect(out[2]).toMatch(
      /^templates\.yaml:7:27: responses\[2\]\.reply\.function_calls\[0\]\.arguments\.a: template error .*filter "default" takes 1 argument, got 0/,
    );
  });

  it('rejects a WAV file that does not exist and resolves one that does', async () => {
    await writeFile(join(dir, 'hello.wav'), Buffer.alloc(44));
    const missing = await load(
      'wav.yaml',
      yaml('responses:', '  - reply: { audio: { wav: nothere.wav } }'),
    );
    expect(lines(missing)[0]).toBe(
      `wav.yaml:2:28: responses[0].reply.audio.wav: WAV file not found: ${join(dir, 'nothere.wav')}`,
    );
    const present = await load(
      'wav-ok.yaml',
      yaml('responses:', '  - reply: { audio: { wav: hello.wav } }'),
    );
    if (!present.ok) throw present.error;
    expect(present.scenario.responses[0]?.replies[0]?.audio).toEqual({
      kind: 'wav',
      path: join(dir, 'hello.wav'),
    });
  });

  it('requires exactly one of reply and replies, and one of wav and tone', async () => {
    const result = await load(
      'shape.yaml',
      yaml(
        'responses:',
        '  - id: none',
        '  - id: both',
        '    reply: { text: a }',
        '    replies: [{ text: b }]',
        '  - reply: { audio: {} }',
        '  - reply: {}',
      ),
    );
    expect(lines(result)).toEqual([
      'shape.yaml:2:5: responses[0]: needs a reply (or replies)',
      'shape.yaml:3:5: responses[1]: has both reply and replies; keep one',
      'shape.yaml:6:21: responses[2].reply.audio: needs exactly one of wav or tone',
      'shape.yaml:7:12: responses[3].reply: a reply needs text, audio, function_calls or a fault',
    ]);
  });

  it('rejects turn bounds out of order, duplicate ids, bad zones, close codes and fault rules', async () => {
    const result = await load(
      'misc.yaml',
      yaml(
        'time_zone: Mars/Olympus',
        'responses:',
        '  - id: a',
        '    when: { min_turn: 3, max_turn: 1 }',
        '    reply: { text: hi }',
        '  - id: a',
        '    reply: { fault: { type: close, code: 1005 } }',
        'faults:',
        '  - fault: { type: stall, ms: 10 }',
      ),
    );
    expect(lines(result)).toEqual([
      'misc.yaml:1:12: time_zone: unknown time zone "Mars/Olympus" (expected an IANA name such as Europe/Paris)',
      'misc.yaml:4:36: responses[0].when.max_turn: max_turn 1 is below min_turn 3',
      'misc.yaml:6:9: responses[1].id: duplicate id "a" (also responses[0])',
      'misc.yaml:7:42: responses[1].reply.fault.code: close code 1005 cannot be sent (use 1000, 1001–1003, 1007–1014 or 3000–4999)',
      'misc.yaml:9:5: faults[0]: needs exactly one of on_response or on_turn',
    ]);
  });

  it('reports every issue in the file, in line order, in one error', async () => {
    const result = await load(
      'many.yaml',
      yaml(
        'name: 3',
        'pacing: { speed: -1 }',
        'responses:',
        "  - when: { keywords: hello, patterns: ['('] }",
        '    reply: { text: hi, colour: red }',
      ),
    );
    const out = lines(result);
    expect(out).toEqual([
      'many.yaml:1:7: name: expected a string, got 3',
      'many.yaml:2:18: pacing.speed: must be ≥ 0, got -1',
      'many.yaml:4:23: responses[0].when.keywords: expected a list, got "hello"',
      'many.yaml:4:41: responses[0].when.patterns[0]: invalid regex /(/: Unterminated group',
      'many.yaml:5:24: responses[0].reply.colour: unknown field "colour"',
    ]);
    if (!result.ok) expect(result.error.message.split('\n')).toEqual(out);
  });

  it('rejects an empty document and a document that is not a mapping', async () => {
    expect(lines(await load('empty.yaml', ''))).toEqual([
      'empty.yaml:1:1: (root): expected a mapping, got an empty value',
    ]);
    expect(lines(await load('list.yaml', '- a\n- b\n'))).toEqual([
      'list.yaml:1:1: (root): expected a mapping, got a list',
    ]);
  });

  it('reports an unreadable file without throwing', async () => {
    const result = await loadScenarioFile(join(dir, 'absent.yaml'));
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.error.message).toMatch(/absent\.yaml: cannot read scenario file: ENOENT/);
  });

  it('validates plain objects with paths but no positions', () => {
    const result = compileScenario({ responses: [{ reply: { text: 1 } }] }, { fileName: 'inline' });
    expect(lines(result)).toEqual(['inline: responses[0].reply.text: expected a string, got 1']);
  });

  it('parses text with a chosen file name and base folder', () => {
    const result = parseScenario('responses: [{ reply: { text: hi } }]\n', {
      fileName: 'x.yaml',
      baseDir: dir,
    });
    if (!result.ok) throw result.error;
    expect(result.scenario.name).toBe('x');
    expect(result.scenario.source).toEqual({ fileName: 'x.yaml', baseDir: dir });
  });

  it('accepts when.tools as a list of tool names, and rejects anything else', async () => {
    const ok = await load(
      'tools.yaml',
      yaml('responses:', '  - when: { tools: [get_weather] }', '    reply: { text: hi }'),
    );
    if (!ok.ok) throw ok.error;
    expect(ok.scenario.responses[0]?.tools).toEqual(['get_weather']);
    const bad = await load(
      'bad-tools.yaml',
      yaml(
        'responses:',
        '  - when: { tools: [get weather] }',
        '    reply: { text: hi }',
        '  - when: { tools: [] }',
        '    reply: { text: hi }',
      ),
    );
    const messages = lines(bad);
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatch(
      /^bad-tools\.yaml:2:\d+: responses\[0\]\.when\.tools\[0\]: .*tool name/,
    );
    expect(messages[1]).toMatch(/^bad-tools\.yaml:4:\d+: responses\[1\]\.when\.tools: /);
  });
});

describe('when.tools', () => {
  const s = (): LoadedScenario => {
    const result = parseScenario(
      yaml(
        'responses:',
        '  - id: call',
        '    priority: 2',
        '    when: { keywords: [weather], tools: [get_weather] }',
        '    reply: { function_calls: [{ name: get_weather }] }',
        '  - id: both',
        '    priority: 3',
        '    when: { keywords: [both], tools: [get_weather, get_time] }',
        '    reply: { text: both tools }',
        '  - id: text',
        '    priority: 1',
        '    when: { keywords: [weather, both] }',
        '    reply: { text: no weather tool here }',
      ),
      { fileName: 'tools.yaml' },
    );
    if (!result.ok) throw result.error;
    return result.scenario;
  };
  const input = { turn: 1, modalities: ['text' as const], responseIndex: 0 };

  it('makes a response eligible only when the response offers every listed tool', () => {
    const scenario = s();
    const pick = (text: string, toolNames?: string[]): string =>
      selectReply(scenario, { ...input, text, ...(toolNames ? { toolNames } : {}) }).responseId;
    expect(pick('weather', ['get_weather'])).toBe('call');
    expect(pick('weather', [])).toBe('text');
    expect(pick('weather', ['book'])).toBe('text');
    expect(pick('both', ['get_weather', 'get_time'])).toBe('both');
    expect(pick('both', ['get_weather'])).toBe('text');
  });

  it('holds when the caller gives no tool list, and counts as a declared condition', () => {
    const selection = selectReply(s(), { ...input, text: 'weather' });
    expect(selection.responseId).toBe('call');
    expect(selection.score).toEqual({ priority: 2, specificity: 2 });
    expect(selection.reasons).toEqual(['tool get_weather offered', 'keyword "weather"']);
  });
});

describe("the README's scenario example", () => {
  /** The "## The engine" section of the repository's README. */
  async function engineSection(): Promise<string> {
    const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8');
    const section = readme.split(/^## /m).find((part) => part.startsWith('The engine\n'));
    if (section === undefined) throw new Error('README.md has no "## The engine" section');
    return section;
  }

  it('loads, from the file name its command uses, without warnings, and answers as written', async () => {
    const section = await engineSection();
    const example = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    const file = /`npm start -- --scenario ([\w.-]+\.yaml)`/.exec(section)?.[1];
    expect(example).toBeDefined();
    expect(file).toBe('my-scenario.yaml');
    await writeFile(join(dir, file!), example!);
    // As the CLI's --scenario does: a name ending in .yaml is a path.
    const result = await resolveScenario(join(dir, file!));
    if (!result.ok) throw result.error;
    expect(result.warnings).toEqual([]);
    const { scenario } = result;
    expect(scenario.name).toBe('my-scenario');
    const reply = (text: string): string | undefined =>
      selectReply(scenario, { text, turn: 1, modalities: ['text'], responseIndex: 0 }).reply.text;
    expect(reply("I'm hungry!")).toBe('Pizza is always a good idea.');
    expect(reply('Hello, my name is sam')).toBe('Hi Sam! Are you hungry?');
    expect(reply('What time is it?')).toBe('Ask me about pizza.');
  });

  it('says which keys it shows, as the scenario format spells them', async () => {
    const example = /```yaml\n([\s\S]*?)```/.exec(await engineSection())?.[1] ?? '';
    for (const key of ['name:', 'responses:', 'when:', 'keywords:', 'reply:', 'text:', 'fallback:'])
      expect(example).toContain(key);
  });
});
