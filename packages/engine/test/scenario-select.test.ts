import { describe, expect, it } from 'vitest';
import type { LoadedScenario, SelectionInput } from '../src/scenario/index.js';
import {
  DEFAULT_FALLBACK_TEXT,
  DEFAULT_PACING,
  parseScenario,
  ScenarioResponder,
  selectReply,
} from '../src/scenario/index.js';

function scenario(text: string): LoadedScenario {
  const result = parseScenario(text, { fileName: 'test.yaml' });
  if (!result.ok) throw result.error;
  return result.scenario;
}

const base: SelectionInput = {
  text: '',
  turn: 1,
  modalities: ['text'],
  responseIndex: 0,
  now: new Date('2026-11-21T10:00:00Z'),
  timeZone: 'Europe/Paris',
};

function pick(s: LoadedScenario, input: Partial<SelectionInput> | string): string {
  const full = typeof input === 'string' ? { ...base, text: input } : { ...base, ...input };
  return selectReply(s, full).responseId;
}

describe('conditions', () => {
  it('matches any-of keywords on word boundaries, ignoring case and punctuation', () => {
    const s = scenario(`
responses:
  - id: hi
    when: { keywords: [hello, "what's up"] }
    reply: { text: hi }
`);
    expect(pick(s, 'HELLO!')).toBe('hi');
    expect(pick(s, 'whats up')).toBe('hi');
    expect(pick(s, 'Othello')).toBe('fallback');
  });

  it('requires every all_keywords phrase and no exclude phrase', () => {
    const s = scenario(`
responses:
  - id: both
    when: { all_keywords: [red, car], exclude: [not] }
    reply: { text: ok }
`);
    expect(pick(s, 'a red car')).toBe('both');
    expect(pick(s, 'a red bike')).toBe('fallback');
    expect(pick(s, 'not a red car')).toBe('fallback');
  });

  it('matches detected intents, including scenario-defined ones', () => {
    const s = scenario(`
intents:
  booking: [book]
responses:
  - id: greet
    when: { intents: [greeting] }
    reply: { text: hi }
  - id: book
    when: { intents: [booking] }
    reply: { text: booking }
`);
    expect(pick(s, 'good morning')).toBe('greet');
    expect(pick(s, 'I would like to book')).toBe('book');
    expect(pick(s, 'nothing relevant')).toBe('fallback');
  });

  it('respects inclusive turn bounds', () => {
    const s = scenario(`
responses:
  - id: early
    when: { min_turn: 2, max_turn: 3 }
    reply: { text: early }
`);
    expect([1, 2, 3, 4].map((turn) => pick(s, { turn }))).toEqual([
      'fallback',
      'early',
      'early',
      'fallback',
    ]);
  });

  it('requires the declared output modalities', () => {
    const s = scenario(`
responses:
  - id: spoken
    when: { modalities: [audio] }
    reply: { text: spoken }
`);
    expect(pick(s, { modalities: ['audio'] })).toBe('spoken');
    expect(pick(s, { modalities: ['text'] })).toBe('fallback');
  });

  it('captures named groups from the first matching pattern, trimmed of punctuation', () => {
    const s = scenario(`
responses:
  - id: name
    when:
      patterns: ['call me (?<nick>\\w+)', 'my name is (?<name>[\\w ]+)']
    reply: { text: 'Hi {{name | default(nick) | title}}' }
`);
    const selection = selectReply(s, { ...base, text: 'Well, my name is alex smith.' });
    expect(selection.captures).toEqual({ name: 'alex smith' });
    expect(selection.reply.text).toBe('Hi Alex Smith');
    expect(selectReply(s, { ...base, text: 'call me Al' }).reply.text).toBe('Hi Al');
    expect(pick(s, 'who am I')).toBe('fallback');
  });

  it('treats a response without conditions as always eligible', () => {
    const s = scenario(`
responses:
  - id: any
    reply: { text: any }
`);
    expect(pick(s, 'whatever')).toBe('any');
  });
});

describe('scoring', () => {
  it('prefers higher priority over higher specificity', () => {
    const s = scenario(`
responses:
  - id: specific
    when: { keywords: [book, table, tonight] }
    reply: { text: a }
  - id: important
    priority: 5
    when: { keywords: [book] }
    reply: { text: b }
`);
    const selection = selectReply(s, { ...base, text: 'book a table tonight' });
    expect(selection.responseId).toBe('important');
    expect(selection.score).toEqual({ priority: 5, specificity: 1 });
  });

  it('breaks priority ties by specificity, then by order in the file', () => {
    const s = scenario(`
responses:
  - id: first
    when: { keywords: [weather] }
    reply: { text: a }
  - id: second
    when: { keywords: [weather] }
    reply: { text: b }
  - id: specific
    when: { keywords: [weather], intents: [question] }
    reply: { text: c }
`);
    expect(pick(s, 'the weather')).toBe('first');
    const selection = selectReply(s, { ...base, text: 'how is the weather?' });
    expect(selection.responseId).toBe('specific');
    expect(selection.reasons).toEqual(['keyword "weather"', 'intent question']);
  });

  it('counts every matched keyword, intent, pattern and declared bound', () => {
    const s = scenario(`
responses:
  - id: all
    when:
      keywords: [hello, there]
      intents: [greeting]
      patterns: ['hello']
      min_turn: 1
      max_turn: 5
      modalities: [text]
    reply: { text: hi }
`);
    const selection = selectReply(s, { ...base, text: 'hello there' });
    expect(selection.score.specificity).toBe(7);
    expect(selection.reasons).toEqual([
      'turn ≥ 1',
      'turn ≤ 5',
      'modality text',
      'keyword "hello"',
      'keyword "there"',
      'intent greeting',
      'pattern /hello/',
    ]);
  });
});

describe('fallback', () => {
  it('uses the declared fallback, with its template', () => {
    const s = scenario(`
responses: []
fallback:
  reply: { text: 'Sorry, "{{input}}"?' }
`);
    const selection = selectReply(s, { ...base, text: '  mumble   mumble ' });
    expect(selection).toMatchObject({
      response: 'fallback',
      responseId: 'fallback',
      reasons: ['no response matched'],
    });
    expect(selection.reply.text).toBe('Sorry, "mumble mumble"?');
  });

  it('has a built-in fallback when none is declared', () => {
    const s = scenario('name: bare\n');
    expect(selectReply(s, { ...base, text: 'hi' }).reply.text).toBe(DEFAULT_FALLBACK_TEXT);
  });
});

describe('function-output follow-ups', () => {
  const s = scenario(`
responses:
  - id: ask
    when: { keywords: [weather] }
    reply:
      function_calls: [{ name: get_weather, arguments: { city: Paris } }]
  - id: weather-ok
    when: { function_output: { name: get_weather } }
    reply: { text: 'It is {{output.summary}} in {{output.city}}.' }
  - id: weather-error
    priority: 5
    when: { function_output: { name: get_weather, matches: '"error"' } }
    reply: { text: 'Sorry: {{output.error}}' }
  - id: plain
    when: { function_output: { name: echo } }
    reply: { text: 'You said {{output}}' }
function_fallback:
  reply: { text: 'Done.' }
`);
  const followUp = (name: string, output: string): SelectionInput => ({
    ...base,
    text: 'what is the weather',
    turn: 1,
    responseIndex: 1,
    functionOutput: { name, output, callId: 'call_1' },
  });

  it('chooses by tool name and reads the JSON output', () => {
    const selection = selectReply(s, followUp('get_weather', '{"summary":"sunny","city":"Paris"}'));
    expect(selection.responseId).toBe('weather-ok');
    expect(selection.output).toEqual({ summary: 'sunny', city: 'Paris' });
    expect(selection.reply.text).toBe('It is sunny in Paris.');
  });

  it('chooses by output content when a response matches it', () => {
    const selection = selectReply(s, followUp('get_weather', '{"error":"unknown city"}'));
    expect(selection.responseId).toBe('weather-error');
    expect(selection.reply.text).toBe('Sorry: unknown city');
  });

  it('reads a non-JSON output as text', () => {
    expect(selectReply(s, followUp('echo', 'hello')).reply.text).toBe('You said hello');
  });

  it('never answers a follow-up with an ordinary response, nor a turn with a follow-up', () => {
    expect(selectReply(s, followUp('unknown_tool', '{}')).responseId).toBe('function_fallback');
    expect(pick(s, 'weather please')).toBe('ask');
    expect(pick(s, 'nothing')).toBe('fallback');
  });

  it('uses the ordinary fallback for follow-ups when no function_fallback is declared', () => {
    const bare = scenario(`
responses:
  - id: ok
    when: { function_output: { name: f } }
    reply: { text: ok }
fallback:
  reply: { text: fallback }
`);
    const selection = selectReply(bare, followUp('g', '{}'));
    expect(selection.responseId).toBe('fallback');
    expect(selection.reply.text).toBe('fallback');
  });
});

describe('replies', () => {
  it('renders function-call arguments as JSON, keeping typed and literal values', () => {
    const s = scenario(`
responses:
  - when:
      patterns: ['table for (?<size>\\w+)(?: at (?<time>.+))?']
    reply:
      function_calls:
        - name: reserve
          arguments:
            size: '{{size | number}}'
            label: 'party of {{size}}'
            time: '{{time | time}}'
            vip: false
            tags: [a, '{{size}}']
            nested: { count: 2 }
`);
    const [call] = selectReply(s, { ...base, text: 'a table for four' }).reply.functionCalls;
    expect(call?.name).toBe('reserve');
    expect(JSON.parse(call!.arguments)).toEqual({
      size: 4,
      label: 'party of four',
      vip: false,
      tags: ['a', 'four'],
      nested: { count: 2 },
    });
    const [timed] = selectReply(s, { ...base, text: 'a table for 2 at 7 pm' }).reply.functionCalls;
    expect(JSON.parse(timed!.arguments)).toMatchObject({ size: 2, time: '19:00' });
  });

  it('passes audio through as a tone or an absolute WAV path', () => {
    const s = scenario(`
responses:
  - reply: { text: beep, audio: { tone: { frequency: 440, duration_ms: 250 } } }
`);
    expect(selectReply(s, base).reply.audio).toEqual({
      kind: 'tone',
      frequency: 440,
      durationMs: 250,
    });
  });

  it('rotates through replies per use', () => {
    const s = scenario(`
responses:
  - id: hi
    replies: [{ text: one }, { text: two }, { text: three }]
`);
    const responder = new ScenarioResponder(s, { now: () => base.now!, timeZone: 'UTC', speed: 0 });
    const texts = [0, 1, 2, 3].map(
      (i) =>
        responder.select({ text: 'hi', turn: i + 1, modalities: ['text'], responseIndex: i }).reply
          .text,
    );
    expect(texts).toEqual(['one', 'two', 'three', 'one']);
    responder.reset();
    expect(responder.select({ ...base, text: 'hi' }).replyIndex).toBe(0);
    expect(selectReply(s, { ...base, uses: new Map([['hi', 4]]) }).reply.text).toBe('two');
  });

  it('offers the built-in variables input, turn and now', () => {
    const s = scenario(`
responses:
  - reply: { text: '{{turn}}: {{input}} at {{now}}' }
`);
    expect(selectReply(s, { ...base, text: 'hey', turn: 3 }).reply.text).toBe(
      '3: hey at 2026-11-21T11:00:00+01:00',
    );
  });
});

describe('pacing', () => {
  it('uses the defaults when the scenario sets none', () => {
    const s = scenario('responses: [{ reply: { text: hi } }]');
    expect(selectReply(s, base).reply.pacing).toEqual({
      firstDeltaMs: DEFAULT_PACING.first_delta_ms,
      textCharsPerSecond: DEFAULT_PACING.text_chars_per_second,
      audioSpeed: DEFAULT_PACING.audio_speed,
    });
  });

  it('lets a reply override the scenario and applies the speed factor', () => {
    const s = scenario(`
pacing: { first_delta_ms: 200, text_chars_per_second: 50, audio_speed: 1, speed: 2 }
responses:
  - id: quick
    when: { keywords: [quick] }
    reply: { text: hi, pacing: { first_delta_ms: 0 } }
  - id: normal
    reply: { text: hi }
`);
    expect(selectReply(s, { ...base, text: 'hello' }).reply.pacing).toEqual({
      firstDeltaMs: 100,
      textCharsPerSecond: 100,
      audioSpeed: 2,
    });
    expect(selectReply(s, { ...base, text: 'quick' }).reply.pacing).toEqual({
      firstDeltaMs: 0,
      textCharsPerSecond: 100,
      audioSpeed: 2,
    });
  });

  it('makes everything unpaced at speed 0, from the scenario or the caller', () => {
    const unpaced = { firstDeltaMs: 0, textCharsPerSecond: 0, audioSpeed: 0 };
    const s = scenario('pacing: { speed: 0 }\nresponses: [{ reply: { text: hi } }]');
    expect(selectReply(s, base).reply.pacing).toEqual(unpaced);
    const paced = scenario('responses: [{ reply: { text: hi } }]');
    expect(selectReply(paced, { ...base, speed: 0 }).reply.pacing).toEqual(unpaced);
  });
});

describe('faults', () => {
  it('resolves a reply fault with its defaults', () => {
    const s = scenario(`
responses:
  - id: err
    when: { keywords: [err] }
    reply: { fault: { type: error, code: server_error } }
  - id: close
    when: { keywords: [close] }
    reply: { text: bye, fault: { type: close } }
`);
    expect(selectReply(s, { ...base, text: 'err' }).reply.fault).toEqual({
      type: 'error',
      code: 'server_error',
      message: 'The server had an error while processing your request. Sorry about that!',
      param: null,
      fatal: false,
    });
    expect(selectReply(s, { ...base, text: 'close' }).reply.fault).toEqual({
      type: 'close',
      afterEvents: 3,
      code: 1011,
      reason: 'server_error.fault_injected',
    });
  });

  it('injects scenario faults at the nth response or turn, over the reply fault', () => {
    const s = scenario(`
responses:
  - reply: { text: hi, fault: { type: stall, ms: 50 } }
faults:
  - on_response: 2
    fault: { type: rate_limit }
  - on_turn: 4
    fault: { type: session_expired }
`);
    const at = (responseIndex: number, turn: number) =>
      selectReply(s, { ...base, responseIndex, turn }).reply.fault;
    expect(at(0, 1)).toEqual({ type: 'stall', ms: 50 });
    expect(at(1, 2)).toEqual({ type: 'rate_limit' });
    expect(at(2, 4)).toEqual({ type: 'session_expired' });
  });
});
