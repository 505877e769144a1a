import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let agent: TestAgent;
beforeAll(async () => {
  t = await createTestApp();
  agent = (await t.login('viewer')).agent;
});
afterAll(async () => {
  await t.close();
});

type Feature = {
  id: number;
  geometry: { type: string; coordinates: number[] };
  properties: Record<string, unknown> & { name: string; accessibility_reason_codes: { code: string }[] };
};
/**
 * Holds every plan build after its data are read, until `release()`: `counts.started` builds began
 * to read, `counts.read` have their data. `restore()` puts the plan service's own read back.
 */
function gateLoads(plans: TestApp['ctx']['services']['plans']) {
  let release = () => {};
  const gate = new Promise<void>((r) => (release = r));
  const counts = { started: 0, read: 0 };
  const load = plans.load.bind(plans);
  plans.load = async () => {
    counts.started++;
    const read = await load();
    counts.read++;
    await gate;
    return read;
  };
  return { counts, release: () => release(), restore: () => (plans.load = load) };
}

const features = async (date: string): Promise<Feature[]> => (await agent.get(`/api/sites.geojson?date=${date}`).expect(200)).body.features;

describe('the sites on the map (GeoJSON)', () => {
  it("when the map asks for a date, then each feature carries the site's state at that date, its position and its stored facts", async () => {
    const state = (await agent.get('/api/state?date=2021-03-01').expect(200)).body;
    const sites = (await agent.get('/api/sites').expect(200)).body as {
      id: number;
      lat: number;
      lon: number;
      address: string | null;
      assessment: string | null;
    }[];
    for (const f of await features('2021-03-01')) {
      const st = state.sites.find((s: { id: number }) => s.id === f.id);
      const site = sites.find((s) => s.id === f.id)!;
      expect(f.properties).toMatchObject(st);
      expect(f.geometry).toEqual({ type: 'Point', coordinates: [site.lon, site.lat] });
      expect(f.properties).toMatchObject({ address: site.address, assessment: site.assessment });
      expect(f.properties.warnings).toEqual([
        ...new Set(state.warnings.filter((w: { site_id?: number }) => w.site_id === f.id).map((w: { code: string }) => w.code)),
      ]);
    }
  });

  it('when the map colours a site, then the server has said its level: over where OVER_CAPACITY, near where NEAR_CAPACITY, unavailable where it offers nothing', async () => {
    const all = await features('2021-03-01');
    const levels = new Set(all.map((f) => f.properties.load_level));
    expect(levels).toContain('ok');
    for (const f of all) {
      const p = f.properties as Feature['properties'] & { load_level: string; available: boolean; warnings: string[] };
      if (!p.available) expect(p.load_level).toBe('unavailable');
      else if (p.warnings.includes('OVER_CAPACITY')) expect(p.load_level).toBe('over');
      else if (p.warnings.includes('NEAR_CAPACITY')) expect(p.load_level).toBe('near');
      else expect(p.load_level).toBe('ok');
    }
  });

  it('when the Kornhausplatz renovation has made the entrance step-free, then the feature says so after it and not before (the facts as of the date)', async () => {
    const at = async (date: string) => (await features(date)).find((f) => f.properties.name === 'Kornhausplatz 4/6')!;
    const before = await at('2019-06-01');
    const after = await at('2024-01-01');
    expect(before.properties.step_free).not.toBe('yes');
    expect(after.properties.step_free).toBe('yes');
    expect(after.properties.accessibility_reason_codes.map((r) => r.code)).not.toContain('STEP_FREE_UNKNOWN');
    expect(after.properties.accessibility_reason_codes.map((r) => r.code)).not.toContain('ENTRANCE_NOT_STEP_FREE');
  });
});

describe('the map while others write', () => {
  it('when a site is created while a request still works with the plan it began with, then that request sees the sites of its own moment and the next one sees the new site', async () => {
    const plans = t.ctx.services.plans;
    const before = await plans.plan();
    const { agent: planner, csrf } = await t.login('planner');
    const created = (
      await planner.post('/api/sites').set('X-CSRF-Token', csrf).send({ name: 'Während gelesen', lat: 48.4, lon: 9.99, capacity: 5 }).expect(201)
    ).body;
    const after = await plans.plan();
    // what is derived from a plan comes from the sites read with it, never from a later read
    const names = (plan: typeof before) => plans.memo(plan, 'names', (sites) => sites.map((s) => s.name));
    expect(names(before)).not.toContain('Während gelesen');
    expect(before.data.sites.map((s) => s.id)).not.toContain(created.id);
    expect(names(after)).toContain('Während gelesen');
    expect(after.data.sites.map((s) => s.id)).toContain(created.id);
    // and the map's answer names it
    expect((await features('2026-12-01')).map((f) => f.properties.name)).toContain('Während gelesen');
  });

  it('when a plan is still being built as a write commits, then a read after that write does not get the older plan', async () => {
    const plans = t.ctx.services.plans;
    const { agent: planner, csrf } = await t.login('planner');
    await planner.post('/api/sites').set('X-CSRF-Token', csrf).send({ name: 'Erster', lat: 48.4, lon: 9.99, capacity: 5 }).expect(201);
    // a read starts building the next plan; its data are read, but the build has not ended …
    const gate = gateLoads(plans);
    try {
      const building = plans.plan();
      await vi.waitFor(() => expect(gate.counts.read).toBe(1));
      // … when another write commits, and its writer reads
      await planner.post('/api/sites').set('X-CSRF-Token', csrf).send({ name: 'Zweiter', lat: 48.4, lon: 9.99, capacity: 5 }).expect(201);
      const mine = plans.plan();
      // the writer's read has learnt the revision (a round trip asked after its own) before the build ends
      await plans.revision();
      gate.release();
      expect((await mine).data.sites.map((s) => s.name)).toContain('Zweiter');
      expect((await building).data.sites.map((s) => s.name)).toContain('Erster');
    } finally {
      gate.restore();
    }
  });

  it('when writes keep coming while a plan is built, then one more build follows it for all of them, not one each', async () => {
    const plans = t.ctx.services.plans;
    const { agent: planner, csrf } = await t.login('planner');
    const create = (name: string) => planner.post('/api/sites').set('X-CSRF-Token', csrf).send({ name, lat: 48.4, lon: 9.99, capacity: 5 }).expect(201);
    await create('Vorher');
    const gate = gateLoads(plans);
    // counts the revisions read, so the test knows when a read has learnt its revision
    let revisions = 0;
    const revision = plans.revision.bind(plans);
    plans.revision = async () => {
      const r = await revision();
      revisions++;
      return r;
    };
    try {
      const first = plans.plan();
      await vi.waitFor(() => expect(gate.counts.started).toBe(1));
      // three writers each write and then read while the first build has not ended
      const reads: Promise<Awaited<ReturnType<typeof plans.plan>>>[] = [];
      for (const name of ['Eins', 'Zwei', 'Drei']) {
        await create(name);
        const asked = revisions;
        reads.push(plans.plan());
        // nothing else is asking now: the next revision read is this read's (on PostgreSQL two
        // queries on two connections may answer in either order, so no second query orders them)
        await vi.waitFor(() => expect(revisions).toBeGreaterThan(asked));
      }
      gate.release();
      const seen = await Promise.all(reads);
      await first;
      expect(gate.counts.started).toBe(2);
      for (const plan of seen) expect(plan.data.sites.map((s) => s.name)).toEqual(expect.arrayContaining(['Eins', 'Zwei', 'Drei']));
    } finally {
      gate.restore();
      plans.revision = revision;
    }
  });
});
