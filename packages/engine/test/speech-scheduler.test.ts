/**
 * Spoken requests to the appointment desk, offline: Flite speaks each request, the test streams it in as a
 * microphone would, pocketsphinx recognises it with the scheduler scenario's structured grammar, and the scenario
 * turns the recognised words into the tool call, its arguments read from the spoken forms (numbers and emails
 * spelt out, dates relative to the injected clock and zone).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRealtime } from '../src/testing/index.js';
import type { LocalRealtimeHandle } from '../src/testing/index.js';
import { eventOf, openSession } from './helpers/session-client.js';
import { stream, utterance, useSpeechFixture } from './helpers/utterance.js';
import type { Json } from './helpers/ws-client.js';

const fixture = useSpeechFixture();
let engine: LocalRealtimeHandle;

beforeAll(async () => {
  engine = await startLocalRealtime({
    scenario: 'scheduler',
    // Monday 23 November 2026, 09:00 in Berlin.
    now: () => new Date('2026-11-23T08:00:00Z'),
    timeZone: 'Europe/Berlin',
  });
});

afterAll(async () => {
  await engine.close();
});

/** The desk's tools, as a client offers them (the scenario calls only tools the session offers). */
const TOOLS = [
  'list_services',
  'check_availability',
  'book_appointment',
  'reschedule_appointment',
  'cancel_appointment',
  'list_appointments',
].map((name) => ({
  type: 'function',
  name,
  description: name.replaceAll('_', ' '),
  parameters: { type: 'object', properties: {} },
}));

interface Heard {
  transcript: string;
  calls: Array<{ name: string; arguments: Json }>;
  text: string;
}

/** Speaks `request` into a new session and returns what was recognised and how the desk answered. */
async function say(request: string): Promise<Heard> {
  const c = await openSession(engine);
  fixture.client = c;
  await c.expectNext('session.created');
  c.send({
    type: 'session.update',
    session: {
      type: 'realtime',
      output_modalities: ['text'],
      tools: TOOLS,
      audio: { input: { transcription: { model: 'gpt-4o-transcribe' } } },
    },
  });
  await c.expectNext('session.updated');
  stream(c, (await utterance(fixture.tts, request)).pcm);
  const events = await c.until('response.done');
  const completed =
    events.find((e) => e.type === 'conversation.item.input_audio_transcription.completed') ??
    (await c.until('conversation.item.input_audio_transcription.completed')).at(-1)!;
  const calls = events
    .filter((e) => e.type === 'response.function_call_arguments.done')
    .map((e) => ({ name: String(e.name), arguments: JSON.parse(String(e.arguments)) as Json }));
  const text = events
    .filter((e) => e.type === 'response.output_text.delta')
    .map((e) => e.delta)
    .join('');
  expect(eventOf(events, 'response.done').response).toMatchObject({ status: 'completed' });
  await c.close();
  fixture.client = null;
  return { transcript: String(completed.transcript), calls, text };
}

describe('spoken requests to the scheduler scenario', () => {
  it('books from a spoken request, with the service, time, name and spelt-out email as arguments', async () => {
    const request =
      'book a premium appointment on wednesday at three pm for alex alex at example dot com';
    const heard = await say(request);
    expect(heard.transcript).toBe(request);
    expect(heard.calls).toEqual([
      {
        name: 'book_appointment',
        arguments: {
          name: 'Alex',
          contact: 'alex@example.com',
          service: 'premium',
          start: '2026-11-25T15:00:00+01:00',
        },
      },
    ]);
  });

  it('books with the other phrasing, a relative day, minutes and a spoken phone number', async () => {
    const request =
      'book an appointment for a consultation tomorrow at nine thirty am for maria five five five one two three four';
    const heard = await say(request);
    expect(heard.transcript).toBe(request);
    expect(heard.calls).toEqual([
      {
        name: 'book_appointment',
        arguments: {
          name: 'Maria',
          contact: '5551234',
          service: 'consultation',
          start: '2026-11-24T09:30:00+01:00',
        },
      },
    ]);
  });

  it('reschedules a spoken appointment number, for a spoken email, to a spoken day and time', async () => {
    const request = 'reschedule appointment one for sam at gmail dot com to friday at ten am';
    const heard = await say(request);
    expect(heard.transcript).toBe(request);
    expect(heard.calls).toEqual([
      {
        name: 'reschedule_appointment',
        arguments: { id: '1', start: '2026-11-27T10:00:00+01:00', contact: 'sam@gmail.com' },
      },
    ]);
  });

  it('cancels a spoken two-word appointment number, with or without the contact', async () => {
    const request = 'cancel my appointment forty two for alex at example dot com please';
    const heard = await say(request);
    expect(heard.transcript).toBe(request);
    expect(heard.calls).toEqual([
      { name: 'cancel_appointment', arguments: { id: '42', contact: 'alex@example.com' } },
    ]);
    // Without it the call goes out without a contact, and the desk's tool asks for it.
    const bare = await say('cancel my appointment forty two please');
    expect(bare.calls).toEqual([{ name: 'cancel_appointment', arguments: { id: '42' } }]);
  });

  it('lists appointments for a spoken email and lists the services', async () => {
    const list = await say('list my appointments for sam at gmail dot com');
    expect(list.transcript).toBe('list my appointments for sam at gmail dot com');
    expect(list.calls).toEqual([
      { name: 'list_appointments', arguments: { contact: 'sam@gmail.com' } },
    ]);
    const services = await say('what services do you offer');
    expect(services.transcript).toBe('what services do you offer');
    expect(services.calls).toEqual([{ name: 'list_services', arguments: {} }]);
  });

  it('checks availability for a spoken day and service', async () => {
    const request = 'what is available on thursday for a basic appointment';
    const heard = await say(request);
    expect(heard.transcript).toBe(request);
    expect(heard.calls).toEqual([
      { name: 'check_availability', arguments: { date: '2026-11-26', service: 'basic' } },
    ]);
  });

  it('answers a spoken greeting and goodbye from the intent cues in the grammar', async () => {
    const hello = await say('hello there');
    expect(hello.transcript).toBe('hello there');
    expect(hello.calls).toEqual([]);
    expect(hello.text).toMatch(/^Hello, this is the appointment desk!/);
    const bye = await say('goodbye');
    expect(bye.transcript).toBe('goodbye');
    expect(bye.text).toBe('Goodbye, and see you soon!');
  });
});
