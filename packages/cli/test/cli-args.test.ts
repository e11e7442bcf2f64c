import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../src/cli-args.js';
import { EXIT_USAGE } from '../src/cli-io.js';
import { main } from '../src/main.js';
import { fakeIo } from './helpers/fake-io.js';

describe('realtime-assistant flags', () => {
  it('lists every flag with its default in --help and exits 0', async () => {
    const io = fakeIo();
    expect(await main(['--help'], io)).toBe(0);
    const help = io.out();
    expect(help).toMatch(/--voice <value> +voice \(default: marin\)/);
    expect(help).toMatch(/--model <value> +model \(default: gpt-realtime\)/);
    expect(help).toMatch(/--vad-threshold <value> .*\(default: 0\.5\)/);
    expect(help).toMatch(/--silence-ms <value> .*\(default: 500\)/);
    expect(help).toMatch(/--prefix-ms <value> .*\(default: 300\)/);
    for (const flag of [
      '--assistant-id',
      '--instructions',
      '--temperature',
      '--greet',
      '--save-recordings',
      '--audio-file',
      '--fast',
      '--json',
      '--debug',
      '--list-devices',
      '--input-device',
      '--output-device',
      '--text',
      '--scenario',
      '--type-over',
    ]) {
      expect(help).toContain(flag);
    }
    expect(help).not.toContain('--api-key');
    expect(help).toMatch(/engine +run the LocalRealtime engine/);
  });

  it('refuses an unknown flag with a readable error and exit code 2', async () => {
    const io = fakeIo();
    expect(await main(['--bogus'], io)).toBe(EXIT_USAGE);
    expect(io.err()).toContain('unknown flag --bogus.');
    expect(io.err()).toContain("Run 'realtime-assistant --help'");
  });

  it('refuses an out-of-range setting naming the setting, the value and what is allowed, with exit code 2', async () => {
    const io = fakeIo();
    expect(await main(['--vad-threshold', '2'], io)).toBe(EXIT_USAGE);
    expect(io.err()).toContain(
      'turnDetection.threshold: "2" (from flag --vad-threshold) is not allowed; use a number from 0 to 1.',
    );
  });

  it('refuses an API key given as a flag without printing the key, with exit code 2', async () => {
    const io = fakeIo();
    const key = 'sk-test-0123456789abcdef';
    expect(await main(['--api-key', key], io)).toBe(EXIT_USAGE);
    expect(io.err()).toContain('api.apiKey');
    expect(io.err()).toContain('never a flag');
    expect(io.err()).not.toContain(key);
  });

  it('refuses a bad setting from the environment with exit code 2', async () => {
    const io = fakeIo({ VAD_SILENCE_MS: 'soon' });
    expect(await main(['--text'], io)).toBe(EXIT_USAGE);
    expect(io.err()).toContain('turnDetection.silenceMs: "soon" (from env VAD_SILENCE_MS)');
  });

  it('refuses a --type-over that is neither interrupt nor queue, with exit code 2', async () => {
    const io = fakeIo();
    expect(await main(['--type-over', 'shout'], io)).toBe(EXIT_USAGE);
    expect(io.err()).toContain('--type-over: "shout" is not interrupt or queue.');
    const parsed = parseCommandLine(['--type-over', 'queue']);
    expect(parsed.ok && parsed.command === 'chat' && parsed.args.typeOver).toBe('queue');
  });

  it('refuses an unknown command and a missing --audio-file with exit code 2', async () => {
    const unknown = fakeIo();
    expect(await main(['chatter'], unknown)).toBe(EXIT_USAGE);
    expect(unknown.err()).toContain('unknown command "chatter"');
    const missing = fakeIo();
    expect(await main(['--audio-file', 'nowhere.wav'], missing)).toBe(EXIT_USAGE);
    expect(missing.err()).toContain('"nowhere.wav" does not exist');
  });

  it('refuses an --audio-file that is not a readable WAV before connecting or storing anything, with exit code 2', async () => {
    const io = fakeIo();
    writeFileSync(join(io.cwd, 'notes.wav'), 'just some text, not audio\n');
    mkdirSync(join(io.cwd, 'folder.wav'));
    expect(await main(['--audio-file', 'notes.wav'], io)).toBe(EXIT_USAGE);
    expect(io.err()).toContain(
      '--audio-file: "notes.wav" is not a WAV file it can read: Not a WAV file: it does not start with "RIFF"',
    );
    expect(await main(['--audio-file', 'folder.wav'], io)).toBe(EXIT_USAGE);
    expect(io.err()).toContain('--audio-file: "folder.wav" is a directory, not a WAV file.');
    // Nothing started: no engine notice, no database, no log file.
    expect(io.err()).not.toContain('embedded LocalRealtime engine');
    expect(readdirSync(io.cwd).sort()).toEqual(['folder.wav', 'notes.wav']);
  });

  it('answers web and history as coming', async () => {
    const io = fakeIo();
    expect(await main(['web'], io)).toBe(EXIT_USAGE);
    expect(io.err()).toContain('coming');
  });

  it('defaults to chat and maps config flags onto the assistant settings', () => {
    const parsed = parseCommandLine([
      '--voice',
      'cedar',
      '--silence-ms',
      '700',
      '--debug',
      '--text',
    ]);
    expect(parsed).toMatchObject({
      ok: true,
      command: 'chat',
      args: {
        text: true,
        debug: true,
        configFlags: { voice: 'cedar', 'silence-ms': '700', 'log-level': 'debug' },
      },
    });
  });
});
