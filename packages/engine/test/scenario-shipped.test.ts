import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LoadedScenario, Selection, SelectionInput } from '../src/scenario/index.js';
import { resolveScenario, selectReply } from '../src/scenario/index.js';

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

  it('reads back the other tools', () => {
    expect(
      followUp(s, 'check_availability', {
        date: '2026-11-23',
        slots: ['2026-11-23T09:00:00+01:00'],
      }).reply.text,
    ).toBe('Free times on Monday, November 23: 09:00. Which one would you like?');
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

  it('falls back for anything else', () => {
    expect(say(s, 'xyzzy').reply.text).toBe(
      "I'm not sure I understood. Could you say that another way?",
    );
  });
});
