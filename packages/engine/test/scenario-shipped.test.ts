import { existsSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LoadedScenario, Selection, SelectionInput } from '../src/scenario/index.js';
import { resolveScenario, selectReply } from '../src/scenario/index.js';
import { startLocalRealtime } from '../src/testing/index.js';
import type { LocalRealtimeHandle } from '../src/testing/index.js';
import type { GrammarNode } from '../src/transcription/grammar-expression.js';
import { parseGrammarExpression } from '../src/transcription/grammar-expression.js';
import type { SessionClient } from './helpers/session-client.js';
import { eventOf, joinDeltas, openSession, textTurn } from './helpers/session-client.js';
import type { Json } from './helpers/ws-client.js';

/** Saturday 21 November 2026, 11:00 in Paris. */
const base: SelectionInput = {
  text: '',
  turn: 1,
  modalities: ['text'],
  responseIndex: 0,
  now: new Date('2026-11-21T10:00:00Z'),
  timeZone: 'Europe/Paris',
};

async function shipped(name: string): Promise<LoadedScenario> {
  const result = await resolveScenario(name);
  if (!result.ok) throw result.error;
  return result.scenario;
}

function say(s: LoadedScenario, text: string): Selection {
  return selectReply(s, { ...base, text });
}

function call(selection: Selection): { name: string; args: unknown } {
  expect(selection.reply.functionCalls).toHaveLength(1);
  const [first] = selection.reply.functionCalls;
  return { name: first!.name, args: JSON.parse(first!.arguments) };
}

function followUp(s: LoadedScenario, name: string, output: unknown): Selection {
  return selectReply(s, {
    ...base,
    responseIndex: 1,
    functionOutput: {
      name,
      output: typeof output === 'string' ? output : JSON.stringify(output),
      callId: 'c',
    },
  });
}

describe('scheduler scenario', () => {
  let s: LoadedScenario;
  beforeAll(async () => {
    s = await shipped('scheduler');
  });

  const booking = {
    name: 'book_appointment',
    args: {
      name: 'Alex',
      contact: 'alex@example.com',
      service: 'premium',
      start: '2026-11-22T15:00:00+01:00',
    },
  };

  it('books from the typed example sentence', () => {
    expect(
      call(say(s, 'book a premium appointment tomorrow at 3 pm for Alex, alex@example.com')),
    ).toEqual(booking);
  });

  it('books from the same sentence as speech recognition writes it', () => {
    expect(
      call(
        say(s, 'book a premium appointment tomorrow at three pm for alex alex at example dot com'),
      ),
    ).toEqual(booking);
  });

  it('books with a phone number, a two-word name and other phrasings', () => {
    expect(
      call(say(s, 'Please book a consultation on monday at 9:30 am for Sam Lee, +1 555 010 0100.')),
    ).toEqual({
      name: 'book_appointment',
      args: {
        name: 'Sam Lee',
        contact: '+15550100100',
        service: 'consultation',
        start: '2026-11-23T09:30:00+01:00',
      },
    });
    expect(
      call(
        say(
          s,
          'book an appointment for a basic session next friday at ten thirty for jo jo dot smith at mail dot com',
        ),
      ),
    ).toEqual({
      name: 'book_appointment',
      args: {
        name: 'Jo',
        contact: 'jo.smith@mail.com',
        service: 'basic',
        start: '2026-11-27T10:30:00+01:00',
      },
    });
  });

  it('checks availability with and without a service', () => {
    expect(call(say(s, "What's available on Monday for a premium appointment?"))).toEqual({
      name: 'check_availability',
      args: { date: '2026-11-23', service: 'premium' },
    });
    expect(call(say(s, 'whats available for basic on december first'))).toEqual({
      name: 'check_availability',
      args: { date: '2026-12-01', service: 'basic' },
    });
    expect(call(say(s, 'anything free tomorrow?'))).toEqual({
      name: 'check_availability',
      args: { date: '2026-11-22' },
    });
  });

  it('reschedules, cancels and lists appointments', () => {
    expect(call(say(s, 'Reschedule appointment A-1042 to Friday at 10 am.'))).toEqual({
      name: 'reschedule_appointment',
      args: { id: 'A-1042', start: '2026-11-27T10:00:00+01:00' },
    });
    expect(call(say(s, 'reschedule appointment forty two to friday at ten am'))).toEqual({
      name: 'reschedule_appointment',
      args: { id: '42', start: '2026-11-27T10:00:00+01:00' },
    });
    expect(call(say(s, 'cancel appointment 42 please'))).toEqual({
      name: 'cancel_appointment',
      args: { id: '42' },
    });
    // With the contact it was booked with (the tools change an appointment only for that contact).
    expect(call(say(s, 'Cancel appointment 42 for Alex@Example.com, please.'))).toEqual({
      name: 'cancel_appointment',
      args: { id: '42', contact: 'alex@example.com' },
    });
    expect(
      call(say(s, 'cancel my appointment forty two for alex at example dot com please')),
    ).toEqual({ name: 'cancel_appointment', args: { id: '42', contact: 'alex@example.com' } });
    expect(
      call(
        say(
          s,
          'move my appointment forty two for plus one five five five zero one zero to friday at ten am',
        ),
      ),
    ).toEqual({
      name: 'reschedule_appointment',
      args: { id: '42', start: '2026-11-27T10:00:00+01:00', contact: '+1555010' },
    });
    expect(
      call(say(s, 'Reschedule appointment 7 for sam@example.com to Friday at 10 am.')),
    ).toEqual({
      name: 'reschedule_appointment',
      args: { id: '7', start: '2026-11-27T10:00:00+01:00', contact: 'sam@example.com' },
    });
    expect(call(say(s, 'list my appointments for alex at example dot com'))).toEqual({
      name: 'list_appointments',
      args: { contact: 'alex@example.com' },
    });
    expect(call(say(s, 'What services do you offer?'))).toEqual({
      name: 'list_services',
      args: {},
    });
  });

  it('guides incomplete requests instead of calling a tool', () => {
    expect(say(s, 'I want to book an appointment').responseId).toBe('booking-help');
    expect(say(s, 'cancel my appointment').responseId).toBe('cancel-help');
    expect(say(s, 'Hello!').reply.text).toMatch(/consultation.*basic.*premium/);
    expect(say(s, 'blah').responseId).toBe('fallback');
  });

  it('reads back a booking and relays a taken slot', () => {
    const booked = followUp(s, 'book_appointment', {
      id: 'A-1042',
      service: 'premium',
      start: '2026-11-22T15:00:00+01:00',
    });
    expect(booked.reply.text).toBe(
      "You're booked! Your appointment ID is A-1042, on Sunday, November 22 at 3:00 PM.",
    );
    const nested = followUp(s, 'book_appointment', {
      appointment: { id: 'B-1', start: '2026-11-22T16:00:00+01:00' },
    });
    expect(nested.reply.text).toContain('B-1, on Sunday, November 22 at 4:00 PM');
    const taken = followUp(s, 'book_appointment', { error: 'That time is already taken.' });
    expect(taken.responseId).toBe('tool-error');
    expect(taken.reply.text).toBe("Sorry, that didn't work. That time is already taken.");
    expect(followUp(s, 'book_appointment', 'Slot taken').reply.text).toBe(
      "Sorry, that didn't work. Slot taken",
    );
  });

  it('says sorry once when a time is taken, and offers the free times the tool gives', () => {
    const taken = followUp(s, 'reschedule_appointment', {
      error:
        'Wednesday, November 25 at 10:00 AM is already booked, so appointment 7 stays where it was. Free times nearest to it: 9:00 AM, 9:30 AM, 10:30 AM and 11:00 AM.',
    });
    expect(taken.reply.text).toBe(
      "Sorry, that didn't work. Wednesday, November 25 at 10:00 AM is already booked, so appointment 7 stays where it was. Free times nearest to it: 9:00 AM, 9:30 AM, 10:30 AM and 11:00 AM.",
    );
    // A tool whose error already apologises is relayed as it is, not "Sorry, … Sorry, …".
    const apology = followUp(s, 'book_appointment', {
      error: 'Sorry, Sunday, November 22 at 3:00 PM is already booked.',
    });
    expect(apology.responseId).toBe('tool-error-apology');
    expect(apology.reply.text).toBe('Sorry, Sunday, November 22 at 3:00 PM is already booked.');
    expect(followUp(s, 'book_appointment', "I'm sorry, that slot is taken").reply.text).toBe(
      "I'm sorry, that slot is taken",
    );
    for (const reply of [taken, apology])
      expect(reply.reply.text?.match(/\bsorry\b/gi)).toHaveLength(1);
    // A successful answer that happens to hold the word is still a booking.
    expect(
      followUp(s, 'book_appointment', {
        id: 3,
        start: '2026-11-22T15:00:00+01:00',
        name: 'Sorry Smith',
      }).responseId,
    ).toBe('booked');
  });

  it('reads back the other tools', () => {
    expect(
      followUp(s, 'check_availability', {
        date: '2026-11-23',
        slots: [
          '2026-11-23T09:00:00+01:00',
          '2026-11-23T13:30:00+01:00',
          '2026-11-23T16:00:00+01:00',
        ],
      }).reply.text,
    ).toBe(
      'Free times on Monday, November 23: 9:00 AM, 1:30 PM, 4:00 PM. Which one would you like?',
    );
    // A bare list of times reads the same way.
    expect(
      followUp(s, 'check_availability', ['2026-11-23T09:00:00+01:00', '2026-11-23T12:00:00+01:00'])
        .reply.text,
    ).toBe('Free times on that day: 9:00 AM, 12:00 PM. Which one would you like?');
    expect(followUp(s, 'check_availability', { date: '2026-11-23', slots: [] }).responseId).toBe(
      'no-slots',
    );
    expect(
      followUp(s, 'reschedule_appointment', { id: '42', start: '2026-11-27T10:00:00+01:00' }).reply
        .text,
    ).toBe('Done: appointment 42 is now on Friday, November 27 at 10:00 AM.');
    expect(followUp(s, 'cancel_appointment', { id: '42', status: 'cancelled' }).reply.text).toBe(
      'Appointment 42 is cancelled.',
    );
    expect(followUp(s, 'list_appointments', { appointments: [] }).responseId).toBe(
      'no-appointments',
    );
    expect(
      followUp(s, 'list_services', {
        services: [{ name: 'consultation' }, { name: 'basic' }, { name: 'premium' }],
      }).reply.text,
    ).toBe('We offer consultation, basic, premium. Would you like to book one?');
  });
});

describe('default scenario', () => {
  let s: LoadedScenario;
  beforeAll(async () => {
    s = await shipped('default');
  });

  it('greets, says goodbye and thanks', () => {
    expect(say(s, 'Hello!').responseId).toBe('greeting');
    expect(say(s, 'goodbye').reply.text).toBe('Goodbye! Have a great day.');
    expect(say(s, 'thank you').responseId).toBe('gratitude');
    expect(say(s, 'hi, my name is alex').reply.text).toBe(
      'Nice to meet you, Alex! How can I help?',
    );
  });

  it('answers questions about the time and its name', () => {
    expect(say(s, 'What time is it?').reply.text).toBe("It's 11:00 on Saturday, November 21.");
    expect(say(s, "what's your name").responseId).toBe('name');
    expect(say(s, 'why is the sky blue?').responseId).toBe('question');
  });

  it('calls get_weather with the city and reads back its output', () => {
    expect(call(say(s, "What's the weather in new york today?"))).toEqual({
      name: 'get_weather',
      args: { city: 'New York' },
    });
    expect(call(say(s, 'weather for paris'))).toEqual({
      name: 'get_weather',
      args: { city: 'Paris' },
    });
    expect(say(s, 'how is the weather').responseId).toBe('weather-needs-city');
    expect(followUp(s, 'get_weather', { summary: 'sunny, 18 °C' }).reply.text).toBe(
      "Here's the forecast: sunny, 18 °C",
    );
    expect(followUp(s, 'get_weather', 'Rain all day').reply.text).toBe(
      "Here's the forecast: Rain all day",
    );
    expect(followUp(s, 'get_weather', { error: 'unknown city' }).responseId).toBe('weather-error');
  });

  it('plays a tone and a shipped chime', () => {
    expect(say(s, 'play a tone').reply.audio).toEqual({
      kind: 'tone',
      frequency: 440,
      durationMs: 800,
    });
    const chime = say(s, 'Play the chime, please').reply.audio;
    expect(chime?.kind).toBe('wav');
    expect(chime?.kind === 'wav' && existsSync(chime.path)).toBe(true);
  });

  it('falls back for anything else, pointing at what it can answer', () => {
    const fallback = say(s, 'xyzzy');
    expect(fallback.responseId).toBe('fallback');
    expect(fallback.reply.text).toBe(
      "I'm not sure I understood. I'm the offline stand-in for a real model, so I only know a few things: ask me what I can do, how to book an appointment, how to write your own scenario, or how to use a real model.",
    );
    for (const text of [fallback.reply.text, say(s, 'why is the sky blue?').reply.text]) {
      expect(text).toMatch(/what I can do/);
      expect(text).toMatch(/book an appointment/);
      expect(text).toMatch(/your own scenario/);
      expect(text).toMatch(/real model/);
    }
  });

  /** Questions a newcomer asks first, typed, with the response that should answer each. */
  const firstQuestions: Array<[string, string]> = [
    ['What can you do?', 'help'],
    ['help', 'help'],
    ['What else can you do?', 'help'],
    ['How do I book an appointment?', 'appointments'],
    ['What services do you offer?', 'appointments'],
    ['Book a premium appointment tomorrow at 3 pm for Alex, alex@example.com', 'appointments'],
    ['How do I write my own scenario?', 'custom-scenario'],
    ['Can I make a custom scenario?', 'custom-scenario'],
    ['How do I use a real model?', 'real-model'],
    ['Can I use OpenAI?', 'real-model'],
    ['Where do I put my API key?', 'real-model'],
    ['What is this?', 'about'],
    ['Are you a real person?', 'about'],
    ['Tell me a joke', 'joke'],
    ['How do I quit?', 'quit'],
    ["What's today's date?", 'time'],
  ];

  it.each(firstQuestions)('answers %j with %s', (question, id) => {
    expect(say(s, question).responseId).toBe(id);
  });

  it('says how to reach the desk, write a scenario and use a real model', () => {
    const desk = say(s, 'how do I book an appointment').reply.text;
    expect(desk).toContain('npm start -- --assistant-id scheduler');
    expect(desk).toContain('what services do you offer?');
    expect(desk).toContain(
      'book a premium appointment tomorrow at 3 pm for Alex, alex@example.com',
    );
    const scenario = say(s, 'how do I write my own scenario').reply.text;
    expect(scenario).toContain('npm start -- --scenario my-scenario.yaml');
    expect(scenario).toMatch(/responses.*when.*keywords or patterns.*reply.*text/);
    const model = say(s, 'how do I use a real model').reply.text;
    expect(model).toContain('OPENAI_API_KEY');
    expect(model).toContain('.env');
    const help = say(s, 'what can you do').reply.text;
    for (const offer of ['time', 'date', 'tone', 'chime', 'name', 'appointment', 'scenario'])
      expect(help).toContain(offer);
  });

  it('offers the weather in no reply but the weather responses themselves', () => {
    const { responses = [], fallback } = s.definition;
    const texts = [
      ...responses
        .filter((r) => !r.id?.startsWith('weather'))
        .flatMap((r) => [r.reply, ...(r.replies ?? [])]),
      fallback?.reply,
    ].flatMap((reply) => (reply?.text === undefined ? [] : [reply.text]));
    expect(texts.length).toBeGreaterThan(15);
    for (const text of texts) expect(text).not.toMatch(/weather|forecast/i);
  });

  it('answers a weather question in text when the response offers no get_weather tool', () => {
    for (const question of ["What's the weather in Paris?", 'how is the weather', 'forecast']) {
      const selection = selectReply(s, { ...base, text: question, toolNames: [] });
      expect(selection.responseId).toBe('weather-unavailable');
      expect(selection.reply.functionCalls).toEqual([]);
      expect(selection.reply.text).toMatch(/^I can't check the weather here/);
    }
    const other = selectReply(s, { ...base, text: 'weather in Rome', toolNames: ['book'] });
    expect(other.responseId).toBe('weather-unavailable');
    const offered = selectReply(s, {
      ...base,
      text: 'weather in Rome',
      toolNames: ['get_weather'],
    });
    expect(call(offered)).toEqual({ name: 'get_weather', args: { city: 'Rome' } });
    expect(offered.reasons).toContain('tool get_weather offered');
    expect(
      selectReply(s, { ...base, text: 'how is the weather', toolNames: ['get_weather'] })
        .responseId,
    ).toBe('weather-needs-city');
  });

  /** The same questions as the recogniser writes them: only what the grammar holds can be heard. */
  const spoken: Array<[string, string]> = [
    ['what can you do', 'help'],
    ['what else can you do', 'help'],
    ['how do i book an appointment', 'appointments'],
    ['how do i talk to the appointment desk', 'appointments'],
    ['what services do you offer', 'appointments'],
    ['how do i write my own scenario', 'custom-scenario'],
    ['how can i make a custom scenario', 'custom-scenario'],
    ['how do i use a real model', 'real-model'],
    ['how do i connect to open ai', 'real-model'],
    ['how do i set my api key', 'real-model'],
    ['what is this', 'about'],
    ['are you a real person', 'about'],
    ['tell me a joke', 'joke'],
    ['how do i quit', 'quit'],
    ["what is today's date", 'time'],
    ['tell me the time', 'time'],
    ['what is your name', 'name'],
    ['my name is alex', 'introduction'],
    ['play a tone', 'tone'],
  ];

  it.each(spoken)('can hear %j and answers it with %s', (utterance, id) => {
    expect(s.grammar.some((entry) => grammarAccepts(entry, utterance))).toBe(true);
    expect(say(s, utterance).responseId).toBe(id);
  });
});

describe('default scenario over the engine, as the CLI uses it (no tools)', () => {
  let engine: LocalRealtimeHandle;
  let client: SessionClient;

  beforeAll(async () => {
    engine = await startLocalRealtime({ scenario: 'default' });
  });

  afterAll(async () => {
    await engine.close();
  });

  afterEach(async () => {
    await client.close();
  });

  async function session(tools: Json[]): Promise<void> {
    client = await openSession(engine);
    await client.expectNext('session.created');
    client.send({
      type: 'session.update',
      session: { type: 'realtime', output_modalities: ['text'], tools },
    });
    await client.expectNext('session.updated');
  }

  function outputTypes(events: Json[]): string[] {
    return ((eventOf(events, 'response.done').response as Json).output as Json[]).map((item) =>
      String(item.type),
    );
  }

  it('answers a weather question with a message, not a call nobody answers', async () => {
    await session([]);
    const events = await textTurn(client, "What's the weather in Paris?");
    expect(outputTypes(events)).toEqual(['message']);
    expect(joinDeltas(events, 'response.output_text.delta')).toMatch(
      /^I can't check the weather here/,
    );
  });

  it('still calls get_weather when the session offers it', async () => {
    await session([
      {
        type: 'function',
        name: 'get_weather',
        description: 'The weather in a city.',
        parameters: { type: 'object', properties: { city: { type: 'string' } } },
      },
    ]);
    const events = await textTurn(client, "What's the weather in Paris?");
    expect(outputTypes(events)).toEqual(['function_call']);
  });
});

/** Whether a compiled grammar entry (an expression, rules inlined) accepts exactly the words of `utterance`. */
function grammarAccepts(entry: string, utterance: string): boolean {
  const parsed = parseGrammarExpression(entry);
  if (!parsed.ok) return false;
  const words = utterance.toLowerCase().split(/\s+/).filter(Boolean);
  const ends = (node: GrammarNode, from: number): Set<number> => {
    switch (node.kind) {
      case 'word': {
        const parts = node.text.toLowerCase().split(/\s+/).filter(Boolean);
        return parts.every((part, i) => words[from + i] === part)
          ? new Set([from + parts.length])
          : new Set();
      }
      case 'rule':
        return new Set();
      case 'sequence':
        return node.items.reduce(
          (at, item) => new Set([...at].flatMap((p) => [...ends(item, p)])),
          new Set([from]),
        );
      case 'alternatives':
        return new Set(node.options.flatMap((option) => [...ends(option, from)]));
      case 'optional':
        return new Set([from, ...ends(node.body, from)]);
      case 'repeat': {
        const out = new Set<number>(node.min === 0 ? [from] : []);
        let frontier = [...ends(node.body, from)];
        while (frontier.length > 0) {
          const fresh = frontier.filter((p) => !out.has(p));
          for (const p of fresh) out.add(p);
          frontier = fresh.flatMap((p) => [...ends(node.body, p)]);
        }
        return out;
      }
    }
  };
  return ends(parsed.node, 0).has(words.length);
}
