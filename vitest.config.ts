import { defaultServerConditions, defineConfig } from 'vite';

export default defineConfig({
  // Workspace packages resolve to their TypeScript sources in tests (the `source` condition of their `exports`).
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source', ...defaultServerConditions] } },
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // A throwaway PostgreSQL server for the storage tests, started on first use (see the file).
    globalSetup: ['packages/assistant/test/setup/postgres-global.ts'],
  },
});
