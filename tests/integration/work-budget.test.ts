import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { DEFAULT_PLANNING_CONFIG } from '../../server/config.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

// a budget of 40 steps at every site of the test data: 3 years by month fit, 4 do not
const STEPS_THAT_FIT = 40;
let t: TestApp;
/** the same data with the default budget */
let roomy: TestApp;
let viewer: TestAgent;
let sites: number;
let scenarioId: number;
beforeAll(async () => {
  roomy = await createTestApp();
  sites = (await roomy.ctx.services.plans.plan()).data.sites.length;
  t = await createTestApp({ config: { planning: { ...DEFAULT_PLANNING_CONFIG, analysisMaxCells: STEPS_THAT_FIT * sites } } });
  viewer = (await t.login('viewer')).agent;
  scenarioId = (await t.repos.scenarios.list())[0].id;
});
afterAll(async () => {
  await t.close();
  await roomy.close();
});

const deNumber = (n: number) => new Intl.NumberFormat('de-DE').format(n);

describe('work budgets: a period analysis costs steps × sites (ANALYSIS_MAX_CELLS)', () => {
  it('when a timeline over the API is longer than the budget, then 422 PERIOD_TOO_LONG naming the limit and the months that would fit; within it, the timeline', async () => {
    const res = await viewer.get('/api/timeline?from=2020-01-01&to=2023-12-31&step=month');
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('PERIOD_TOO_LONG');
    expect(res.body.error.limit).toEqual({ max_cells: STEPS_THAT_FIT * sites, sites, steps: 48, max_steps: STEPS_THAT_FIT, step: 'month' });
    expect(res.body.error.message).toContain(`at most ${STEPS_THAT_FIT} months at ${sites} sites`);
    expect(res.body.error.fields.to).toContain(`at most ${STEPS_THAT_FIT} months`);
    const ok = await viewer.get('/api/timeline?from=2020-01-01&to=2023-04-01&step=month');
    expect(ok.status).toBe(200);
    expect(ok.body.dates).toHaveLength(STEPS_THAT_FIT);
    // by quarter the same four years fit
    expect((await viewer.get('/api/timeline?from=2020-01-01&to=2023-12-31&step=quarter')).status).toBe(200);
  });

  it('when a viewer compares a scenario over a century, then 422 PERIOD_TOO_LONG at once (no answer of 1,200 steps is built)', async () => {
    const res = await viewer.get(`/api/scenarios/${scenarioId}/compare?from=1930-02-01&to=2030-01-01`);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'PERIOD_TOO_LONG', limit: { steps: 1200, max_steps: STEPS_THAT_FIT, sites } });
    const ok = await viewer.get(`/api/scenarios/${scenarioId}/compare?from=2021-01-01&to=2023-01-01`);
    expect(ok.status).toBe(200);
    expect(ok.body.dates).toHaveLength(25);
  });

  it('when the timeline page is asked for too long a period, then the form again with the German message naming what fits (422, no JSON)', async () => {
    const res = await viewer.get('/timeline?from=2000-01-01&to=2030-01-01&step=month&lang=de');
    expect(res.status).toBe(422);
    expect(res.type).toBe('text/html');
    expect(res.text).toContain(`höchstens ${STEPS_THAT_FIT} Monate bei ${deNumber(sites)} Standorten`);
    expect(res.text).toMatch(/<input type="date" name="from" value="2000-01-01">/);
    expect(res.text).toContain('aria-invalid="true"');
    expect(res.text).not.toContain('PERIOD_TOO_LONG');
    const en = await viewer.get('/timeline?from=2000-01-01&to=2030-01-01&step=month&lang=en');
    expect(en.text).toContain(`at most ${STEPS_THAT_FIT} months at ${sites} sites`);
    expect((await viewer.get('/timeline?from=2020-01-01&to=2022-01-01&step=month')).status).toBe(200);
  });

  it('when the timeline page is asked for 300 years by month (within the work budget at these sites, but 3,600 points per line), then the form again naming the most months a chart shows (422); by quarter and over the API it answers', async () => {
    const roomyViewer = (await roomy.login('viewer')).agent;
    const res = await roomyViewer.get('/timeline?from=1900-01-01&to=2199-12-01&step=month&lang=de');
    expect(res.status).toBe(422);
    expect(res.text).toContain('zu lang für die Diagramme: höchstens 600 Monate');
    expect(res.text).toMatch(/<input type="date" name="from" value="1900-01-01">/);
    expect(res.text).not.toContain('data-chart=');
    const en = await roomyViewer.get('/timeline?from=1900-01-01&to=2199-12-01&step=month&lang=en');
    expect(en.text).toContain('too long for the charts: at most 600 months');
    // 600 months fit; by quarter, 150 years
    expect((await roomyViewer.get('/timeline?from=1990-01-01&to=2039-12-31&step=month')).status).toBe(200);
    expect((await roomyViewer.get('/timeline?from=1900-01-01&to=2049-12-31&step=quarter')).status).toBe(200);
    const quarters = await roomyViewer.get('/timeline?from=1900-01-01&to=2199-12-01&step=quarter&lang=de');
    expect(quarters.status).toBe(422);
    expect(quarters.text).toContain('höchstens 600 Quartale');
    // the API answers the figures (in pieces), no chart is drawn from them
    expect((await roomyViewer.get('/api/timeline?from=1900-01-01&to=2199-12-01&step=month')).status).toBe(200);
  });

  it('when the scenario page compares too long a period, then the page with its period form and the German message (422)', async () => {
    const res = await viewer.get(`/scenarios/${scenarioId}?from=1990-01-01&to=2030-01-01&lang=de`);
    expect(res.status).toBe(422);
    expect(res.text).toContain(`höchstens ${STEPS_THAT_FIT} Monate bei ${deNumber(sites)} Standorten`);
    expect(res.text).toContain('id="period-error"');
    expect((await viewer.get(`/scenarios/${scenarioId}?from=2021-01-01&to=2022-01-01`)).status).toBe(200);
  });

  it('when the scenario page is asked for a period that ends before it begins, then it says so next to the period form and keeps both dates as typed (400), instead of changing the end', async () => {
    const res = await viewer.get(`/scenarios/${scenarioId}?from=2030-01-01&to=2020-01-01&lang=de`);
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/id="period-error"[^>]*>Das Ende liegt vor dem Beginn\.</);
    expect(res.text).toMatch(/<input type="date" name="to" value="2020-01-01"/);
    expect(res.text).toMatch(/<input type="date" name="from" value="2030-01-01"/);
  });

  it("when the report in a scenario would compare more months than fit (the plan's period), then the report with the German message in place of the differences (422)", async () => {
    const small = await createTestApp({ config: { planning: { ...DEFAULT_PLANNING_CONFIG, analysisMaxCells: 3 * sites } } });
    try {
      const agent = (await small.login('viewer')).agent;
      const res = await agent.get(`/report?scenario_id=${scenarioId}`);
      expect(res.status).toBe(422);
      expect(res.text).toContain(`höchstens 3 Monate bei ${deNumber(sites)} Standorten`);
      expect(res.text).toContain('id="report-differences"');
    } finally {
      await small.close();
    }
    expect((await (await roomy.login('viewer')).agent.get(`/report?scenario_id=${scenarioId}`)).status).toBe(200);
  });
});
