import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

// SPEC 13: a large organisation's pages stay readable and small
const SITES = 40;
let t: TestApp;
let p: { agent: TestAgent; csrf: string };
/** the test's sites by how full they get: the first least, the last most */
const ours: { id: number; name: string }[] = [];
beforeAll(async () => {
  t = await createTestApp();
  p = await t.login('planner');
  const unit = (await p.agent.get('/api/units')).body[0].id as number;
  for (let k = 1; k <= SITES; k++) {
    const name = `Großstandort ${String(k).padStart(2, '0')}`;
    const site = await p.agent.post('/api/sites').set('X-CSRF-Token', p.csrf).send({ name, lat: 48.4, lon: 9.99, capacity: 1 });
    expect(site.status).toBe(201);
    ours.push({ id: site.body.id, name });
    // far over any site of the test data: 100 + k people on one workplace
    const move = await p.agent
      .post('/api/moves')
      .set('X-CSRF-Token', p.csrf)
      .send({ unit_id: unit, to_site_id: site.body.id, headcount: 100 + k, date: '2030-01-01', status: 'approved' });
    expect(move.status).toBe(201);
  }
}, 120_000);
afterAll(async () => {
  await t.close();
});

describe('the timeline of many sites', () => {
  it('when more than 25 sites have people, then the site chart draws the 25 most over their capacity and says so; every site stays in „Erstmals überbelegt“', async () => {
    const page = (await p.agent.get('/timeline?from=2030-01-01&to=2031-01-01&step=quarter').expect(200)).text;
    const chart = JSON.parse(
      (/<canvas id="site-chart" data-chart="([^"]*)"/.exec(page)?.[1] ?? '{}').replaceAll('&#34;', '"').replaceAll('&quot;', '"').replaceAll('&amp;', '&'),
    ) as { series: { label: string }[] };
    expect(chart.series.map((s) => s.label)).toEqual(ours.slice(SITES - 25).map((s) => s.name));
    const used = (page.match(/<tr data-site-id="\d+">/g) ?? []).length;
    expect(used).toBeGreaterThanOrEqual(SITES);
    expect(page).toContain(`Die 25 Standorte mit der höchsten Auslastung im Zeitraum, von ${used}; alle stehen unten unter „Erstmals überbelegt“.`);
    for (const s of ours) expect(page).toContain(`<tr data-site-id="${s.id}">`);
  });
});
