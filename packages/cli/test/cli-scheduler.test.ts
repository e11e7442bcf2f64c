import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStorage } from '@realtime-assistant/assistant';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import { fakeIo } from './helpers/fake-io.js';
import type { FakeIo } from './helpers/fake-io.js';

type AppEvent = { event: string } & Record<string, unknown>;

/** The CLI in text mode with --json: send a line, read the assistant's next final transcript. */
function driver(io: FakeIo): { say(line: string): Promise<string>; events(): AppEvent[] } {
  let seen = 0;
  const events = (): AppEvent[] =>
    io
      .out()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as AppEvent);
  const nextReply = (): Promise<string> =>
    new Promise((resolve) => {
      const check = (): void => {
        const finals = events().filter(
          (e) => e.event === 'transcript_final' && e.speaker === 'assistant',
        );
        if (finals.length <= seen) return;
        const reply = finals[seen++] as AppEvent;
        io.stdout.off('data', check);
        resolve(String(reply.text));
      };
      io.stdout.on('data', check);
      check();
    });
  return {
    events,
    say(line) {
      const reply = nextReply();
      io.stdin.write(`${line}\n`);
      return reply;
    },
  };
}

/** "Wednesday, December 23" for a YYYY-MM-DD day, as the desk says it. */
function spokenDay(date: string): string {
  return new Intl.DateTimeFormat('en-US', {
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${date}T00:00:00Z`));
}

/** A weekday two to three weeks ahead (inside the booking horizon, never today), as YYYY-MM-DD in Berlin. */
function futureWednesday(): string {
  const day = new Date(Date.now() + 14 * 86_400_000);
  while (day.getUTCDay() !== 3) day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

describe('realtime-assistant chat --assistant-id scheduler', () => {
  it('books, lists, reschedules and cancels through the tools against the engine, and the database and history keep it', async () => {
    const env = { DESK_TIME_ZONE: 'Europe/Berlin' };
    const io = fakeIo(env);
    const date = futureWednesday();
    const done = main(['--text', '--json', '--assistant-id', 'scheduler'], io);
    const chat = driver(io);

    const booked = await chat.say(
      `book a premium appointment on ${date} at 3 pm for Alex Smith, alex@example.com`,
    );
    const id = /appointment ID is (\d+)/.exec(booked)?.[1];
    expect(booked, booked).toMatch(/You're booked!/);
    expect(id).toBeDefined();

    const listed = await chat.say('list my appointments for alex@example.com');
    expect(listed).toContain(`${id}`);
    expect(listed.toLowerCase()).toContain('premium');

    const taken = await chat.say(
      `book a basic appointment on ${date} at 3:30 pm for Sam Lee, sam@example.com`,
    );
    // Alex's premium holds 3:00–4:30 PM: one "Sorry", then the free one-hour starts nearest 3:30 PM.
    expect(taken).toBe(
      `Sorry, that didn't work. ${spokenDay(date)} at 3:30 PM is already booked. Free times nearest to it: 12:30 PM, 1:00 PM, 1:30 PM and 2:00 PM.`,
    );

    const available = await chat.say(`what's available on ${date} for a premium appointment?`);
    expect(available).toBe(
      `Free times on ${spokenDay(date)}: 9:00 AM, 9:30 AM, 10:00 AM, 10:30 AM, 11:00 AM, 11:30 AM, 12:00 PM, 12:30 PM, 1:00 PM, 1:30 PM. Which one would you like?`,
    );

    const moved = await chat.say(
      `reschedule appointment ${id} for alex@example.com to ${date} at 10 am`,
    );
    expect(moved).toMatch(new RegExp(`appointment ${id} is now on .*10:00`, 'i'));

    const free = await chat.say(
      `book a basic appointment on ${date} at 3:30 pm for Sam Lee, sam@example.com`,
    );
    expect(free).toMatch(/You're booked!/);

    // Someone else's contact changes nothing: the desk says it found no such appointment.
    const refused = await chat.say(`cancel appointment ${id} for sam@example.com`);
    expect(refused).toMatch(new RegExp(`couldn't find appointment ${id} booked under that`));
    const cancelled = await chat.say(`cancel appointment ${id} for alex@example.com`);
    expect(cancelled).toBe(`Appointment ${id} is cancelled.`);

    io.stdin.end();
    expect(await done).toBe(0);

    const toolNames = chat
      .events()
      .filter((e) => e.event === 'tool_result')
      .map((e) => e.name);
    expect(toolNames).toEqual([
      'book_appointment',
      'list_appointments',
      'book_appointment',
      'check_availability',
      'reschedule_appointment',
      'book_appointment',
      'cancel_appointment',
      'cancel_appointment',
    ]);

    // The database: Alex's appointment moved to 10:00 Berlin and cancelled; Sam's at 15:30 booked.
    const storage = await openStorage({ dataDir: join(io.cwd, 'data') });
    try {
      const alex = await storage.appointments.get(Number(id));
      expect(alex).toMatchObject({ status: 'cancelled', service: 'premium', name: 'Alex Smith' });
      expect(alex?.start.toISOString()).toBe(berlinToUtc(date, '10:00'));
      const sam = await storage.appointments.listByContact('sam@example.com');
      expect(sam.map((a) => [a.service, a.start.toISOString()])).toEqual([
        ['basic', berlinToUtc(date, '15:30')],
      ]);
      expect(await storage.appointments.listByContact('alex@example.com')).toEqual([]);
    } finally {
      await storage.close();
    }

    // The history: the conversation, its turns and its tool calls.
    const list = fakeIo(env, io.cwd);
    expect(await main(['history'], list)).toBe(0);
    const row = list.out().split('\n')[1] ?? '';
    expect(row).toMatch(/^[0-9a-f]{8} .* scheduler +embedded$/);
    const prefix = row.slice(0, 8);

    const show = fakeIo(env, io.cwd);
    expect(await main(['history', 'show', prefix], show)).toBe(0);
    expect(show.out()).toContain(`You: book a premium appointment on ${date} at 3 pm`);
    expect(show.out()).toContain(`Assistant: Appointment ${id} is cancelled.`);
    expect(show.out()).toMatch(
      /Tool: book_appointment\(.*"contact":"alex@example.com".*\) → .*"id":/,
    );

    const exported = fakeIo(env, io.cwd);
    expect(
      await main(
        ['history', 'export', prefix, '--format', 'json', '--output', 'conv.json'],
        exported,
      ),
    ).toBe(0);
    const json = JSON.parse(readFileSync(join(io.cwd, 'conv.json'), 'utf8')) as {
      assistant: string;
      items: { speaker: string; text: string; position: number }[];
    };
    expect(json.assistant).toBe('scheduler');
    const spoken = json.items.filter((i) => i.speaker !== 'tool');
    expect(spoken).toHaveLength(16);
    expect(spoken.map((i) => i.speaker)).toEqual(
      Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? 'user' : 'assistant')),
    );
    expect(json.items.map((i) => i.position)).toEqual(json.items.map((_, i) => i));
    expect(json.items.filter((i) => i.speaker === 'tool')).toHaveLength(8);

    const md = fakeIo(env, io.cwd);
    expect(await main(['history', 'export', prefix, '--format', 'md'], md)).toBe(0);
    expect(md.out()).toMatch(/^# Conversation [0-9a-f-]{36}\n/);
    expect(md.out()).toContain('- Assistant: scheduler');
    // About 16 s of conversation on an idle machine: room for a loaded one.
  }, 90_000);

  it('opens the conversation with --greet, even with no input at all', async () => {
    const io = fakeIo();
    const done = main(['--text', '--json', '--assistant-id', 'scheduler', '--greet'], io);
    io.stdin.end();
    expect(await done).toBe(0);
    const finals = driver(io)
      .events()
      .filter((e) => e.event === 'transcript_final');
    expect(finals.map((e) => [e.speaker, e.text])).toEqual([
      ['assistant', expect.stringMatching(/^Hello, this is the appointment desk!/)],
    ]);
  });

  it('refuses an unknown local assistant with exit code 2 and names the ones there are', async () => {
    const io = fakeIo();
    expect(await main(['--text', '--assistant-id', 'plumber'], io)).toBe(2);
    expect(io.err()).toContain('no local assistant "plumber"');
    expect(io.err()).toContain('default, scheduler');
  });
});

describe('realtime-assistant history', () => {
  it('says so when there are no conversations, and explains a bad id, command or flag', async () => {
    const io = fakeIo();
    expect(await main(['history'], io)).toBe(0);
    expect(io.out()).toBe('No conversations yet.\n');

    const missing = fakeIo({}, io.cwd);
    expect(await main(['history', 'show', 'abc'], missing)).toBe(1);
    expect(missing.err()).toContain('no conversation "abc"');

    const badCommand = fakeIo();
    expect(await main(['history', 'delete', 'abc'], badCommand)).toBe(2);
    expect(badCommand.err()).toContain('unknown history command "delete"');

    const badFormat = fakeIo();
    expect(await main(['history', 'export', 'abc', '--format', 'pdf'], badFormat)).toBe(2);
    expect(badFormat.err()).toContain('--format: "pdf" is not json or md.');

    const badLimit = fakeIo();
    expect(await main(['history', '--limit', '-3'], badLimit)).toBe(2);

    const noId = fakeIo();
    expect(await main(['history', 'show'], noId)).toBe(2);
    expect(noId.err()).toContain('history show needs a conversation id.');
  });
});

/** `YYYY-MM-DD` + `HH:mm` on a Berlin wall clock → ISO UTC (CET in winter, CEST in summer). */
function berlinToUtc(date: string, time: string): string {
  for (const offset of ['+01:00', '+02:00']) {
    const instant = new Date(`${date}T${time}:00${offset}`);
    const wall = new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'Europe/Berlin',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(instant);
    if (wall === time) return instant.toISOString();
  }
  throw new Error(`no Berlin offset for ${date} ${time}`);
}
