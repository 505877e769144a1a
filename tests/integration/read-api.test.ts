import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const siteId = async (name: string) => ((await agent.get('/api/sites')).body as { id: number; name: string }[]).find((s) => s.name === name)!.id;

describe('the Ulm dataset through the API', () => {
  it('on 2021-03-01 Mitte/Ost is split between Grüner Hof and Sattlergasse', async () => {
    const res = await agent.get('/api/state?date=2021-03-01');
    expect(res.status).toBe(200);
    const team = res.body.teams.find((x: { name: string }) => x.name === 'Sozialraumteam Mitte/Ost');
    expect(team.split).toBe(true);
    const names = team.site_ids.map((id: number) => res.body.sites.find((s: { id: number }) => s.id === id).name);
    expect(names.sort()).toEqual(['Grüner Hof', 'Sattlergasse (Übergangsquartier)']);
    expect(team.max_distance_m).toBeGreaterThan(100);
    expect(res.body.warnings.some((w: { code: string; team_id?: number }) => w.code === 'TEAM_SPLIT' && w.team_id === team.id)).toBe(true);
  });

  it('on 2021-10-01 the Zentrale Verwaltung sits in Schwambergerstraße 1, and Olgastraße 152 is empty', async () => {
    const res = await agent.get('/api/state?date=2021-10-01');
    const zv = res.body.teams.find((x: { name: string }) => x.name === 'Zentrale Verwaltung');
    const schw1 = await siteId('Schwambergerstraße 1');
    expect(zv.site_ids).toEqual([schw1]);
    expect(res.body.sites.find((s: { id: number }) => s.id === schw1).headcount).toBe(zv.headcount);
    expect(res.body.sites.find((s: { name: string }) => s.name === 'Olgastraße 152').headcount).toBe(0);
  });

  it('headcounts sum to about 300 staff, in five districts and seven teams', async () => {
    const res = await agent.get('/api/state?date=2021-03-01');
    const total = res.body.sites.reduce((s: number, x: { headcount: number }) => s + x.headcount, 0);
    expect(total).toBeGreaterThanOrEqual(280);
    expect(total).toBeLessThanOrEqual(320);
    expect(res.body.districts.map((d: { name: string }) => d.name)).toEqual(['Mitte/Ost', 'Böfingen', 'Weststadt', 'Eselsberg', 'Wiblingen']);
    expect(res.body.teams).toHaveLength(7);
    expect(res.body.date).toBe('2021-03-01');
    expect(res.body.scenario_id).toBeNull();
  });

  it('when no date is given, then the state is for today', async () => {
    expect((await agent.get('/api/state')).body.date).toBe('2026-11-24');
  });

  it('every site has a position precision and a district derived from its point', async () => {
    const all = (await agent.get('/api/sites')).body as {
      name: string;
      status: string;
      district_id: number | null;
      position_precision: string;
      accessibility_rating: string;
    }[];
    // the sites the paper names (the invented buildings on offer in candidates.json aside)
    const sites = all.filter((s) => s.status !== 'candidate');
    expect(sites.length).toBeGreaterThanOrEqual(14);
    for (const s of sites) expect(['building', 'street', 'stop', 'estimate']).toContain(s.position_precision);
    const districts = (await agent.get('/api/districts')).body as { id: number; name: string }[];
    const dn = (s: { district_id: number | null }) => districts.find((d) => d.id === s.district_id)?.name;
    expect(dn(sites.find((s) => s.name === 'Moltkestraße 20')!)).toBe('Weststadt');
    expect(dn(sites.find((s) => s.name === 'Haslacher Weg 91–95')!)).toBe('Böfingen');
    expect(dn(sites.find((s) => s.name === 'Buchauer Straße 8–10')!)).toBe('Wiblingen');
    expect(sites.find((s) => s.name === 'Haslacher Weg 91–95')!.accessibility_rating).toBe('none');
    expect(sites.filter((s) => s.accessibility_rating === 'full')).toEqual([]);
  });

  it('the invented buildings on offer say so wherever their name appears: the site list, the map with buildings on offer, the sites page (issue 27)', async () => {
    const all = (await agent.get('/api/sites')).body as { name: string; status: string; address: string | null }[];
    const offered = all.filter((s) => s.status === 'candidate');
    expect(offered.length).toBe(3);
    for (const s of offered) {
      expect(s.name).toMatch(/\(Angebot, erfundenes Beispiel\)$/);
      expect(s.address).toMatch(/\(erfunden\)$/);
    }
    const geo = (await agent.get('/api/sites.geojson?date=2027-08-01&candidates=1')).body as {
      features: { properties: { name: string; short_name?: string; status: string } }[];
    };
    const onMap = geo.features.filter((f) => f.properties.status === 'candidate').map((f) => f.properties);
    expect(onMap.map((p) => p.name).sort()).toEqual(offered.map((s) => s.name).sort());
    // the map's label is the short name when there is one: none of them hides the word
    for (const p of onMap) expect(p.short_name ?? p.name).toContain('erfundenes Beispiel');
    const page = await agent.get('/sites?status=candidate');
    for (const s of offered) expect(page.text).toContain(s.name);
  });
});

describe('bad query parameters get 400 in the SPEC format, never 500', () => {
  it.each([
    ['/api/state?date=2021-02-30', 'date'],
    ['/api/state?scenario_id=abc', 'scenario_id'],
    ['/api/timeline?step=week', 'step'],
    ['/api/moves?status=maybe', 'status'],
    ['/api/moves?site_id=-1', 'site_id'],
    ['/api/sites/nearby-not-a-number/nearby', 'id'],
    ['/api/sites/1/nearby?radius=0', 'radius'],
    ['/api/sites.geojson?date=yesterday', 'date'],
  ])('%s → 400 naming %s', async (url, field) => {
    const res = await agent.get(url);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.fields).toHaveProperty(field);
  });

  it('unknown ids are 404', async () => {
    expect((await agent.get('/api/state?scenario_id=999')).status).toBe(404);
    expect((await agent.get('/api/sites/99999')).body.error.code).toBe('NOT_FOUND');
    expect((await agent.get('/api/nothing-here')).status).toBe(404);
  });
});

describe('lists and filters', () => {
  it('moves filter by status, site and scenario', async () => {
    const all = (await agent.get('/api/moves')).body as { status: string; scenario_id: number | null }[];
    const proposed = (await agent.get('/api/moves?status=approved&scenario_id=baseline')).body as { status: string; scenario_id: number | null }[];
    expect(proposed.length).toBeGreaterThan(0);
    expect(proposed.every((m) => m.status === 'approved' && m.scenario_id === null)).toBe(true);
    expect(all.length).toBeGreaterThan(proposed.length);
    const sid = await siteId('Sattlergasse (Übergangsquartier)');
    const atSite = (await agent.get(`/api/moves?site_id=${sid}`)).body as { from_site_id: number; to_site_id: number }[];
    expect(atSite.length).toBeGreaterThan(0);
    expect(atSite.every((m) => m.from_site_id === sid || m.to_site_id === sid)).toBe(true);
  });

  it('sites filter by accessibility rating', async () => {
    const none = (await agent.get('/api/sites?accessibility_rating=none')).body as { name: string; status: string }[];
    expect(none.filter((s) => s.status !== 'candidate').map((s) => s.name)).toEqual(['Haslacher Weg 91–95']);
    expect(none.filter((s) => s.status === 'candidate').map((s) => s.name)).toEqual(['Wagnerstraße (Angebot, erfundenes Beispiel)']);
  });

  it('nearby lists places with distances in metres, nearest first, within the radius', async () => {
    const id = await siteId('Moltkestraße 20');
    const res = await agent.get(`/api/sites/${id}/nearby?radius=400`);
    expect(res.status).toBe(200);
    const list = res.body as { name: string; kind: string; distance_m: number }[];
    expect(list.some((p) => p.name === 'Weststadthaus')).toBe(true);
    expect(list.some((p) => p.kind === 'transit_stop')).toBe(true);
    expect(list.every((p) => p.distance_m <= 400)).toBe(true);
    expect(list.map((p) => p.distance_m)).toEqual([...list.map((p) => p.distance_m)].sort((a, b) => a - b));
  });

  it('the timeline is monthly by default and matches the state on its dates', async () => {
    const tl = (await agent.get('/api/timeline?from=2021-01-01&to=2021-12-01')).body;
    expect(tl.dates).toHaveLength(12);
    const i = tl.dates.indexOf('2021-10-01');
    const st = (await agent.get('/api/state?date=2021-10-01')).body;
    for (const s of st.sites) {
      const row = tl.sites.find((x: { id: number }) => x.id === s.id);
      expect(row.headcount[i]).toBe(s.headcount);
      expect(row.capacity[i]).toBe(s.capacity);
    }
  });
});

describe('GeoJSON (RFC 7946)', () => {
  it('districts are Polygon features with [lon, lat] positions in Ulm', async () => {
    const res = await agent.get('/api/districts.geojson');
    expect(res.headers['content-type']).toMatch(/application\/geo\+json/);
    expect(res.body.type).toBe('FeatureCollection');
    expect(res.body.features).toHaveLength(5);
    const [lon, lat] = res.body.features[0].geometry.coordinates[0][0];
    expect(lon).toBeGreaterThan(9.8);
    expect(lon).toBeLessThan(10.2);
    expect(lat).toBeGreaterThan(48.3);
    expect(lat).toBeLessThan(48.5);
  });

  it('sites carry the state at the date; moves are lines from → to', async () => {
    const sites = (await agent.get('/api/sites.geojson?date=2021-03-01')).body;
    const moltke = sites.features.find((f: { properties: { name: string } }) => f.properties.name === 'Moltkestraße 20');
    expect(moltke.geometry.type).toBe('Point');
    expect(moltke.geometry.coordinates[0]).toBeCloseTo(9.967, 2);
    expect(moltke.properties).toMatchObject({ headcount: 55, capacity: 52 });
    expect(moltke.properties.warnings).toContain('OVER_CAPACITY');
    const moves = (await agent.get('/api/moves.geojson?from=2021-04-01&to=2021-04-01')).body;
    const m = moves.features.find((f: { properties: { to_site: string } }) => f.properties.to_site === 'Magirusstraße 17');
    expect(m.geometry.type).toBe('LineString');
    // the paper gives both as estimates („rund“, „voraussichtlich“): the map marks them ≈
    expect(m.properties).toMatchObject({ headcount: 16, headcount_estimated: true, date: '2021-04-01', date_estimated: true, from_site: 'Moltkestraße 20' });
  });
});

describe('scenarios', () => {
  it('when the Stifterweg scenario is chosen, then Eselsberg works at the Ladenzeile Stifterweg in 2028; in the baseline Stifterweg offers nothing', async () => {
    const scenarios = (await agent.get('/api/scenarios')).body as { id: number; name: string }[];
    expect(scenarios.length).toBeGreaterThanOrEqual(2);
    const s = scenarios.find((x) => x.name.includes('Stifterweg'))!;
    const stifterweg = await siteId('Ladenzeile Stifterweg (geplant)');
    const inScenario = (await agent.get(`/api/state?date=2028-02-01&scenario_id=${s.id}`)).body;
    expect(inScenario.scenario_id).toBe(s.id);
    expect(inScenario.sites.find((x: { id: number }) => x.id === stifterweg)).toMatchObject({ headcount: 43, capacity: 46, status: 'active' });
    const base = (await agent.get('/api/state?date=2028-02-01')).body;
    expect(base.sites.find((x: { id: number }) => x.id === stifterweg)).toMatchObject({ headcount: 0, capacity: 0, status: 'planned' });
  });
});
