import { Writable } from 'node:stream';
import type {
  ListenInfo,
  LocalRealtimeServer,
  LocalRealtimeServerOptions,
} from '../../src/server/create-server.js';
import { createLocalRealtimeServer } from '../../src/server/create-server.js';
import { echoSessions } from './echo-session.js';

/** Log lines written by a server, captured in memory. */
export class LogCapture extends Writable {
  readonly chunks: string[] = [];

  #waiters: { test: (line: Record<string, unknown>) => boolean; resolve: () => void }[] = [];

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.chunks.push(chunk.toString());
    const lines = chunk
      .toString()
      .split('\n')
      .filter((line) => line.trim().length > 0)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    this.#waiters = this.#waiters.filter((waiter) => {
      if (!lines.some(waiter.test)) return true;
      waiter.resolve();
      return false;
    });
    callback();
  }

  /** Resolves when a line matching `test` is written (or already was). */
  waitFor(test: (line: Record<string, unknown>) => boolean): Promise<void> {
    if (this.lines().some(test)) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ test, resolve }));
  }

  text(): string {
    return this.chunks.join('');
  }

  lines(): Record<string, unknown>[] {
    return this.text()
      .split('\n')
      .filter((line) => line.trim().length > 0)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

const running = new Set<LocalRealtimeServer>();

/** Starts a server on 127.0.0.1, port 0, with echo sessions (unless a provider is given) and silent logs. */
export async function startTestServer(options: Partial<LocalRealtimeServerOptions> = {}): Promise<{
  server: LocalRealtimeServer;
  info: ListenInfo;
  echo: ReturnType<typeof echoSessions>;
}> {
  const echo = echoSessions();
  const server = createLocalRealtimeServer({
    host: '127.0.0.1',
    port: 0,
    logLevel: 'silent',
    createSessionFactory: echo.provider,
    ...options,
  });
  running.add(server);
  const info = await server.listen();
  return { server, info, echo };
}

/** Closes every server started by {@link startTestServer} (call in afterEach). */
export async function closeTestServers(): Promise<void> {
  const servers = [...running];
  running.clear();
  await Promise.all(servers.map((server) => server.close()));
}
