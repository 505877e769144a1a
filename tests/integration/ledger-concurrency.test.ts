import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let planner: { agent: TestAgent; csrf: string };
beforeAll(async () => {
  t = await createTestApp();
  planner = await t.login('planner');
});
afterAll(async () => {
  await t.close();
});

const post = (url: string, body: unknown) =>
  planner.agent
    .post(url)
    .set('X-CSRF-Token', planner.csrf)
    .send(body as object);

describe('headcount rules under concurrency', () => {
  it('when ten departures of 5 people from a unit that has 5 arrive at once, then exactly one succeeds and the headcount never goes below zero', async () => {
    const team = (await planner.agent.get('/api/teams')).body[0];
    const unit = (await post('/api/units', { team_id: team.id, name: `Wettlauf ${t.dialect}` })).body;
    const site = (await planner.agent.get('/api/sites')).body[0];
    const arrival = await post('/api/moves', { unit_id: unit.id, to_site_id: site.id, headcount: 5, date: '2027-01-01', status: 'approved' });
    expect(arrival.status).toBe(201);

    const results = await Promise.all(
      Array.from({ length: 10 }, () => post('/api/moves', { unit_id: unit.id, from_site_id: site.id, headcount: 5, date: '2027-02-01', status: 'approved' })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 422)).toHaveLength(9);
    for (const r of results.filter((x) => x.status === 422)) expect(r.body.error.code).toBe('NEGATIVE_HEADCOUNT');

    const moves = (await planner.agent.get(`/api/moves?unit_id=${unit.id}`)).body as { headcount: number; from_site_id: number | null }[];
    expect(moves.filter((m) => m.from_site_id === site.id)).toHaveLength(1);
    const state = (await planner.agent.get('/api/state?date=2027-03-01')).body;
    const there = state.sites.find((s: { id: number }) => s.id === site.id);
    const mine = there.units.find((u: { unit_id: number }) => u.unit_id === unit.id);
    expect(mine?.headcount ?? 0).toBe(0);
  });
});
