import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { EDITOR_SITE_NAME } from '../helpers/fixtures.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let planner: { agent: TestAgent; csrf: string };
let editor: { agent: TestAgent; csrf: string };
let siteId: number;
let scenarioId: number;
beforeAll(async () => {
  t = await createTestApp();
  planner = await t.login('planner');
  editor = await t.login('editor');
  siteId = (await planner.agent.get('/api/sites')).body.find((s: { name: string }) => s.name === EDITOR_SITE_NAME).id;
  scenarioId = (await planner.agent.post('/api/scenarios').set('X-CSRF-Token', planner.csrf).send({ name: 'Variante Editor-Test' })).body.id;
});
afterAll(async () => {
  await t.close();
});

const as = (who: { agent: TestAgent; csrf: string }) => ({
  post: (url: string, body: object) => who.agent.post(url).set('X-CSRF-Token', who.csrf).send(body),
  patch: (url: string, body: object) => who.agent.patch(url).set('X-CSRF-Token', who.csrf).send(body),
  del: (url: string) => who.agent.delete(url).set('X-CSRF-Token', who.csrf),
});

describe('a site_editor and scenarios', () => {
  it("when a site_editor touches a planner's scenario event on their own site, then 403 and the event is unchanged", async () => {
    const ev = (await as(planner).post(`/api/sites/${siteId}/events`, { kind: 'capacity', date: '2027-05-01', capacity: 80, scenario_id: scenarioId })).body;
    expect(ev.scenario_id).toBe(scenarioId);
    const intoBaseline = await as(editor).patch(`/api/sites/${siteId}/events/${ev.id}`, { scenario_id: null, version: ev.version });
    expect(intoBaseline.status).toBe(403);
    const edit = await as(editor).patch(`/api/sites/${siteId}/events/${ev.id}`, { capacity: 1, version: ev.version });
    expect(edit.status).toBe(403);
    const del = await as(editor).del(`/api/sites/${siteId}/events/${ev.id}?version=${ev.version}`);
    expect(del.status).toBe(403);
    const still = await t.db('site_events').where({ id: ev.id }).first();
    expect(still).toMatchObject({ scenario_id: scenarioId, capacity: 80, version: ev.version });
  });

  it('when a site_editor moves their baseline event into a scenario or creates one there, then 403; baseline edits still work', async () => {
    const ev = await as(editor).post(`/api/sites/${siteId}/events`, { kind: 'capacity', date: '2027-06-01', capacity: 70 });
    expect(ev.status).toBe(201);
    expect((await as(editor).patch(`/api/sites/${siteId}/events/${ev.body.id}`, { scenario_id: scenarioId, version: ev.body.version })).status).toBe(403);
    expect((await as(editor).post(`/api/sites/${siteId}/events`, { kind: 'capacity', date: '2027-06-02', capacity: 60, scenario_id: scenarioId })).status).toBe(
      403,
    );
    const ok = await as(editor).patch(`/api/sites/${siteId}/events/${ev.body.id}`, { capacity: 65, version: ev.body.version });
    expect(ok.status).toBe(200);
    expect(ok.body.scenario_id).toBeNull();
    expect((await as(editor).del(`/api/sites/${siteId}/events/${ev.body.id}?version=${ok.body.version}`)).status).toBe(204);
  });

  it('a planner still moves events between baseline and scenario', async () => {
    const ev = (await as(planner).post(`/api/sites/${siteId}/events`, { kind: 'capacity', date: '2027-07-01', capacity: 50 })).body;
    const moved = await as(planner).patch(`/api/sites/${siteId}/events/${ev.id}`, { scenario_id: scenarioId, version: ev.version });
    expect(moved.status).toBe(200);
    expect(moved.body.scenario_id).toBe(scenarioId);
  });
});
