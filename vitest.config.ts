import { defineConfig } from 'vitest/config';

const pg = Boolean(process.env.TEST_DATABASE_URL);

export default defineConfig({
  test: {
    globalSetup: ['tests/helpers/global-setup.ts'],
    env: { BCRYPT_COST: '4', LOG_LEVEL: 'silent' },
    projects: [
      { extends: true as const, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], testTimeout: 20_000 } },
      {
        extends: true as const,
        test: { name: 'integration-sqlite', include: ['tests/integration/**/*.test.ts'], env: { TEST_DB: 'sqlite' }, testTimeout: 30_000, hookTimeout: 60_000 },
      },
      ...(pg
        ? [
            {
              extends: true as const,
              test: { name: 'integration-pg', include: ['tests/integration/**/*.test.ts'], env: { TEST_DB: 'pg' }, testTimeout: 30_000, hookTimeout: 60_000 },
            },
          ]
        : []),
      { extends: true as const, test: { name: 'e2e', include: ['tests/e2e/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 120_000 } },
    ],
  },
});
