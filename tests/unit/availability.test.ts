import { describe, expect, it } from 'vitest';
import { DEFAULT_PLANNING_CONFIG } from '../../server/config.js';
import { siteFactsAt } from '../../server/planning/site-condition.js';
import { codes, data, event, move, plan, site, unit } from './plan-fixture.js';

describe('availability: a building offers nothing before its opening and after its closure', () => {
  it('when a site has an opening event, then it has no capacity before it and its capacity from that day', () => {
    const p = plan(data({ events: [event({ site_id: 2, kind: 'opening', date: '2021-04-01' })] }));
    expect(p.state('2021-03-31').sites[1]).toMatchObject({ capacity: 0, free: 0, status: 'planned', available: false });
    expect(p.state('2021-04-01').sites[1]).toMatchObject({ capacity: 10, status: 'active', available: true });
  });

  it('when a renovation comes before the opening, then the site shows "renovation" with nothing to offer, and opens after it', () => {
    const p = plan(
      data({
        events: [
          event({ site_id: 2, kind: 'renovation', date: '2020-01-01', end_date: '2023-09-30', capacity: 0 }),
          event({ site_id: 2, kind: 'opening', date: '2023-10-01' }),
        ],
      }),
    );
    expect(p.state('2019-06-01').sites[1]).toMatchObject({ capacity: 0, status: 'planned' });
    expect(p.state('2021-03-01').sites[1]).toMatchObject({ capacity: 0, status: 'renovation', available: false });
    expect(p.state('2023-10-01').sites[1]).toMatchObject({ capacity: 10, status: 'active' });
  });

  it('when a site closes, then it offers nothing from that day and people left in it raise SITE_UNAVAILABLE', () => {
    const d = data({
      events: [event({ site_id: 1, kind: 'closure', date: '2022-01-01' })],
      moves: [move({ unit_id: 1, to_site_id: 1, headcount: 3, date: '2020-01-01' })],
    });
    expect(plan(d).state('2022-01-01').sites[0]).toMatchObject({ capacity: 0, status: 'closed' });
    expect(codes(plan(d), '2022-01-01')).toContain('SITE_UNAVAILABLE');
  });
});

describe('estimates are carried to every number resting on one', () => {
  it('when a move into a site has an estimated headcount, then the site, the unit and the team headcounts are marked', () => {
    const d = data({
      moves: [
        move({ unit_id: 1, to_site_id: 1, headcount: 3, date: '2020-01-01', headcount_estimated: true }),
        move({ unit_id: 1, to_site_id: 2, headcount: 2, date: '2020-01-01' }),
      ],
    });
    const st = plan(d).state('2021-01-01');
    expect(st.sites[0]).toMatchObject({ headcount: 3, headcount_estimated: true });
    expect(st.sites[0].units[0].headcount_estimated).toBe(true);
    expect(st.sites[1]).toMatchObject({ headcount: 2, headcount_estimated: false });
    expect(st.teams[0].headcount_estimated).toBe(true);
  });

  it('when the base capacity is estimated, then the capacity is marked until a sourced capacity event replaces it', () => {
    const d = data({
      sites: [site(1, { capacity_estimated: true }), site(2)],
      events: [event({ site_id: 1, kind: 'capacity', date: '2022-01-01', capacity: 12, estimated: false })],
    });
    expect(plan(d).state('2021-01-01').sites[0].capacity_estimated).toBe(true);
    expect(plan(d).state('2022-01-01').sites[0]).toMatchObject({ capacity: 12, capacity_estimated: false });
  });

  it('when the timeline is asked, then it carries the estimate marks per date', () => {
    const d = data({
      sites: [site(1, { capacity_estimated: true }), site(2)],
      moves: [move({ unit_id: 1, to_site_id: 1, headcount: 3, date: '2020-06-01', headcount_estimated: true })],
    });
    const tl = plan(d).timeline(['2020-01-01', '2020-07-01']);
    expect(tl.sites[0].capacity_estimated).toEqual([true, true]);
    expect(tl.sites[0].headcount_estimated).toEqual([false, true]);
  });

  it('when a closure, renovation or opening date is assumed, then the 0 it gives and the status are marked; a sourced one is not', () => {
    const d = (estimated: boolean) =>
      data({
        sites: [site(1), site(2), site(3)],
        events: [
          event({ id: 1, site_id: 1, kind: 'closure', date: '2022-01-01', estimated }),
          event({ id: 2, site_id: 2, kind: 'renovation', date: '2022-01-01', end_date: '2022-12-31', capacity: 0, estimated }),
          event({ id: 3, site_id: 3, kind: 'opening', date: '2023-01-01', estimated }),
        ],
        moves: [move({ unit_id: 1, to_site_id: 1, headcount: 3, date: '2020-01-01' })],
      });
    const assumed = plan(d(true)).state('2022-06-01');
    for (const s of assumed.sites) expect(s).toMatchObject({ capacity: 0, available: false, capacity_estimated: true, status_estimated: true });
    expect(assumed.sites.map((s) => s.status)).toEqual(['closed', 'renovation', 'planned']);
    // the people left in the closed site: the status in the text rests on the assumed closure
    expect(assumed.warnings.find((w) => w.code === 'SITE_UNAVAILABLE')).toMatchObject({ estimated: true, estimates: ['status'] });
    const sourced = plan(d(false)).state('2022-06-01');
    for (const s of sourced.sites) expect(s).toMatchObject({ capacity: 0, capacity_estimated: false, status_estimated: false });
    expect(sourced.warnings.find((w) => w.code === 'SITE_UNAVAILABLE')?.estimated).toBe(false);
    // the timeline's cells follow the state
    expect(plan(d(true)).timeline(['2021-06-01', '2022-06-01']).sites[0].capacity_estimated).toEqual([false, true]);
    // once open, the site's status is no longer the assumption
    expect(plan(d(true)).state('2023-06-01').sites[2]).toMatchObject({ status: 'active', status_estimated: false });
  });
});

describe('accessibility facts that change with a site event', () => {
  it('when a renovation sets the entrance step-free, then the fact holds from the day after it ends, and NOT_STEP_FREE goes away', () => {
    const d = data({
      sites: [site(1, { step_free: 'no' }), site(2)],
      units: [unit(1, { public_facing: true })],
      events: [event({ site_id: 1, kind: 'renovation', date: '2024-01-01', end_date: '2024-12-31', capacity: 5, facts: { step_free: 'yes' } })],
      moves: [move({ unit_id: 1, to_site_id: 1, headcount: 3, date: '2020-01-01' })],
    });
    expect(codes(plan(d), '2024-06-01')).toContain('NOT_STEP_FREE');
    expect(plan(d).state('2024-12-31').sites[0].step_free).toBe('no');
    expect(plan(d).state('2025-01-01').sites[0].step_free).toBe('yes');
    expect(codes(plan(d), '2025-01-01')).not.toContain('NOT_STEP_FREE');
  });

  it('when an opening event sets a fact, then it holds from its date; facts it does not name stay', () => {
    const s = site(1, { step_free: 'unknown', door_width_cm: null });
    const events = [event({ site_id: 1, kind: 'opening', date: '2023-10-01', facts: { step_free: 'yes' } })];
    expect(siteFactsAt(s, events, '2023-09-30').step_free).toBe('unknown');
    expect(siteFactsAt(s, events, '2023-10-01')).toMatchObject({ step_free: 'yes', door_width_cm: null, elevator: 'yes' });
  });
});

describe('one location, several buildings (SAME_LOCATION_M)', () => {
  const twoBuildings = (lon2: number) =>
    data({
      sites: [site(1, { lat: 48.4, lon: 10.0 }), site(2, { lat: 48.4, lon: lon2 })],
      moves: [move({ unit_id: 1, to_site_id: 1, headcount: 3, date: '2020-01-01' }), move({ unit_id: 1, to_site_id: 2, headcount: 2, date: '2020-01-01' })],
    });

  it('when a team works in two buildings 50 m apart, then it is one location and not split', () => {
    const st = plan(twoBuildings(10.00067)).state('2021-01-01');
    expect(st.teams[0]).toMatchObject({ site_ids: [1, 2], locations: 1, split: false });
    expect(st.warnings.map((w) => w.code)).not.toContain('TEAM_SPLIT');
  });

  it('when the buildings are 300 m apart, then the team is split across two locations', () => {
    const st = plan(twoBuildings(10.004)).state('2021-01-01');
    expect(st.teams[0]).toMatchObject({ locations: 2, split: true });
    expect(st.warnings.find((w) => w.code === 'TEAM_SPLIT')?.params.sites).toBe(2);
  });

  it('when SAME_LOCATION_M is raised to 500, then 300 m apart counts as one location', () => {
    const st = plan(twoBuildings(10.004), '2026-11-24', { ...DEFAULT_PLANNING_CONFIG, sameLocationM: 500 }).state('2021-01-01');
    expect(st.teams[0].split).toBe(false);
  });
});
