import { afterEach, beforeEach } from 'vitest';
import { startLocalRealtime } from '../../src/testing/index.js';
import type { LocalRealtimeHandle, StartLocalRealtimeOptions } from '../../src/testing/index.js';
import { openSession } from './session-client.js';
import type { SessionClient } from './session-client.js';

/** An engine and one session on it, opened (past `session.created`). */
export interface OpenedSession {
  readonly engine: LocalRealtimeHandle;
  readonly client: SessionClient;
}

/**
 * Before each test: a fresh engine and a session on it, handed to `use`; after each: both closed. The usual
 * set-up of an engine test, so the test file keeps plain `engine` / `client` variables:
 * `useEngineSession((opened) => ({ client } = opened));`
 */
export function useEngineSession(
  use: (opened: OpenedSession) => void,
  options: StartLocalRealtimeOptions = {},
): void {
  let opened: OpenedSession | null = null;
  beforeEach(async () => {
    const engine = await startLocalRealtime(options);
    const client = await openSession(engine);
    await client.expectNext('session.created');
    opened = { engine, client };
    use(opened);
  });
  afterEach(async () => {
    await opened?.client.close();
    await opened?.engine.close();
    opened = null;
  });
}
