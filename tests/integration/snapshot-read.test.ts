import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKnex, snapshotReader } from '../../server/db/knex.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

/** The promise's value, or a failure naming what did not answer within the time. */
async function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms)));
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

describe('the plan is read beside the other requests (SPEC section 13)', () => {
  it('when the plan is being read, then /healthz and a write are answered meanwhile, and the read sees the data as of its start', async () => {
    const planner = await t.login('planner');
    const stateAt = async () => (await planner.agent.get('/api/state?date=2026-12-01').expect(200)).body as { sites: { id: number; capacity: number }[] };
    // a site open at the date, whose capacity the state shows as stored
    const open = (await stateAt()).sites.filter((s) => s.capacity > 0);
    const sites = (await planner.agent.get('/api/sites').expect(200)).body as { id: number; capacity: number; version: number }[];
    const site = sites.find((s) => open.some((o) => o.id === s.id && o.capacity === s.capacity))!;
    expect(site).toBeDefined();
    const capacityIn = async (trx: Parameters<Parameters<TestApp['repos']['snapshot']>[0]>[0]) =>
      Number((await trx('sites').where({ id: site.id }).first('capacity'))?.capacity);
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let started: () => void = () => {};
    const reading = new Promise<void>((resolve) => (started = resolve));
    // a long read of the plan's tables (at the large shape, 50,000 moves take most of a second)
    const read = t.repos.snapshot(async (trx) => {
      const before = await capacityIn(trx);
      started();
      await held;
      return { before, after: await capacityIn(trx) };
    });
    await reading;
    // meanwhile the app answers: SQLite's one connection is not the read's (it waited for the whole read before)
    expect(
      (
        await within(
          3000,
          '/healthz',
          planner.agent.get('/healthz').then((r) => r),
        )
      ).status,
    ).toBe(200);
    const patched = await within(
      3000,
      'a write',
      planner.agent
        .patch(`/api/sites/${site.id}`)
        .set('X-CSRF-Token', planner.csrf)
        .send({ version: site.version, capacity: site.capacity + 7 })
        .then((r) => r),
    );
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    release();
    // the read sees one moment: the write that landed during it is not half in it
    expect(await read).toEqual({ before: site.capacity, after: site.capacity });
    // the next plan is read after the write and counts it
    expect((await stateAt()).sites.find((s) => s.id === site.id)?.capacity).toBe(site.capacity + 7);
  });

  it('when a SQLite file is new, then its plan is read on the app connection until that connection has put the file in WAL mode, then on the second one', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-reader-'));
    const db = createKnex(`sqlite://${path.join(dir, 'new.sqlite')}`);
    try {
      // no reader yet: it would make the file itself, outside WAL mode, and its lock could keep the writer out
      expect(snapshotReader(db)).toBe(db);
      expect(fs.existsSync(path.join(dir, 'new.sqlite'))).toBe(false);
      await db.raw('create table t (id integer primary key, v integer)');
      await db('t').insert({ v: 1 });
      const reader = snapshotReader(db);
      expect(reader).not.toBe(db);
      // the reader reads, and refuses to write
      expect(await reader('t').select('v')).toEqual([{ v: 1 }]);
      await expect(reader('t').insert({ v: 2 })).rejects.toThrow(/readonly|read-only|query_only|attempt to write/i);
      expect(await db('t').count({ n: '*' })).toEqual([{ n: 1 }]);
    } finally {
      await db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
