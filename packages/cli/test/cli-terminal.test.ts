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

const LONG_SCENARIO = `name: long-story
description: One long reply, to interrupt.
pacing:
  first_delta_ms: 50
  text_chars_per_second: 40
responses:
  - id: story
    when:
      keywords: [story]
    reply:
      text: Once upon a time there was a small robot who lived in a lighthouse and counted the waves every night, one by one, until the sun came up and the gulls woke and the fishermen went out to sea, and then it started counting all over again.
`;

/** Starts on LONG_SCENARIO (from a file of its own) and asks for the story; resolves once it has begun. */
async function startStory(args: string[] = []): Promise<TmuxCli> {
  const scenario = join(mkdtempSync(join(tmpdir(), 'ra-scenario-')), 'long.yaml');
  writeFileSync(scenario, LONG_SCENARIO);
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

describe('realtime-assistant chat in a terminal', () => {
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
