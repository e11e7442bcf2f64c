import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { describeConfig, loadConfig, OPENAI_REALTIME_URL } from '../src/index.js';
import type { LoadConfigResult } from '../src/index.js';

const KEY = 'sk-test-1234567890abcdefghij';

function dir(envFile?: string): string {
  const d = mkdtempSync(join(tmpdir(), 'assistant-config-'));
  if (envFile !== undefined) writeFileSync(join(d, '.env'), envFile);
  return d;
}

function ok(result: LoadConfigResult) {
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return result;
}

describe('loadConfig', () => {
  it('gives the defaults and the embedded target when nothing is set', () => {
    const r = ok(loadConfig({ cwd: dir() }));
    expect(r.config.turnDetection).toEqual({
      type: 'server_vad',
      threshold: 0.5,
      silenceMs: 500,
      prefixMs: 300,
      eagerness: 'auto',
      interruptResponse: true,
      createResponse: true,
    });
    expect(r.config.api.model).toBe('gpt-realtime');
    expect(r.target).toEqual({ kind: 'embedded' });
    expect(r.sources['turnDetection.threshold']).toBe('default');
    expect(r.warnings).toEqual([]);
  });

  it('applies defaults < .env < environment < flags', () => {
    const cwd = dir(
      'VAD_THRESHOLD=0.2\nVAD_SILENCE_MS=700\nREALTIME_VOICE=cedar\nLOG_LEVEL=debug\n',
    );
    const r = ok(
      loadConfig({
        cwd,
        env: { VAD_SILENCE_MS: '800', REALTIME_VOICE: 'ash' },
        flags: { 'vad-threshold': '0.9', voice: 'verse' },
      }),
    );
    expect(r.config.turnDetection.threshold).toBe(0.9);
    expect(r.config.turnDetection.silenceMs).toBe(800);
    expect(r.config.api.voice).toBe('verse');
    expect(r.config.logging.level).toBe('debug');
    expect(r.sources).toMatchObject({
      'turnDetection.threshold': 'flag --vad-threshold',
      'turnDetection.silenceMs': 'env VAD_SILENCE_MS',
      'logging.level': '.env LOG_LEVEL',
      'api.voice': 'flag --voice',
    });
  });

  it('accepts camelCase flag names and typed flag values', () => {
    const r = ok(
      loadConfig({ cwd: dir(), flags: { vadThreshold: 0.3, saveRecordings: true, prefixMs: 100 } }),
    );
    expect(r.config.turnDetection.threshold).toBe(0.3);
    expect(r.config.audio.saveRecordings).toBe(true);
    expect(r.config.turnDetection.prefixMs).toBe(100);
  });

  it('does not touch process.env when reading .env', () => {
    const before = process.env.VAD_EAGERNESS;
    ok(loadConfig({ cwd: dir('VAD_EAGERNESS=high\n') }));
    expect(process.env.VAD_EAGERNESS).toBe(before);
  });

  it('names the setting, the bad value, what is allowed and the source for an out-of-range threshold', () => {
    const r = loadConfig({ cwd: dir(), flags: { 'vad-threshold': '2' } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({
      setting: 'turnDetection.threshold',
      value: '2',
      allowed: 'a number from 0 to 1',
      source: 'flag --vad-threshold',
    });
    expect(r.errors[0]!.message).toMatch(
      /turnDetection\.threshold.*"2".*flag --vad-threshold.*a number from 0 to 1/,
    );
  });

  it('reports every bad value at once, from .env and the environment', () => {
    const r = loadConfig({
      cwd: dir('VAD_TYPE=loud\n'),
      env: {
        VAD_SILENCE_MS: 'soon',
        SAVE_RECORDINGS: 'maybe',
        AUDIO_SAMPLE_RATE: '44100',
        LOG_ROTATE_COUNT: '0',
      },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.setting, e.value, e.source])).toEqual([
      ['audio.saveRecordings', 'maybe', 'env SAVE_RECORDINGS'],
      ['turnDetection.type', 'loud', '.env VAD_TYPE'],
      ['turnDetection.silenceMs', 'soon', 'env VAD_SILENCE_MS'],
      ['audio.sampleRate', '44100', 'env AUDIO_SAMPLE_RATE'],
      ['logging.rotateCount', '0', 'env LOG_ROTATE_COUNT'],
    ]);
    expect(r.errors.find((e) => e.setting === 'turnDetection.type')?.allowed).toBe(
      'server_vad, semantic_vad or none',
    );
  });

  it('rejects a fractional silence and a non-websocket base URL', () => {
    const r = loadConfig({
      cwd: dir(),
      flags: { 'silence-ms': '12.5', 'base-url': 'http://localhost:1' },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.setting).sort()).toEqual([
      'api.baseUrl',
      'turnDetection.silenceMs',
    ]);
  });

  it('refuses a key given as a flag, without echoing it', () => {
    const r = loadConfig({ cwd: dir(), flags: { 'api-key': KEY } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ setting: 'api.apiKey', source: 'flag --api-key' });
    expect(JSON.stringify(r.errors)).not.toContain(KEY);
  });

  it('takes the key from the environment or .env and then targets OpenAI', () => {
    const fromEnv = ok(loadConfig({ cwd: dir(), env: { OPENAI_API_KEY: KEY } }));
    expect(fromEnv.target).toEqual({ kind: 'openai', url: OPENAI_REALTIME_URL });
    expect(fromEnv.config.api.apiKey?.reveal()).toBe(KEY);
    const fromFile = ok(loadConfig({ cwd: dir(`OPENAI_API_KEY=${KEY}\n`) }));
    expect(fromFile.sources['api.apiKey']).toBe('.env OPENAI_API_KEY');
    expect(fromFile.target.kind).toBe('openai');
  });

  it('targets a given base URL over OpenAI', () => {
    const r = ok(
      loadConfig({
        cwd: dir(),
        env: { OPENAI_API_KEY: KEY, REALTIME_URL: 'ws://127.0.0.1:9/v1/realtime' },
      }),
    );
    expect(r.target).toEqual({ kind: 'custom', url: 'ws://127.0.0.1:9/v1/realtime' });
  });

  it('never prints the key: describeConfig, JSON and inspect mask it', () => {
    const r = ok(loadConfig({ cwd: dir(), env: { OPENAI_API_KEY: KEY } }));
    const lines = describeConfig(r.config, r.sources);
    expect(lines).toContain('api.apiKey = sk-t…(28 chars) (env OPENAI_API_KEY)');
    expect(lines.join('\n')).not.toContain(KEY);
    expect(JSON.stringify(r.config)).not.toContain(KEY);
    expect(inspect(r.config, { depth: 5 })).not.toContain(KEY);
  });

  it('tells stored prompts from profile names', () => {
    expect(ok(loadConfig({ cwd: dir(), flags: { 'assistant-id': 'pmpt_abc' } })).assistant).toEqual(
      {
        kind: 'prompt',
        id: 'pmpt_abc',
      },
    );
    expect(ok(loadConfig({ cwd: dir(), flags: { 'assistant-id': 'coach' } })).assistant).toEqual({
      kind: 'profile',
      name: 'coach',
    });
  });

  it('warns that temperature does nothing on the GA shape, and not on beta', () => {
    const ga = ok(loadConfig({ cwd: dir(), flags: { temperature: '0.8' } }));
    expect(ga.warnings).toEqual([expect.stringContaining('api.temperature')]);
    const beta = ok(loadConfig({ cwd: dir(), flags: { temperature: '0.8', protocol: 'beta' } }));
    expect(beta.warnings).toEqual([]);
  });

  it('reports a missing explicit .env file and does not throw', () => {
    const r = loadConfig({ cwd: dir(), envFile: 'nope.env' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]).toMatchObject({ setting: 'envFile', value: 'nope.env' });
  });
});
