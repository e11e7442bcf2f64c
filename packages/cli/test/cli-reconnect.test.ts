/**
 * Reconnect, end to end: the CLI in a real terminal (tmux), in text mode, talking to an engine this test starts
 * with the test kit (its URL given through `REALTIME_URL`, i.e. `api.baseUrl`). The engine drops the connection
 * between two turns; the CLI shows it is reconnecting, opens a new session, replays the conversation into it, and
 * the next reply is computed from the replayed turns.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalRealtime } from '@realtime-assistant/engine/testing';
import type { LocalRealtimeHandle } from '@realtime-assistant/engine/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { TmuxCli } from './helpers/cli-tmux.js';

// `{{turn}}` counts the user messages in the conversation the engine holds, replayed ones included: a session that
// lost the earlier turns would say "turn 1".
const MEMORY_SCENARIO = `name: memory
description: Replies that show how much of the conversation the session holds.
responses:
  - id: count
    when:
      keywords: [count]
    reply:
      text: 'This is turn {{turn}} of our conversation.'
fallback:
  reply:
    text: Noted.
`;

type Item = { type?: string; role?: string; content?: { type?: string; text?: string }[] };

let cli: TmuxCli | null = null;
let engine: LocalRealtimeHandle | null = null;

afterEach(async () => {
  cli?.close();
  cli = null;
  await engine?.close();
  engine = null;
});

/** Everything the pane printed (prompt redraws included), ANSI sequences removed. */
function paneOutput(file: string): string {
  // eslint-disable-next-line no-control-regex
  return readFileSync(file, 'utf8').replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
}

describe('realtime-assistant chat reconnects', () => {
  it('reconnects after the engine drops the connection, replays the earlier turns and answers from them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ra-reconnect-'));
    const scenario = join(dir, 'memory.yaml');
    writeFileSync(scenario, MEMORY_SCENARIO);
    engine = await startLocalRealtime({ scenario });
    const t = (cli = TmuxCli.start(['--text'], { REALTIME_URL: engine.url }));
    // The status line is a prompt redrawn in place: record every byte the pane gets, to see its past states.
    const raw = join(dir, 'pane.log');
    execFileSync('tmux', ['-L', t.socket, 'pipe-pane', '-t', '0', '-o', `cat >> '${raw}'`]);
    await t.waitFor(/\[listening\] ›/, 20_000);
    expect(t.screen()).toContain(`Talking to ${engine.url}`);

    t.type('my name is Ada');
    await t.waitFor(/Assistant: Noted\./);
    t.type('I like green tea');
    await t.waitFor((s) => (s.match(/Assistant: Noted\./g) ?? []).length === 2);
    await t.waitFor(/\[listening\] ›\s*$/);

    const [first] = engine.sessions();
    expect(first).toBeDefined();
    const replacement = engine.nextSession();
    engine.injectFault(
      { type: 'close', afterEvents: 0, code: 1011, reason: 'test: connection dropped' },
      first!.id,
    );

    const second = await replacement;
    expect(second.id).not.toBe(first!.id);
    await t.waitFor(/Reconnecting \(attempt 1\) in \d+ ms: connection lost\./);
    await t.waitFor(/Reconnected; 4 earlier messages replayed\./);
    await t.waitFor(/\[listening\] ›\s*$/);

    // The status line went listening → reconnecting → listening.
    const printed = paneOutput(raw);
    const reconnecting = printed.lastIndexOf('[reconnecting (attempt 1)]');
    expect(reconnecting).toBeGreaterThan(printed.indexOf('[listening]'));
    expect(printed.indexOf('[listening]', reconnecting)).toBeGreaterThan(reconnecting);

    // The new session received the conversation so far, as text, in order, before anything else was asked.
    const replayed = second.received
      .filter((e) => e.type === 'conversation.item.create')
      .map((e) => e.item as Item)
      .map((item) => [item.role, item.content?.[0]?.type, item.content?.[0]?.text]);
    expect(replayed).toEqual([
      ['user', 'input_text', 'my name is Ada'],
      ['assistant', 'output_text', 'Noted.'],
      ['user', 'input_text', 'I like green tea'],
      ['assistant', 'output_text', 'Noted.'],
    ]);
    expect(second.received.some((e) => e.type === 'response.create')).toBe(false);

    // The next reply is answered on the new session and counts the replayed turns.
    t.type('count the turns');
    await t.waitFor(/Assistant: This is turn 3 of our conversation\./);
    expect(engine.sessions()).toHaveLength(2);
    const asked = second.received.filter((e) => e.type === 'conversation.item.create').at(-1);
    expect((asked?.item as Item).content?.[0]?.text).toBe('count the turns');
  }, 60_000);
});
