import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import type { Response } from 'supertest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

// the real pool: one worker thread with its own database connection and plan
let pooled: TestApp;
let viewer: TestAgent;
let planner: { agent: TestAgent; csrf: string };
let scenarioId: number;
beforeAll(async () => {
  pooled = await createTestApp({ config: { work: { workers: 1, queueMax: 8, perUser: 2 } } });
  viewer = (await pooled.login('viewer')).agent;
  planner = await pooled.login('planner');
  scenarioId = (await pooled.repos.scenarios.list())[0].id;
});
afterAll(async () => {
  await pooled.close();
});

describe('heavy work in worker threads (SPEC section 13)', () => {
  it('when the timeline and a comparison over a period are asked for, then a worker answers them exactly as the request thread would', async () => {
    const q = { from: '2019-01-01', to: '2026-12-31', step: 'month' as const, scenarioId };
    const res = await viewer.get(`/api/timeline?from=${q.from}&to=${q.to}&step=month&scenario_id=${scenarioId}`);
    expect(res.status).toBe(200);
    expect(res.text).toBe(JSON.stringify(await pooled.ctx.services.planning.timeline(q)));
    const cmp = await viewer.get(`/api/scenarios/${scenarioId}/compare?from=2021-01-01&to=2024-12-31`);
    expect(cmp.status).toBe(200);
    expect(cmp.body).toEqual(JSON.parse(JSON.stringify(await pooled.ctx.services.scenarios.comparePeriod(scenarioId, '2021-01-01', '2024-12-31'))));
    // the cost comparison (issue 26) is a period analysis too
    const costs = await viewer.get(`/api/scenarios/${scenarioId}/costs?from=2021-01-01&to=2024-12-31`);
    expect(costs.status).toBe(200);
    expect(costs.body).toEqual(JSON.parse(JSON.stringify(await pooled.ctx.services.costs.compare(scenarioId, '2021-01-01', '2024-12-31'))));
    // an error in the worker keeps its code: a period ending before it starts
    const bad = await viewer.get(`/api/scenarios/${scenarioId}/compare?from=2024-01-01&to=2021-01-01`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.to).toBe('The end is before the start.');
  });

  it('when the pages of period analyses and the report are opened, then they render from the worker', async () => {
    const timeline = await viewer.get(`/timeline?scenario_id=${scenarioId}&overlay=1&from=2020-01-01&to=2025-01-01&step=quarter`);
    expect(timeline.status).toBe(200);
    expect(timeline.text).toContain('id="district-chart"');
    const scenario = await viewer.get(`/scenarios/${scenarioId}`);
    expect(scenario.status).toBe(200);
    expect(scenario.text).toContain('id="summary"');
    const report = await viewer.get(`/report?scenario_id=${scenarioId}`);
    expect(report.status).toBe(200);
    expect(report.text).toContain('id="report-differences"');
  });

  it('when a planner asks for placement proposals, then a worker solves them within the time asked for', async () => {
    const team = ((await planner.agent.get('/api/teams')).body as { id: number; name: string }[]).find((x) => x.name === 'Sozialraumteam Weststadt')!;
    const t0 = Date.now();
    const res = await planner.agent
      .post('/api/placement')
      .set('X-CSRF-Token', planner.csrf)
      .send({ date: '2027-01-01', team_ids: [team.id], max_sites_per_team: 1, time_limit_s: 5 });
    expect(res.status).toBe(200);
    expect(res.body.proposals.length).toBeGreaterThanOrEqual(1);
    expect(res.body.proposals[0].sites[0].name).toContain('Söflinger Straße');
    expect(Date.now() - t0).toBeLessThan(5_000 + 5_000 + 10_000); // time_limit_s + 5 s, and the worker's start in a test
  });
});

describe('bounded: beyond the queue and the per-user limit, 503 BUSY with Retry-After', () => {
  let held: TestApp;
  let release: () => void = () => undefined;
  beforeAll(async () => {
    // the request thread's pool (WORKERS=0) with one waiting place, and comparisons that wait until released
    held = await createTestApp({ config: { work: { workers: 0, queueMax: 1, perUser: 2 } } });
    const scenarios = held.ctx.services.scenarios;
    const compare = scenarios.comparePeriod.bind(scenarios);
    let gate = new Promise<void>((r) => (release = r));
    scenarios.comparePeriod = async (...args) => {
      await gate;
      return compare(...args);
    };
    release = ((open) => () => {
      open();
      gate = Promise.resolve();
    })(release);
  });
  afterAll(async () => {
    await held.close();
  });

  it('when a viewer has two comparisons going, then a third is 503 BUSY with Retry-After; a placement finds no free worker and is refused at once; once answered, all is well', async () => {
    const v = (await held.login('viewer')).agent;
    const p = await held.login('planner');
    const url = `/api/scenarios/${scenarioId}/compare?from=2021-01-01&to=2022-12-31`;
    const going: Promise<Response>[] = [v.get(url).then((r) => r), v.get(url).then((r) => r)];
    for (let i = 0; i < 200 && held.ctx.heavy.load().running + held.ctx.heavy.load().waiting < 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(held.ctx.heavy.load()).toEqual({ running: 1, waiting: 1 });

    const third = await v.get(url);
    expect(third.status).toBe(503);
    expect(third.body.error.code).toBe('BUSY');
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
    // the queue (one place) is full: another user's analysis too
    const other = await p.agent.get(url);
    expect(other.status).toBe(503);
    expect(other.body.error.code).toBe('BUSY');

    const t0 = Date.now();
    const solve = await p.agent
      .post('/api/placement')
      .set('X-CSRF-Token', p.csrf)
      .send({ date: '2027-01-01', team_ids: [1], time_limit_s: 30 });
    expect(solve.status).toBe(503);
    expect(solve.body.error.code).toBe('BUSY');
    expect(solve.headers['retry-after']).toBeDefined();
    expect(Date.now() - t0).toBeLessThan(5_000);
    // on the page: the German error page, not a raw JSON
    const page = await p.agent.get(`/timeline?from=2021-01-01&to=2022-01-01&lang=de`);
    expect(page.status).toBe(503);
    expect(page.text).toContain('ausgelastet');

    release();
    for (const r of await Promise.all(going)) expect(r.status).toBe(200);
    expect((await v.get(url)).status).toBe(200);
  });
});
