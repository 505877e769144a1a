import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, DEFAULT_WEIGHTS, violations } from '../../server/planning/placement-model.js';
import { movesOf, placementInstance, planMovesOf, solvePlacement, type PlacementQuery } from '../../server/planning/placement.js';
import { solveInProcess } from '../../server/services/highs-solver.js';
import { SQUARE, data, move, plan, site, unit } from './plan-fixture.js';

const now = () => performance.now();
const query = (over: Partial<PlacementQuery>): PlacementQuery => ({
  date: '2027-01-01',
  until: null,
  scenario_id: null,
  unit_ids: [],
  site_ids: null,
  candidates: true,
  ...over,
});

/** A district team of 62 people in two units, split over two small sites; a candidate building on offer from 2027. */
function westFixture(candidateCapacity: number) {
  return data({
    sites: [
      site(1, { name: 'Altbau', capacity: 40, lat: 48.4, lon: 10.0 }),
      site(2, { name: 'Ausweichquartier', capacity: 30, lat: 48.405, lon: 10.005, step_free: 'no' }),
      site(3, { name: 'Angebot', capacity: candidateCapacity, status: 'candidate', available_from: '2027-01-01', lat: 48.402, lon: 10.002 }),
      site(4, { name: 'Weit weg', capacity: 100, lat: 48.5, lon: 10.2, step_free: 'no' }),
    ],
    units: [unit(1, { name: 'Erstanlaufstelle', public_facing: true }), unit(2, { name: 'Sachgebiet' })],
    teams: [{ id: 1, name: 'Weststadt', kind: 'district', district_id: 1 }],
    districts: [{ id: 1, name: 'Weststadt', geometry: SQUARE }],
    moves: [move({ unit_id: 1, to_site_id: 1, headcount: 32, date: '2020-01-01' }), move({ unit_id: 2, to_site_id: 2, headcount: 30, date: '2020-01-01' })],
  });
}

describe('candidate sites in the engine', () => {
  it('when a site is a candidate, then the baseline counts none of its places, and a scenario counts them only once it moves people in', () => {
    const d = westFixture(70);
    const p = plan({
      ...d,
      moves: [...d.moves, move({ unit_id: 2, from_site_id: 2, to_site_id: 3, headcount: 30, date: '2027-02-01', status: 'proposed', scenario_id: 7 })],
    });
    const base = p.state('2027-03-01');
    const cand = base.sites.find((s) => s.id === 3)!;
    expect(cand).toMatchObject({ capacity: 0, available: false, status: 'candidate', headcount: 0 });
    expect(base.districts[0].capacity).toBe(40 + 30);
    const scen = p.state('2027-03-01', 7).sites.find((s) => s.id === 3)!;
    expect(scen).toMatchObject({ capacity: 70, available: true, headcount: 30 });
    // before its available-from date even the scenario cannot use it
    expect(p.state('2026-12-01', 7).sites.find((s) => s.id === 3)!.available).toBe(false);
    expect(p.timeline(['2027-03-01'], null).sites.find((s) => s.id === 3)!.capacity[0]).toBe(0);
  });
});

describe('placement on a plan', () => {
  it('when a site is lost only from a later day (what-if), then it serves until then but no proposal may use it, as the placement must hold on that day too', async () => {
    const p = plan(westFixture(70));
    const lostNow = placementInstance(p, query({ unit_ids: [2], exclude_site_ids: [3] })).instance;
    expect(lostNow.sites.map((s) => s.id)).not.toContain(3);
    const lostLater = placementInstance(p, query({ unit_ids: [2], exclude_site_ids: [3], exclude_from: '2027-06-01' })).instance;
    expect(lostLater.sites.find((s) => s.id === 3)).toMatchObject({ available_at_date: true, free_at_date: 70, available: false, free: 0 });
    // a loss on or before the date is a loss from the date
    expect(placementInstance(p, query({ unit_ids: [2], exclude_site_ids: [3], exclude_from: '2026-01-01' })).instance.sites.map((s) => s.id)).not.toContain(3);
    const out = await solvePlacement(lostLater, solveInProcess, { rules: DEFAULT_RULES, weights: DEFAULT_WEIGHTS, timeLimitS: 5, proposals: 3, now });
    for (const prop of out.proposals) expect(movesOf(lostLater, prop.assignment).map((m) => m.to_site_id)).not.toContain(3);
  });

  it('when a candidate is big enough, then the team is reunited at it in one site and the proposal keeps every hard rule', async () => {
    const p = plan(westFixture(70));
    const { instance } = placementInstance(p, query({ unit_ids: [1, 2] }));
    const rules = { ...DEFAULT_RULES, max_sites_per_team: 1 };
    const out = await solvePlacement(instance, solveInProcess, { rules, weights: DEFAULT_WEIGHTS, timeLimitS: 5, proposals: 3, now });
    expect(out.status).toBe('optimal');
    const best = out.proposals[0];
    expect(best.pattern).toEqual([{ team_id: 1, site_ids: [3] }]);
    for (const prop of out.proposals) expect(violations(instance, prop.assignment, rules)).toEqual([]);
    // applied as a scenario, the engine sees the team at one site, nobody over capacity
    const moves = planMovesOf(movesOf(instance, best.assignment), '2027-01-01', 99, 1_000_000);
    const after = p.withMoves(moves).state('2027-01-01', 99);
    expect(after.teams[0]).toMatchObject({ site_ids: [3], split: false, headcount: 62 });
    expect(after.warnings.filter((w) => w.code === 'OVER_CAPACITY' || w.code === 'SITE_UNAVAILABLE')).toEqual([]);
  });

  it('when no site is big enough for the whole team, then the answer is infeasible and names the site it would need', async () => {
    const p = plan(westFixture(50));
    const { instance } = placementInstance(p, query({ unit_ids: [1, 2], site_ids: [1, 2, 3] }));
    const out = await solvePlacement(instance, solveInProcess, {
      rules: { ...DEFAULT_RULES, max_sites_per_team: 1, within_district: true },
      weights: DEFAULT_WEIGHTS,
      timeLimitS: 5,
      proposals: 3,
      now,
    });
    expect(out.status).toBe('infeasible');
    expect(out.proposals).toEqual([]);
    expect(out.reasons).toEqual([{ code: 'NO_SITE_FOR_TEAM', params: { team: 'Weststadt', needed: 62, step_free: 1, district: 'Weststadt' } }]);
    // the same question a day before the offer starts: the rule of availability is named, with the building that would fit
    const early = placementInstance(plan(westFixture(70)), query({ unit_ids: [1, 2], site_ids: [1, 2, 3], date: '2026-12-31' }));
    const out2 = await solvePlacement(early.instance, solveInProcess, {
      rules: { ...DEFAULT_RULES, max_sites_per_team: 1 },
      weights: DEFAULT_WEIGHTS,
      timeLimitS: 5,
      proposals: 1,
      now,
    });
    expect(out2.reasons).toEqual([
      { code: 'NO_SITE_FOR_TEAM', params: { team: 'Weststadt', needed: 62, step_free: 1, district: null } },
      { code: 'RULE_AVAILABILITY', params: { sites: 'Angebot' } },
    ]);
  });

  it('when a big building is closed for good, then it is neither used nor suggested', async () => {
    const d = westFixture(0);
    d.sites.push(site(5, { name: 'Geschlossen', capacity: 200, status: 'closed' }));
    const { instance } = placementInstance(plan(d), query({ unit_ids: [1, 2] }));
    expect(instance.sites.map((x) => x.id)).not.toContain(5);
    const out = await solvePlacement(instance, solveInProcess, {
      rules: { ...DEFAULT_RULES, max_sites_per_team: 1 },
      weights: DEFAULT_WEIGHTS,
      timeLimitS: 5,
      proposals: 1,
      now,
    });
    expect(out.status).toBe('infeasible');
    expect(JSON.stringify(out.reasons)).not.toContain('Geschlossen');
  });

  it('when services of two teams share a name and only step-free access stands in the way, then the rule names each service once, with its team', async () => {
    const d = westFixture(0);
    const p = plan({
      ...d,
      teams: [...d.teams, { id: 2, name: 'Böfingen', kind: 'district', district_id: 1 }],
      units: [...d.units, unit(3, { name: 'Erstanlaufstelle', public_facing: true, team_id: 2 })],
      moves: [...d.moves, move({ unit_id: 3, to_site_id: 1, headcount: 5, date: '2020-01-01' })],
    });
    const { instance } = placementInstance(p, query({ unit_ids: [1, 3], site_ids: [2, 4] }));
    const out = await solvePlacement(instance, solveInProcess, { rules: DEFAULT_RULES, weights: DEFAULT_WEIGHTS, timeLimitS: 5, proposals: 1, now });
    expect(out.status).toBe('infeasible');
    expect(out.reasons.find((r) => r.code === 'RULE_STEP_FREE')?.params).toEqual({ units: 'Erstanlaufstelle (Weststadt), Erstanlaufstelle (Böfingen)' });
  });

  it('when only relaxing step-free access would help, then that rule is named', async () => {
    const p = plan(westFixture(0));
    // the public-facing unit (32 people) fits only at the far site, which has steps
    const { instance } = placementInstance(p, query({ unit_ids: [1], site_ids: [2, 4] }));
    const out = await solvePlacement(instance, solveInProcess, { rules: DEFAULT_RULES, weights: DEFAULT_WEIGHTS, timeLimitS: 5, proposals: 1, now });
    expect(out.status).toBe('infeasible');
    expect(out.reasons.map((r) => r.code)).toEqual(['NO_SITE_FOR_UNIT', 'RULE_STEP_FREE']);
    const relaxed = await solvePlacement(instance, solveInProcess, {
      rules: { ...DEFAULT_RULES, step_free: false },
      weights: DEFAULT_WEIGHTS,
      timeLimitS: 5,
      proposals: 1,
      now,
    });
    expect(relaxed.status).toBe('optimal');
    expect(relaxed.proposals[0].breakdown.not_step_free.amount).toBe(32);
  });

  it('when the places run out only later in the window, then the window is named', async () => {
    const d = westFixture(0);
    // someone else moves into the candidate-free site 4 in March, leaving too little room
    d.moves.push(move({ unit_id: 3, to_site_id: 4, headcount: 90, date: '2027-03-01' }));
    d.units.push(unit(3, { name: 'Andere', team_id: 2 }));
    d.teams.push({ id: 2, name: 'Zentral', kind: 'central', district_id: null });
    const p = plan(d);
    const { instance } = placementInstance(p, query({ unit_ids: [2], site_ids: [4], until: '2027-12-31' }));
    expect(instance.sites[0]).toMatchObject({ free_at_date: 100, free: 10 });
    const out = await solvePlacement(instance, solveInProcess, { rules: DEFAULT_RULES, weights: DEFAULT_WEIGHTS, timeLimitS: 5, proposals: 1, now });
    expect(out.status).toBe('infeasible');
    expect(out.reasons).toEqual([
      { code: 'NO_SITE_FOR_UNIT', params: { unit: 'Sachgebiet', team: 'Weststadt', needed: 30, step_free: 0, district: null } },
      { code: 'RULE_WINDOW', params: { sites: 'Weit weg' } },
    ]);
  });

  it('when nothing is to be placed, then the answer says so', async () => {
    const p = plan(westFixture(70));
    const ctx = placementInstance(p, query({ unit_ids: [1], date: '2019-01-01' }));
    expect(ctx.empty_unit_ids).toEqual([1]);
    const out = await solvePlacement(ctx.instance, solveInProcess, { rules: DEFAULT_RULES, weights: DEFAULT_WEIGHTS, timeLimitS: 5, proposals: 1, now });
    expect(out).toMatchObject({ status: 'infeasible', reasons: [{ code: 'NOTHING_TO_PLACE' }] });
  });
});

describe('placement helpers', () => {
  it('when a site lies outside a district, then its distance to the district is the distance to the nearest edge', async () => {
    const { distanceToAreaM, distanceM } = await import('../../server/geo/index.js');
    expect(distanceToAreaM(SQUARE, { lat: 48.4, lon: 10.0 })).toBe(0);
    // due north of the square's top edge (lat 48.41) by 0.01°
    expect(Math.abs(distanceToAreaM(SQUARE, { lat: 48.42, lon: 10.0 }) - distanceM({ lat: 48.41, lon: 10.0 }, { lat: 48.42, lon: 10.0 }))).toBeLessThanOrEqual(
      2,
    );
    // diagonally off a corner: the distance to the corner
    expect(
      Math.abs(distanceToAreaM(SQUARE, { lat: 48.42, lon: 10.02 }) - distanceM({ lat: 48.41, lon: 10.01 }, { lat: 48.42, lon: 10.02 })),
    ).toBeLessThanOrEqual(3);
  });

  it('when the solver runs in a worker thread, then it gives the same answer as in-process', async () => {
    const { WorkerSolver } = await import('../../server/services/highs-solver.js');
    const solver = new WorkerSolver();
    try {
      const lp = 'Minimize\n obj: + 2 a + 3 b\nSubject To\n c: + a + b >= 1\nBinary\n a b\nEnd\n';
      const [w, p] = await Promise.all([solver.solve(lp, { timeLimitS: 5 }), solveInProcess(lp, { timeLimitS: 5 })]);
      expect(w).toEqual(p);
      expect(w).toMatchObject({ status: 'optimal', objective: 2, values: { a: 1, b: 0 } });
      expect((await solver.solve('Minimize\n obj: + a\nSubject To\n c: + a >= 2\nBinary\n a\nEnd\n', { timeLimitS: 5 })).status).toBe('infeasible');
    } finally {
      await solver.close();
    }
  });
});

describe('large questions', () => {
  it('when a model would have more (unit, site) pairs than the limit, then each unit keeps only its cheapest sites, its current one among them', async () => {
    const { buildLp } = await import('../../server/planning/placement-model.js');
    const sites = Array.from({ length: 60 }, (_, j) => ({
      id: j + 1,
      name: `S${j + 1}`,
      free: 50,
      available: true,
      free_at_date: 50,
      available_at_date: true,
      free_if_available: 50,
      step_free: true,
      candidate: j % 2 === 0,
    }));
    const instance = {
      units: [1, 2, 3].map((i) => ({
        id: i,
        name: `U${i}`,
        team_id: 1,
        headcount: 4,
        desk_ratio: 1,
        public_facing: false,
        current: [{ site_id: 59, headcount: 4 }],
      })),
      sites,
      teams: [{ id: 1, name: 'T', district_id: null, district_name: null, fixed_site_ids: [], km_outside: {} }],
    };
    const small = buildLp(instance, DEFAULT_RULES, DEFAULT_WEIGHTS, [], 10_000);
    expect(small.reduced).toBe(false);
    expect(small.pairs[0]).toHaveLength(60);
    const reduced = buildLp(instance, DEFAULT_RULES, DEFAULT_WEIGHTS, [], 30);
    expect(reduced.reduced).toBe(true);
    expect(reduced.pairs[0]).toHaveLength(25);
    // the current site (index 58, a candidate) stays; the other 24 are the cheaper non-candidates
    expect(reduced.pairs[0]).toContain(58);
    expect(reduced.pairs[0].filter((j) => sites[j].candidate)).toEqual([58]);
  });
});
