import { tmpdir } from 'node:os';

/**
 * The environment a CLI spawned by a test runs with: enough to find programs and a home, and nothing else of the
 * machine's (a LOG_LEVEL, DATABASE_URL, DATA_DIR, REALTIME_URL, VAD_* or OPENAI_API_KEY set where the tests run
 * would change what is tested). `extra` adds what the test itself sets.
 */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: process.env.HOME ?? tmpdir(),
    LANG: 'C.UTF-8',
  };
  for (const [name, value] of Object.entries(extra)) if (value !== undefined) env[name] = value;
  return env;
}
