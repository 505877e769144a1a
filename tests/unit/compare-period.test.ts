import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { comparePeriod } from '../../server/planning/compare.js';
import { periodSummary } from '../../server/services/period-summary.js';
import { addDays, addMonths, stepDates } from '../../server/planning/dates.js';
import type { PlanEvent, PlanMove, PlanOverride, Warning } from '../../server/planning/types.js';
import { data, event, move, plan, site, unit } from './plan-fixture.js';

const SITES = [1, 2, 3];
const SCENARIO = 7;
const dayArb = fc.integer({ min: 0, max: 900 }).map((d) => addDays('2022-01-01', d));
const moveArb = fc
  .record({
    unit_id: fc.constantFrom(1, 2, 3),
    from_site_id: fc.option(fc.constantFrom(...SITES), { nil: null }),
    to_site_id: fc.option(fc.constantFrom(...SITES), { nil: null }),
    headcount: fc.integer({ min: 1, max: 12 }),
    date: dayArb,
    status: fc.constantFrom('approved', 'done'),
    scenario_id: fc.option(fc.constant(SCENARIO), { nil: null }),
  })
  .filter((m) => (m.from_site_id !== null || m.to_site_id !== null) && m.from_site_id !== m.to_site_id);
const eventArb = fc.record({
  site_id: fc.constantFrom(...SITES),
  date: dayArb,
  length: fc.integer({ min: 0, max: 200 }),
  capacity: fc.integer({ min: 0, max: 15 }),
});

const key = (w: Warning) => `${w.code}|${w.site_id ?? ''}|${w.team_id ?? ''}|${w.unit_id ?? ''}`;

describe('compare over a period', () => {
  it('when compared month by month, then every figure equals a brute-force state at each month', () => {
    fc.assert(
      fc.property(
        fc.array(moveArb, { maxLength: 25 }),
        fc.array(eventArb, { maxLength: 4 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: -6, max: 6 })), { maxLength: 4 }),
        (rawMoves, rawEvents, shifts) => {
          const moves = rawMoves.map((m, i) => ({ ...m, id: i + 1, until: null }) as PlanMove);
          const events = rawEvents.map(
            (e, i) =>
              ({
                id: i + 1,
                site_id: e.site_id,
                kind: 'renovation',
                date: e.date,
                end_date: addDays(e.date, e.length),
                capacity: e.capacity,
                scenario_id: null,
              }) as PlanEvent,
          );
          const baseline = moves.filter((m) => m.scenario_id === null);
          const overrides: PlanOverride[] = baseline.length
            ? shifts.map(([n, months]) => {
                const m = baseline[n % baseline.length];
                return { scenario_id: SCENARIO, move_id: m.id, event_id: null, changes: { date: addMonths(m.date, months) } };
              })
            : [];
          const p = plan(
            data({
              sites: SITES.map((id) => site(id, { lat: 48.4 + id * 0.003 })),
              units: [1, 2, 3].map((id) => unit(id, { team_id: id === 3 ? 2 : 1 })),
              teams: [
                { id: 1, name: 'A', kind: 'central', district_id: null },
                { id: 2, name: 'B', kind: 'central', district_id: null },
              ],
              moves,
              events,
              overrides,
            }),
          );
          const dates = stepDates('2022-01-01', '2024-06-30', 'month');
          const to = '2024-06-30';
          const cmp = comparePeriod(p, SCENARIO, dates, to);
          const base = dates.map((d) => p.state(d, null));
          const scen = dates.map((d) => p.state(d, SCENARIO));
          const over = (s: { needed: number; capacity: number; headcount: number; available: boolean }) =>
            s.needed > s.capacity || (s.headcount > 0 && !s.available);
          cmp.sites.forEach((s, i) => {
            for (const [side, states] of [
              ['baseline', base],
              ['scenario', scen],
            ] as const) {
              const flags = states.map((st) => over(st.sites[i]));
              expect(s[side].months_over).toBe(flags.filter(Boolean).length);
              expect(s[side].first_over).toBe(flags.includes(true) ? dates[flags.indexOf(true)] : null);
              const utils = states
                .map((st) => st.sites[i])
                .filter((x) => x.capacity > 0)
                .map((x) => Math.round((x.needed / x.capacity) * 1000) / 1000);
              expect(s[side].peak_utilization).toBe(utils.length ? Math.max(...utils) : null);
            }
          });
          cmp.teams.forEach((tm, i) => {
            expect(tm.baseline.months_split).toBe(base.filter((st) => st.teams[i].split).length);
            expect(tm.scenario.months_split).toBe(scen.filter((st) => st.teams[i].split).length);
          });
          // every (warning, month) that only the scenario has lies in exactly one window of warnings_added
          for (const [list, present, absent] of [
            [cmp.warnings_added, scen, base],
            [cmp.warnings_removed, base, scen],
          ] as const) {
            const expected: string[] = [];
            present.forEach((st, i) => {
              const other = new Set(absent[i].warnings.map(key));
              for (const k of new Set(st.warnings.map(key))) if (!other.has(k)) expected.push(`${k}@${dates[i]}`);
            });
            const got: string[] = [];
            for (const w of list) {
              const k = `${w.code}|${w.site_id ?? ''}|${w.team_id ?? ''}|${w.unit_id ?? ''}`;
              dates.forEach((d) => {
                if (d >= w.from && d <= w.to) got.push(`${k}@${d}`);
              });
            }
            expect(got.sort()).toEqual(expected.sort());
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('when a team stays split six months longer in the scenario, then the window names the first and last day', () => {
    const p = plan(
      data({
        units: [unit(1), unit(2)],
        moves: [
          move({ unit_id: 1, to_site_id: 1, headcount: 3, date: '2023-01-01' }),
          move({ unit_id: 2, to_site_id: 2, headcount: 3, date: '2023-01-01' }),
          move({ id: 77, unit_id: 2, from_site_id: 2, to_site_id: 1, headcount: 3, date: '2023-10-01' }),
        ],
        overrides: [{ scenario_id: SCENARIO, move_id: 77, event_id: null, changes: { date: '2024-04-01' } }],
      }),
    );
    const cmp = comparePeriod(p, SCENARIO, stepDates('2023-01-01', '2024-12-31', 'month'), '2024-12-31');
    expect(cmp.teams[0]).toMatchObject({ baseline: { months_split: 9 }, scenario: { months_split: 15 } });
    expect(cmp.warnings_added).toEqual([expect.objectContaining({ code: 'TEAM_SPLIT', team_id: 1, from: '2023-10-01', to: '2024-03-31', steps: 6 })]);
    expect(cmp.warnings_removed).toEqual([]);
  });

  it('when a scenario moves a crunch six months later without making it longer, then the summary says when it now holds and when no longer (not „nothing changes“)', () => {
    // 12 people move into site 1 (10 places) for three months; the scenario moves both moves six months later
    const p = plan(
      data({
        units: [unit(1)],
        moves: [
          move({ id: 81, unit_id: 1, to_site_id: 1, headcount: 12, date: '2023-02-01' }),
          move({ id: 82, unit_id: 1, from_site_id: 1, to_site_id: 2, headcount: 12, date: '2023-05-01' }),
        ],
        overrides: [
          { scenario_id: SCENARIO, move_id: 81, event_id: null, changes: { date: '2023-08-01' } },
          { scenario_id: SCENARIO, move_id: 82, event_id: null, changes: { date: '2023-11-01' } },
        ],
      }),
    );
    const cmp = comparePeriod(p, SCENARIO, stepDates('2023-01-01', '2023-12-31', 'month'), '2023-12-31');
    expect(cmp.sites[0]).toMatchObject({ baseline: { months_over: 3 }, scenario: { months_over: 3 } });
    const lines = periodSummary(cmp).filter((l) => l.site === 'Site 1');
    expect(lines).toEqual([
      {
        key: 'compare.summary.site_over_moved',
        site: 'Site 1',
        months: 0,
        windows: [{ from: '2023-08-01', to: '2023-10-31', code: 'OVER_CAPACITY' }],
        removed: [{ from: '2023-02-01', to: '2023-04-30', code: 'OVER_CAPACITY' }],
      },
    ]);
    // the same months, another kind (the site closes where it was full): the sentence says „wann oder wie“, naming both
    const closed = plan(
      data({
        units: [unit(1)],
        moves: [
          move({ unit_id: 1, to_site_id: 1, headcount: 12, date: '2023-02-01' }),
          move({ unit_id: 1, from_site_id: 1, to_site_id: 2, headcount: 12, date: '2023-05-01' }),
        ],
        events: [event({ site_id: 1, kind: 'closure', date: '2023-02-01', scenario_id: SCENARIO })],
      }),
    );
    const kinds = periodSummary(comparePeriod(closed, SCENARIO, stepDates('2023-01-01', '2023-12-31', 'month'), '2023-12-31')).filter(
      (l) => l.site === 'Site 1',
    );
    expect(kinds).toEqual([
      expect.objectContaining({
        key: 'compare.summary.site_over_moved',
        windows: [{ from: '2023-02-01', to: '2023-04-30', code: 'SITE_UNAVAILABLE' }],
        removed: [{ from: '2023-02-01', to: '2023-04-30', code: 'OVER_CAPACITY' }],
      }),
    ]);
    // a comparison where nothing differs says nothing
    expect(
      periodSummary(comparePeriod(plan(data({ units: [unit(1)], moves: [] })), SCENARIO, stepDates('2023-01-01', '2023-12-31', 'month'), '2023-12-31')),
    ).toEqual([]);
  });
});

describe('the peak utilisation marks its estimate', () => {
  it('when the peak rests on an estimated headcount, then peak_estimated (≈); a counted one, not', () => {
    const d = data({
      sites: [site(1, { capacity: 10 }), site(2, { capacity: 10, lat: 48.405, lon: 10.005 })],
      units: [unit(1), unit(2)],
      moves: [
        move({ unit_id: 1, headcount: 8, date: '2022-01-01', to_site_id: 1, headcount_estimated: true }),
        move({ unit_id: 2, headcount: 6, date: '2022-01-01', to_site_id: 2 }),
      ],
    });
    const cmp = comparePeriod(plan(d), SCENARIO, stepDates('2022-01-01', '2022-06-30', 'month'), '2022-06-30');
    expect(cmp.sites.find((s) => s.id === 1)!.baseline).toMatchObject({ peak_utilization: 0.8, peak_estimated: true });
    expect(cmp.sites.find((s) => s.id === 2)!.baseline).toMatchObject({ peak_utilization: 0.6, peak_estimated: false });
  });
});
