import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

const pg = Boolean(process.env.TEST_DATABASE_URL);

/**
 * Two stages. First the unit and integration tests, files side by side on every core (each file has
 * its own database copy; on two cores the SQLite and PostgreSQL runs overlap, one waiting on its
 * database while the other computes). Then the browser and process tests, one file at a time: they
 * start servers and measure answer times, so they do not share the machine with another file; the
 * accessibility file checks its pages several at once instead (maxConcurrency).
 * The time limits catch a hang, not a slow machine: a test takes a fraction of them.
 */
const beside = { sequence: { groupOrder: 0 }, maxWorkers: Math.max(2, availableParallelism()) };
const alone = { sequence: { groupOrder: 1 }, maxWorkers: 1 };

export default defineConfig({
  test: {
    globalSetup: ['tests/helpers/global-setup.ts'],
    env: { BCRYPT_COST: '4', LOG_LEVEL: 'silent' },
    projects: [
      // pure code without I/O or module state: one module graph for all files (isolating each file doubled the project's time)
      { extends: true as const, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], isolate: false, testTimeout: 30_000, ...beside } },
      {
        extends: true as const,
        test: {
          name: 'integration-sqlite',
          include: ['tests/integration/**/*.test.ts'],
          env: { TEST_DB: 'sqlite' },
          testTimeout: 60_000,
          hookTimeout: 120_000,
          ...beside,
        },
      },
      ...(pg
        ? [
            {
              extends: true as const,
              test: {
                name: 'integration-pg',
                include: ['tests/integration/**/*.test.ts'],
                env: { TEST_DB: 'pg' },
                testTimeout: 60_000,
                hookTimeout: 120_000,
                ...beside,
              },
            },
          ]
        : []),
      {
        extends: true as const,
        test: { name: 'e2e', include: ['tests/e2e/**/*.test.ts'], testTimeout: 240_000, hookTimeout: 240_000, maxConcurrency: 3, ...alone },
      },
    ],
  },
});
