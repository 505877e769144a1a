import { describe, expect, it } from 'vitest';
import { codes, data, event, move, plan, site, unit } from './plan-fixture.js';
import { DEFAULT_PLANNING_CONFIG } from '../../server/config.js';
import { distanceM } from '../../server/geo/index.js';
import { warningMessage } from '../../server/i18n/index.js';

describe('state: occupancy is the fold of the ledger', () => {
  it('when people arrive and later move, then each site shows the headcount at the date', () => {
    const p = plan(
      data({
        moves: [
          move({ unit_id: 1, to_site_id: 1, headcount: 6, date: '2021-01-01' }),
          move({ unit_id: 1, from_site_id: 1, to_site_id: 2, headcount: 2, date: '2021-06-01' }),
        ],
      }),
    );
    const before = p.state('2020-12-31');
    expect(before.sites.map((s) => s.headcount)).toEqual([0, 0]);
    const mid = p.state('2021-03-01');
    expect(mid.sites.map((s) => s.headcount)).toEqual([6, 0]);
    expect(mid.sites[0].free).toBe(4);
    expect(mid.sites[0].utilization).toBe(0.6);
    const after = p.state('2021-06-01');
    expect(after.sites.map((s) => s.headcount)).toEqual([4, 2]);
    expect(after.sites[0].units).toEqual([{ headcount_estimated: false, unit_id: 1, unit: 'Unit 1', team_id: 1, team: 'Team A', headcount: 4 }]);
  });

  it('when several units sit at a site, then its units are listed in German alphabetical order (Ä with A), whatever their ids', () => {
    const p = plan(
      data({
        units: [unit(1, { name: 'Zentrale' }), unit(2, { name: 'Ärztlicher Dienst' }), unit(3, { name: 'Beratung' }), unit(4, { name: 'Adoption' })],
        moves: [
          move({ unit_id: 1, to_site_id: 1, headcount: 1, date: '2021-01-01' }),
          move({ unit_id: 2, to_site_id: 1, headcount: 1, date: '2021-01-01' }),
          move({ unit_id: 3, to_site_id: 1, headcount: 1, date: '2021-01-01' }),
          move({ unit_id: 4, to_site_id: 2, headcount: 1, date: '2021-01-01' }),
          move({ unit_id: 3, to_site_id: 2, headcount: 1, date: '2021-01-01' }),
        ],
      }),
    );
    const st = p.state('2021-02-01');
    expect(st.sites[0].units.map((u) => u.unit)).toEqual(['Ärztlicher Dienst', 'Beratung', 'Zentrale']);
    expect(st.sites[1].units.map((u) => u.unit)).toEqual(['Adoption', 'Beratung']);
  });

  it('when a move is proposed or cancelled, then the baseline ignores it but its scenario counts proposed ones', () => {
    const p = plan(
      data({
        moves: [
          move({ unit_id: 1, to_site_id: 1, headcount: 5, date: '2021-01-01', status: 'proposed' }),
          move({ unit_id: 1, to_site_id: 1, headcount: 3, date: '2021-01-01', status: 'cancelled' }),
          move({ unit_id: 1, to_site_id: 2, headcount: 4, date: '2021-01-01', status: 'proposed', scenario_id: 7 }),
          move({ unit_id: 1, to_site_id: 2, headcount: 1, date: '2021-01-01', status: 'done' }),
        ],
      }),
    );
    expect(p.state('2021-02-01').sites.map((s) => s.headcount)).toEqual([0, 1]);
    expect(p.state('2021-02-01', 7).sites.map((s) => s.headcount)).toEqual([0, 5]);
    expect(p.state('2021-02-01', 8).sites.map((s) => s.headcount)).toEqual([0, 1]);
  });

  it('when a move is temporary, then the people go back on its until date', () => {
    const p = plan(
      data({
        moves: [
          move({ unit_id: 1, to_site_id: 1, headcount: 8, date: '2021-01-01' }),
          move({ unit_id: 1, from_site_id: 1, to_site_id: 2, headcount: 3, date: '2021-04-01', until: '2021-10-01' }),
        ],
      }),
    );
    expect(p.state('2021-09-30').sites.map((s) => s.headcount)).toEqual([5, 3]);
    expect(p.state('2021-10-01').sites.map((s) => s.headcount)).toEqual([8, 0]);
  });

  it('when units share desks, then needed workplaces are ⌈headcount × desk_ratio⌉ and utilization uses them', () => {
    const p = plan(
      data({
        units: [unit(1, { desk_ratio: 0.5 }), unit(2, { desk_ratio: 0.8 })],
        moves: [move({ unit_id: 1, to_site_id: 1, headcount: 7, date: '2021-01-01' }), move({ unit_id: 2, to_site_id: 1, headcount: 4, date: '2021-01-01' })],
      }),
    );
    const s = p.state('2021-02-01').sites[0];
    expect(s.headcount).toBe(11);
    expect(s.needed).toBe(7); // 3.5 + 3.2 = 6.7 → 7
    expect(s.utilization).toBe(0.7);
  });
});

describe('site events', () => {
  it('when a capacity event applies, then the capacity changes from its date', () => {
    const p = plan(data({ events: [event({ site_id: 1, kind: 'capacity', date: '2022-01-01', capacity: 25 })] }));
    expect(p.state('2021-12-31').sites[0].capacity).toBe(10);
    expect(p.state('2022-01-01').sites[0].capacity).toBe(25);
  });

  it('when a site is under renovation, then its capacity is the renovation capacity within the window only', () => {
    const p = plan(data({ events: [event({ site_id: 1, kind: 'renovation', date: '2022-01-01', end_date: '2022-06-30', capacity: 0 })] }));
    expect(p.state('2022-03-01').sites[0]).toMatchObject({ capacity: 0, status: 'renovation', available: false });
    expect(p.state('2022-07-01').sites[0]).toMatchObject({ capacity: 10, status: 'active', available: true });
  });

  it('when a site opens or closes, then it is unavailable before the opening and after the closure', () => {
    const p = plan(data({ events: [event({ site_id: 1, kind: 'opening', date: '2022-01-01' }), event({ site_id: 1, kind: 'closure', date: '2024-01-01' })] }));
    expect(p.state('2021-12-31').sites[0]).toMatchObject({ status: 'planned', available: false, capacity: 0 });
    expect(p.state('2023-01-01').sites[0]).toMatchObject({ status: 'active', available: true });
    expect(p.state('2024-01-01').sites[0]).toMatchObject({ status: 'closed', available: false });
  });

  it('when a scenario has its own event, then only that scenario sees it', () => {
    const p = plan(data({ events: [event({ site_id: 1, kind: 'closure', date: '2022-01-01', scenario_id: 3 })] }));
    expect(p.state('2023-01-01').sites[0].status).toBe('active');
    expect(p.state('2023-01-01', 3).sites[0].status).toBe('closed');
  });
});

describe('warnings', () => {
  it('when a planner moves 5 people into a site with 3 free places, then the state shows OVER_CAPACITY', () => {
    const p = plan(
      data({
        moves: [
          move({ unit_id: 1, to_site_id: 1, headcount: 7, date: '2021-01-01' }),
          move({ unit_id: 1, to_site_id: 2, headcount: 5, date: '2021-01-01' }),
          move({ unit_id: 1, from_site_id: 2, to_site_id: 1, headcount: 5, date: '2021-05-01' }),
        ],
      }),
    );
    expect(codes(p, '2021-04-30')).not.toContain('OVER_CAPACITY');
    const w = p.state('2021-05-01').warnings.find((x) => x.code === 'OVER_CAPACITY');
    expect(w).toMatchObject({ code: 'OVER_CAPACITY', severity: 'error', site_id: 1, params: { needed: 12, capacity: 10 } });
  });

  it('when utilization reaches 90 % but not over, then NEAR_CAPACITY; at 80 % nothing', () => {
    const p = plan(
      data({
        moves: [move({ unit_id: 1, to_site_id: 1, headcount: 8, date: '2021-01-01' }), move({ unit_id: 1, to_site_id: 1, headcount: 1, date: '2021-02-01' })],
      }),
    );
    expect(codes(p, '2021-01-15')).not.toContain('NEAR_CAPACITY');
    expect(codes(p, '2021-02-01')).toContain('NEAR_CAPACITY');
  });

  it('when the near-capacity threshold is configured, then it is used', () => {
    const d = data({ moves: [move({ unit_id: 1, to_site_id: 1, headcount: 8, date: '2021-01-01' })] });
    expect(codes(plan(d, '2026-11-24', { ...DEFAULT_PLANNING_CONFIG, nearCapacityThreshold: 0.8 }), '2021-02-01')).toContain('NEAR_CAPACITY');
  });

  it('when a team works at two sites, then TEAM_SPLIT carries the largest distance in metres', () => {
    const p = plan(
      data({
        moves: [move({ unit_id: 1, to_site_id: 1, headcount: 2, date: '2021-01-01' }), move({ unit_id: 1, to_site_id: 2, headcount: 2, date: '2021-01-01' })],
      }),
    );
    const st = p.state('2021-02-01');
    expect(st.teams[0]).toMatchObject({ split: true, site_ids: [1, 2] });
    // 0.005° lat ≈ 556 m, 0.005° lon at 48.4° ≈ 369 m → ≈ 667 m
    expect(st.teams[0].max_distance_m).toBeGreaterThan(640);
    expect(st.teams[0].max_distance_m).toBeLessThan(690);
    expect(st.warnings.find((w) => w.code === 'TEAM_SPLIT')).toMatchObject({ team_id: 1, params: { distance_m: st.teams[0].max_distance_m } });
  });

  it('when a team is scattered over many sites, then its distance and locations follow its sites from date to date (the same set again gives the same figures)', () => {
    // 40 sites in a row 0.01° of longitude apart (≈ 740 m): no two within the same location
    const sites = Array.from({ length: 40 }, (_, i) => site(i + 1, { lon: 10 + i * 0.01 }));
    const arrive = sites.map((s) => move({ unit_id: 1, to_site_id: s.id, headcount: 1, date: '2021-01-01' }));
    const leaveLast = move({ unit_id: 1, from_site_id: 40, headcount: 1, date: '2021-06-01' });
    const p = plan(data({ sites, moves: [...arrive, leaveLast] }));
    const spread = (date: string) => p.state(date).teams[0];
    const all = spread('2021-02-01');
    expect(all).toMatchObject({ locations: 40, split: true });
    expect(all.max_distance_m).toBe(Math.round(distanceM(sites[0], sites[39])));
    const fewer = spread('2021-07-01');
    expect(fewer.locations).toBe(39);
    expect(fewer.max_distance_m).toBe(Math.round(distanceM(sites[0], sites[38])));
    expect(spread('2021-03-01')).toEqual(all);
    expect(spread('2021-08-01')).toEqual(fewer);
  });

  // SPEC section 16: a warning rests on facts; an unknown entrance is a gap in the data (info), not a warning
  it('when a public-facing unit sits where the entrance is known not step-free, then NOT_STEP_FREE; unknown, then the info STEP_FREE_UNKNOWN; yes, nothing', () => {
    const mk = (step_free: 'yes' | 'no' | 'unknown') =>
      plan(
        data({
          sites: [site(1, { step_free })],
          units: [unit(1, { public_facing: true })],
          moves: [move({ unit_id: 1, to_site_id: 1, headcount: 2, date: '2021-01-01' })],
        }),
      );
    expect(codes(mk('no'), '2021-02-01')).toContain('NOT_STEP_FREE');
    expect(codes(mk('no'), '2021-02-01')).not.toContain('STEP_FREE_UNKNOWN');
    expect(codes(mk('unknown'), '2021-02-01')).not.toContain('NOT_STEP_FREE');
    const gap = mk('unknown')
      .state('2021-02-01')
      .warnings.find((w) => w.code === 'STEP_FREE_UNKNOWN');
    expect(gap).toMatchObject({ severity: 'info', site_id: 1, unit_id: 1, estimated: false });
    expect(codes(mk('yes'), '2021-02-01')).not.toContain('NOT_STEP_FREE');
    expect(codes(mk('yes'), '2021-02-01')).not.toContain('STEP_FREE_UNKNOWN');
  });

  it('when a unit is not public-facing, then the entrance does not matter', () => {
    const p = plan(data({ sites: [site(1, { step_free: 'no' })], moves: [move({ unit_id: 1, to_site_id: 1, headcount: 2, date: '2021-01-01' })] }));
    expect(codes(p, '2021-02-01')).not.toContain('NOT_STEP_FREE');
  });

  it('when a district team works at a site outside its polygon, then OUTSIDE_DISTRICT; central teams never', () => {
    const outside = site(2, { lat: 48.5, lon: 10.2 });
    const d = data({ sites: [site(1), outside], moves: [move({ unit_id: 1, to_site_id: 2, headcount: 2, date: '2021-01-01' })] });
    expect(plan(d).districtOfSite(2)).toBeNull();
    expect(plan(d).districtOfSite(1)).toBe(1);
    expect(
      plan(d)
        .state('2021-02-01')
        .warnings.find((w) => w.code === 'OUTSIDE_DISTRICT'),
    ).toMatchObject({ team_id: 1, site_id: 2 });
    const central = { ...d, teams: [{ id: 1, name: 'Central', kind: 'central' as const, district_id: null }] };
    expect(codes(plan(central), '2021-02-01')).not.toContain('OUTSIDE_DISTRICT');
  });

  it('when people sit in a site under renovation, closed or not yet open, then SITE_UNAVAILABLE', () => {
    const base = { moves: [move({ unit_id: 1, to_site_id: 1, headcount: 2, date: '2021-01-01' })] };
    expect(
      codes(
        plan(data({ ...base, events: [event({ site_id: 1, kind: 'renovation', date: '2021-03-01', end_date: '2021-04-01', capacity: 0 })] })),
        '2021-03-15',
      ),
    ).toContain('SITE_UNAVAILABLE');
    expect(codes(plan(data({ ...base, events: [event({ site_id: 1, kind: 'closure', date: '2021-03-01' })] })), '2021-03-15')).toContain('SITE_UNAVAILABLE');
    expect(codes(plan(data({ ...base, events: [event({ site_id: 1, kind: 'opening', date: '2021-06-01' })] })), '2021-03-15')).toContain('SITE_UNAVAILABLE');
    expect(codes(plan(data({ ...base, events: [event({ site_id: 1, kind: 'opening', date: '2021-06-01' })] })), '2021-06-01')).not.toContain(
      'SITE_UNAVAILABLE',
    );
  });

  it('when a renovation keeps some capacity, then the site stays usable and capacity is checked against it', () => {
    const p = plan(
      data({
        moves: [move({ unit_id: 1, to_site_id: 1, headcount: 6, date: '2021-01-01' })],
        events: [event({ site_id: 1, kind: 'renovation', date: '2021-03-01', end_date: '2021-04-01', capacity: 4 })],
      }),
    );
    const c = codes(p, '2021-03-15');
    expect(c).toContain('OVER_CAPACITY');
    expect(c).not.toContain('SITE_UNAVAILABLE');
  });

  it('when a move takes more people than the unit has at the site, then NEGATIVE_HEADCOUNT names the move', () => {
    const bad = move({ unit_id: 1, from_site_id: 1, to_site_id: 2, headcount: 5, date: '2021-02-01' });
    const p = plan(data({ moves: [move({ unit_id: 1, to_site_id: 1, headcount: 3, date: '2021-01-01' }), bad] }));
    expect(codes(p, '2021-01-31')).not.toContain('NEGATIVE_HEADCOUNT');
    expect(p.state('2021-02-01').warnings.find((w) => w.code === 'NEGATIVE_HEADCOUNT')).toMatchObject({
      move_id: bad.id,
      site_id: 1,
      unit_id: 1,
      params: { headcount: -2 },
    });
    expect(p.negativeHeadcounts()).toEqual([{ move_id: bad.id, unit_id: 1, site_id: 1, floor_id: null, date: '2021-02-01', headcount: -2 }]);
  });

  it('when no wheelchair-accessible stop is within 300 m of a public-facing unit, then NO_ACCESSIBLE_STOP', () => {
    const far = data({
      units: [unit(1, { public_facing: true })],
      stops: [
        { id: 1, name: 'Near but not accessible', lat: 48.4001, lon: 10.0001, wheelchair_accessible: false },
        { id: 2, name: 'Far', lat: 48.41, lon: 10.0, wheelchair_accessible: true },
      ],
      moves: [move({ unit_id: 1, to_site_id: 1, headcount: 2, date: '2021-01-01' })],
    });
    expect(codes(plan(far), '2021-02-01')).toContain('NO_ACCESSIBLE_STOP');
    const near = { ...far, stops: [{ id: 3, name: 'Accessible, 250 m', lat: 48.40225, lon: 10.0, wheelchair_accessible: true }] };
    expect(codes(plan(near), '2021-02-01')).not.toContain('NO_ACCESSIBLE_STOP');
  });

  it('ASR A1.2: 8 m² suffice for one workplace, 14 m² for two, 13 m² do not', () => {
    const mk = (area: number, people: number) =>
      plan(
        data({
          sites: [site(1, { office_area_m2: area })],
          moves: [move({ unit_id: 1, to_site_id: 1, headcount: people, date: '2021-01-01' })],
        }),
      );
    expect(codes(mk(8, 1), '2021-02-01')).not.toContain('AREA_BELOW_STANDARD');
    expect(codes(mk(7.9, 1), '2021-02-01')).toContain('AREA_BELOW_STANDARD');
    expect(codes(mk(14, 2), '2021-02-01')).not.toContain('AREA_BELOW_STANDARD');
    expect(codes(mk(13, 2), '2021-02-01')).toContain('AREA_BELOW_STANDARD');
  });

  it('when a site was last checked more than 12 months before today, then DATA_STALE at today, not in history', () => {
    const d = data({ sites: [site(1, { verified_at: '2025-11-01' }), site(2, { verified_at: '2026-01-01', lat: 48.405 })] });
    const p = plan(d, '2026-11-24');
    const today = p.state('2026-11-24').warnings.filter((w) => w.code === 'DATA_STALE');
    expect(today.map((w) => w.site_id)).toEqual([1]);
    expect(codes(p, '2021-01-01')).not.toContain('DATA_STALE');
    expect(codes(plan(data({ sites: [site(1, { verified_at: null })] })), '2026-11-24')).toContain('DATA_STALE');
  });
});

describe('timeline', () => {
  it('when asked for several dates, then each column equals state at that date', () => {
    const p = plan(
      data({
        moves: [
          move({ unit_id: 1, to_site_id: 1, headcount: 4, date: '2021-02-15' }),
          move({ unit_id: 1, from_site_id: 1, to_site_id: 2, headcount: 1, date: '2021-04-01', until: '2021-05-20' }),
        ],
        events: [event({ site_id: 2, kind: 'capacity', date: '2021-03-01', capacity: 3 })],
      }),
    );
    const dates = ['2021-01-01', '2021-03-01', '2021-04-01', '2021-06-01'];
    const tl = p.timeline(dates);
    expect(tl.dates).toEqual(dates);
    expect(tl.sites[0].headcount).toEqual([0, 4, 3, 4]);
    expect(tl.sites[1].headcount).toEqual([0, 0, 1, 0]);
    expect(tl.sites[1].capacity).toEqual([10, 3, 3, 3]);
    expect(tl.districts[0].headcount).toEqual([0, 4, 4, 4]);
  });
});

describe('estimates in warnings (SPEC section 16)', () => {
  it('when the capacity or the headcount rests on an estimate, then the warning is estimated, names those params, and its text carries ≈', () => {
    const mk = (capacity_estimated: boolean, headcount_estimated: boolean) =>
      plan(
        data({
          sites: [site(1, { capacity: 10, capacity_estimated })],
          units: [unit(1)],
          moves: [move({ unit_id: 1, to_site_id: 1, headcount: 12, date: '2021-01-01', headcount_estimated })],
        }),
      )
        .state('2021-02-01')
        .warnings.find((w) => w.code === 'OVER_CAPACITY')!;
    expect(mk(false, false)).toMatchObject({ estimated: false });
    expect(mk(false, false).estimates).toBeUndefined();
    expect(mk(true, false)).toMatchObject({ estimated: true, estimates: ['capacity'] });
    expect(mk(false, true)).toMatchObject({ estimated: true, estimates: ['headcount', 'needed'] });
    expect(warningMessage('de', mk(true, false))).toBe('Site 1: 12 Arbeitsplätze benötigt, Kapazität ≈10.');
    expect(warningMessage('de', mk(false, true))).toBe('Site 1: ≈12 Arbeitsplätze benötigt, Kapazität 10.');
  });

  it('when a team is split and one of its sites has a placeholder position, then the distance is marked as an estimate', () => {
    const mk = (position_estimated: boolean) =>
      plan(
        data({
          sites: [site(1, { lat: 48.4, lon: 9.99 }), site(2, { lat: 48.41, lon: 9.99, position_estimated })],
          units: [unit(1), unit(2)],
          moves: [
            move({ unit_id: 1, to_site_id: 1, headcount: 2, date: '2021-01-01' }),
            move({ id: 2, unit_id: 2, to_site_id: 2, headcount: 2, date: '2021-01-01' }),
          ],
        }),
      ).state('2021-02-01');
    const sure = mk(false);
    expect(sure.teams[0].distance_estimated).toBe(false);
    expect(sure.warnings.find((w) => w.code === 'TEAM_SPLIT')?.estimated).toBe(false);
    const placeholder = mk(true);
    expect(placeholder.teams[0].distance_estimated).toBe(true);
    const split = placeholder.warnings.find((w) => w.code === 'TEAM_SPLIT')!;
    expect(split).toMatchObject({ estimated: true, estimates: ['distance_m'] });
    expect(warningMessage('de', split)).toMatch(/bis zu ≈1\.112 m voneinander entfernt/);
  });

  it('when people sit in a site whose closure is assumed, then the date reads German and the status carries ≈', () => {
    const w = {
      code: 'SITE_UNAVAILABLE',
      params: { site: 'Grüner Hof', headcount: 20, status: 'closed', date: '2028-06-01' },
      estimates: ['headcount', 'status'],
    };
    expect(warningMessage('de', w)).toBe('≈20 Personen am Standort Grüner Hof, der am 01.06.2028 nicht nutzbar ist (≈geschlossen).');
    expect(warningMessage('de', w)).not.toContain('2028-06-01');
  });
});
