import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

// A process keeps its copy of a session and of the data revision for at most SESSION_CACHE_MS, and only
// while no process has committed a change (SQLite: the WAL index says so; PostgreSQL: NOTIFY).
const CACHE_MS = 60_000;
/** What another process's session store or write does besides its commit: tell the others (PostgreSQL). */
const notifyOthers = () => t.repos.revision.signal.notify(t.db);
/** Until the change signal has seen a notification sent after `before` was read (PostgreSQL: it travels; SQLite: at once). */
const noticed = (before: string | undefined) =>
  vi.waitFor(
    () => {
      const now = t.repos.revision.signal.token();
      // no token: nothing is trusted without a read, which is what the test needs too
      if (now !== undefined && now === before) throw new Error('the change signal has not seen the change yet');
    },
    { timeout: 30_000, interval: 10 },
  );
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ config: { sessionCacheMs: CACHE_MS } });
});
afterAll(async () => {
  await t.close();
});

/** Counts the session reads that reach the database. */
function countSessionReads(): { reads: () => number; restore: () => void } {
  const repo = t.repos.sessions;
  const original = repo.getWithRevision.bind(repo);
  let n = 0;
  repo.getWithRevision = async (...args) => {
    n++;
    return original(...args);
  };
  return {
    reads: () => n,
    restore: () => {
      repo.getWithRevision = original;
    },
  };
}

describe('the session cache', () => {
  it('when requests follow each other and nothing changes, then the session is not read from the database again', async () => {
    const { agent } = await t.login('viewer');
    // the first requests after a login save the session once more (the minute it was last seen)
    for (let i = 0; i < 3; i++) expect((await agent.get('/api/state?date=2021-06-01')).status).toBe(200);
    const counter = countSessionReads();
    try {
      for (let i = 0; i < 10; i++) expect((await agent.get('/api/state?date=2021-06-01')).status).toBe(200);
      // (a new minute may save it once more)
      expect(counter.reads()).toBeLessThanOrEqual(1);
    } finally {
      counter.restore();
    }
  });

  it('when the user logs out in this process, then the cookie stops working at once', async () => {
    const { agent, csrf } = await t.login('planner');
    expect((await agent.get('/api/session')).status).toBe(200);
    expect((await agent.post('/api/logout').set('X-CSRF-Token', csrf)).status).toBe(200);
    expect((await agent.get('/api/session')).status).toBe(401);
  });

  it('when another process ends the session (its row is deleted), then the cookie stops working at once', async () => {
    const { agent } = await t.login('editor');
    expect((await agent.get('/api/session')).status).toBe(200);
    expect((await agent.get('/api/session')).status).toBe(200);
    const row = await t.db('sessions').orderBy('expired', 'desc').first('sid');
    const token = t.repos.revision.signal.token();
    await t.db('sessions').where({ sid: row.sid }).del();
    await notifyOthers();
    await noticed(token);
    expect((await agent.get('/api/session')).status).toBe(401);
  });

  it('when another process writes (bumps the data revision), then this process sees the new data at once', async () => {
    const { agent } = await t.login('admin');
    const site = await t.db('sites').whereNotIn('id', t.db('site_events').select('site_id')).where({ status: 'active' }).orderBy('id').first('id', 'capacity');
    const before = (await agent.get('/api/state?date=2030-01-01')).body.sites.find((s: { id: number }) => s.id === site.id);
    expect(before.capacity).toBe(site.capacity);
    await t
      .db('sites')
      .where({ id: site.id })
      .update({ capacity: site.capacity + 7 });
    const token = t.repos.revision.signal.token();
    await t.db.transaction(async (trx) => {
      await trx('plan_revision').where({ id: 1 }).increment('revision', 1);
      await t.repos.revision.signal.notify(trx);
    });
    await noticed(token);
    const after = (await agent.get('/api/state?date=2030-01-01')).body.sites.find((s: { id: number }) => s.id === site.id);
    expect(after.capacity).toBe(before.capacity + 7);
  });

  it("when an admin changes a user's password in this process, then the user's other sessions end at once", async () => {
    const victim = await t.login('viewer');
    expect((await victim.agent.get('/api/session')).status).toBe(200);
    const admin = await t.login('admin');
    const user = (await admin.agent.get('/api/users')).body.find((u: { username: string }) => u.username === 'viewer');
    const res = await admin.agent.patch(`/api/users/${user.id}`).set('X-CSRF-Token', admin.csrf).send({ version: user.version, password: 'a-new-password-42' });
    expect(res.status).toBe(200);
    expect((await victim.agent.get('/api/session')).status).toBe(401);
  });
});

describe('a shutdown right after the start', () => {
  it('when the app is closed before its session store has finished starting, then nothing is left failing unobserved', async () => {
    const unobserved: unknown[] = [];
    const listen = (reason: unknown) => unobserved.push(reason);
    process.on('unhandledRejection', listen);
    try {
      for (let i = 0; i < 5; i++) {
        // building the app creates the session store, which checks its table and starts pruning old sessions
        const app = await createTestApp();
        await app.close();
      }
      // an unobserved rejection is reported after the microtasks of its turn
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(unobserved).toEqual([]);
    } finally {
      process.off('unhandledRejection', listen);
    }
  });
});
