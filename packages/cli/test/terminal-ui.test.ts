/**
 * TerminalUi's drawing at a terminal, replayed through a small virtual terminal: a real readline prompt, typed at
 * while a reply streams. The streaming (live) line has a row of its own above the prompt; the prompt with what the
 * user typed stays the bottom row; nothing is left behind when either is drawn again.
 */
import { createInterface } from 'node:readline';
import type { Interface as ReadlineInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import { AppEvents } from '@realtime-assistant/assistant';
import { afterEach, describe, expect, it } from 'vitest';
import { TerminalUi } from '../src/chat/terminal-ui.js';
import type { UiOutput } from '../src/chat/terminal-ui.js';
import { VirtualTerminal } from './helpers/virtual-terminal.js';

const STORY =
  'Once upon a time there was a small robot who lived in a lighthouse and counted the waves every night, one by one, until the sun came up and the gulls woke and the fishermen went out to sea.';

interface Setup {
  term: VirtualTerminal;
  events: AppEvents;
  ui: TerminalUi;
  rl: ReadlineInterface;
  input: PassThrough;
  /** Lines entered, as the chat session receives them. */
  entered: string[];
}

let open: Setup | null = null;

afterEach(() => {
  open?.ui.close();
  open?.rl.close();
  open = null;
});

/** A UI on a virtual terminal with a readline prompt, connected, the assistant speaking. */
function setup(columns = 80, options: { timestamps?: boolean } = {}): Setup {
  const term = new VirtualTerminal(columns, 12);
  const events = new AppEvents();
  const ui = new TerminalUi({
    events,
    out: term,
    now: () => new Date(2025, 0, 1, 12, 34, 56),
    ...options,
  });
  const input = new PassThrough();
  const rl = createInterface({
    input,
    output: term as unknown as NodeJS.WritableStream,
    terminal: true,
  });
  ui.attachPrompt(rl);
  const entered: string[] = [];
  // What the chat session does with a line: a message's echo gives way to its transcript line.
  rl.on('line', (line) => {
    entered.push(line);
    if (line.trim() !== '' && !line.startsWith('/')) ui.forgetTypedLine();
  });
  events.emit('connection_changed', {
    state: { status: 'connected', url: 'ws://x', realtimeSessionId: 'sess_1' },
    previous: 'connecting',
  });
  events.emit('turn_changed', { state: 'speaking', previous: 'thinking' });
  open = { term, events, ui, rl, input, entered };
  return open;
}

function delta(s: Setup, text: string, speaker: 'user' | 'assistant' = 'assistant'): void {
  s.events.emit('transcript_delta', { speaker, itemId: 'item_1', order: 1, delta: '', text });
}

function final(s: Setup, text: string, interrupted = false): void {
  s.events.emit('transcript_final', {
    speaker: 'assistant',
    itemId: 'item_1',
    order: 1,
    text,
    interrupted,
  });
}

/** Types keys as a terminal sends them (one chunk: several characters at once are a paste to readline). */
function type(s: Setup, keys: string): void {
  s.input.write(keys);
}

/** The screen's rows, without the blank ones at the bottom. */
function rows(term: VirtualTerminal): string[] {
  const screen = term.screen();
  while (screen.length > 0 && screen.at(-1) === '') screen.pop();
  return screen;
}

/**
 * The layout the user relies on: the prompt (status and exactly what was typed) is the last row, the cursor on it
 * after the typed text; the live line, when given, is the row right above it; no other row shows the live line or
 * the typed text.
 */
function expectLayout(s: Setup, typed: string, live: string | null, status = 'speaking'): void {
  const screen = rows(s.term);
  const prompt = `[${status}] › ${typed}`;
  expect(screen.at(-1)).toBe(prompt.trimEnd());
  expect(s.term.cursor()).toEqual({ row: screen.length - 1, col: prompt.length });
  if (live !== null) expect(screen.at(-2)).toBe(live);
  const assistantRows = screen.filter((row) => row.startsWith('Assistant:'));
  expect(assistantRows).toHaveLength(live === null ? 0 : 1);
  if (typed !== '') {
    for (const row of screen.slice(0, -1)) expect(row).not.toContain(typed);
  }
  expect(s.term.unknown).toEqual([]);
}

describe('TerminalUi at a terminal', () => {
  it('prints a spoken reply once when it is cut after its text was complete', () => {
    const s = setup();
    delta(s, STORY);
    final(s, STORY);
    // Its audio is cut while it plays: the same text again, marked interrupted, then the interruption's notice.
    final(s, STORY, true);
    s.events.emit('interrupted', {
      reason: 'speech_started',
      itemId: 'item_1',
      played_ms: 1200,
      truncated_ms: 1200,
      received_ms: 9000,
      action: 'truncate',
      cancelled: true,
    });
    const screen = rows(s.term);
    expect(screen.filter((row) => row.startsWith('Assistant:'))).toHaveLength(1);
    expect(screen).toContain('· Interrupted: the reply was cut at 1200 ms of 9000 ms.');
    expect(screen.at(-1)).toBe('[speaking] ›');
  });

  it('draws the streaming line on its own row above the prompt, keeping what is typed', () => {
    const s = setup();
    delta(s, 'Once upon');
    expectLayout(s, '', 'Assistant: Once upon');
    type(s, 'zq');
    expectLayout(s, 'zq', 'Assistant: Once upon');
    delta(s, 'Once upon a time');
    expectLayout(s, 'zq', 'Assistant: Once upon a time');
    type(s, '7');
    type(s, 'k');
    delta(s, 'Once upon a time there was');
    expectLayout(s, 'zq7k', 'Assistant: Once upon a time there was');
    // The cursor moved back into the typed text: readline's line and cursor survive the redraw.
    type(s, '\x1b[D\x1b[D');
    delta(s, 'Once upon a time there was a robot');
    expect(s.term.cursor().col).toBe('[speaking] › zq'.length);
    type(s, 'X');
    expect(rows(s.term).at(-1)).toBe('[speaking] › zqX7k');
    final(s, 'Once upon a time there was a robot.');
    s.events.emit('turn_changed', { state: 'listening', previous: 'speaking' });
    expect(s.term.lines()).toEqual([
      'Assistant: Once upon a time there was a robot.',
      '',
      '[listening] › zqX7k',
    ]);
  });

  it('draws each change in one write, so that the screen is never seen half drawn', () => {
    const s = setup();
    type(s, 'hi');
    for (const draw of [
      () => delta(s, 'Once upon'),
      () => delta(s, 'Once upon a time'),
      () => s.ui.notice('hello'),
      () => s.events.emit('turn_changed', { state: 'thinking', previous: 'speaking' }),
      () => final(s, 'Once upon a time.'),
    ]) {
      const before = s.term.writes;
      draw();
      expect(s.term.writes - before).toBe(1);
    }
    expect(s.term.lines()).toEqual([
      '· hello',
      'Assistant: Once upon a time.',
      '',
      '[thinking] › hi',
    ]);
  });

  it('keeps the streaming line to one row, cut at its start, timestamps and all', () => {
    const s = setup(60, { timestamps: true });
    delta(s, STORY);
    type(s, 'abc');
    const screen = rows(s.term);
    expect(screen).toHaveLength(2);
    expect(screen[0]).toMatch(/^\[12:34:56\] Assistant: …/);
    expect(screen[0]!.length).toBeLessThan(60);
    expect(STORY.endsWith(screen[0]!.replace(/^.*…/, ''))).toBe(true);
    expect(screen[1]).toBe('[speaking] › abc');
  });

  it('leaves no row behind when the typed text wraps onto a second row (a paste)', () => {
    const s = setup(40);
    delta(s, 'Once upon');
    const long = 'w'.repeat(45);
    type(s, long);
    delta(s, 'Once upon a time');
    delta(s, 'Once upon a time there');
    expect(s.term.lines()).toEqual(['Assistant: Once upon a time there', `[speaking] › ${long}`]);
    final(s, 'Once upon a time there was.');
    expect(s.term.lines()).toEqual([
      'Assistant: Once upon a time there was.',
      '',
      `[speaking] › ${long}`,
    ]);
    expect(s.term.unknown).toEqual([]);
  });

  it('keeps an entered command above the streaming line, and drops an entered message for its transcript', () => {
    const s = setup();
    delta(s, 'Once upon');
    type(s, '/help\r');
    expect(s.entered).toEqual(['/help']);
    // The command handler prints its answer at once.
    s.ui.print('Commands:\n  /quit  end the session\n');
    delta(s, 'Once upon a time');
    expect(s.term.lines()).toEqual([
      '[speaking] › /help',
      'Commands:',
      '  /quit  end the session',
      'Assistant: Once upon a time',
      '[speaking] ›',
    ]);
    type(s, 'what is your name?\r');
    s.events.emit('transcript_final', {
      speaker: 'user',
      itemId: 'item_2',
      order: 2,
      text: 'what is your name?',
      interrupted: false,
    });
    expect(s.term.lines()).toEqual([
      '[speaking] › /help',
      'Commands:',
      '  /quit  end the session',
      'You: what is your name?',
      'Assistant: Once upon a time',
      '[speaking] ›',
    ]);
  });

  it('settles an entered line by itself when nothing else is drawn (an empty line leaves nothing)', async () => {
    const s = setup();
    delta(s, 'Once upon');
    type(s, '/pause\r');
    // Nothing printed in the same turn: the echo is put in place right after.
    await Promise.resolve();
    expect(s.term.lines()).toEqual(['[speaking] › /pause', 'Assistant: Once upon', '[speaking] ›']);
    type(s, '\r');
    await Promise.resolve();
    type(s, 'ab');
    expect(s.term.lines()).toEqual([
      '[speaking] › /pause',
      'Assistant: Once upon',
      '[speaking] › ab',
    ]);
  });

  it('prints notices and errors above the streaming line without leaving stale rows', () => {
    const s = setup();
    delta(s, 'Once upon');
    type(s, 'hi');
    s.ui.notice('Sent when the assistant is done: hello');
    s.events.emit('error', { source: 'audio', message: 'The speaker failed', recoverable: true });
    expectLayout(s, 'hi', 'Assistant: Once upon');
    final(s, 'Once upon a time.', true);
    expect(s.term.lines()).toEqual([
      '· Sent when the assistant is done: hello',
      'Error (audio): The speaker failed',
      'Assistant: Once upon a time. [interrupted]',
      '',
      '[speaking] › hi',
    ]);
  });

  it('redraws the status on the prompt row while a reply streams', () => {
    const s = setup();
    s.events.emit('turn_changed', { state: 'thinking', previous: 'speaking' });
    delta(s, 'Once upon');
    type(s, 'hi');
    expectLayout(s, 'hi', 'Assistant: Once upon', 'thinking');
    s.events.emit('turn_changed', { state: 'speaking', previous: 'thinking' });
    expectLayout(s, 'hi', 'Assistant: Once upon', 'speaking');
  });

  it('keeps the live line when another item is finished, and drops it when its reply ends without a final', () => {
    const s = setup();
    delta(s, 'Once upon');
    type(s, 'hi');
    // The user's spoken words, transcribed while the assistant already answers.
    s.events.emit('transcript_final', {
      speaker: 'user',
      itemId: 'item_0',
      order: 0,
      text: 'tell me a story',
      interrupted: false,
    });
    expectLayout(s, 'hi', 'Assistant: Once upon');
    expect(s.term.lines()[0]).toBe('You: tell me a story');
    // The reply failed: no final comes, the turn is over.
    s.events.emit('turn_changed', { state: 'listening', previous: 'speaking' });
    expect(s.term.lines()).toEqual(['You: tell me a story', '[listening] › hi']);
  });

  it('cuts the streaming line again when the terminal gets narrower, leaving no row behind', () => {
    const s = setup(100);
    delta(s, STORY.slice(0, 85));
    type(s, 'abc');
    s.term.resize(50);
    const screen = rows(s.term);
    expect(screen).toHaveLength(2);
    expect(screen[0]).toMatch(/^Assistant: …/);
    expect(screen[0]!.length).toBeLessThan(50);
    expect(screen[1]).toBe('[speaking] › abc');
    delta(s, STORY.slice(0, 95));
    expect(rows(s.term)).toHaveLength(2);
    final(s, STORY);
    const lines = s.term.lines();
    expect(lines.filter((l) => l.startsWith('Assistant:'))).toEqual([`Assistant: ${STORY}`]);
    expect(lines.at(-1)).toBe('[speaking] › abc');
  });

  it('takes the live line off the screen on close, after the prompt', () => {
    const s = setup();
    delta(s, 'Once upon');
    type(s, 'hi');
    s.ui.detachPrompt();
    expect(s.term.lines()).toEqual(['Assistant: Once upon']);
    s.ui.close();
    s.term.write('Bye.\n');
    expect(s.term.lines()).toEqual(['Bye.']);
  });
});

describe('TerminalUi without a terminal', () => {
  it('prints plain lines: no live line, no escape sequences', () => {
    let written = '';
    const out: UiOutput = { write: (text: string) => (written += text), isTTY: false };
    const events = new AppEvents();
    const ui = new TerminalUi({ events, out });
    events.emit('connection_changed', {
      state: { status: 'connected', url: 'ws://x', realtimeSessionId: 'sess_1' },
      previous: 'connecting',
    });
    events.emit('turn_changed', { state: 'speaking', previous: 'thinking' });
    events.emit('transcript_delta', {
      speaker: 'assistant',
      itemId: 'i',
      order: 1,
      delta: 'Once',
      text: 'Once',
    });
    ui.notice('hello');
    ui.forgetTypedLine();
    events.emit('transcript_final', {
      speaker: 'assistant',
      itemId: 'i',
      order: 1,
      text: 'Once upon a time.',
      interrupted: false,
    });
    ui.close();
    expect(written).toBe('[listening]\n[speaking]\n· hello\nAssistant: Once upon a time.\n\n');
  });
});
