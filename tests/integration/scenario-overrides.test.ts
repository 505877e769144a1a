import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { addDays, addMonths } from '../../server/planning/dates.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let p: { agent: TestAgent; csrf: string };
let viewer: { agent: TestAgent; csrf: string };
beforeAll(async () => {
  t = await createTestApp();
  p = await t.login('planner');
  viewer = await t.login('viewer');
});
afterAll(async () => {
  await t.close();
});

interface Move {
  id: number;
  unit_id: number;
  from_site_id: number | null;
  to_site_id: number | null;
  headcount: number;
  date: string;
  until: string | null;
  status: string;
  version: number;
  scenario_id: number | null;
}
interface Event {
  id: number;
  site_id: number;
  kind: string;
  date: string;
  end_date: string | null;
  version: number;
  scenario_id: number | null;
}
const get = async (url: string) => (await p.agent.get(url)).body;
const send = (method: 'post' | 'put' | 'patch' | 'delete', url: string, body: unknown = {}) =>
  p.agent[method](url)
    .set('X-CSRF-Token', p.csrf)
    .send(body as object);
const site = async (name: string) => ((await get('/api/sites')) as { id: number; name: string }[]).find((s) => s.name === name)!;
const siteState = async (siteId: number, date: string, scenarioId?: number) =>
  (
    (await get(`/api/state?date=${date}${scenarioId ? `&scenario_id=${scenarioId}` : ''}&warnings_limit=all`)).sites as {
      id: number;
      headcount: number;
      capacity: number;
    }[]
  ).find((s) => s.id === siteId)!;
const newScenario = async (name: string) => (await send('post', '/api/scenarios', { name })).body as { id: number; version: number };

/** "Sanierung Kornhausplatz 4/6": the renovation and the moves into the renovated building. */
async function kornhausProject() {
  const kh = await site('Kornhausplatz 4/6');
  const renovation = ((await get(`/api/sites/${kh.id}/events`)) as Event[]).find((e) => e.kind === 'renovation' && e.scenario_id === null)!;
  const reopening = addDays(renovation.end_date!, 1);
  const moves = ((await get(`/api/moves?scenario_id=baseline&site_id=${kh.id}`)) as Move[]).filter((m) => m.to_site_id === kh.id && m.date === reopening);
  const project = (await send('post', '/api/projects', { name: `Sanierung Kornhausplatz ${Math.random()}` })).body as { id: number };
  for (const m of moves) expect((await send('patch', `/api/moves/${m.id}`, { project_id: project.id, version: m.version })).status).toBe(200);
  expect((await send('patch', `/api/sites/${kh.id}/events/${renovation.id}`, { project_id: project.id, version: renovation.version })).status).toBe(200);
  return { kh, renovation, reopening, moves, project };
}

describe('scenario overrides', () => {
  it('when a planner overrides a baseline move in a scenario, then the scenario counts the new values, the baseline record stays, and DELETE resets it', async () => {
    const { kh, moves, reopening } = await kornhausProject();
    const sc = await newScenario('Override eines Umzugs');
    const m = moves.find((x) => x.headcount > 1)!;
    const res = await send('put', `/api/scenarios/${sc.id}/overrides/moves/${m.id}`, { headcount: m.headcount - 1 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ scenario_id: sc.id, kind: 'move', move_id: m.id, changes: { headcount: m.headcount - 1 }, version: 1 });
    const after = addMonths(reopening, 1);
    const base = await siteState(kh.id, after);
    expect((await siteState(kh.id, after, sc.id)).headcount).toBe(base.headcount - 1);
    expect((await get(`/api/moves/${m.id}`)).headcount).toBe(m.headcount);
    const list = await get(`/api/scenarios/${sc.id}/overrides`);
    expect(list).toHaveLength(1);
    expect(list[0].baseline.id).toBe(m.id);
    // a second PUT replaces the override; a stale version is refused
    expect((await send('put', `/api/scenarios/${sc.id}/overrides/moves/${m.id}`, { cancelled: true, version: 1 })).status).toBe(200);
    expect((await send('put', `/api/scenarios/${sc.id}/overrides/moves/${m.id}`, { headcount: 1, version: 1 })).status).toBe(409);
    expect((await siteState(kh.id, after, sc.id)).headcount).toBe(base.headcount - m.headcount);
    expect((await send('delete', `/api/scenarios/${sc.id}/overrides/moves/${m.id}`)).status).toBe(204);
    expect((await siteState(kh.id, after, sc.id)).headcount).toBe(base.headcount);
    const audit = await get(`/api/audit?entity=scenario_override`);
    expect(audit.map((a: { action: string }) => a.action).slice(0, 3)).toEqual(['delete', 'update', 'create']);
  });

  it('when an override is malformed, targets a scenario record, breaks a rule or comes from a viewer, then nothing is written', async () => {
    const sc = await newScenario('Falsche Overrides');
    const m = ((await get('/api/moves?scenario_id=baseline&status=done')) as Move[]).find((x) => x.from_site_id !== null && x.to_site_id !== null)!;
    expect((await send('put', `/api/scenarios/${sc.id}/overrides/moves/${m.id}`, { until: addDays(m.date, -1) })).status).toBe(400);
    expect((await send('put', `/api/scenarios/${sc.id}/overrides/moves/${m.id}`, { date: 'morgen' })).body.error.fields).toHaveProperty('date');
    expect((await send('put', `/api/scenarios/${sc.id}/overrides/moves/${m.id}`, {})).status).toBe(400);
    expect((await send('put', `/api/scenarios/${sc.id}/overrides/moves/${m.id}`, { to_site_id: 999999 })).status).toBe(422);
    expect((await send('put', `/api/scenarios/${sc.id}/overrides/moves/999999`, { headcount: 1 })).status).toBe(404);
    expect((await send('put', `/api/scenarios/999999/overrides/moves/${m.id}`, { headcount: 1 })).status).toBe(404);
    // moving far more people than the unit has at the origin
    const neg = await send('put', `/api/scenarios/${sc.id}/overrides/moves/${m.id}`, { headcount: 5000 });
    expect(neg.status).toBe(422);
    expect(neg.body.error.code).toBe('NEGATIVE_HEADCOUNT');
    const own = (await send('post', '/api/moves', { unit_id: m.unit_id, to_site_id: m.to_site_id, headcount: 1, date: '2030-01-01', scenario_id: sc.id }))
      .body as Move;
    const notBaseline = await send('put', `/api/scenarios/${sc.id}/overrides/moves/${own.id}`, { headcount: 2 });
    expect(notBaseline.status).toBe(422);
    expect(notBaseline.body.error.code).toBe('NOT_BASELINE');
    expect((await viewer.agent.put(`/api/scenarios/${sc.id}/overrides/moves/${m.id}`).set('X-CSRF-Token', viewer.csrf).send({ headcount: 1 })).status).toBe(
      403,
    );
    expect((await p.agent.put(`/api/scenarios/${sc.id}/overrides/moves/${m.id}`).send({ headcount: 1 })).status).toBe(403);
    expect(await get(`/api/scenarios/${sc.id}/overrides`)).toEqual([]);
  });

  it('when an event is overridden, then the scenario uses its new dates and capacity', async () => {
    const kh = await site('Kornhausplatz 4/6');
    const renovation = ((await get(`/api/sites/${kh.id}/events`)) as Event[]).find((e) => e.kind === 'renovation' && e.scenario_id === null)!;
    const sc = await newScenario('Sanierung mit Restkapazität');
    const res = await send('put', `/api/scenarios/${sc.id}/overrides/events/${renovation.id}`, { capacity: 10, end_date: addMonths(renovation.end_date!, 2) });
    expect(res.status).toBe(200);
    const during = addMonths(renovation.end_date!, 1);
    expect((await siteState(kh.id, during, sc.id)).capacity).toBe(10);
    expect((await siteState(kh.id, during)).capacity).toBeGreaterThan(10);
    expect((await send('put', `/api/scenarios/${sc.id}/overrides/events/${renovation.id}`, { end_date: addDays(renovation.date, -1) })).status).toBe(400);
  });
});

describe('shift', () => {
  it('when a planner shifts the Kornhausplatz project by six months, then one call writes overrides for every record and the scenario keeps the people at their old sites six months longer', async () => {
    const { kh, moves, renovation, reopening, project } = await kornhausProject();
    const sc = await newScenario('Kornhausplatz sechs Monate später');
    const res = await send('post', `/api/scenarios/${sc.id}/shift`, { project_id: project.id, months: 6 });
    expect(res.status).toBe(200);
    expect(res.body.moves.sort()).toEqual(moves.map((m) => m.id).sort());
    expect(res.body.events).toEqual([renovation.id]);
    const overrides = await get(`/api/scenarios/${sc.id}/overrides`);
    expect(overrides).toHaveLength(moves.length + 1);
    const ev = overrides.find((o: { event_id: number | null }) => o.event_id === renovation.id);
    expect(ev.changes).toEqual({ date: addMonths(renovation.date, 6), end_date: addMonths(renovation.end_date!, 6) });
    const inBetween = addMonths(reopening, 2);
    expect((await siteState(kh.id, inBetween)).headcount).toBeGreaterThan(0);
    expect(await siteState(kh.id, inBetween, sc.id)).toMatchObject({ headcount: 0, capacity: 0 });
    const later = addMonths(reopening, 7);
    expect((await siteState(kh.id, later, sc.id)).headcount).toBe((await siteState(kh.id, later)).headcount);
    // a second shift moves on from the first (12 months in all)
    expect((await send('post', `/api/scenarios/${sc.id}/shift`, { move_ids: [moves[0].id], months: 6 })).status).toBe(200);
    const o = (await get(`/api/scenarios/${sc.id}/overrides`)).find((x: { move_id: number | null }) => x.move_id === moves[0].id);
    expect(o.changes.date).toBe(addMonths(addMonths(moves[0].date, 6), 6));
    const audit = await get(`/api/audit?entity=scenario&entity_id=${sc.id}`);
    expect(audit.filter((a: { action: string }) => a.action === 'shift')).toHaveLength(2);
  });

  it('when a shift would break a rule, then 422 and no override is written', async () => {
    const sc = await newScenario('Unmögliche Verschiebung');
    // the first placement of a unit that later moves out: moved ten years later, the move-out finds nobody
    const all = (await get('/api/moves?scenario_id=baseline')) as Move[];
    const out = all.find((m) => m.from_site_id !== null && (m.status === 'done' || m.status === 'approved'))!;
    const first = all.find((m) => m.unit_id === out.unit_id && m.to_site_id === out.from_site_id && m.date < out.date && m.from_site_id === null)!;
    const res = await send('post', `/api/scenarios/${sc.id}/shift`, { move_ids: [first.id], months: 240 });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('NEGATIVE_HEADCOUNT');
    expect(await get(`/api/scenarios/${sc.id}/overrides`)).toEqual([]);
    expect((await send('post', `/api/scenarios/${sc.id}/shift`, { move_ids: [first.id] })).status).toBe(400);
    expect((await send('post', `/api/scenarios/${sc.id}/shift`, { project_id: 999999, months: 1 })).status).toBe(422);
  });
});

describe('adopt with overrides', () => {
  it('when a scenario with overrides is adopted, then the baseline records take the overridden values in one transaction', async () => {
    const { kh, moves, renovation, project } = await kornhausProject();
    const sc = await newScenario('Übernahme mit Verschiebung');
    await send('post', `/api/scenarios/${sc.id}/shift`, { project_id: project.id, days: 14 });
    const version = (await get(`/api/scenarios/${sc.id}`)).version;
    const res = await send('post', `/api/scenarios/${sc.id}/adopt`, { version });
    expect(res.status).toBe(200);
    expect(res.body.overrides.moves.sort()).toEqual(moves.map((m) => m.id).sort());
    expect((await get(`/api/moves/${moves[0].id}`)).date).toBe(addDays(moves[0].date, 14));
    const ev = ((await get(`/api/sites/${kh.id}/events`)) as Event[]).find((e) => e.id === renovation.id)!;
    expect(ev.end_date).toBe(addDays(renovation.end_date!, 14));
    expect((await p.agent.get(`/api/scenarios/${sc.id}`)).status).toBe(404);
    const history = await get(`/api/audit?entity=move&entity_id=${moves[0].id}`);
    expect(history[0].action).toBe('adopt_override');
    // the audit records each record as it was written, with the time of the write (the app's clock)
    const stored = await t.db('moves').where({ id: moves[0].id }).first('updated_at', 'version');
    expect(history[0].after).toMatchObject({ version: stored.version, updated_at: String(stored.updated_at) });
    const storedEvent = await t.db('site_events').where({ id: renovation.id }).first('updated_at');
    const eventHistory = await get(`/api/audit?entity=site_event&entity_id=${renovation.id}`);
    expect(eventHistory[0].after.updated_at).toBe(String(storedEvent.updated_at));
  });

  it('when the baseline changed so that the overrides now break a rule, then adopt refuses and changes nothing', async () => {
    const sc = await newScenario('Übernahme scheitert');
    const unit = (await get('/api/units'))[0];
    const s1 = (await send('post', '/api/sites', { name: 'Testhaus A', lat: 48.4, lon: 9.99, capacity: 50 })).body;
    const arrival = (await send('post', '/api/moves', { unit_id: unit.id, to_site_id: s1.id, headcount: 10, date: '2031-01-01', status: 'approved' }))
      .body as Move;
    expect((await send('put', `/api/scenarios/${sc.id}/overrides/moves/${arrival.id}`, { headcount: 5 })).status).toBe(200);
    // the baseline now moves 8 of the 10 out later: fine for the baseline, not for the scenario's 5
    expect((await send('post', '/api/moves', { unit_id: unit.id, from_site_id: s1.id, headcount: 8, date: '2031-06-01', status: 'approved' })).status).toBe(
      201,
    );
    const res = await send('post', `/api/scenarios/${sc.id}/adopt`);
    expect(res.status).toBe(422);
    expect((await get(`/api/moves/${arrival.id}`)).headcount).toBe(10);
    expect(await get(`/api/scenarios/${sc.id}/overrides`)).toHaveLength(1);
    // the comparison warns that the record an override rests on is older than the baseline's
    const cmp = await get(`/api/scenarios/${sc.id}/compare`);
    expect(cmp.baseline_changed.count).toBeGreaterThan(0);
  });

  it('when a baseline record changes after it was overridden, then the comparison names the override', async () => {
    const sc = await newScenario('Veraltete Änderung');
    const m = ((await get('/api/moves?scenario_id=baseline&status=done')) as Move[])[2];
    await send('put', `/api/scenarios/${sc.id}/overrides/moves/${m.id}`, { headcount: m.headcount });
    await send('patch', `/api/moves/${m.id}`, { note: 'nachträglich geändert', version: m.version });
    const cmp = await get(`/api/scenarios/${sc.id}/compare`);
    expect(cmp.baseline_changed.overrides.map((o: { move_id: number }) => o.move_id)).toEqual([m.id]);
  });
});
