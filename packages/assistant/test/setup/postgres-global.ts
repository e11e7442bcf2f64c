import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';
import { startPostgresServer } from '../helpers/postgres-server.js';
import type { PostgresServer } from '../helpers/postgres-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A loopback URL; POST `/postgres` starts (once) the shared test PostgreSQL server and returns its base URL. */
    postgresControlUrl: string;
  }
}

/**
 * Vitest global setup: a shared throwaway PostgreSQL server for the whole run, started lazily by the first test
 * file that asks for it (through `createTestDatabase()`), so runs without storage tests pay nothing.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let server: Promise<PostgresServer> | undefined;
  const control = createServer((request, response) => {
    if (request.method !== 'POST' || request.url !== '/postgres') {
      response.writeHead(404).end();
      return;
    }
    server ??= startPostgresServer();
    server.then(
      (started) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ baseUrl: started.baseUrl, startupMs: started.startupMs }));
      },
      (error: unknown) => {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({ message: error instanceof Error ? error.message : String(error) }),
        );
      },
    );
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
  const { port } = control.address() as AddressInfo;
  project.provide('postgresControlUrl', `http://127.0.0.1:${port}`);

  return async () => {
    await new Promise<void>((resolve) => control.close(() => resolve()));
    const started = await server?.catch(() => undefined);
    await started?.stop();
  };
}
