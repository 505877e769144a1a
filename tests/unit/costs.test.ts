import { describe, expect, it } from 'vitest';
import { chargesOf, compareCosts, costsAt, occupiedSpans, proRata } from '../../server/planning/costs.js';
import type { PlanLease, PlanMove, PlanOverride } from '../../server/planning/types.js';
import { data, event, move, plan, site, unit } from './plan-fixture.js';

let leaseId = 1;
const lease = (over: Partial<PlanLease> & Pick<PlanLease, 'site_id' | 'start'>): PlanLease => ({
  id: leaseId++,
  kind: 'lease',
  end: null,
  notice_months: null,
  rent_month_eur: 5000,
  service_charges_month_eur: 1000,
  ...over,
});

describe('pro rata by days, month by month', () => {
  it('when a whole month, then the monthly amount; six whole months, six times it', () => {
    expect(proRata(6000, '2026-02-01', '2026-02-28')).toBe(6000);
    expect(proRata(6000, '2026-07-01', '2026-12-31')).toBe(36_000);
  });
  it('when part of a month, then by its days (15 of 30 days of June: half)', () => {
    expect(proRata(6000, '2026-06-16', '2026-06-30')).toBe(3000);
    expect(proRata(3100, '2026-01-01', '2026-01-10')).toBe(1000);
    // 16 of 31 days of March and all of April
    expect(proRata(3100, '2026-03-16', '2026-04-30')).toBeCloseTo(1600 + 3100, 6);
  });
  it('when the end is before the start, then nothing', () => {
    expect(proRata(6000, '2026-06-02', '2026-06-01')).toBe(0);
  });
});

describe('occupied spans of a site', () => {
  it('when people arrive, leave for a while and come back, then two spans; a temporary move adds one elsewhere', () => {
    const moves: PlanMove[] = [
      move({ unit_id: 1, headcount: 5, date: '2020-01-01', to_site_id: 1 }),
      move({ unit_id: 1, headcount: 5, date: '2021-01-01', from_site_id: 1, to_site_id: 2, until: '2021-07-01' }),
    ];
    const spans = occupiedSpans(moves);
    expect(spans.get(1)).toEqual([
      { from: '2020-01-01', to: '2021-01-01' },
      { from: '2021-07-01', to: null },
    ]);
    expect(spans.get(2)).toEqual([{ from: '2021-01-01', to: '2021-07-01' }]);
  });
});

describe('charges of a site', () => {
  it('when an open-ended lease and the plan leaves the site for good, then paid to the last day with people', () => {
    const l = lease({ site_id: 1, start: '2019-01-01' });
    expect(chargesOf([l], [{ from: '2019-01-01', to: '2026-07-01' }])).toEqual([
      { site_id: 1, lease_id: l.id, from: '2019-01-01', to: '2026-06-30', monthly: 6000, holdover: false },
    ]);
  });
  it('when a fixed lease ends and people stay, then the stay after its end is charged at its rate (holdover)', () => {
    const l = lease({ site_id: 1, start: '2019-01-01', end: '2026-06-30' });
    const c = chargesOf([l], [{ from: '2019-01-01', to: '2027-01-01' }]);
    expect(c[1]).toEqual({ site_id: 1, lease_id: l.id, from: '2026-07-01', to: '2026-12-31', monthly: 6000, holdover: true });
  });
  it('when a fixed lease and the plan leaves early, then the rent runs to its end', () => {
    const l = lease({ site_id: 1, start: '2019-01-01', end: '2028-12-31' });
    expect(chargesOf([l], [{ from: '2019-01-01', to: '2026-07-01' }])).toHaveLength(1);
    expect(chargesOf([l], [{ from: '2019-01-01', to: '2026-07-01' }])[0].to).toBe('2028-12-31');
  });
});

/** Interim site 1 (open-ended lease, 3 months' notice), the new site 2 owned; the move out of the interim is on 1 July 2026. */
function interimStory(extra: { overrides?: PlanOverride[] } = {}) {
  const out = move({ unit_id: 1, headcount: 20, date: '2026-07-01', from_site_id: 1, to_site_id: 2 });
  const d = data({
    sites: [site(1, { capacity: 25 }), site(2, { capacity: 40, lat: 48.405, lon: 10.005 })],
    units: [unit(1)],
    moves: [move({ unit_id: 1, headcount: 20, date: '2019-01-01', to_site_id: 1 }), out],
    leases: [
      lease({ site_id: 1, start: '2019-01-01', notice_months: 3, rent_month_eur: 7000, service_charges_month_eur: 2000 }),
      lease({ site_id: 2, kind: 'owned', start: '2026-01-01', rent_month_eur: 0, service_charges_month_eur: 3000 }),
    ],
    ...extra,
  });
  return { d, out };
}

describe('costs at a date', () => {
  it('when a site has a lease in force, then annual = (rent + service charges) × 12, per workplace and per person', () => {
    const { d } = interimStory();
    const c = costsAt(plan(d), '2026-03-01');
    const interim = c.sites.find((s) => s.site_id === 1);
    expect(interim).toMatchObject({ annual_eur: 108_000, per_workplace_eur: 4320, per_person_eur: 5400, headcount: 20, capacity: 25 });
    // the owned site counts its running costs, once
    expect(c.sites.find((s) => s.site_id === 2)).toMatchObject({ annual_eur: 36_000, per_person_eur: null, per_workplace_eur: 900 });
    expect(c.total_annual_eur).toBe(144_000);
  });
  it('when capacity and people change over time, then the figures at a date agree with the state at that date', () => {
    const { d } = interimStory();
    d.events.push({ id: 77, site_id: 2, kind: 'capacity', date: '2026-09-01', end_date: null, capacity: 30, scenario_id: null });
    const p = plan(d);
    for (const date of ['2026-03-01', '2026-07-01', '2026-09-01', '2019-05-05']) {
      const st = p.state(date);
      for (const row of costsAt(p, date).sites) {
        const s = st.sites.find((x) => x.id === row.site_id)!;
        expect([row.capacity, row.headcount], `${date} site ${row.site_id}`).toEqual([s.capacity, s.headcount]);
      }
    }
  });

  it('when the plan has left the interim, then its open-ended lease no longer costs', () => {
    const { d } = interimStory();
    const c = costsAt(plan(d), '2026-08-01');
    expect(c.sites.map((s) => s.site_id)).toEqual([2]);
    expect(c.total_annual_eur).toBe(36_000);
  });
});

describe('a scenario that keeps the interim six months longer', () => {
  const SCENARIO = 7;
  const story = () => {
    const { d, out } = interimStory();
    d.overrides = [{ scenario_id: SCENARIO, move_id: out.id, event_id: null, changes: { date: '2027-01-01' } }];
    return plan(d);
  };

  it('then it costs six months of the interim more, and the moves cost the same', () => {
    const cmp = compareCosts(story(), SCENARIO, '2026-01-01', '2027-12-31', 1000);
    expect(cmp.scenario.running_eur - cmp.baseline.running_eur).toBe(54_000);
    expect(cmp.baseline.moves_eur).toBe(20_000);
    expect(cmp.scenario.moves_eur).toBe(20_000);
    expect(cmp.difference_eur).toBe(54_000);
    expect(cmp.by_site.find((s) => s.site_id === 1)?.difference_eur).toBe(54_000);
    expect(cmp.by_site.find((s) => s.site_id === 2)?.difference_eur).toBe(0);
  });

  it('then NOTICE_DUE names the day notice must be given (end − 3 months), from six months before it until it', () => {
    const p = story();
    const notice = (date: string, sc: number | null) => p.state(date, sc).warnings.filter((w) => w.code === 'NOTICE_DUE');
    // scenario: the last day in the interim is 31.12.2026 → notice by 30.09.2026, raised from 30.03.2026
    expect(notice('2026-03-29', SCENARIO)).toHaveLength(0);
    expect(notice('2026-03-30', SCENARIO)[0].params).toMatchObject({ due: '2026-09-30', end: '2026-12-31', months: 3, site: 'Site 1' });
    expect(notice('2026-09-30', SCENARIO)).toHaveLength(1);
    expect(notice('2026-10-01', SCENARIO)).toHaveLength(0);
    // baseline: out on 1.7.2026 → notice by 30.03.2026
    expect(notice('2026-03-01', null)[0].params.due).toBe('2026-03-30');
  });

  it('when a move carries its own cost, then that cost counts instead of the cost per person; arrivals cost nothing', () => {
    const { d, out } = interimStory();
    out.cost_eur = 12_345;
    const cmp = compareCosts(plan(d), SCENARIO, '2019-01-01', '2027-12-31', 1000);
    expect(cmp.baseline.moves_eur).toBe(12_345);
  });

  it('when a temporary move goes out and back within the period, then both ways cost', () => {
    const { d } = interimStory();
    d.moves.push(move({ unit_id: 1, headcount: 5, date: '2026-02-01', from_site_id: 1, to_site_id: 2, until: '2026-04-01', scenario_id: SCENARIO }));
    const cmp = compareCosts(plan(d), SCENARIO, '2026-01-01', '2026-12-31', 1000);
    expect(cmp.scenario.moves_eur - cmp.baseline.moves_eur).toBe(10_000);
  });
});

describe('what a comparison over a period counts, and says it counts', () => {
  const SCENARIO = 9;
  it('when a scenario empties an owned building, then its running costs go on in the scenario too (no notice ends ownership)', () => {
    const { d } = interimStory();
    // a scenario that moves everyone out of the owned site 2 into site 3 (no lease recorded) on 1.1.2027
    d.sites.push(site(3, { capacity: 40, lat: 48.41, lon: 10.01 }));
    d.moves.push(move({ unit_id: 1, headcount: 20, date: '2027-01-01', from_site_id: 2, to_site_id: 3, scenario_id: SCENARIO }));
    const cmp = compareCosts(plan(d), SCENARIO, '2027-01-01', '2027-12-31', 1000);
    const owned = cmp.by_site.find((s) => s.site_id === 2)!;
    expect(owned.baseline.running_eur).toBe(36_000);
    expect(owned.scenario.running_eur).toBe(36_000);
    expect(costsAt(plan(d), '2027-06-01', SCENARIO).sites.find((s) => s.site_id === 2)?.annual_eur).toBe(36_000);
    // site 3 has people and no lease: it is named as not counted (not silently 0 €)
    expect(cmp.scenario.sites_without_lease).toEqual([{ site_id: 3, site: 'Site 3' }]);
    expect(cmp.baseline.sites_without_lease).toEqual([]);
  });
  it('when a scenario closes an owned building, then its running costs end with the closure (the building leaves the plan), while the baseline keeps paying', () => {
    const { d } = interimStory();
    d.events.push(event({ site_id: 2, kind: 'closure', date: '2027-07-01', scenario_id: SCENARIO }));
    const cmp = compareCosts(plan(d), SCENARIO, '2027-01-01', '2027-12-31', 1000);
    const owned = cmp.by_site.find((s) => s.site_id === 2)!;
    expect(owned.baseline.running_eur).toBe(36_000);
    expect(owned.scenario.running_eur).toBe(18_000);
    expect(costsAt(plan(d), '2027-08-01', SCENARIO).sites.find((s) => s.site_id === 2)?.annual_eur ?? null).toBeNull();
    expect(costsAt(plan(d), '2027-08-01', null).sites.find((s) => s.site_id === 2)?.annual_eur).toBe(36_000);
  });
  it('when people stay after a lease ended, then the comparison says how much of the running costs is that stay (charged at the last rate)', () => {
    const { d } = interimStory();
    // the interim's lease ends 31.12.2025, but the baseline stays there until 1.7.2026: six months at 9,000 €
    d.leases![0].end = '2025-12-31';
    const cmp = compareCosts(plan(d), SCENARIO, '2026-01-01', '2026-12-31', 1000);
    expect(cmp.baseline.holdover_eur).toBe(54_000);
    expect(cmp.by_site.find((s) => s.site_id === 1)?.baseline.holdover_eur).toBe(54_000);
    expect(cmp.by_site.find((s) => s.site_id === 2)?.baseline.holdover_eur).toBe(0);
  });
});

describe('LEASE_ENDS', () => {
  it('when people sit in a site after its lease ended and no lease follows, then LEASE_ENDS; with a following lease, not', () => {
    const d = data({
      sites: [site(1), site(2, { lat: 48.405, lon: 10.005 })],
      units: [unit(1)],
      moves: [move({ unit_id: 1, headcount: 5, date: '2020-01-01', to_site_id: 1 }), move({ unit_id: 1, headcount: 5, date: '2020-01-01', to_site_id: 2 })],
      leases: [
        lease({ site_id: 1, start: '2020-01-01', end: '2025-12-31' }),
        lease({ site_id: 2, start: '2020-01-01', end: '2025-12-31' }),
        lease({ site_id: 2, start: '2026-03-01' }),
      ],
    });
    const p = plan(d);
    const ends = (date: string) => p.state(date).warnings.filter((w) => w.code === 'LEASE_ENDS');
    expect(ends('2025-12-31')).toHaveLength(0);
    expect(ends('2026-01-01').map((w) => w.site_id)).toEqual([1]);
    expect(ends('2026-01-01')[0].params).toMatchObject({ end: '2025-12-31', headcount: 5 });
    expect(ends('2026-01-01')[0].estimated).toBe(false);
  });
  it("when the people after the lease's end are an estimate, then LEASE_ENDS says so (≈, estimated)", () => {
    const d = data({
      units: [unit(1)],
      moves: [move({ unit_id: 1, headcount: 26, date: '2020-01-01', to_site_id: 1, headcount_estimated: true })],
      leases: [lease({ site_id: 1, start: '2020-01-01', end: '2025-12-31' })],
    });
    const [w] = plan(d)
      .state('2026-01-01')
      .warnings.filter((x) => x.code === 'LEASE_ENDS') as unknown as { estimated: boolean; message?: string }[];
    expect(w.estimated).toBe(true);
  });
  it('when no lease is recorded at all, then no lease warning and no cost', () => {
    const d = data({ units: [unit(1)], moves: [move({ unit_id: 1, headcount: 5, date: '2020-01-01', to_site_id: 1 })] });
    const p = plan(d);
    expect(p.state('2026-01-01').warnings.filter((w) => w.code === 'LEASE_ENDS' || w.code === 'NOTICE_DUE')).toHaveLength(0);
    const c = costsAt(p, '2026-01-01');
    expect(c.total_annual_eur).toBe(0);
    expect(c.sites_without_lease).toBe(1);
  });
});
