import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createAppLogger,
  formatPrettyLine,
  loadConfig,
  RotatingFile,
  scrubString,
} from '../src/index.js';
import type { AppConfig } from '../src/index.js';

const KEY = 'sk-test-1234567890abcdefghijkl';
const EPHEMERAL = 'ek_68a1b2c3d4e5f6a7b8c9';

function logging(overrides: Partial<AppConfig['logging']> = {}): AppConfig['logging'] {
  const dir = mkdtempSync(join(tmpdir(), 'assistant-logs-'));
  return {
    level: 'debug',
    dir,
    console: 'pretty',
    rotateSize: 1024 * 1024,
    rotateCount: 3,
    ...overrides,
  };
}

function lines(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('createAppLogger', () => {
  it('writes the app file and the realtime-session file with session_id on every line and no key', () => {
    const config = loadConfig({ env: { OPENAI_API_KEY: KEY } });
    if (!config.ok) throw new Error('config');
    const consoleLines: string[] = [];
    const app = createAppLogger({
      logging: logging(),
      sessionId: 'run-1',
      console: { write: (l: string) => consoleLines.push(l) },
    });
    app.logger.info({ config: config.config }, 'starting');
    app.logger.info({ apiKey: KEY, headers: { Authorization: `Bearer ${KEY}` } }, 'connecting');
    app.logger.warn(`token ${EPHEMERAL} in a message, and key ${KEY}`);
    app.logger.error({ err: new Error(`failed with ${KEY}`) }, 'boom');
    const { logger: session, file } = app.forRealtimeSession('sess_abc');
    session.info({ nested: { deep: [`x ${KEY}`] } }, 'turn');
    app.close();

    expect(app.appFile).toMatch(/app_run-1\.log$/);
    expect(file).toMatch(/sessions[/\\]run-1_sess_abc\.log$/);
    const appLines = lines(app.appFile);
    const sessionLines = lines(file);
    expect(appLines).toHaveLength(5);
    expect(sessionLines).toHaveLength(1);
    for (const line of [...appLines, ...sessionLines]) expect(line.session_id).toBe('run-1');
    expect(sessionLines[0]).toMatchObject({ realtime_session_id: 'sess_abc', msg: 'turn' });
    for (const text of [
      readFileSync(app.appFile, 'utf8'),
      readFileSync(file, 'utf8'),
      consoleLines.join(''),
    ]) {
      expect(text).not.toContain(KEY);
      expect(text).not.toContain(EPHEMERAL);
      expect(text).not.toContain('1234567890abcdef');
    }
    expect(appLines[1]).toMatchObject({ apiKey: '[redacted]' });
  });

  it('prints readable console lines, or JSON when asked', () => {
    const pretty: string[] = [];
    const a = createAppLogger({
      logging: logging(),
      sessionId: 's',
      console: { write: (l: string) => pretty.push(l) },
    });
    a.logger.child({ component: 'conversation' }).info({ model: 'gpt-realtime' }, 'connected');
    a.close();
    expect(pretty[0]).toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} INFO {2}\[conversation\] connected model=gpt-realtime\n$/,
    );
    const json: string[] = [];
    const b = createAppLogger({
      logging: logging({ console: 'json' }),
      sessionId: 's',
      console: { write: (l: string) => json.push(l) },
    });
    b.logger.info('hello');
    b.close();
    expect(JSON.parse(json[0]!)).toMatchObject({ msg: 'hello', session_id: 's' });
  });

  it('filters console lines by the console level while the file keeps everything', () => {
    const out: string[] = [];
    const app = createAppLogger({
      logging: logging({ level: 'debug' }),
      sessionId: 's',
      console: { write: (l: string) => out.push(l) },
      consoleLevel: 'warn',
    });
    app.logger.debug('detail');
    app.logger.warn('careful');
    app.close();
    expect(out).toHaveLength(1);
    expect(lines(app.appFile).map((l) => l.msg)).toEqual(['detail', 'careful']);
  });

  it('keeps only the newest app logs on start-up', () => {
    const config = logging({ rotateCount: 2 });
    for (const id of ['a', 'b', 'c']) createAppLogger({ logging: config, sessionId: id }).close();
    expect(readdirSync(config.dir).filter((n) => n.startsWith('app_'))).toHaveLength(2);
  });
});

describe('RotatingFile', () => {
  it('rotates by size and keeps at most count old files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'assistant-rotate-'));
    const path = join(dir, 'x.log');
    const file = new RotatingFile(path, { maxBytes: 100, count: 2 });
    const line = `${'a'.repeat(59)}\n`;
    for (let i = 0; i < 5; i++) file.write(line);
    file.close();
    expect(existsSync(`${path}.1`)).toBe(true);
    expect(existsSync(`${path}.2`)).toBe(true);
    expect(existsSync(`${path}.3`)).toBe(false);
    expect(statSync(path).size).toBeLessThanOrEqual(100);
  });

  it('rotates an oversized file left from a previous run when opened', () => {
    const dir = mkdtempSync(join(tmpdir(), 'assistant-rotate-'));
    const path = join(dir, 'x.log');
    writeFileSync(path, 'b'.repeat(200));
    new RotatingFile(path, { maxBytes: 100, count: 1 }).close();
    expect(statSync(`${path}.1`).size).toBe(200);
    expect(statSync(path).size).toBe(0);
  });
});

describe('scrubbing', () => {
  it('masks keys, ephemeral keys and bearer tokens inside text', () => {
    expect(scrubString(`a ${KEY} b`)).toBe('a sk-[redacted] b');
    expect(scrubString(`Authorization: Bearer abc.def-ghi`)).toBe(
      'Authorization: Bearer [redacted]',
    );
    expect(scrubString(`secret ${EPHEMERAL}`)).toBe('secret ek_[redacted]');
    expect(scrubString('task-force sk-ok')).toBe('task-force sk-ok');
  });

  it('passes non-JSON lines through the pretty formatter unchanged', () => {
    expect(formatPrettyLine('plain')).toBe('plain\n');
  });
});
