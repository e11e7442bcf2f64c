/**
 * With DATABASE_URL naming a PostgreSQL server, the appointment desk books into it and the history reads from it;
 * the URL's password never reaches the screen, stdout or a log file.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openStorage } from '@realtime-assistant/assistant';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../assistant/test/helpers/test-database.js';
import { main } from '../src/main.js';
import { fakeIo } from './helpers/fake-io.js';

const PASSWORD = 'pg-Secret-7f3a91c2';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('realtime-assistant with DATABASE_URL', () => {
  it('books into PostgreSQL, lists the conversation from it, and never shows the password', async () => {
    // The test server trusts loopback connections, so any password is accepted: one that must never be seen.
    const url = new URL(await createTestDatabase());
    url.password = PASSWORD;
    const env = { DATABASE_URL: url.toString(), DESK_TIME_ZONE: 'UTC', LOG_LEVEL: 'debug' };
    const io = fakeIo(env);
    const done = main(['--text', '--json', '--debug', '--assistant-id', 'scheduler'], io);
    const day = new Date(Date.now() + 14 * 86_400_000);
    while (day.getUTCDay() !== 4) day.setUTCDate(day.getUTCDate() + 1);
    const date = day.toISOString().slice(0, 10);
    io.stdin.end(`book a basic appointment on ${date} at 11 am for Kim Park, kim@example.com\n`);
    expect(await done).toBe(0);
    expect(io.out()).toMatch(/"text":"You're booked! Your appointment ID is 1, on /);

    const storage = await openStorage({
      dataDir: join(io.cwd, 'unused'),
      databaseUrl: url.toString(),
    });
    try {
      expect(storage.dialect).toBe('postgres');
      expect(storage.location).not.toContain(PASSWORD);
      const [kim] = await storage.appointments.listByContact('kim@example.com');
      expect(kim?.start.toISOString()).toBe(`${date}T11:00:00.000Z`);
    } finally {
      await storage.close();
    }

    const history = fakeIo(env, io.cwd);
    expect(await main(['history'], history)).toBe(0);
    expect(history.out()).toMatch(/\n[0-9a-f]{8} .* scheduler +embedded\n$/);

    const seen = [io.out(), io.err(), history.out(), history.err()];
    for (const file of filesUnder(join(io.cwd, 'logs'))) seen.push(readFileSync(file, 'utf8'));
    expect(seen.length).toBeGreaterThan(4);
    for (const text of seen) expect(text).not.toContain(PASSWORD);
  }, 60_000);

  it('says which setting is wrong when DATABASE_URL is not a PostgreSQL URL, without printing it', async () => {
    const io = fakeIo({ DATABASE_URL: `mysql://root:${PASSWORD}@localhost/db` });
    expect(await main(['--text'], io)).toBe(2);
    expect(io.err()).toContain('storage.databaseUrl');
    expect(io.err()).toContain('postgres://');
    expect(io.err()).not.toContain(PASSWORD);
  });

  it('fails with a readable message when the PostgreSQL server cannot be reached, without the password', async () => {
    const io = fakeIo({ DATABASE_URL: `postgres://app:${PASSWORD}@127.0.0.1:1/nothing` });
    expect(await main(['history'], io)).toBe(1);
    expect(io.err()).toMatch(/^realtime-assistant history: .*DATABASE_URL/);
    expect(io.err()).not.toContain(PASSWORD);
  });
});
