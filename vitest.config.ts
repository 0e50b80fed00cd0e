// Test projects by kind: unit specs sit beside the code, integration suites start their own store and servers.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The domain is the business rule set: its line coverage is reported by every run and must stay ≥ 95%.
    coverage: {
      provider: 'v8',
      include: ['domain/**/*.ts'],
      exclude: ['domain/**/*.spec.ts', 'domain/**/*.fixtures.ts', 'domain/testing/**'],
      reporter: ['text-summary', 'json-summary'],
      reportsDirectory: 'test-results/coverage',
      thresholds: { lines: 95 },
    },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{domain,sync-server,renderer,electron,test}/**/*.unit.spec.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'int',
          include: ['test/integration/**/*.int.spec.ts', 'sync-server/**/*.int.spec.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
