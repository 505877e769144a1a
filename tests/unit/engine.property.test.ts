import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../server/planning/dates.js';
import { WARNING_SEVERITY, type PlanFloor, type PlanMove, type Warning, type WarningCode } from '../../server/planning/types.js';
import { inSeverityOrder, Plan } from '../../server/planning/engine.js';
import { DEFAULT_PLANNING_CONFIG } from '../../server/config.js';
import { data, plan, site, unit } from './plan-fixture.js';

const SITES = [1, 2, 3];
const UNITS = [1, 2];
const dayArb = fc.integer({ min: 0, max: 2000 }).map((d) => addDays('2020-01-01', d));

const moveArb = fc
  .record({
    unit_id: fc.constantFrom(...UNITS),
    from_site_id: fc.option(fc.constantFrom(...SITES), { nil: null }),
    to_site_id: fc.option(fc.constantFrom(...SITES), { nil: null }),
    headcount: fc.integer({ min: 1, max: 20 }),
    date: dayArb,
    until: fc.option(fc.integer({ min: 1, max: 400 }), { nil: null }),
    status: fc.constantFrom('proposed', 'approved', 'done', 'cancelled'),
    scenario_id: fc.option(fc.constant(5), { nil: null }),
  })
  .filter((m) => (m.from_site_id !== null || m.to_site_id !== null) && m.from_site_id !== m.to_site_id);

type RawMove = typeof moveArb extends fc.Arbitrary<infer T> ? T : never;
function build(raw: RawMove[]) {
  const moves: PlanMove[] = raw.map((m, i) => ({ ...m, id: i + 1, until: m.until === null ? null : addDays(m.date, m.until) }) as PlanMove);
  return plan(
    data({
      sites: SITES.map((id) => site(id, { lat: 48.4 + id * 0.001 })),
      units: UNITS.map((id) => unit(id, { team_id: 1, desk_ratio: id === 1 ? 0.7 : 0.35 })),
      moves,
    }),
  );
}

describe('engine properties', () => {
  it('moves never create or destroy people: total headcount = arrivals − departures in effect', () => {
    fc.assert(
      fc.property(fc.array(moveArb, { maxLength: 40 }), dayArb, fc.option(fc.constant(5), { nil: null }), (raw, date, scenario) => {
        const p = build(raw);
        const st = p.state(date, scenario);
        const total = st.sites.reduce((s, x) => s + x.headcount, 0);
        let expected = 0;
        for (const m of p.data.moves) {
          const counts = m.status !== 'cancelled' && (m.scenario_id === null ? m.status === 'approved' || m.status === 'done' : m.scenario_id === scenario);
          if (!counts || m.date > date) continue;
          if (m.until && m.until <= date) continue; // undone
          if (m.to_site_id === null) expected -= m.headcount;
          if (m.from_site_id === null) expected += m.headcount;
        }
        expect(total).toBe(expected);
        const teamTotal = st.teams.reduce((s, x) => s + x.headcount, 0);
        expect(teamTotal).toBe(total);
      }),
      { numRuns: 200 },
    );
  });

  it('the timeline equals state at each of its dates', () => {
    fc.assert(
      fc.property(fc.array(moveArb, { maxLength: 30 }), fc.array(dayArb, { minLength: 1, maxLength: 8 }), (raw, dates) => {
        const p = build(raw);
        const sorted = [...new Set(dates)].sort();
        const tl = p.timeline(sorted);
        sorted.forEach((d, i) => {
          const st = p.state(d);
          st.sites.forEach((s, j) => {
            expect(tl.sites[j].headcount[i]).toBe(s.headcount);
            expect(tl.sites[j].capacity[i]).toBe(s.capacity);
            expect(tl.sites[j].needed[i]).toBe(s.needed);
          });
          st.districts.forEach((x, j) => {
            expect([tl.districts[j].capacity[i], tl.districts[j].headcount[i], tl.districts[j].needed[i]]).toEqual([x.capacity, x.headcount, x.needed]);
          });
        });
      }),
      { numRuns: 150 },
    );
  });

  it('states() over many dates gives the same warnings as state() at each date', () => {
    fc.assert(
      fc.property(fc.array(moveArb, { maxLength: 25 }), fc.array(dayArb, { minLength: 1, maxLength: 5 }), (raw, dates) => {
        const p = build(raw);
        const sorted = [...new Set(dates)].sort();
        const many = p.states(sorted);
        sorted.forEach((d, i) => expect(many[i].warnings).toEqual(p.state(d).warnings));
      }),
      { numRuns: 100 },
    );
  });
});

/** Site 1 has two floors, site 2 one, site 3 none. */
const FLOORS: PlanFloor[] = [
  { id: 11, site_id: 1, level: 0, name: 'EG', workplaces: 5, area_m2: null, step_free_access: 'yes' },
  { id: 12, site_id: 1, level: 1, name: 'OG', workplaces: 5, area_m2: null, step_free_access: 'no' },
  { id: 21, site_id: 2, level: 2, name: '2. OG', workplaces: 4, area_m2: null, step_free_access: 'unknown' },
];
const floorsOf = (siteId: number | null) => FLOORS.filter((f) => f.site_id === siteId).map((f) => f.id);
const floorMoveArb = fc
  .record({
    unit_id: fc.constantFrom(...UNITS),
    from_site_id: fc.option(fc.constantFrom(...SITES), { nil: null }),
    to_site_id: fc.option(fc.constantFrom(...SITES), { nil: null }),
    from_pick: fc.integer({ min: 0, max: 2 }),
    to_pick: fc.integer({ min: 0, max: 2 }),
    headcount: fc.integer({ min: 1, max: 20 }),
    date: dayArb,
    until: fc.option(fc.integer({ min: 1, max: 400 }), { nil: null }),
    status: fc.constantFrom('proposed', 'approved', 'done', 'cancelled'),
    scenario_id: fc.option(fc.constant(5), { nil: null }),
  })
  .map(({ from_pick, to_pick, ...m }) => {
    // a floor of the move's site, or none (index past the site's floors)
    const from = floorsOf(m.from_site_id);
    const to = floorsOf(m.to_site_id);
    return { ...m, from_floor_id: from[from_pick] ?? null, to_floor_id: to[to_pick] ?? null };
  })
  .filter((m) => (m.from_site_id !== null || m.to_site_id !== null) && (m.from_site_id !== m.to_site_id || m.from_floor_id !== m.to_floor_id));

describe('engine properties with floors', () => {
  const buildWithFloors = (raw: (typeof floorMoveArb extends fc.Arbitrary<infer T> ? T : never)[], checkpointEvery?: number) => {
    const moves: PlanMove[] = raw.map((m, i) => ({ ...m, id: i + 1, until: m.until === null ? null : addDays(m.date, m.until) }) as PlanMove);
    const d = data({
      sites: SITES.map((id) => site(id, { lat: 48.4 + id * 0.001 })),
      units: UNITS.map((id) => unit(id, { team_id: 1, desk_ratio: id === 1 ? 0.7 : 0.35 })),
      moves,
      floors: FLOORS,
    });
    return checkpointEvery ? new Plan(d, { today: '2026-11-24', config: DEFAULT_PLANNING_CONFIG, checkpointEvery }) : plan(d);
  };

  /** The plain fold: people per (unit, site, floor) in effect at the date ('-': on no floor). */
  function fold(moves: readonly PlanMove[], date: string, scenario: number | null): Map<string, number> {
    const out = new Map<string, number>();
    const add = (unitId: number, siteId: number | null, floorId: number | null | undefined, n: number) => {
      if (siteId === null) return;
      const k = `${unitId}|${siteId}|${floorId ?? '-'}`;
      out.set(k, (out.get(k) ?? 0) + n);
    };
    for (const m of moves) {
      const counts = m.status !== 'cancelled' && (m.scenario_id === null ? m.status === 'approved' || m.status === 'done' : m.scenario_id === scenario);
      if (!counts || m.date > date || (m.until && m.until <= date)) continue;
      add(m.unit_id, m.from_site_id, m.from_floor_id, -m.headcount);
      add(m.unit_id, m.to_site_id, m.to_floor_id, m.headcount);
    }
    return out;
  }

  it('the stack of every site with floors equals a plain fold of (unit, site, floor), and its floors and the rest add up to the site', () => {
    fc.assert(
      fc.property(
        fc.array(floorMoveArb, { maxLength: 40 }),
        fc.array(dayArb, { minLength: 1, maxLength: 4 }),
        fc.option(fc.constant(5), { nil: null }),
        fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
        (raw, dates, scenario, every) => {
          const p = buildWithFloors(raw, every);
          // dates in any order: the occupancy steps forward and back between them
          for (const date of dates) {
            const expected = fold(p.data.moves, date, scenario);
            const stacks = p.stacks(date, scenario);
            const state = p.state(date, scenario);
            expect([...stacks.keys()].sort()).toEqual([1, 2]);
            for (const [siteId, stack] of stacks) {
              expect(stack.floors.map((f) => f.id)).toEqual(
                FLOORS.filter((f) => f.site_id === siteId)
                  .sort((a, b) => b.level - a.level)
                  .map((f) => f.id),
              );
              const got = new Map<string, number>();
              for (const f of stack.floors) {
                for (const u of f.units) got.set(`${u.unit_id}|${siteId}|${f.id}`, u.headcount);
                expect(f.headcount).toBe(f.units.reduce((a, u) => a + u.headcount, 0));
              }
              for (const u of stack.unassigned) got.set(`${u.unit_id}|${siteId}|-`, u.headcount);
              const want = new Map([...expected].filter(([k, v]) => k.split('|')[1] === String(siteId) && v !== 0));
              expect(Object.fromEntries(got)).toEqual(Object.fromEntries(want));
              const siteState = state.sites.find((s) => s.id === siteId);
              const onFloors = stack.floors.reduce((a, f) => a + f.headcount, 0) + stack.unassigned.reduce((a, u) => a + u.headcount, 0);
              expect(onFloors).toBe(siteState?.headcount);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('moves between floors of one site leave the site totals, the timeline and the warnings of the sites as they were', () => {
    fc.assert(
      fc.property(fc.array(floorMoveArb, { maxLength: 30 }), dayArb, (raw, date) => {
        const withFloors = buildWithFloors(raw);
        // the same ledger without floors: moves within one site vanish, the rest forget their floors
        const flat = buildWithFloors([]);
        const flatMoves = withFloors.data.moves.filter((m) => m.from_site_id !== m.to_site_id).map((m) => ({ ...m, from_floor_id: null, to_floor_id: null }));
        const flatPlan = plan({ ...flat.data, moves: flatMoves, floors: [] });
        const a = withFloors.state(date);
        const b = flatPlan.state(date);
        expect(a.sites.map((s) => [s.id, s.headcount, s.needed])).toEqual(b.sites.map((s) => [s.id, s.headcount, s.needed]));
        const siteCodes = (w: Warning[]) => w.filter((x) => ['OVER_CAPACITY', 'NEAR_CAPACITY', 'TEAM_SPLIT', 'SITE_UNAVAILABLE'].includes(x.code));
        expect(siteCodes(a.warnings)).toEqual(siteCodes(b.warnings));
      }),
      { numRuns: 150 },
    );
  });
});

describe('checkpoints on a large ledger', () => {
  it('state at any date equals a full sweep from the start', () => {
    const moves: PlanMove[] = [];
    const at = new Map<string, number>();
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let i = 1; i <= 20_000; i++) {
      const unit = 1 + Math.floor(rnd() * 2);
      const date = addDays('2016-01-01', Math.floor(i / 6));
      const from = 1 + Math.floor(rnd() * 3);
      const to = 1 + ((from + Math.floor(rnd() * 2)) % 3);
      const have = at.get(`${unit}:${from}`) ?? 0;
      if (have < 2 || rnd() < 0.3) {
        moves.push({
          id: i,
          unit_id: unit,
          from_site_id: null,
          to_site_id: to,
          headcount: 3,
          date,
          until: rnd() < 0.1 ? addDays(date, 40) : null,
          status: 'approved',
          scenario_id: null,
        });
        if (!moves[moves.length - 1].until) at.set(`${unit}:${to}`, (at.get(`${unit}:${to}`) ?? 0) + 3);
      } else {
        moves.push({ id: i, unit_id: unit, from_site_id: from, to_site_id: to, headcount: 1, date, until: null, status: 'done', scenario_id: null });
        at.set(`${unit}:${from}`, have - 1);
        at.set(`${unit}:${to}`, (at.get(`${unit}:${to}`) ?? 0) + 1);
      }
    }
    const p = plan(data({ sites: SITES.map((id) => site(id, { lat: 48.4 + id * 0.001 })), units: UNITS.map((id) => unit(id)), moves }));
    for (const d of ['2016-03-01', '2017-06-15', '2018-01-01', '2019-12-31', '2020-06-30', '2030-01-01']) {
      const viaCheckpoint = p.state(d);
      const sweep = p.states([d])[0];
      expect(viaCheckpoint.sites).toEqual(sweep.sites);
      expect(viaCheckpoint.warnings).toEqual(sweep.warnings);
    }
  });
});

describe('warnings in severity order', () => {
  const warningArb = fc.record({
    code: fc.constantFrom(...(Object.keys(WARNING_SEVERITY) as WarningCode[])),
    site_id: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
    team_id: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
    unit_id: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
    n: fc.nat(),
  });
  it('when warnings are put in order per code, then the order is that of one stable sort by severity, code, site, team and unit', () => {
    fc.assert(
      fc.property(fc.array(warningArb, { maxLength: 200 }), (raw) => {
        const warnings: Warning[] = raw.map(({ n, ...w }) => ({ ...w, severity: WARNING_SEVERITY[w.code], params: { n }, estimated: false }));
        const rank: Record<string, number> = { error: 0, warning: 1, info: 2 };
        const expected = [...warnings].sort(
          (a, b) =>
            rank[a.severity] - rank[b.severity] ||
            (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) ||
            (a.site_id ?? 0) - (b.site_id ?? 0) ||
            (a.team_id ?? 0) - (b.team_id ?? 0) ||
            (a.unit_id ?? 0) - (b.unit_id ?? 0),
        );
        expect(inSeverityOrder(warnings)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
