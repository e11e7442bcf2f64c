/**
 * The `realtime-assistant` CLI in a real terminal (tmux), typed at, against the embedded LocalRealtime engine in
 * text mode.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { childrenOf, isAlive, TmuxCli } from './helpers/cli-tmux.js';

const GREETINGS =
  /Assistant: (Hello! How can I help you today\?|Hi there! What can I do for you\?)/;
const NAME_REPLY =
  "I'm the LocalRealtime assistant: a scripted stand-in for a real model, running on your machine.";

const STORY =
  'Once upon a time there was a small robot who lived in a lighthouse and counted the waves every night, one by one, until the sun came up and the gulls woke and the fishermen went out to sea, and then it started counting all over again.';

/** One long reply, to interrupt, streamed at `charsPerSecond` (40: about 6 s). */
const longScenario = (charsPerSecond: number): string => `name: long-story
description: One long reply, to interrupt.
pacing:
  first_delta_ms: 50
  text_chars_per_second: ${charsPerSecond}
responses:
  - id: story
    when:
      keywords: [story]
    reply:
      text: ${STORY}
`;

/**
 * Streaming slow enough (about 12 s for the story; a part of it stays on screen about 5 s) that a test typing at
 * given points of it has seconds to spare at each on a loaded machine: every step waits for a part of the story on
 * screen, and tmux's round trips must not outlast the part.
 */
const TYPING_PACE = 20;

/** Starts on the long story (from a file of its own) and asks for it; resolves once it has begun. */
async function startStory(args: string[] = [], charsPerSecond = 40): Promise<TmuxCli> {
  const scenario = join(mkdtempSync(join(tmpdir(), 'ra-scenario-')), 'long.yaml');
  writeFileSync(scenario, longScenario(charsPerSecond));
  const t = await startText(['--scenario', scenario, ...args]);
  t.type('tell me a story');
  await t.waitFor(/Assistant: Once upon a time/);
  return t;
}

let cli: TmuxCli | null = null;

async function startText(args: string[] = []): Promise<TmuxCli> {
  cli = TmuxCli.start(['--text', ...args]);
  await cli.waitFor(/\[listening\] ›/);
  return cli;
}

afterEach(() => {
  cli?.close();
  cli = null;
});

/** The screen's lines (wrapped rows joined), without the empty ones at the bottom. */
function linesOf(screen: string): string[] {
  const lines = screen.split('\n').map((line) => line.trimEnd());
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  return lines;
}

/** The prompt: the status in brackets, then what is typed. */
const PROMPT = /^\[[^\]]+\] › ?(.*)$/;

/**
 * What is wrong with a screen taken while `typed` is being typed over a streaming reply, or null: the prompt must be
 * the last row and show what was typed (or the start of it: the last keys may still be on their way); no row of the
 * reply shows any of the typed `pieces`; the reply is on one row only.
 */
function layoutProblem(screen: string, typed: string, pieces: readonly string[]): string | null {
  const lines = linesOf(screen);
  const prompt = PROMPT.exec(lines.at(-1) ?? '');
  if (!prompt) return `the last row is not the prompt: ${JSON.stringify(lines.at(-1))}`;
  if (!typed.startsWith(prompt[1] ?? '')) return `the prompt shows ${JSON.stringify(prompt[1])}`;
  const reply = lines.filter((line) => line.startsWith('Assistant:'));
  if (reply.length > 1) return `the reply is on ${reply.length} rows`;
  const mixed = reply.find((line) => pieces.some((piece) => line.includes(piece)));
  return mixed === undefined ? null : `typed text on the reply's row: ${mixed}`;
}

/**
 * Waits for `until` on the screen's lines, checking every screen seen on the way with {@link layoutProblem}: the
 * first one that is wrong fails the wait, with the screen.
 */
function watcher(
  t: TmuxCli,
  state: { typed: string; pieces: string[] },
): (until: (lines: string[]) => boolean) => Promise<string> {
  return (until) =>
    t.waitFor((screen) => {
      const problem = layoutProblem(screen, state.typed, state.pieces);
      if (problem !== null) throw new Error(`${problem}; screen:\n${screen}`);
      return until(linesOf(screen));
    });
}

/** The row above the prompt: the streaming reply's, while it streams. */
const liveRow = (lines: string[]): string => lines.at(-2) ?? '';

// Each test drives a real CLI in tmux for several seconds of streamed replies: a timeout with room for a loaded machine.
describe('realtime-assistant chat in a terminal', { timeout: 60_000 }, () => {
  it('starts on the embedded engine, says so, shows its status and answers a typed message', async () => {
    const t = await startText();
    const screen = t.screen();
    expect(screen).toContain(
      'No OPENAI_API_KEY: talking to the embedded LocalRealtime engine (scenario: default)',
    );
    expect(screen).toContain('Text mode (--text)');
    t.type('hello');
    const answered = await t.waitFor(GREETINGS);
    expect(answered).toContain('You: hello');
    await t.waitFor((s) => /Assistant: .*\n[\s\S]*\[listening\] ›\s*$/.test(s));
  });

  it('pauses and resumes with /pause and /resume, and /status describes the session', async () => {
    const t = await startText();
    t.type('/pause');
    await t.waitFor(/Paused: the microphone is off[\s\S]*\[paused\] ›/);
    t.type('/status');
    const status = await t.waitFor(
      /History: +conversation [0-9a-f]{8} in \S+realtime-assistant\.db/,
    );
    expect(status).toMatch(/Log: +\S+app_\S+\.log/);
    expect(status).toMatch(/Status: +paused/);
    expect(status).toMatch(/Connection: +connected ws:\/\/127\.0\.0\.1:\d+\/v1\/realtime/);
    expect(status).toMatch(/Mode: +text \(replies as text\)/);
    t.type('/resume');
    await t.waitFor(/Resumed\.[\s\S]*\[listening\] ›/);
    t.type('what is your name');
    await t.waitFor((s) => s.includes(`Assistant: ${NAME_REPLY}`));
  });

  it('adds timestamps with /timestamps, drops blank lines with /compact, and lists commands with /help', async () => {
    const t = await startText();
    t.type('/timestamps');
    await t.waitFor(/Timestamps on\./);
    t.type('hello');
    await t.waitFor(/\[\d\d:\d\d:\d\d\] You: hello/);
    await t.waitFor(/\[\d\d:\d\d:\d\d\] Assistant: /);
    t.type('/compact');
    await t.waitFor(/Compact mode on\./);
    t.type('what is your name');
    const compact = await t.waitFor((s) => s.includes(NAME_REPLY));
    // In compact mode the reply is followed by the prompt, with no blank line between.
    expect(compact).toMatch(/Assistant: I'm the LocalRealtime assistant[^\n]*\n\S/);
    t.type('/help');
    const help = await t.waitFor(/\/compact +compact transcript on or off/);
    for (const name of ['/quit', '/restart', '/pause', '/resume', '/interrupt', '/status']) {
      expect(help).toContain(name);
    }
  });

  it('stops a reply midway with /interrupt', async () => {
    // A reply long enough (about 6 s of text) that the interrupt lands in its middle.
    const t = await startStory();
    t.type('/interrupt');
    await t.waitFor(/Interrupt: the current reply is stopped\.[\s\S]*\[listening\] ›/);
    // The reply's text stopped arriving: its last words never show.
    expect(t.screen()).not.toContain('counting all over again.');
  });

  it('stops a reply when the user types over it, and answers what was typed', async () => {
    const t = await startStory();
    t.type('what is your name?');
    // The story stopped where it was; the long-story scenario answers anything else with its fallback.
    await t.waitFor(
      /Assistant: Once upon a time[^\n]* \[interrupted\]\n\n· Interrupted: the reply was stopped\.\nYou: what is your name\?\nAssistant: I'm not sure I understood/,
    );
    // Said once: the server's own end of the stopped reply repeats the same text.
    expect(t.screen().match(/Assistant: Once upon a time/g)).toHaveLength(1);
    expect(t.screen()).not.toContain('counting all over again.');
  });

  it('with --type-over queue, lets the reply finish and then answers what was typed over it', async () => {
    const t = await startStory(['--type-over', 'queue']);
    t.type('what is your name?');
    await t.waitFor(/Sent when the assistant is done: what is your name\?/);
    // The whole story, then the question typed over it and its answer.
    await t.waitFor(
      /counting all over again\.\n\nYou: what is your name\?\nAssistant: I'm not sure I understood/,
    );
  });

  it('keeps what is typed on the prompt row, below the streaming reply, wherever in the reply it is typed', async () => {
    const t = await startStory(['--type-over', 'queue'], TYPING_PACE);
    const state = { typed: '', pieces: [] as string[] };
    const watch = watcher(t, state);
    // Typed at three points of the reply: each time once a later part of the story shows on the row above the prompt.
    for (const [part, keys] of [
      ['small robot', 'zq'],
      ['lighthouse', '7k'],
      ['every night', 'w9'],
    ] as const) {
      await watch(
        (lines) => liveRow(lines).startsWith('Assistant:') && liveRow(lines).includes(part),
      );
      t.typeKeys(keys);
      state.typed += keys;
      state.pieces.push(keys);
      await watch((lines) => lines.at(-1)?.endsWith(`› ${state.typed}`) === true);
    }
    // The reply goes on streaming over the typed text, to its end.
    await watch((lines) => liveRow(lines).includes('gulls woke'));
    const done = linesOf(
      await watch(
        (lines) =>
          lines.includes(`Assistant: ${STORY}`) && lines.at(-1)?.startsWith('[listening]') === true,
      ),
    );
    // Said once, whole, then the prompt with the typed text intact.
    expect(done.filter((line) => line.startsWith('Assistant:'))).toEqual([`Assistant: ${STORY}`]);
    expect(done.slice(-3)).toEqual([`Assistant: ${STORY}`, '', '[listening] › zq7kw9']);
    expect(done.filter((line) => line.includes('zq'))).toHaveLength(1);
    // What was typed is still readline's line: Enter sends it.
    t.key('Enter');
    await t.waitFor(/\nYou: zq7kw9\nAssistant: I'm not sure I understood/);
  });

  it("keeps /interrupt, typed mid-reply, off the reply's row, and shows the stopped reply once", async () => {
    const t = await startStory([], TYPING_PACE);
    const state = { typed: '', pieces: ['/inter', 'rupt'] };
    const watch = watcher(t, state);
    const before = liveRow(linesOf(await watch((lines) => liveRow(lines).includes('lighthouse'))));
    t.typeKeys('/inter');
    state.typed = '/inter';
    await watch((lines) => lines.at(-1)?.endsWith('› /inter') === true);
    // The reply streams on while half the command is typed.
    await watch((lines) => liveRow(lines).startsWith('Assistant:') && liveRow(lines) !== before);
    t.typeKeys('rupt');
    state.typed = '/interrupt';
    await watch((lines) => lines.at(-1)?.endsWith('› /interrupt') === true);
    t.key('Enter');
    const stopped = linesOf(
      await t.waitFor(/Interrupt: the current reply is stopped\.\n\[listening\] ›\s*$/),
    );
    // The command stays where it was typed, once; the reply, cut, is on one line below it, not drawn twice.
    expect(stopped.filter((line) => line.includes('/interrupt'))).toEqual([
      '[speaking] › /interrupt',
    ]);
    const reply = stopped.filter((line) => line.startsWith('Assistant:'));
    expect(reply).toHaveLength(1);
    expect(reply[0]).toMatch(/^Assistant: Once upon a time .* \[interrupted\]$/);
    expect(STORY.startsWith(reply[0]!.replace(/^Assistant: | \[interrupted\]$/g, ''))).toBe(true);
    expect(stopped.slice(stopped.indexOf('[speaking] › /interrupt'))).toEqual([
      '[speaking] › /interrupt',
      reply[0],
      '',
      '· Interrupted: the reply was stopped.',
      '· Interrupt: the current reply is stopped.',
      '[listening] ›',
    ]);
    t.typeKeys('ok');
    await t.waitFor((screen) => linesOf(screen).at(-1) === '[listening] › ok');
    expect(t.screen()).not.toContain('counting all over again.');
  });

  it('fits the streaming reply to a terminal made narrower mid-reply, leaving no row behind', async () => {
    const t = await startStory(['--type-over', 'queue'], TYPING_PACE);
    const state = { typed: '', pieces: ['zq7'] };
    const watch = watcher(t, state);
    await watch((lines) => liveRow(lines).includes('lighthouse'));
    t.typeKeys('zq7');
    state.typed = 'zq7';
    await watch((lines) => lines.at(-1)?.endsWith('› zq7') === true);
    t.resize(70);
    // Drawn again at the new width: the reply's row fits in 70 columns, on its own above the prompt.
    await watch((lines) => liveRow(lines).includes('gulls woke') && liveRow(lines).length < 70);
    const done = linesOf(
      await watch(
        (lines) =>
          lines.includes(`Assistant: ${STORY}`) && lines.at(-1)?.startsWith('[listening]') === true,
      ),
    );
    expect(done.filter((line) => line.startsWith('Assistant:'))).toEqual([`Assistant: ${STORY}`]);
    expect(done.slice(-3)).toEqual([`Assistant: ${STORY}`, '', '[listening] › zq7']);
  });

  it("ends with the assistant's farewell and exit code 0 when the user says goodbye", async () => {
    const t = await startText();
    t.type('ok, good bye');
    await t.waitFor(/Assistant: Goodbye! Have a great day\./);
    expect(await t.exitCode()).toBe(0);
  });

  it('starts a new conversation on a new session with /restart', async () => {
    const t = await startText();
    const first = /Connected: session (sess_\w+)/.exec(t.screen())?.[1];
    expect(first).toBeDefined();
    t.type('/restart');
    await t.waitFor(/Restarted: a new conversation\./);
    const sessions = [...t.screen().matchAll(/Connected: session (sess_\w+)/g)].map((m) => m[1]);
    expect(sessions).toHaveLength(2);
    expect(sessions[1]).not.toBe(first);
    t.type('hello');
    await t.waitFor(GREETINGS);
  });

  it('quits with /quit and exit code 0', async () => {
    const t = await startText();
    t.type('/quit');
    expect(await t.exitCode()).toBe(0);
    expect(t.screen()).toContain('Bye.');
  });

  it('exits cleanly on Ctrl+C, leaving no child process', async () => {
    const t = await startText();
    const shell = t.shellPid();
    const [cliPid] = childrenOf(shell);
    expect(cliPid).toBeGreaterThan(0);
    const children = childrenOf(cliPid!);
    t.key('C-c');
    expect(await t.exitCode()).toBe(0);
    expect(t.screen()).toContain('Bye.');
    expect(childrenOf(shell)).toEqual([]);
    expect(isAlive(cliPid!)).toBe(false);
    expect(children.filter(isAlive)).toEqual([]);
  });
});
