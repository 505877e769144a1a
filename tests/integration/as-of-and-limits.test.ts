import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let p: { agent: TestAgent; csrf: string };
beforeAll(async () => {
  t = await createTestApp();
  p = await t.login('planner');
});
afterAll(async () => {
  await t.close();
});
const get = async (url: string) => (await p.agent.get(url)).body;

describe('status as of a date', () => {
  it('when moves are listed as of a date, then a done move dated after it is planned (approved), never done', async () => {
    const moves = (await get('/api/moves?scenario_id=baseline&status=done&as_of=2020-01-01')) as { date: string; status: string; status_as_of: string }[];
    expect(moves.length).toBeGreaterThan(0);
    for (const m of moves) expect(m.status_as_of).toBe(m.date > '2020-01-01' ? 'approved' : 'done');
    expect(moves.some((m) => m.status_as_of === 'approved')).toBe(true);
    expect((await get('/api/moves?scenario_id=baseline'))[0]).not.toHaveProperty('status_as_of');
    expect((await p.agent.get('/api/moves?as_of=gestern')).status).toBe(400);
  });

  it('when the map asks for arrows as of a date, then later moves carry status_as_of approved', async () => {
    // the Ulm dataset records the moves of autumn 2020 as done
    const geo = await get('/api/moves.geojson?as_of=2020-06-01&from=2020-01-01&to=2024-12-31');
    const later = geo.features.filter(
      (f: { properties: { date: string; status: string } }) => f.properties.date > '2020-06-01' && f.properties.status === 'done',
    );
    expect(later.length).toBeGreaterThan(0);
    for (const f of later) expect(f.properties.status_as_of).toBe('approved');
  });

  it('when the moves page and the report are shown, then a done move after the date reads as planned', async () => {
    const kh = ((await get('/api/sites')) as { id: number; name: string }[]).find((s) => s.name === 'Kornhausplatz 4/6')!;
    // record one of the Kornhausplatz moves as done: seen from 2021-01-01 it is still planned
    const m = ((await get(`/api/moves?site_id=${kh.id}&scenario_id=baseline`)) as { id: number; version: number }[])[0];
    expect((await p.agent.post(`/api/moves/${m.id}/status`).set('X-CSRF-Token', p.csrf).send({ status: 'done', version: m.version })).status).toBe(200);
    const page = await p.agent.get(`/sites/${kh.id}?date=2021-01-01`);
    expect(page.text).toContain('<td data-status="approved">');
    expect(page.text).not.toContain('<td data-status="done">');
  });
});

describe('warnings at scale', () => {
  it('when /api/state is asked, then it returns the total, the count per code and at most warnings_limit warnings, most severe first', async () => {
    const all = await get('/api/state?date=2024-01-15&warnings_limit=all');
    expect(all.warnings_total).toBe(all.warnings.length);
    const sum = Object.values(all.warnings_by_code as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(sum).toBe(all.warnings_total);
    const two = await get('/api/state?date=2024-01-15&warnings_limit=2');
    expect(two.warnings).toEqual(all.warnings.slice(0, 2));
    expect(two.warnings_total).toBe(all.warnings_total);
    expect(two.warnings_limit).toBe(2);
    const rank = { error: 0, warning: 1, info: 2 } as Record<string, number>;
    const ranks = all.warnings.map((w: { severity: string }) => rank[w.severity]);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect((await get('/api/state?date=2024-01-15')).warnings_limit).toBe(500);
    expect((await p.agent.get('/api/state?warnings_limit=0')).status).toBe(400);
    expect((await p.agent.get('/api/state?warnings_limit=viele')).status).toBe(400);
  });
});

describe('compare over a period (API)', () => {
  it('when a scenario is compared from–to, then every site and team carries both sides and ?date= still answers the old shape', async () => {
    const sc = ((await get('/api/scenarios')) as { id: number; name: string }[]).find((s) => s.name.startsWith('Kornhausplatz'))!;
    const cmp = await get(`/api/scenarios/${sc.id}/compare?from=2023-01-01&to=2024-12-31&step=month`);
    expect(cmp.from).toBe('2023-01-01');
    expect(cmp.to).toBe('2024-12-31');
    expect(cmp.sites[0]).toHaveProperty('baseline.months_over');
    expect(cmp.sites[0]).toHaveProperty('scenario.peak_utilization');
    expect(cmp.teams[0]).toHaveProperty('scenario.months_split');
    const kh = cmp.sites.find((s: { name: string }) => s.name === 'Kornhausplatz 4/6');
    expect(kh.scenario.months_over).toBeGreaterThan(kh.baseline.months_over);
    expect(
      cmp.warnings_added.some(
        (w: { code: string; from: string; to: string }) => w.code === 'SITE_UNAVAILABLE' && w.from >= '2023-10-01' && w.to <= '2024-03-31',
      ),
    ).toBe(true);
    const one = await get(`/api/scenarios/${sc.id}/compare?date=2024-01-15`);
    expect(one.date).toBe('2024-01-15');
    expect((await p.agent.get(`/api/scenarios/${sc.id}/compare?from=2025-01-01&to=2024-01-01`)).status).toBe(400);
  });
});
