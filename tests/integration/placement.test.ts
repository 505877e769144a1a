import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
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

const api = async (url: string) => (await p.agent.get(url)).body;
const post = (url: string, body: unknown = {}) =>
  p.agent
    .post(url)
    .set('X-CSRF-Token', p.csrf)
    .send(body as object);
const byName = async (kind: string, name: string) => ((await api(`/api/${kind}`)) as { id: number; name: string }[]).find((x) => x.name === name)!;

interface Proposal {
  score: number;
  date: string;
  scenario_id: number | null;
  moves: { unit_id: number; from_site_id: number | null; to_site_id: number; headcount: number }[];
  sites: { site_id: number; name: string; headcount: number; capacity: number; needed: number; candidate: boolean }[];
  teams: { team_id: number; site_ids: number[]; max_distance_m: number }[];
  breakdown: Record<string, { amount: number; weight: number; cost: number }>;
  warnings: { code: string; message: string }[];
}

describe('placement assistant (SPEC 12)', () => {
  it('when the Weststadt team asks to be reunited from 01.01.2027 with the buildings on offer, then the best proposal puts it at one site, a candidate big enough', async () => {
    const team = await byName('teams', 'Sozialraumteam Weststadt');
    const res = await post('/api/placement', { date: '2027-01-01', team_ids: [team.id], max_sites_per_team: 1 });
    expect(res.status).toBe(200);
    expect(['optimal', 'time_limit']).toContain(res.body.status);
    expect(res.body.proposals.length).toBeGreaterThanOrEqual(1);
    expect(res.body.proposals.length).toBeLessThanOrEqual(3);
    const best: Proposal = res.body.proposals[0];
    expect(best.teams).toHaveLength(1);
    expect(best.teams[0].site_ids).toHaveLength(1);
    const site = best.sites[0];
    expect(site.candidate).toBe(true);
    expect(site.name).toContain('Söflinger Straße');
    expect(site.needed).toBeLessThanOrEqual(site.capacity);
    // every move ends at that one site; the breakdown adds up to the score
    expect(best.moves.every((m) => m.to_site_id === site.site_id)).toBe(true);
    const sum = Object.values(best.breakdown).reduce((n, l) => n + l.cost, 0);
    expect(sum).toBeCloseTo(best.score, 5);
    expect(best.breakdown.extra_site.amount).toBe(0);
    // proposals come best first and differ
    const scores = res.body.proposals.map((x: Proposal) => x.score);
    expect([...scores].sort((a, b) => a - b)).toEqual(scores);
    expect(typeof res.body.solve_ms).toBe('number');
  });

  it('when no building on offer may be used, then the answer is a clear "infeasible" that names the site it would need, in German', async () => {
    const team = await byName('teams', 'Sozialraumteam Weststadt');
    const res = await post('/api/placement', { date: '2027-01-01', team_ids: [team.id], max_sites_per_team: 1, candidates: false, within_district: true });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('infeasible');
    expect(res.body.proposals).toEqual([]);
    const reason = res.body.reasons[0];
    expect(reason.code).toBe('NO_SITE_FOR_TEAM');
    expect(reason.message).toMatch(/^Kein Standort mit \d+ Plätzen, stufenlos, im Sozialraum Weststadt/);
    const en = await p.agent
      .post('/api/placement?lang=en')
      .set('X-CSRF-Token', p.csrf)
      .send({ date: '2027-01-01', team_ids: [team.id], max_sites_per_team: 1, candidates: false, within_district: true });
    expect(en.body.reasons[0].message).toMatch(/^No site with \d+ workplaces, step-free, in the district Weststadt/);
  });

  it('when a proposal is applied, then a new scenario holds its moves and its state at the date matches the proposal', async () => {
    const team = await byName('teams', 'Sozialraumteam Weststadt');
    const res = await post('/api/placement', { date: '2027-01-01', team_ids: [team.id], max_sites_per_team: 1, proposals: 1 });
    const best: Proposal = res.body.proposals[0];
    const applied = await post('/api/placement/apply', { ...best, scenario_name: 'Weststadt vereint 2027' });
    expect(applied.status).toBe(201);
    const scenarioId = applied.body.scenario.id as number;
    const moves = await api(`/api/moves?scenario_id=${scenarioId}`);
    expect(moves).toHaveLength(best.moves.length);
    const state = await api(`/api/state?date=2027-01-01&scenario_id=${scenarioId}`);
    const teamState = state.teams.find((x: { id: number }) => x.id === team.id);
    expect(teamState.site_ids).toEqual(best.teams[0].site_ids);
    expect(teamState.split).toBe(false);
    for (const s of best.sites) {
      const st = state.sites.find((x: { id: number }) => x.id === s.site_id);
      expect({ headcount: st.headcount, capacity: st.capacity, needed: st.needed }).toEqual({ headcount: s.headcount, capacity: s.capacity, needed: s.needed });
    }
    // the baseline does not count the candidate
    const base = await api('/api/state?date=2027-01-01');
    const cand = base.sites.find((x: { id: number }) => x.id === best.sites[0].site_id);
    expect(cand).toMatchObject({ capacity: 0, headcount: 0, status: 'candidate' });
    // audited
    const audit = await api(`/api/audit?entity=scenario&entity_id=${scenarioId}`);
    expect(audit[0]).toMatchObject({ action: 'create', entity: 'scenario' });
    // the same name again: 409, nothing written
    const again = await post('/api/placement/apply', { ...best, scenario_name: 'Weststadt vereint 2027' });
    expect(again.status).toBe(409);
  });

  it('when a proposal no longer fits the ledger, then applying it is refused and nothing is written', async () => {
    const team = await byName('teams', 'Sozialraumteam Weststadt');
    const res = await post('/api/placement', { date: '2027-01-01', team_ids: [team.id], max_sites_per_team: 1, proposals: 1 });
    const best: Proposal = res.body.proposals[0];
    const tooMany = { ...best, moves: best.moves.map((m) => ({ ...m, headcount: m.headcount + 100 })), scenario_name: 'Zu viele' };
    const out = await post('/api/placement/apply', tooMany);
    expect(out.status).toBe(422);
    expect(out.body.error.code).toBe('NEGATIVE_HEADCOUNT');
    expect(((await api('/api/scenarios')) as { name: string }[]).some((s) => s.name === 'Zu viele')).toBe(false);
  });

  it('when a viewer or site editor asks, then 403; without CSRF token, 403; bad input, 400 with fields', async () => {
    for (const user of ['viewer', 'editor'] as const) {
      const u = await t.login(user);
      const res = await u.agent
        .post('/api/placement')
        .set('X-CSRF-Token', u.csrf)
        .send({ date: '2027-01-01', team_ids: [1] });
      expect(res.status).toBe(403);
      expect((await u.agent.post('/api/placement/apply').set('X-CSRF-Token', u.csrf).send({ date: '2027-01-01', moves: [], scenario_name: 'x' })).status).toBe(
        403,
      );
      expect((await u.agent.get('/placement')).status).toBe(403);
    }
    expect((await p.agent.post('/api/placement').send({ date: '2027-01-01', team_ids: [1] })).status).toBe(403);
    const bad = await post('/api/placement', { date: '2027-13-01', weights: { moved_person: -1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(bad.body.error.fields)).toEqual(expect.arrayContaining(['date', 'weights.moved_person']));
    const nobody = await post('/api/placement', { date: '2027-01-01' });
    expect(nobody.status).toBe(400);
    expect(nobody.body.error.fields).toHaveProperty('team_ids');
  });

  it('when a viewer asks the API or the page for proposals or applies one from the page, then 403 before any question is queued for the worker pool', async () => {
    const v = await t.login('viewer');
    const team = await byName('teams', 'Sozialraumteam Weststadt');
    const queued = vi.spyOn(t.ctx.heavy, 'propose');
    try {
      // refused before the question is even read: a malformed one is 403 too, not 400
      for (const body of [{ date: '2027-01-01', team_ids: [team.id] }, { date: '2027-13-01' }])
        expect((await v.agent.post('/api/placement').set('X-CSRF-Token', v.csrf).send(body)).status).toBe(403);
      expect((await v.agent.get(`/placement?asked=1&date=2027-01-01&team_ids=${team.id}`)).status).toBe(403);
      const apply = await v.agent.post('/placement/apply').type('form').send({ _csrf: v.csrf, index: '0', proposal: '{}', scenario_name: 'Nein' });
      expect(apply.status).toBe(403);
      expect(queued).not.toHaveBeenCalled();
    } finally {
      queued.mockRestore();
    }
    expect(((await api('/api/scenarios')) as { name: string }[]).some((s) => s.name === 'Nein')).toBe(false);
  });

  it('when candidates are not asked for, then the map data leaves them out; when asked for, it shows them', async () => {
    const plain = await api('/api/sites.geojson?date=2027-01-01');
    const withCandidates = await api('/api/sites.geojson?date=2027-01-01&candidates=1');
    const isCandidate = (f: { properties: { status: string } }) => f.properties.status === 'candidate';
    expect(plain.features.some(isCandidate)).toBe(false);
    expect(withCandidates.features.filter(isCandidate).length).toBeGreaterThanOrEqual(3);
  });

  it('when a planner creates a candidate site through the API, then it is stored with its available-from date', async () => {
    const res = await post('/api/sites', {
      name: 'Angebot Test',
      lat: 48.39,
      lon: 9.97,
      capacity: 12,
      status: 'candidate',
      available_from: '2027-05-01',
      step_free: 'yes',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'candidate', available_from: '2027-05-01' });
  });

  it('when the placement page is asked a question, then it shows the proposals with their moves and a form to apply one', async () => {
    const team = await byName('teams', 'Sozialraumteam Weststadt');
    const page = await p.agent.get(
      `/placement?asked=1&team_ids=${team.id}&date=2027-01-01&candidates=1&keep_units_whole=1&max_sites_per_team=1&time_limit_s=5`,
    );
    expect(page.status).toBe(200);
    expect(page.text).toContain('id="proposal-1"');
    expect(page.text).toContain('Söflinger Straße');
    expect(page.text).toContain('action="/placement/apply"');
    const invalid = await p.agent.get('/placement?asked=1&date=2027-02-30');
    expect(invalid.status).toBe(400);
    expect(invalid.text).toContain('field-error');
  });

  // (changes the baseline: last)
  it('when a scenario that moves people into a building on offer is adopted, then the building is taken up: planned, opening on its available-from date', async () => {
    const team = await byName('teams', 'Sozialraumteam Weststadt');
    const res = await post('/api/placement', { date: '2027-01-01', team_ids: [team.id], max_sites_per_team: 1, proposals: 1 });
    const best: Proposal = res.body.proposals[0];
    const applied = await post('/api/placement/apply', { ...best, scenario_name: 'Weststadt übernehmen' });
    const scenario = applied.body.scenario as { id: number; version: number };
    const adopted = await p.agent.post(`/api/scenarios/${scenario.id}/adopt`).set('X-CSRF-Token', p.csrf).send({ version: scenario.version });
    expect(adopted.status).toBe(200);
    const siteId = best.sites[0].site_id;
    const site = await api(`/api/sites/${siteId}`);
    expect(site.status).toBe('planned');
    const events = await api(`/api/sites/${siteId}/events`);
    expect(events.some((e: { kind: string; date: string }) => e.kind === 'opening' && e.date === '2027-01-01')).toBe(true);
    const state = await api('/api/state?date=2027-02-01');
    const st = state.sites.find((x: { id: number }) => x.id === siteId);
    expect(st).toMatchObject({ available: true, headcount: best.sites[0].headcount, capacity: best.sites[0].capacity });
    expect(state.warnings.some((w: { code: string; site_id?: number }) => w.code === 'SITE_UNAVAILABLE' && w.site_id === siteId)).toBe(false);
    expect(state.sites.find((x: { id: number }) => x.id === siteId)).toBeTruthy();
    expect((await api('/api/state?date=2026-12-01')).sites.find((x: { id: number }) => x.id === siteId).capacity).toBe(0);
  });
});

describe('candidate site pages', () => {
  let t2: TestApp;
  beforeAll(async () => {
    t2 = await createTestApp();
  });
  afterAll(async () => {
    await t2.close();
  });
  it('when a candidate site is opened, then its page says from when it is on offer, in German', async () => {
    const a = await t2.login('viewer');
    const sites = (await a.agent.get('/api/sites')).body as { id: number; name: string; status: string }[];
    const cand = sites.find((s) => s.status === 'candidate' && s.name.startsWith('Söflinger'))!;
    const page = await a.agent.get(`/sites/${cand.id}?date=2027-01-01`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('angeboten');
    expect(page.text).toContain('Angeboten ab: 01.01.2027');
  });
});
