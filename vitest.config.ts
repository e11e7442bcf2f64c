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
    // One test file at a time, whatever the machine: many tests drive real processes, terminals, audio devices and
    // speech recognition in real time, and files run side by side would compete for the cores (on 2 cores Vitest's
    // own default is one anyway; on more it would run several).
    maxWorkers: 1,
    minWorkers: 1,
    reporters: ['default', './scripts/slowest-files-reporter.ts'],
    // A throwaway PostgreSQL server for the storage tests, started on first use (see the file).
    globalSetup: ['packages/assistant/test/setup/postgres-global.ts'],
  },
});
