import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PLANNING_CONFIG } from '../../server/config.js';
import { distanceM, maxPairwiseDistanceM, PreparedPoints } from '../../server/geo/index.js';
import { addDays } from '../../server/planning/dates.js';
import { Plan } from '../../server/planning/engine.js';
import { CheckpointedLedger, ledgerOf, Occupancy, PackedLedger } from '../../server/planning/occupancy.js';
import type { PlanData, PlanMove, PlanOverride } from '../../server/planning/types.js';
import { data, site, unit } from './plan-fixture.js';

const SITES = [1, 2, 3, 4];
const UNITS = [1, 2, 3];
const SCENARIO = 5;
const dayArb = fc.integer({ min: 0, max: 1500 }).map((d) => addDays('2020-01-01', d));

const moveArb = fc
  .record({
    unit_id: fc.constantFrom(...UNITS),
    from_site_id: fc.option(fc.constantFrom(...SITES), { nil: null }),
    to_site_id: fc.option(fc.constantFrom(...SITES), { nil: null }),
    headcount: fc.integer({ min: 1, max: 9 }),
    date: dayArb,
    until: fc.option(fc.integer({ min: 1, max: 300 }), { nil: null }),
    status: fc.constantFrom('proposed', 'approved', 'done', 'cancelled'),
    scenario_id: fc.option(fc.constant(SCENARIO), { nil: null }),
    headcount_estimated: fc.boolean(),
  })
  .filter((m) => (m.from_site_id !== null || m.to_site_id !== null) && m.from_site_id !== m.to_site_id);
type RawMove = typeof moveArb extends fc.Arbitrary<infer T> ? T : never;

const overrideArb = fc.record({
  index: fc.nat(),
  date: fc.option(dayArb, { nil: undefined }),
  headcount: fc.option(fc.integer({ min: 1, max: 9 }), { nil: undefined }),
  cancelled: fc.option(fc.boolean(), { nil: undefined }),
});
type RawOverride = typeof overrideArb extends fc.Arbitrary<infer T> ? T : never;

function planData(raw: RawMove[], rawOverrides: RawOverride[]): PlanData {
  const moves: PlanMove[] = raw.map((m, i) => ({ ...m, id: i + 1, until: m.until === null ? null : addDays(m.date, m.until) }) as PlanMove);
  const overrides: PlanOverride[] = moves.length
    ? rawOverrides.map((o) => {
        const changes = Object.fromEntries(Object.entries({ date: o.date, headcount: o.headcount, cancelled: o.cancelled }).filter(([, v]) => v !== undefined));
        return { scenario_id: SCENARIO, move_id: moves[o.index % moves.length].id, event_id: null, changes };
      })
    : [];
  return data({
    sites: SITES.map((id) => site(id, { lat: 48.4 + id * 0.0004, capacity: 8 })),
    units: UNITS.map((id) => unit(id, { team_id: 1, public_facing: id === 2, desk_ratio: id === 3 ? 0.5 : 1 })),
    moves,
    overrides,
  });
}

const plan = (d: PlanData, checkpointEvery?: number) => new Plan(d, { today: '2024-06-01', config: DEFAULT_PLANNING_CONFIG, checkpointEvery });

describe('checkpointed occupancy', () => {
  it('when a state is answered from the nearest checkpoint (forward or back), then it equals the sweep from the start, for the baseline and a scenario', () => {
    fc.assert(
      fc.property(
        fc.array(moveArb, { maxLength: 60 }),
        fc.array(overrideArb, { maxLength: 6 }),
        fc.array(dayArb, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 7 }),
        fc.option(fc.constant(SCENARIO), { nil: null }),
        (raw, rawOverrides, dates, every, scenario) => {
          const d = planData(raw, rawOverrides);
          const checkpointed = plan(d, every);
          const fromScratch = plan(d);
          // the dates in the order asked (a slider dragged back and forth), each compared with a fresh sweep
          for (const date of dates) expect(checkpointed.state(date, scenario)).toEqual(fromScratch.states([date], scenario)[0]);
        },
      ),
      { numRuns: 250 },
    );
  });

  it('when the occupancy steps back to an entry, then counts, pairs below zero, estimates and site totals are those of a sweep to it', () => {
    fc.assert(
      fc.property(fc.array(moveArb, { maxLength: 50 }), fc.array(fc.nat(), { minLength: 1, maxLength: 10 }), (raw, targets) => {
        const d = planData(raw, []);
        const sites = new Map(d.sites.map((s, i) => [s.id, i]));
        const packed = new PackedLedger(ledgerOf(d.moves), sites, new Map(d.units.map((u) => [u.id, u.desk_ratio])));
        const walker = new Occupancy(packed, d.sites.length);
        walker.moveToIndex(packed.length);
        for (const t of targets) {
          const at = packed.length ? t % (packed.length + 1) : 0;
          walker.moveToIndex(at);
          const fresh = new Occupancy(packed, d.sites.length);
          fresh.moveToIndex(at);
          expect(new Map(walker.counts)).toEqual(new Map(fresh.counts));
          expect(new Map(walker.negatives())).toEqual(new Map(fresh.negatives()));
          expect(new Set(walker.estimatedKeys)).toEqual(new Set(fresh.estimatedKeys));
          expect([...walker.headcount]).toEqual([...fresh.headcount]);
          expect([...walker.estimatedEntries]).toEqual([...fresh.estimatedEntries]);
          walker.needed.forEach((n, i) => expect(n).toBeCloseTo(fresh.needed[i], 9));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('when dates lie before, between and after all checkpoints, then the checkpointed ledger answers each from the right place', () => {
    const moves: PlanMove[] = Array.from({ length: 40 }, (_, i) => ({
      id: i + 1,
      unit_id: 1,
      from_site_id: i % 2 ? 1 : null,
      to_site_id: i % 2 ? 2 : 1,
      headcount: 1,
      date: addDays('2020-01-01', i * 10),
      until: null,
      status: 'approved',
      scenario_id: null,
    }));
    const d = data({ moves });
    const packed = new PackedLedger(ledgerOf(moves), new Map(d.sites.map((s, i) => [s.id, i])), new Map([[1, 1]]));
    const ledger = new CheckpointedLedger(packed, d.sites.length, 8);
    for (const date of ['2019-01-01', '2020-01-01', '2020-05-05', '2021-01-01', '2030-01-01']) {
      const fresh = ledger.fromStart();
      fresh.advanceTo(date);
      const occ = ledger.at(date);
      expect(occ.pos).toBe(fresh.pos);
      expect(new Map(occ.counts)).toEqual(new Map(fresh.counts));
    }
  });
});

describe('prepared points', () => {
  const pointArb = fc.record({ lat: fc.double({ min: 48.3, max: 48.5, noNaN: true }), lon: fc.double({ min: 9.8, max: 10.1, noNaN: true }) });

  it('when the farthest pair is asked of a subset, then the distance equals the pairwise maximum', () => {
    fc.assert(
      fc.property(fc.array(pointArb, { minLength: 2, maxLength: 40 }), fc.array(fc.nat(), { maxLength: 40 }), (points, picks) => {
        const prepared = new PreparedPoints(points);
        const idx = [...new Set(picks.map((p) => p % points.length))];
        expect(prepared.maxDistanceM(idx)).toBe(maxPairwiseDistanceM(idx.map((i) => points[i])));
      }),
      { numRuns: 300 },
    );
  });

  it('when points are grouped by a distance, then the groups are those of pairwise checks', () => {
    const near = fc.record({ lat: fc.double({ min: 48.4, max: 48.403, noNaN: true }), lon: fc.double({ min: 10.0, max: 10.004, noNaN: true }) });
    fc.assert(
      fc.property(fc.array(near, { minLength: 1, maxLength: 30 }), fc.integer({ min: 10, max: 300 }), (points, metres) => {
        const idx = points.map((_, i) => i);
        const parent = idx.slice();
        const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i])));
        for (let i = 0; i < points.length; i++)
          for (let j = i + 1; j < points.length; j++) if (distanceM(points[i], points[j]) < metres) parent[root(i)] = root(j);
        expect(new PreparedPoints(points).groupCount(idx, metres)).toBe(new Set(idx.map(root)).size);
      }),
      { numRuns: 300 },
    );
  });
});
