import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Assignment,
  type PlacementInstance,
  type PlacementRules,
  type PlacementWeights,
  type SitePattern,
  DEFAULT_RULES,
  DEFAULT_WEIGHTS,
  differsFrom,
  patternOf,
  scoreAssignment,
  violations,
} from '../../server/planning/placement-model.js';
import { solvePlacement } from '../../server/planning/placement.js';
import { solveInProcess } from '../../server/services/highs-solver.js';

/** Every assignment of the instance's units (whole units: one site each; else every split of the people). */
function* assignments(instance: PlacementInstance, whole: boolean): Generator<Assignment> {
  const siteIds = instance.sites.map((s) => s.id);
  const perUnit = instance.units.map((u) => {
    const options: Map<number, number>[] = [];
    if (whole) {
      for (const id of siteIds) options.push(new Map([[id, u.headcount]]));
    } else {
      const split = (left: number, i: number, acc: [number, number][]) => {
        if (i === siteIds.length - 1) {
          options.push(new Map([...acc, [siteIds[i], left]].filter(([, n]) => n > 0) as [number, number][]));
          return;
        }
        for (let n = 0; n <= left; n++) split(left - n, i + 1, [...acc, [siteIds[i], n]]);
      };
      split(u.headcount, 0, []);
    }
    return options;
  });
  const pick = new Array(instance.units.length).fill(0);
  for (;;) {
    yield new Map(instance.units.map((u, i) => [u.id, perUnit[i][pick[i]]]));
    let k = 0;
    while (k < pick.length) {
      pick[k]++;
      if (pick[k] < perUnit[k].length) break;
      pick[k] = 0;
      k++;
    }
    if (k === pick.length) return;
  }
}

/** The best score among feasible assignments that differ from every earlier pattern (null: none). */
function bruteForceBest(instance: PlacementInstance, rules: PlacementRules, weights: PlacementWeights, earlier: SitePattern[]): number | null {
  let best: number | null = null;
  for (const a of assignments(instance, rules.keep_units_whole)) {
    if (violations(instance, a, rules).length) continue;
    const pattern = patternOf(instance, a);
    if (!earlier.every((e) => differsFrom(instance, pattern, e))) continue;
    const { score } = scoreAssignment(instance, a, weights);
    if (best === null || score < best) best = score;
  }
  return best;
}

const weightsArb = fc.record({
  moved_person: fc.integer({ min: 0, max: 5 }),
  extra_site: fc.integer({ min: 0, max: 30 }),
  km_outside_district: fc.constantFrom(0, 0.5, 2),
  not_step_free: fc.integer({ min: 0, max: 10 }),
  candidate_place: fc.constantFrom(0, 0.5, 3),
});

function instanceArb(maxUnits: number, maxSites: number, maxHeadcount: number) {
  return fc
    .record({
      nSites: fc.integer({ min: 1, max: maxSites }),
      units: fc.array(
        fc.record({
          team: fc.integer({ min: 1, max: 2 }),
          headcount: fc.integer({ min: 1, max: maxHeadcount }),
          ratio: fc.constantFrom(1, 0.5, 0.8),
          publicFacing: fc.boolean(),
          at: fc.nat(),
          splitAt: fc.option(fc.nat(), { nil: undefined }),
        }),
        { minLength: 1, maxLength: maxUnits },
      ),
      sites: fc.array(
        fc.record({
          free: fc.integer({ min: 0, max: 3 * maxHeadcount }),
          stepFree: fc.boolean(),
          candidate: fc.boolean(),
          available: fc.boolean(),
          km: fc.constantFrom(0, 0, 1.5, 4),
        }),
        { minLength: maxSites, maxLength: maxSites },
      ),
      fixedAt: fc.option(fc.nat(), { nil: undefined }),
    })
    .map(({ nSites, units, sites, fixedAt }): PlacementInstance => {
      const s = sites.slice(0, nSites).map((x, j) => ({
        id: 10 + j,
        name: `S${j}`,
        free: x.available ? x.free : 0,
        available: x.available,
        free_at_date: x.free,
        available_at_date: true,
        free_if_available: x.free,
        step_free: x.stepFree,
        candidate: x.candidate,
      }));
      const u = units.map((x, i) => {
        const home = s[x.at % s.length].id;
        const current =
          x.splitAt !== undefined && x.headcount > 1 && s.length > 1 && s[x.splitAt % s.length].id !== home
            ? [
                { site_id: home, headcount: 1 },
                { site_id: s[x.splitAt % s.length].id, headcount: x.headcount - 1 },
              ]
            : [{ site_id: home, headcount: x.headcount }];
        return { id: 100 + i, name: `U${i}`, team_id: x.team, headcount: x.headcount, desk_ratio: x.ratio, public_facing: x.publicFacing, current };
      });
      const teamIds = [...new Set(u.map((x) => x.team_id))];
      const teams = teamIds.map((id) => ({
        id,
        name: `T${id}`,
        district_id: id === 1 ? 1 : null,
        district_name: id === 1 ? 'D1' : null,
        fixed_site_ids: id === 1 && fixedAt !== undefined ? [s[fixedAt % s.length].id] : [],
        km_outside: id === 1 ? Object.fromEntries(s.map((x, j) => [x.id, sites[j].km])) : {},
      }));
      return { units: u, sites: s, teams };
    });
}

const rulesArb = fc.record({
  max_sites_per_team: fc.constantFrom(null, 1, 2),
  step_free: fc.boolean(),
  within_district: fc.boolean(),
});

const now = () => performance.now();

async function checkAgainstBruteForce(instance: PlacementInstance, rules: PlacementRules, weights: PlacementWeights) {
  const out = await solvePlacement(instance, solveInProcess, { rules, weights, timeLimitS: 10, proposals: 3, now });
  const earlier: SitePattern[] = [];
  for (const p of out.proposals) {
    // every proposal keeps every hard rule, and its score is the best left after the earlier ones
    expect(violations(instance, p.assignment, rules)).toEqual([]);
    expect(p.status).toBe('optimal');
    const best = bruteForceBest(instance, rules, weights, earlier);
    expect(best).not.toBeNull();
    expect(p.score).toBeCloseTo(best!, 5);
    expect(scoreAssignment(instance, p.assignment, weights).score).toBeCloseTo(p.score, 6);
    earlier.forEach((e) => expect(differsFrom(instance, p.pattern, e)).toBe(true));
    earlier.push(p.pattern);
  }
  // fewer than three proposals only when no further different feasible assignment exists
  if (out.proposals.length < 3) expect(bruteForceBest(instance, rules, weights, earlier)).toBeNull();
  expect(out.status).toBe(out.proposals.length ? 'optimal' : 'infeasible');
  if (out.status === 'infeasible') expect(out.reasons.length).toBeGreaterThan(0);
  return out;
}

describe('placement MIP against brute force', () => {
  it('when units are kept whole (≤ 6 units × 5 sites), then every proposal is the best assignment not yet proposed and keeps every hard rule', async () => {
    await fc.assert(
      fc.asyncProperty(instanceArb(6, 5, 12), rulesArb, weightsArb, async (instance, r, weights) => {
        await checkAgainstBruteForce(instance, { ...DEFAULT_RULES, ...r, keep_units_whole: true }, weights);
      }),
      { numRuns: 60 },
    );
  });

  it('when units may be split (≤ 3 units × 3 sites), then the proposals are the best splits not yet proposed', async () => {
    await fc.assert(
      fc.asyncProperty(instanceArb(3, 3, 4), rulesArb, weightsArb, async (instance, r, weights) => {
        await checkAgainstBruteForce(instance, { ...DEFAULT_RULES, ...r, keep_units_whole: false }, weights);
      }),
      { numRuns: 40 },
    );
  });

  it('when the default weights apply, then a known small case has its known optimum', async () => {
    // two units of one team at site 10 (full after a capacity cut): they move together to the one site with room
    const instance: PlacementInstance = {
      units: [
        { id: 1, name: 'A', team_id: 1, headcount: 5, desk_ratio: 1, public_facing: true, current: [{ site_id: 10, headcount: 5 }] },
        { id: 2, name: 'B', team_id: 1, headcount: 4, desk_ratio: 0.5, public_facing: false, current: [{ site_id: 10, headcount: 4 }] },
      ],
      sites: [
        { id: 10, name: 'old', free: 3, available: true, free_at_date: 3, available_at_date: true, free_if_available: 3, step_free: true, candidate: false },
        {
          id: 11,
          name: 'steps',
          free: 20,
          available: true,
          free_at_date: 20,
          available_at_date: true,
          free_if_available: 20,
          step_free: false,
          candidate: false,
        },
        { id: 12, name: 'new', free: 7, available: true, free_at_date: 7, available_at_date: true, free_if_available: 7, step_free: true, candidate: true },
      ],
      teams: [{ id: 1, name: 'T', district_id: null, district_name: null, fixed_site_ids: [], km_outside: {} }],
    };
    const out = await solvePlacement(instance, solveInProcess, { rules: DEFAULT_RULES, weights: DEFAULT_WEIGHTS, timeLimitS: 5, proposals: 3, now });
    expect(out.status).toBe('optimal');
    const best = out.proposals[0];
    // A (5, public-facing) needs step-free: 12; B (4 × 0.5 = 2 workplaces) fits beside it (5 + 2 = 7)
    expect([...best.assignment.get(1)!]).toEqual([[12, 5]]);
    expect([...best.assignment.get(2)!]).toEqual([[12, 4]]);
    expect(best.breakdown.moved_person.amount).toBe(9);
    expect(best.breakdown.candidate_place.amount).toBe(9);
    expect(best.breakdown.extra_site.amount).toBe(0);
    expect(best.score).toBeCloseTo(9 * 1 + 9 * 0.5, 6);
  });
});
