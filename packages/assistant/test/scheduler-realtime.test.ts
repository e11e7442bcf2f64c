import { OpenAIRealtimeWebSocket, RealtimeAgent, RealtimeSession } from '@openai/agents-realtime';
import { startLocalRealtime } from '@realtime-assistant/engine/testing';
import type { LocalRealtimeHandle } from '@realtime-assistant/engine/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toRealtimeTool, toRealtimeTools } from '../src/scheduler/realtime-tools.js';
import { DESK_NOW, DESK_ZONE, openTestDesk } from './helpers/scheduler-desk.js';
import type { TestDesk } from './helpers/scheduler-desk.js';

let desk: TestDesk;
let engine: LocalRealtimeHandle | null = null;
let session: RealtimeSession | null = null;

beforeEach(async () => {
  desk = await openTestDesk();
});

afterEach(async () => {
  session?.close();
  session = null;
  await engine?.close();
  engine = null;
  await desk.close();
});

function toolNamed(name: string): ReturnType<typeof toRealtimeTool> {
  const definition = desk.tools.find((t) => t.name === name);
  if (!definition) throw new Error(`no tool ${name}`);
  return toRealtimeTool(definition);
}

/** Calls an SDK function tool the way the SDK does: the raw argument text, and the call in `details`. */
async function sdkInvoke(name: string, argumentsText: string): Promise<unknown> {
  const sdkTool = toolNamed(name);
  if (sdkTool.type !== 'function') throw new Error('not a function tool');
  const toolCall = {
    type: 'function_call' as const,
    callId: 'call_1',
    name,
    arguments: argumentsText,
  };
  // The tool only hands the run context on to `execute`, which ignores it.
  const output: unknown = await sdkTool.invoke({} as never, argumentsText, { toolCall });
  return JSON.parse(String(output));
}

describe('scheduler tools as @openai/agents-realtime tools', () => {
  it('are non-strict function tools carrying our JSON schema', () => {
    const sdkTools = toRealtimeTools(desk.tools);
    expect(sdkTools.map((t) => t.name)).toEqual(desk.tools.map((t) => t.name));
    const book = toolNamed('book_appointment');
    expect(book).toMatchObject({
      type: 'function',
      strict: false,
      description: desk.tools[2]!.description,
      parameters: {
        type: 'object',
        required: ['name', 'contact', 'service', 'start'],
        additionalProperties: true,
        properties: desk.tools[2]!.jsonSchema.properties,
      },
    });
  });

  it('answer invalid arguments with our sentence, not the SDK’s generic error', async () => {
    expect(await sdkInvoke('check_availability', '{"date":"2026-11-24","service":"gold"}')).toEqual(
      {
        error:
          'We don\'t offer "gold". Our services are consultation (30 min), basic (60 min) and premium (90 min).',
      },
    );
    // Text the SDK's own JSON.parse rejects still reaches our invoke, through the tool's error function.
    expect(await sdkInvoke('cancel_appointment', '{"id": 4')).toEqual({
      error:
        'The arguments for cancel_appointment must be a JSON object, for example {"id":42,"contact":"alex@example.com"}.',
    });
    expect(await sdkInvoke('list_services', '{}')).toMatchObject({
      services: [{ name: 'consultation' }, { name: 'basic' }, { name: 'premium' }],
    });
  });
});

/** The assistant's texts so far. */
function assistantTexts(s: RealtimeSession): string[] {
  return s.history.flatMap((item) =>
    item.type === 'message' && item.role === 'assistant'
      ? item.content.flatMap((part) => (part.type === 'output_text' ? [part.text] : []))
      : [],
  );
}

/** Sends a typed message and resolves with the first new assistant text matching `expected`. */
function reply(s: RealtimeSession, text: string, expected: RegExp): Promise<string> {
  const before = assistantTexts(s).length;
  return new Promise((resolve) => {
    const check = (): void => {
      const found = assistantTexts(s)
        .slice(before)
        .find((t) => expected.test(t));
      if (found === undefined) return;
      s.off('history_updated', check);
      resolve(found);
    };
    s.on('history_updated', check);
    s.sendMessage(text);
  });
}

describe('the scheduler scenario driving the tools through a RealtimeSession', () => {
  it('books, lists, moves and cancels an appointment, and relays a validation error', async () => {
    engine = await startLocalRealtime({
      scenario: 'scheduler',
      now: () => DESK_NOW,
      timeZone: DESK_ZONE,
    });
    const agent = new RealtimeAgent({
      name: 'Desk',
      instructions: 'Use the scheduler tools.',
      tools: toRealtimeTools(desk.tools),
    });
    session = new RealtimeSession(agent, {
      transport: new OpenAIRealtimeWebSocket({ url: `${engine.url}?model=gpt-realtime` }),
      model: 'gpt-realtime',
      config: { outputModalities: ['text'] },
    });
    const errors: unknown[] = [];
    session.on('error', (e) => errors.push(e));
    const toolRuns: string[] = [];
    session.on('agent_tool_end', (_context, _agent, tool, result) =>
      toolRuns.push(`${tool.name} → ${result}`),
    );
    const updated = new Promise<void>((resolve) =>
      session!.on('transport_event', (event) => {
        if (event.type === 'session.updated') resolve();
      }),
    );
    await session.connect({ apiKey: 'sk-local-test' });
    await updated;

    // Monday 23 November 2026, 10:00 in Berlin: "tomorrow" is Tuesday the 24th.
    const booked = await reply(
      session,
      'book a premium appointment tomorrow at 3 pm for Alex, alex@example.com',
      /booked/,
    );
    const [stored] = await desk.storage.appointments.listByContact('alex@example.com');
    expect(stored).toMatchObject({ name: 'Alex', service: 'premium', status: 'booked' });
    expect(stored!.start).toEqual(new Date('2026-11-24T14:00:00Z'));
    expect(booked).toBe(
      `You're booked! Your appointment ID is ${stored!.id}, on Tuesday, November 24 at 3:00 PM.`,
    );
    expect(toolRuns[0]).toMatch(/^book_appointment → \{"id":\d+,"service":"premium"/);
    // A successful answer whose data holds an error-like word ("Unknown") still reads as a booking.
    expect(
      await reply(
        session,
        'book a basic appointment tomorrow at 10 am for Connie Unknown, connie@example.com',
        /booked|Sorry/,
      ),
    ).toMatch(/^You're booked! Your appointment ID is \d+, on Tuesday, November 24 at 10:00 AM\.$/);

    expect(await reply(session, 'list my appointments for alex@example.com', /appointments/)).toBe(
      `Here are your appointments: appointment ${stored!.id}, premium on Tuesday, November 24 at 3:00 PM.`,
    );

    expect(
      await reply(
        session,
        `reschedule appointment ${stored!.id} for alex@example.com to wednesday at 10 am`,
        /now on/,
      ),
    ).toBe(`Done: appointment ${stored!.id} is now on Wednesday, November 25 at 10:00 AM.`);
    expect((await desk.storage.appointments.get(stored!.id))?.start).toEqual(
      new Date('2026-11-25T09:00:00Z'),
    );

    expect(
      await reply(session, "what's available on tomorrowish for a premium appointment", /Sorry/),
    ).toBe(
      'Sorry, that didn\'t work. "tomorrowish" isn\'t a date I can read. Please give the date as YYYY-MM-DD, for example 2026-11-24.',
    );
    expect(
      await reply(
        session,
        'book a basic appointment sunday at 11 am for Sam, sam@example.com',
        /Sorry/,
      ),
    ).toMatch(
      /^Sorry, that didn't work\. We're closed on Sundays\. Our hours are Mon–Fri 9:00 AM–5:00 PM/,
    );

    // Alex's premium appointment holds Wednesday 10:00–11:30 AM. A taken time: one "Sorry", and the free
    // times nearest the one asked for (a one-hour basic fits at 9:00 and from 11:30).
    const taken = await reply(
      session,
      'book a basic appointment wednesday at 10:30 am for Sam, sam@example.com',
      /Sorry/,
    );
    expect(taken).toBe(
      "Sorry, that didn't work. Wednesday, November 25 at 10:30 AM is already booked. Free times nearest to it: 9:00 AM, 11:30 AM, 12:00 PM and 12:30 PM.",
    );
    expect(taken.match(/sorry/gi)).toHaveLength(1);
    // Availability reads its times as the rest of the desk does.
    expect(
      await reply(
        session,
        "what's available on wednesday for a premium appointment?",
        /^Free times on/,
      ),
    ).toBe(
      'Free times on Wednesday, November 25: 11:30 AM, 12:00 PM, 12:30 PM, 1:00 PM, 1:30 PM, 2:00 PM, 2:30 PM, 3:00 PM, 3:30 PM. Which one would you like?',
    );

    // Changing an appointment takes the contact it was booked with: asked for when missing, refused when wrong.
    expect(await reply(session, `cancel appointment ${stored!.id}`, /Sorry/)).toMatch(
      /^Sorry, that didn't work\. Please give an email address like alex@example\.com/,
    );
    expect(
      await reply(session, `cancel appointment ${stored!.id} for sam@example.com`, /Sorry/),
    ).toBe(
      `Sorry, that didn't work. I couldn't find appointment ${stored!.id} booked under that email address or phone number. Please check both.`,
    );
    expect((await desk.storage.appointments.get(stored!.id))?.status).toBe('booked');
    expect(
      await reply(session, `cancel appointment ${stored!.id} for alex@example.com`, /cancelled/),
    ).toBe(`Appointment ${stored!.id} is cancelled.`);
    expect((await desk.storage.appointments.get(stored!.id))?.status).toBe('cancelled');

    // What the engine received as the tools' outputs: our JSON, errors included.
    const outputs = engine.sessions()[0]!.received.flatMap((e) => {
      const item = e.item as { type?: string; output?: string } | undefined;
      return e.type === 'conversation.item.create' && item?.type === 'function_call_output'
        ? [JSON.parse(item.output ?? 'null') as Record<string, unknown>]
        : [];
    });
    expect(outputs).toHaveLength(11);
    expect(outputs[4]).toEqual({
      error:
        '"tomorrowish" isn\'t a date I can read. Please give the date as YYYY-MM-DD, for example 2026-11-24.',
    });
    // The tool states the fact; the scenario's reply is the one that apologises.
    expect(outputs[6]).toEqual({
      error:
        'Wednesday, November 25 at 10:30 AM is already booked. Free times nearest to it: 9:00 AM, 11:30 AM, 12:00 PM and 12:30 PM.',
    });
    // Machines still get ISO times with the desk's offset.
    expect(outputs[7]).toMatchObject({
      date: '2026-11-25',
      service: 'premium',
      slots: expect.arrayContaining([
        '2026-11-25T11:30:00+01:00',
        '2026-11-25T15:30:00+01:00',
      ]) as unknown,
    });
    expect(errors).toEqual([]);
  });
});
