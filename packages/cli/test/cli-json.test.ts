import { describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import { fakeIo } from './helpers/fake-io.js';

describe('realtime-assistant --json', () => {
  it('prints every app event as one JSON object a line on stdout, and the screen text on stderr', async () => {
    const io = fakeIo();
    const done = main(['--text', '--json'], io);
    io.stdin.end('hello\n');
    expect(await done).toBe(0);
    const lines = io.out().trim().split('\n');
    const events = lines.map(
      (line) => JSON.parse(line) as { event: string } & Record<string, unknown>,
    );
    const names = events.map((e) => e.event);
    expect(names[0]).toBe('connection_changed');
    expect(names).toContain('session_started');
    expect(names).toContain('turn_changed');
    expect(names).toContain('transcript_delta');
    expect(names).toContain('usage_updated');
    const finals = events.filter((e) => e.event === 'transcript_final');
    expect(finals.map((e) => [e.speaker, e.text])).toEqual([
      ['user', 'hello'],
      ['assistant', expect.stringMatching(/^(Hello|Hi there)!/)],
    ]);
    for (const e of events) expect(typeof e.time).toBe('string');
    expect(io.err()).toContain('embedded LocalRealtime engine');
    expect(io.err()).toContain('You: hello');
  });

  it('ends on a signal with exit code 0', async () => {
    const io = fakeIo();
    const done = main(['--text', '--json'], io);
    const started = new Promise<void>((resolve) => {
      const check = (): void => {
        if (io.out().includes('"session_started"')) resolve();
      };
      io.stdout.on('data', check);
    });
    await started;
    io.signal('SIGTERM');
    expect(await done).toBe(0);
    expect(io.out()).toContain('"status":"disconnected"');
  });

  it('lets the assistant speak first with --greet', async () => {
    const io = fakeIo();
    const done = main(['--text', '--json', '--greet'], io);
    const answered = new Promise<void>((resolve) => {
      io.stdout.on('data', () => {
        if (io.out().includes('"event":"transcript_final"')) resolve();
      });
    });
    await answered;
    io.stdin.end();
    expect(await done).toBe(0);
    const finals = io
      .out()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { event: string; speaker?: string })
      .filter((e) => e.event === 'transcript_final');
    expect(finals.map((e) => e.speaker)).toEqual(['assistant']);
  });

  it('answers every message piped in, one reply each and in the order sent, then leaves at the end of input', async () => {
    const io = fakeIo();
    const done = main(['--text', '--json'], io);
    io.stdin.end('hello there\nwhat is your name?\nwhat time is it?\n');
    expect(await done).toBe(0);
    const events = io
      .out()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { event: string } & Record<string, unknown>);
    const finals = events.filter((e) => e.event === 'transcript_final');
    expect(finals.map((e) => [e.speaker, e.text])).toEqual([
      ['user', 'hello there'],
      ['assistant', expect.stringMatching(/^(Hello|Hi there)!/)],
      ['user', 'what is your name?'],
      ['assistant', expect.stringContaining('LocalRealtime assistant')],
      ['user', 'what time is it?'],
      ['assistant', expect.stringMatching(/^It's \d/)],
    ]);
    // The two later messages waited for the reply before them, and nothing was refused.
    expect(events.filter((e) => e.event === 'message_queued').map((e) => e.text)).toEqual([
      'what is your name?',
      'what time is it?',
    ]);
    expect(events.filter((e) => e.event === 'error')).toEqual([]);
    expect(io.err()).toContain('Sent when the assistant is done (2 waiting): what time is it?');
  });

  it('runs commands piped in before the session is up in order with the messages, once connected', async () => {
    const io = fakeIo();
    const done = main(['--text', '--json'], io);
    // All of it arrives before the connection is up.
    io.stdin.end('/status\nhello\n/timestamps\n');
    expect(await done).toBe(0);
    const screen = io.err();
    expect(screen).toMatch(/Connection: +connected ws:\/\//);
    expect(screen).toContain('Timestamps on.');
    expect(screen.indexOf('Connection:')).toBeLessThan(screen.indexOf('You: hello'));
    const finals = io
      .out()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { event: string; speaker?: string })
      .filter((e) => e.event === 'transcript_final');
    expect(finals.map((e) => e.speaker)).toEqual(['user', 'assistant']);
  });
});
