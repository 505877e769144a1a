/** Estimate flags and verdicts are kept through the forms. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let planner: Awaited<ReturnType<TestApp['login']>>;
beforeAll(async () => {
  t = await createTestApp();
  planner = await t.login('planner');
});
afterAll(async () => {
  await t.close();
});

describe('estimate flags in the forms', () => {
  it('when a planner saves a move with "Personenzahl ist geschätzt" ticked, then the move carries headcount_estimated and the moves table marks it ≈', async () => {
    const units = (await planner.agent.get('/api/units')).body as { id: number }[];
    const sites = (await planner.agent.get('/api/sites')).body as { id: number; name: string }[];
    const to = sites.find((s) => s.name === 'Buchauer Straße 8–10')!.id;
    const res = await planner.agent
      .post('/moves/new')
      .type('form')
      .send({
        _csrf: planner.csrf,
        unit_id: String(units[0].id),
        to_site_id: String(to),
        headcount: '2',
        date: '2030-01-01',
        status: 'proposed',
        headcount_estimated: 'on',
      });
    expect(res.status).toBe(303);
    const moves = (await planner.agent.get(`/api/moves?site_id=${to}`)).body as {
      id: number;
      date: string;
      headcount_estimated: boolean;
      date_estimated: boolean;
    }[];
    const m = moves.find((x) => x.date === '2030-01-01')!;
    expect(m).toMatchObject({ headcount_estimated: true, date_estimated: false });
    expect((await planner.agent.get(`/moves`)).text).toMatch(new RegExp(`id="move-${m.id}"[\\s\\S]*?<span class="est" title="geschätzt">≈</span>2<`));
  });

  it("when a planner records the source's verdict on a site, then the site page quotes it with its source", async () => {
    const site = ((await planner.agent.get('/api/sites')).body as { id: number; name: string; version: number }[]).find((s) => s.name === 'Magirusstraße 17')!;
    const form = (await planner.agent.get(`/api/sites/${site.id}`)).body as Record<string, unknown>;
    const body: Record<string, string> = { _csrf: planner.csrf, version: String(form.version) };
    for (const k of [
      'name',
      'address',
      'lat',
      'lon',
      'position_precision',
      'capacity',
      'step_free',
      'accessible_toilet',
      'accessible_parking',
      'elevator',
      'status',
      'notes',
    ])
      body[k] = form[k] === null ? '' : String(form[k]);
    Object.assign(body, { capacity_estimated: 'on', assessment: 'vorübergehende Entlastung', assessment_source: 'Annahme' });
    const res = await planner.agent.post(`/sites/${site.id}/edit`).type('form').send(body);
    expect(res.status).toBe(303);
    const page = (await planner.agent.get(`/sites/${site.id}?date=2021-06-01`)).text;
    expect(page).toContain('vorübergehende Entlastung');
    expect(page).toMatch(/<span class="est" title="geschätzt">≈<\/span>18/);
  });
});
