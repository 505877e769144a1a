import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import knexFactory from 'knex';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { isDbUnavailable } from '../../server/db/knex.js';
import { migrateLatest } from '../../server/db/migrate.js';
import { explainStartupError } from '../../server/db/startup-errors.js';
import { toAppError } from '../../server/errors.js';
import { assetVersion } from '../../server/routes/assets.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
// every request reads its session from the database, as in a process that holds no copy of it (SESSION_CACHE_MS=0)
beforeAll(async () => {
  t = await createTestApp({ config: { sessionCacheMs: 0 } });
});
afterAll(async () => {
  await t.close();
});

describe('static files', () => {
  it('when an asset is missing or the path tries to leave the folder, then 404, never 500', async () => {
    expect((await supertest(t.app).get('/static/css/app.css')).status).toBe(200);
    for (const p of [
      '/static/nope.js',
      '/static/js/../../package.json',
      '/static/..%2f..%2fpackage.json',
      '/static/%2e%2e/%2e%2e/server/app.ts',
      '/static/..%5c..%5cpackage.json',
      '/vendor/leaflet/nope.js',
      '/vendor/leaflet/..%2f..%2f..%2fpackage.json',
      '/vendor/chart.js/..%2f..%2f..%2fpackage.json',
      '/vendor/chart.js/nope.js',
      '/static/%00',
      '/assets/abc/static/nope.js',
      '/assets/abc/static/..%2f..%2fpackage.json',
    ]) {
      const res = await supertest(t.app).get(p);
      expect(res.status, p).toBe(404);
      expect(res.text).not.toContain('"name": "standortplanung"');
    }
  });
});

describe('browser caches after an update', () => {
  it('when a page is served in production, then its scripts and styles have versioned addresses a browser keeps a year; plain and older addresses are revalidated', async () => {
    const prod = await createTestApp({ config: { production: true } });
    try {
      const page = (await supertest(prod.app).get('/login').expect(200)).text;
      const named = [...page.matchAll(/(?:src|href)="(\/[^"]*\.(?:js|css|svg))"/g)].map((m) => m[1]);
      expect(named.length).toBeGreaterThanOrEqual(3);
      const version = /^\/assets\/([0-9a-f]{12})\/static\//.exec(named[0])?.[1];
      expect(version).toBeDefined();
      for (const p of named) {
        expect(p).toMatch(new RegExp(`^/assets/${version}/(static|vendor)/`));
        const res = await supertest(prod.app).get(p).expect(200);
        expect(res.headers['cache-control'], p).toBe('public, max-age=31536000, immutable');
      }
      // a module the page's script imports (by a relative path) is under the same version, kept as long
      const cluster = await supertest(prod.app).get(`/assets/${version}/vendor/markercluster/markercluster.esm.js`).expect(200);
      expect(cluster.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      for (const p of ['/static/css/app.css', '/vendor/markercluster/markercluster.esm.js', '/assets/0123456789ab/static/css/app.css'])
        expect((await supertest(prod.app).get(p).expect(200)).headers['cache-control'], p).toBe('public, max-age=0');
    } finally {
      await prod.close();
    }
  });
});

describe('the version of the browser assets', () => {
  it('when a file under public/ or the locked libraries change, then the version changes; the same files give the same version', () => {
    const root = fs.mkdtempSync(path.join(path.dirname(inject('sqliteTemplate')), 'assets-'));
    try {
      fs.mkdirSync(path.join(root, 'public', 'js'), { recursive: true });
      fs.writeFileSync(path.join(root, 'public', 'js', 'map.js'), 'export const a = 1;');
      fs.writeFileSync(path.join(root, 'package-lock.json'), '{"lockfileVersion":3}');
      const code = path.join(root, 'public', 'js', 'map.js');
      const first = assetVersion(root, code);
      expect(assetVersion(root, code)).toBe(first);
      fs.writeFileSync(path.join(root, 'public', 'js', 'map.js'), 'export const a = 2;');
      const second = assetVersion(root, code);
      expect(second).not.toBe(first);
      fs.writeFileSync(path.join(root, 'package-lock.json'), '{"lockfileVersion":3,"packages":{}}');
      expect(assetVersion(root, code)).not.toBe(second);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('the browser libraries as ES modules', () => {
  it('when a page imports Leaflet, its clustering plugin and Chart.js, then each is a module with no bare import and no global', async () => {
    const get = async (p: string) => {
      const res = await supertest(t.app).get(p);
      expect(res.status, p).toBe(200);
      expect(res.headers['content-type'], p).toMatch(/javascript/);
      return res.text;
    };
    // the imports are relative (a module graph stays under the versioned address its page named): resolved, they name the served files
    const imports = (from: string, text: string) => [...text.matchAll(/(?:from |import )'([^']+)'/g)].map((m) => new URL(m[1], `http://x${from}`).pathname);
    expect(await get('/vendor/leaflet/leaflet-src.esm.js')).toMatch(/^export \{/m);
    const cluster = await get('/vendor/markercluster/markercluster.esm.js');
    expect(imports('/vendor/markercluster/markercluster.esm.js', cluster)).toEqual(['/vendor/leaflet/leaflet-src.esm.js']);
    expect(cluster).toMatch(/^export const markerClusterGroup = /m);
    for (const p of ['/vendor/chart.js/chart.js', '/vendor/chart.js/chunks/index.js']) {
      const text = await get(p);
      expect(text, p).not.toContain("'@kurkle/color'");
      expect(imports(p, text), p).toContain('/vendor/kurkle-color/color.esm.js');
    }
    expect(await get('/vendor/kurkle-color/color.esm.js')).toMatch(/export/);
    for (const lib of ['leaflet', 'markercluster', 'chart']) {
      const p = `/static/js/lib/${lib}.js`;
      for (const target of imports(p, await get(p))) await get(target);
    }
  });
});

describe('database trouble', () => {
  it('locked, full, read-only or unreachable databases become 503 DB_UNAVAILABLE; other errors stay 500', () => {
    const cases = [
      Object.assign(new Error('SQLITE_BUSY: database is locked'), { code: 'SQLITE_BUSY' }),
      Object.assign(new Error('SQLITE_FULL: database or disk is full'), { code: 'SQLITE_FULL' }),
      Object.assign(new Error('SQLITE_READONLY: attempt to write a readonly database'), { code: 'SQLITE_READONLY' }),
      Object.assign(new Error('SQLITE_IOERR: disk I/O error'), { code: 'SQLITE_IOERR' }),
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      Object.assign(new Error('could not extend file: No space left on device'), { code: '53100' }),
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      Object.assign(new Error('Knex: Timeout acquiring a connection.'), { name: 'KnexTimeoutError' }),
      new Error('Connection terminated unexpectedly'),
    ];
    for (const e of cases) {
      expect(isDbUnavailable(e), e.message).toBe(true);
      expect(toAppError(e)).toMatchObject({ status: 503, code: 'DB_UNAVAILABLE' });
    }
    expect(toAppError(new TypeError('x is undefined'))).toMatchObject({ status: 500, code: 'INTERNAL' });
    expect(toAppError(Object.assign(new Error('UNIQUE constraint failed'), { code: 'SQLITE_CONSTRAINT' }))).toMatchObject({ status: 500 });
  });

  it('when a session cannot be read, then the request answers 503 and the app goes on', async () => {
    const { agent } = await t.login('viewer');
    const repo = t.repos.sessions;
    const original = repo.getWithRevision.bind(repo);
    repo.getWithRevision = async () => {
      throw Object.assign(new Error('SQLITE_BUSY: database is locked'), { code: 'SQLITE_BUSY' });
    };
    try {
      const res = await agent.get('/api/sites');
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('DB_UNAVAILABLE');
      const page = await agent.get('/sites');
      expect(page.status).toBe(503);
    } finally {
      repo.getWithRevision = original;
    }
    expect((await agent.get('/api/sites')).status).toBe(200);
  });

  it('when the database file is read-only at start-up, then the message says so (not "MigrationLocked")', async () => {
    const file = path.join(path.dirname(inject('sqliteTemplate')), `ro-${randomUUID()}.sqlite`);
    fs.copyFileSync(inject('sqliteTemplate'), file);
    // opened read-only, as a read-only file, directory or mount would be (root ignores file modes)
    const ro = knexFactory({
      client: 'sqlite3',
      connection: { filename: `file:${file}?mode=ro`, flags: ['OPEN_URI'] },
      useNullAsDefault: true,
      pool: { min: 1, max: 1 },
    });
    try {
      const err = await migrateLatest(ro).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeTruthy();
      const text = explainStartupError(err, { databaseUrl: `sqlite://${file}` })!;
      expect(text).toContain('read-only');
      expect(text).toContain(file);
      expect(text).not.toMatch(/MigrationLocked/);
    } finally {
      await ro.destroy();
      for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    }
    expect(explainStartupError(Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE', port: 3000 }), {})).toContain('Port 3000 is already in use');
  });
});
