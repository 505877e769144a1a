import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

const pg = Boolean(process.env.TEST_DATABASE_URL);

/**
 * Two stages. First every file but two, four at a time on two cores (twice the cores): the unit,
 * integration and browser files side by side. The integration files wait on their database much of
 * the time (PostgreSQL most), the browser files keep the cores busy meanwhile; with two at a time,
 * or with the browser files after the others, a core stood idle for a third of the run. Each
 * integration file has its own database copy, app and clock, and shares its worker's module graph
 * (isolate: false, as the unit tests do: loading the server's modules once per file took most of the
 * time). The accessibility file, the longest, checks several pages at once. Last, alone, the tests that
 * measure answer times while the server works hard: they do not share the machine with another file.
 * The time limits catch a hang, not a slow machine: a test takes a fraction of them.
 */
const beside = { sequence: { groupOrder: 0 }, maxWorkers: Math.max(4, 2 * availableParallelism()) };
/** vitest runs projects of one stage with one worker limit */
const browser = beside;
const alone = { sequence: { groupOrder: 1 }, maxWorkers: 1 };
/** the browser and process tests that measure answer times under load */
const TIMED = ['tests/e2e/heavy-work.test.ts', 'tests/e2e/import-load.test.ts'];

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
          isolate: false,
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
                isolate: false,
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
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          exclude: TIMED,
          testTimeout: 240_000,
          hookTimeout: 240_000,
          maxConcurrency: 3,
          // the browser files share their worker's module graph too (each loads playwright-core and the helpers once)
          isolate: false,
          ...browser,
        },
      },
      {
        extends: true as const,
        test: { name: 'e2e-timed', include: TIMED, testTimeout: 240_000, hookTimeout: 240_000, ...alone },
      },
    ],
  },
});
