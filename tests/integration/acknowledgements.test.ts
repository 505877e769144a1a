/**
 * Acknowledged warnings (SPEC section 16): a planner acknowledges a warning for its subject with a
 * reason; the warning stays listed with `acknowledged`, leaves the at-a-glance count, and the
 * change is audited. The Ulm data acknowledges the Zentrale Dienste split in the paper's words.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let p: { agent: TestAgent; csrf: string };
let v: { agent: TestAgent; csrf: string };
beforeAll(async () => {
  t = await createTestApp();
  p = await t.login('planner');
  v = await t.login('viewer');
});
afterAll(async () => {
  await t.close();
});

interface Warning {
  code: string;
  severity: string;
  team_id?: number;
  site_id?: number;
  unit_id?: number;
  acknowledged?: { id: number; reason: string; until: string | null };
}
interface State {
  warnings: Warning[];
  warnings_open: number;
  warnings_acknowledged: number;
  teams: { id: number; name: string; split: boolean }[];
  sites: { id: number; name: string }[];
}
const stateAt = async (date: string) => (await v.agent.get(`/api/state?date=${date}&warnings_limit=all`)).body as State;
const send = (who: { agent: TestAgent; csrf: string }, method: 'post' | 'delete', url: string, body: unknown = {}) =>
  who.agent[method](url)
    .set('X-CSRF-Token', who.csrf)
    .send(body as object);

describe('acknowledged warnings', () => {
  it('when the Ulm data is loaded, then the Zentrale Dienste split is acknowledged with the words of GD 096/21 and not counted', async () => {
    const st = await stateAt('2021-03-01');
    const zd = st.teams.find((x) => x.name === 'Zentrale Dienste')!;
    expect(zd.split).toBe(true);
    const split = st.warnings.find((w) => w.code === 'TEAM_SPLIT' && w.team_id === zd.id)!;
    expect(split.acknowledged?.reason).toContain('bleiben weiterhin auf mehrere Standorte verteilt');
    expect(split.acknowledged?.reason).toContain('GD 096/21');
    // the Mitte/Ost split is not acknowledged: the paper wants the team reunited
    const mo = st.teams.find((x) => x.name === 'Sozialraumteam Mitte/Ost')!;
    expect(st.warnings.find((w) => w.code === 'TEAM_SPLIT' && w.team_id === mo.id)?.acknowledged).toBeUndefined();
    const open = st.warnings.filter((w) => !w.acknowledged && w.code !== 'STEP_FREE_UNKNOWN').length;
    expect(st.warnings_open).toBe(open);
    expect(st.warnings_acknowledged).toBeGreaterThanOrEqual(1);
    const list = (await v.agent.get('/api/acknowledgements')).body as { code: string; team: string; reason: string }[];
    expect(list).toEqual([expect.objectContaining({ code: 'TEAM_SPLIT', team: 'Zentrale Dienste' })]);
  });

  it('when a planner acknowledges a site warning until a date, then it is marked up to that date only, audited, and withdrawn again', async () => {
    const st = await stateAt('2021-03-01');
    const moltke = st.sites.find((s) => s.name === 'Moltkestraße 20')!;
    const before = st.warnings.find((w) => w.code === 'OVER_CAPACITY' && w.site_id === moltke.id)!;
    expect(before.acknowledged).toBeUndefined();
    const res = await send(p, 'post', '/api/acknowledgements', {
      code: 'OVER_CAPACITY',
      site_id: moltke.id,
      reason: 'Umzug in die Magirusstraße 17 folgt',
      until: '2021-03-31',
    });
    expect(res.status).toBe(201);
    const after = await stateAt('2021-03-01');
    expect(after.warnings.find((w) => w.code === 'OVER_CAPACITY' && w.site_id === moltke.id)?.acknowledged).toEqual({
      id: res.body.id,
      reason: 'Umzug in die Magirusstraße 17 folgt',
      until: '2021-03-31',
    });
    expect(after.warnings_open).toBe(st.warnings_open - 1);
    // after its end date the warning counts again
    const later = await stateAt('2021-03-31');
    const laterStill = (await v.agent.get('/api/state?date=2021-04-01&warnings_limit=all')).body as State;
    expect(later.warnings.find((w) => w.code === 'OVER_CAPACITY' && w.site_id === moltke.id)?.acknowledged).toBeDefined();
    expect(laterStill.warnings.some((w) => w.acknowledged?.id === res.body.id)).toBe(false);
    const audit = (await t.login('admin')).agent;
    const entries = (await audit.get(`/api/audit?entity=acknowledgement&entity_id=${res.body.id}`)).body as { action: string }[];
    expect(entries.map((e) => e.action)).toEqual(['create']);
    expect((await send(p, 'delete', `/api/acknowledgements/${res.body.id}`)).status).toBe(204);
    const again = await stateAt('2021-03-01');
    expect(again.warnings.find((w) => w.code === 'OVER_CAPACITY' && w.site_id === moltke.id)?.acknowledged).toBeUndefined();
    const entries2 = (await audit.get(`/api/audit?entity=acknowledgement&entity_id=${res.body.id}`)).body as { action: string }[];
    expect(entries2.map((e) => e.action).sort()).toEqual(['create', 'delete']);
  });

  it('when the input is bad, then 400 names the field; a viewer gets 403; without CSRF 403', async () => {
    const noSubject = await send(p, 'post', '/api/acknowledgements', { code: 'TEAM_SPLIT', reason: 'x' });
    expect(noSubject.status).toBe(400);
    expect(noSubject.body.error.fields).toHaveProperty('team_id');
    const badCode = await send(p, 'post', '/api/acknowledgements', { code: 'NOPE', team_id: 1, reason: 'x' });
    expect(badCode.status).toBe(400);
    expect(badCode.body.error.fields).toHaveProperty('code');
    const noReason = await send(p, 'post', '/api/acknowledgements', { code: 'TEAM_SPLIT', team_id: 1, reason: '  ' });
    expect(noReason.body.error.fields).toHaveProperty('reason');
    const unknown = await send(p, 'post', '/api/acknowledgements', { code: 'TEAM_SPLIT', team_id: 99999, reason: 'x' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields).toHaveProperty('team_id');
    const badDate = await send(p, 'post', '/api/acknowledgements', { code: 'TEAM_SPLIT', team_id: 1, reason: 'x', until: '2021-02-30' });
    expect(badDate.body.error.fields).toHaveProperty('until');
    expect((await send(v, 'post', '/api/acknowledgements', { code: 'TEAM_SPLIT', team_id: 1, reason: 'x' })).status).toBe(403);
    const noCsrf = await p.agent.post('/api/acknowledgements').send({ code: 'TEAM_SPLIT', team_id: 1, reason: 'x' });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body.error.code).toBe('CSRF');
    expect((await send(p, 'delete', '/api/acknowledgements/99999')).status).toBe(404);
  });
});
