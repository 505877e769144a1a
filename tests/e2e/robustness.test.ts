/**
 * Crash and load safety with real server processes (loopback only, bounded in count and time):
 * kill -9 during a write burst, 20 concurrent clients, two processes on one database.
 */
import knexFactory from 'knex';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { removeDb, startServer, type RunningServer } from '../helpers/server-process.js';

class Client {
  cookie = '';
  csrf = '';
  constructor(public base: string) {}
  async login() {
    const r = await fetch(`${this.base}/api/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'e2e-admin-pass' }),
    });
    expect(r.status).toBe(200);
    this.cookie = (r.headers.get('set-cookie') ?? '').split(';')[0];
    this.csrf = (await r.json()).csrfToken;
    return this;
  }
  async call(method: string, url: string, body?: unknown) {
    const r = await fetch(`${this.base}${url}`, {
      method,
      headers: { Cookie: this.cookie, 'X-CSRF-Token': this.csrf, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : null };
  }
}

const started: RunningServer[] = [];
afterAll(async () => {
  for (const s of started) {
    await s.stop('SIGKILL');
    removeDb(s.dbFile);
  }
});
const start = async (env: Record<string, string> = {}, dbFile?: string) => {
  const s = await startServer(env, dbFile);
  started.push(s);
  return s;
};

describe('crash safety', () => {
  it('when the server is killed with SIGKILL during a write burst, then every acknowledged write is there after restart', async () => {
    const first = await start();
    const c = await new Client(first.url).login();
    const acknowledged: number[] = [];
    let stop = false;
    const writer = async (w: number) => {
      for (let i = 0; !stop && i < 400; i++) {
        try {
          const r = await c.call('POST', '/api/places', { name: `Crash ${w}-${i}`, kind: 'other', lat: 48.4, lon: 9.99 });
          if (r.status === 201) acknowledged.push(r.body.id);
        } catch {
          return; /* connection died with the server */
        }
      }
    };
    const writers = [0, 1, 2, 3].map(writer);
    // kill in the middle of the burst: once a few dozen writes are answered, with more under way
    await vi.waitFor(() => expect(acknowledged.length).toBeGreaterThanOrEqual(30), { timeout: 120_000, interval: 5 });
    first.proc.kill('SIGKILL');
    stop = true;
    await Promise.all(writers);
    expect(acknowledged.length).toBeGreaterThan(10);
    const second = await start({}, first.dbFile);
    const c2 = await new Client(second.url).login();
    const places = (await c2.call('GET', '/api/places?kind=other')).body as { id: number }[];
    const ids = new Set(places.map((p) => p.id));
    const lost = acknowledged.filter((id) => !ids.has(id));
    expect(lost).toEqual([]);
    // the audit trail survived with them
    const audit = (await c2.call('GET', '/api/audit?entity=place&limit=1000')).body as { entity_id: number }[];
    const audited = new Set(audit.map((a) => a.entity_id));
    expect(acknowledged.filter((id) => !audited.has(id))).toEqual([]);
    await second.stop();
  });
});

describe('load', () => {
  it('20 concurrent clients mixing reads and writes: no 5xx, nothing lost, racing edits of one version give exactly one winner', async () => {
    const server = await start({ LOGIN_RATE_LIMIT: '100' });
    const admin = await new Client(server.url).login();
    const shared = (await admin.call('POST', '/api/sites', { name: 'Umkämpft', lat: 48.4, lon: 9.99, capacity: 10 })).body;
    const clients = await Promise.all(Array.from({ length: 20 }, () => new Client(server.url).login()));
    const statuses: number[] = [];
    const created: { client: number; id: number; capacity: number }[] = [];
    // every client races on the same version of the shared site first …
    const race = await Promise.all(clients.map((c, i) => c.call('PATCH', `/api/sites/${shared.id}`, { capacity: 100 + i, version: shared.version })));
    const winners = race.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    expect(race.filter((r) => r.status === 409)).toHaveLength(19);
    const current = (await admin.call('GET', `/api/sites/${shared.id}`)).body;
    expect(current.capacity).toBe(winners[0].body.capacity);
    expect(current.version).toBe(shared.version + 1);
    // … then mixes reads and writes for a bounded time
    const until = Date.now() + 4000;
    await Promise.all(
      clients.map(async (c, i) => {
        let n = 0;
        while (Date.now() < until && n < 200) {
          n++;
          const roll = (i + n) % 4;
          if (roll === 0) {
            const r = await c.call('POST', '/api/sites', { name: `Last ${i}-${n}`, lat: 48.39, lon: 9.98, capacity: n });
            statuses.push(r.status);
            if (r.status === 201) created.push({ client: i, id: r.body.id, capacity: n });
          } else if (roll === 1) {
            statuses.push((await c.call('GET', `/api/state?date=20${20 + (n % 9)}-0${1 + (n % 9)}-01`)).status);
          } else if (roll === 2) {
            statuses.push((await c.call('GET', '/api/sites.geojson')).status);
          } else {
            const s = (await c.call('GET', `/api/sites/${shared.id}`)).body;
            statuses.push((await c.call('PATCH', `/api/sites/${shared.id}`, { notes: `client ${i}`, version: s.version })).status);
          }
        }
      }),
    );
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.filter((s) => s !== 200 && s !== 201 && s !== 409)).toEqual([]);
    const sites = (await admin.call('GET', '/api/sites')).body as { id: number; capacity: number }[];
    const byId = new Map(sites.map((s) => [s.id, s]));
    for (const c of created) expect(byId.get(c.id)?.capacity).toBe(c.capacity);
  });
});

describe('two app processes on one database', () => {
  const pgAdmin = process.env.TEST_DATABASE_URL;
  it(`a write through one process is seen through the other as soon as it hears of the commit, long before its copy runs out (${pgAdmin ? 'PostgreSQL' : 'SQLite'})`, async () => {
    let env: Record<string, string> = {};
    let dropDb: (() => Promise<void>) | null = null;
    if (pgAdmin) {
      const name = `sp_proc_${randomUUID().slice(0, 8)}`;
      const k = knexFactory({ client: 'pg', connection: pgAdmin, pool: { min: 0, max: 1 } });
      await k.raw(`CREATE DATABASE ${name}`);
      await k.destroy();
      const u = new URL(pgAdmin);
      u.pathname = `/${name}`;
      env = { DATABASE_URL: u.toString() };
      dropDb = async () => {
        const a = knexFactory({ client: 'pg', connection: pgAdmin, pool: { min: 0, max: 1 } });
        await a.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await a.destroy();
      };
    }
    try {
      const a = await start(env);
      const b = await start(env, pgAdmin ? undefined : a.dbFile);
      const ca = await new Client(a.url).login();
      // the session made through A works through B (sessions live in the database)
      const cb = new Client(b.url);
      cb.cookie = ca.cookie;
      cb.csrf = ca.csrf;
      expect((await cb.call('GET', '/api/session')).status).toBe(200);
      const site = ((await cb.call('GET', '/api/sites')).body as { id: number; name: string; version: number }[]).find((s) => s.name === 'Moltkestraße 20')!;
      const before = (await cb.call('GET', '/api/state?date=2026-01-01')).body.sites.find((s: { id: number }) => s.id === site.id);
      expect(before.capacity).toBe(52);
      expect((await ca.call('PATCH', `/api/sites/${site.id}`, { capacity: 60, version: site.version })).status).toBe(200);
      // B keeps the data revision up to SESSION_CACHE_MS (2 s); A's commit ends that copy as soon as B hears
      // of it (on SQLite through the file's WAL index, on PostgreSQL by NOTIFY, which arrives a few
      // milliseconds after the commit): asked again and again, B answers the new capacity long before
      // its copy would have run out
      const t0 = Date.now();
      let after = 0;
      while (Date.now() - t0 < 1000) {
        after = (await cb.call('GET', '/api/state?date=2026-01-01')).body.sites.find((s: { id: number; capacity: number }) => s.id === site.id).capacity;
        if (after === 60) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(after).toBe(60);
      // and a version conflict is detected across processes
      expect((await cb.call('PATCH', `/api/sites/${site.id}`, { capacity: 70, version: site.version })).status).toBe(409);
      await a.stop();
      await b.stop();
    } finally {
      if (dropDb) await dropDb();
    }
  });
});

describe('operations', () => {
  it('the server shuts down cleanly on SIGTERM', async () => {
    const s = await start();
    expect(await s.stop('SIGTERM')).toBe(0);
  });
});
