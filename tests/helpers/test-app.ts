import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import knexFactory, { type Knex } from 'knex';
import pino from 'pino';
import supertest from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { inject } from 'vitest';
import { buildApp } from '../../server/app.js';
import { loadConfig, type Config } from '../../server/config.js';
import { cacheOf, contextOf, type AppContext } from '../../server/context.js';
import { createKnex } from '../../server/db/knex.js';
import { createRepos, type Repos } from '../../server/repositories/index.js';
import { TEST_PASSWORD, type TestUser } from './fixtures.js';
// not from global-setup.ts: that module brings Playwright and esbuild into every integration worker
import { withDatabase } from './database-url.js';

export const TEST_TODAY = '2026-11-24';

export interface TestApp {
  app: ReturnType<typeof buildApp>;
  ctx: AppContext;
  db: Knex;
  /** the repositories the app's services use (for fixtures, and to build a service in a test) */
  repos: Repos;
  dialect: 'sqlite' | 'pg';
  close: () => Promise<void>;
  /** a supertest agent logged in as the user, with its CSRF token */
  login: (user: TestUser) => Promise<{ agent: TestAgent; csrf: string }>;
}

/** A fresh copy of the migrated, seeded test database and the app on it, in-process. */
export async function createTestApp(
  opts: { today?: string; config?: Partial<Config>; loginLimit?: number; addressLoginLimit?: number; logger?: pino.Logger } = {},
): Promise<TestApp> {
  const dialect = process.env.TEST_DB === 'pg' ? 'pg' : 'sqlite';
  let url: string;
  let cleanup: () => Promise<void>;
  if (dialect === 'pg') {
    const adminUrl = process.env.TEST_DATABASE_URL!;
    const template = inject('pgTemplate')!;
    const name = `sp_test_${process.ppid}_${randomUUID().slice(0, 8)}`;
    const admin = knexFactory({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 1 } });
    await admin.raw(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    await admin.destroy();
    url = withDatabase(adminUrl, name);
    // The copies are dropped together when the run ends (global-setup.ts), not one by one here: a DROP
    // DATABASE waits for every backend of the server to acknowledge it, and a connection that was still
    // being opened to the database being dropped cannot, until its authentication times out (60 s). In
    // a run that stalled all four workers for a minute, and each drop also forced a checkpoint.
    cleanup = async () => {};
  } else {
    const file = path.join(path.dirname(inject('sqliteTemplate')), `test-${randomUUID()}.sqlite`);
    fs.copyFileSync(inject('sqliteTemplate'), file);
    url = `sqlite://${file}`;
    cleanup = async () => {
      for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    };
  }
  const db = createKnex(url);
  const config = {
    ...loadConfig({ DATABASE_URL: url, SESSION_SECRET: 'test-secret-test-secret', TILE_URL: 'none', LOG_LEVEL: 'silent', WORKERS: '0' }),
    ...opts.config,
  };
  const today = opts.today ?? TEST_TODAY;
  // a clock that moves on with every write: two writes never share a timestamp, so no test sleeps for it
  const repos = createRepos(db, cacheOf(db, config), tickingClock());
  const ctx = contextOf(repos, config, () => today);
  const app = buildApp(ctx, {
    logger: opts.logger ?? pino({ level: 'silent' }),
    loginLimit: opts.loginLimit ?? 1000,
    addressLoginLimit: opts.addressLoginLimit ?? 1000,
  });
  return {
    app,
    ctx,
    db,
    repos,
    dialect,
    close: async () => {
      await ctx.close();
      await db.destroy();
      await cleanup();
    },
    login: async (user) => {
      const agent = supertest.agent(app);
      const res = await agent.post('/api/login').send({ username: user, password: TEST_PASSWORD });
      if (res.status !== 200) throw new Error(`login ${user} failed: ${res.status} ${JSON.stringify(res.body)}`);
      return { agent, csrf: res.body.csrfToken as string };
    },
  };
}

/** The wall clock, but at least a millisecond later on every call. */
export function tickingClock(): () => string {
  let last = 0;
  return () => {
    last = Math.max(Date.now(), last + 1);
    return new Date(last).toISOString();
  };
}
