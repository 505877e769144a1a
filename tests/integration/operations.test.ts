import fs from 'node:fs';
import path from 'node:path';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupSqlite } from '../../server/db/backup.js';
import { createKnex } from '../../server/db/knex.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('operations', () => {
  it('/healthz checks the database', async () => {
    expect((await supertest(t.app).get('/healthz')).body).toEqual({ status: 'ok' });
  });

  it('every response carries a request id (also used in the logs)', async () => {
    const r = await supertest(t.app).get('/healthz').set('X-Request-Id', 'abc-123');
    expect(r.headers['x-request-id']).toBe('abc-123');
    expect((await supertest(t.app).get('/healthz')).headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("security headers: a CSP that allows only the app's own scripts", async () => {
    const r = await supertest(t.app).get('/login');
    expect(r.headers['content-security-policy']).toContain("script-src 'self'");
    expect(r.headers['content-security-policy']).toContain("default-src 'self'");
    expect(r.headers['x-content-type-options']).toBe('nosniff');
  });

  it.runIf(process.env.TEST_DB !== 'pg')('a SQLite backup is a consistent, openable copy with the same data', async () => {
    const dir = path.join(path.dirname(String(t.db.client.config.connection.filename)), `backup-${process.pid}`);
    const file = await backupSqlite(t.db, dir, new Date('2026-11-24T10:11:12Z'));
    expect(path.basename(file)).toBe('standortplanung-20261124-101112.sqlite');
    const copy = createKnex(`sqlite://${file}`);
    try {
      const [a, b] = await Promise.all([t.db('moves').count({ n: '*' }).first(), copy('moves').count({ n: '*' }).first()]);
      expect(Number(b!.n)).toBe(Number(a!.n));
    } finally {
      await copy.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
