/**
 * A new database without the Ulm dataset (SEED=none), as a newcomer first sees it: the map says the
 * database is empty and how to start, and its date slider spans more than one day.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { cacheOf, contextOf, type AppContext } from '../../server/context.js';
import { createKnex } from '../../server/db/knex.js';
import { migrateLatest } from '../../server/db/migrate.js';
import { createRepos } from '../../server/repositories/index.js';
import { de } from '../../server/i18n/de.js';

const TODAY = '2026-11-24';
// the same on both databases: one SQLite file of its own (the PostgreSQL run checks it once more)
const file = path.join(path.dirname(inject('sqliteTemplate')), `empty-${randomUUID()}.sqlite`);
const db = createKnex(`sqlite://${file}`);
let ctx: AppContext;
let agent: ReturnType<typeof supertest.agent>;

beforeAll(async () => {
  await migrateLatest(db);
  const config = loadConfig({ DATABASE_URL: `sqlite://${file}`, SESSION_SECRET: 'test-secret-test-secret', TILE_URL: 'none', SEED: 'none' });
  ctx = contextOf(createRepos(db, cacheOf(db, config)), config, () => TODAY);
  await ctx.services.users.ensureAdmin('empty-admin-pass-1');
  agent = supertest.agent(buildApp(ctx, { logger: pino({ level: 'silent' }) }));
  expect((await agent.post('/api/login').send({ username: 'admin', password: 'empty-admin-pass-1' })).status).toBe(200);
});
afterAll(async () => {
  await ctx?.close();
  await db.destroy();
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
});

describe('an empty database (SEED=none)', () => {
  it('when the map opens, then it is told the database is empty (not "nothing matches"), and the slider spans a year back and two ahead', async () => {
    const res = await agent.get('/');
    expect(res.status).toBe(200);
    const config = JSON.parse(
      /data-config="([^"]*)"/
        .exec(res.text)?.[1]
        ?.replace(/&#34;|&quot;/g, '"')
        .replace(/&amp;/g, '&') ?? '{}',
    );
    expect(config.empty).toBe(true);
    expect(config.period).toEqual({ from: '2025-11-24', to: '2028-11-24' });
    // the words the map shows for it, in German, naming both ways to start
    expect(config.dict['map.empty_database']).toBe(de['map.empty_database']);
    expect(de['map.empty_database']).toContain('Import');
    expect(de['map.empty_database']).toContain('SEED=ulm');
  });

  it('when the Ulm dataset is there, then the map is not told it is empty', async () => {
    const { createTestApp } = await import('../helpers/test-app.js');
    const t = await createTestApp();
    try {
      const { agent: viewer } = await t.login('viewer');
      const res = await viewer.get('/');
      expect(res.text).toMatch(/&#34;empty&#34;:false|&quot;empty&quot;:false|"empty":false/);
    } finally {
      await t.close();
    }
  });
});
