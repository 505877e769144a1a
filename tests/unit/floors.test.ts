import { describe, expect, it } from 'vitest';
import { warningMessage } from '../../server/i18n/index.js';
import { movesFor } from '../../server/planning/engine.js';
import type { PlanFloor } from '../../server/planning/types.js';
import { data, move, plan, site, unit } from './plan-fixture.js';

const floor = (over: Partial<PlanFloor> & Pick<PlanFloor, 'id' | 'level'>): PlanFloor => ({
  site_id: 1,
  name: `Ebene ${over.level}`,
  workplaces: 5,
  area_m2: null,
  step_free_access: 'yes',
  ...over,
});

describe('warnings on floors', () => {
  it('when the people on a floor need more workplaces than it has, then FLOOR_OVER_CAPACITY names the floor; the site as a whole may still fit', () => {
    const p = plan(
      data({
        sites: [site(1, { capacity: 20 })],
        units: [unit(1)],
        floors: [floor({ id: 11, level: 0, workplaces: 15 }), floor({ id: 12, level: 1, workplaces: 5, name: 'OG' })],
        moves: [
          move({ unit_id: 1, to_site_id: 1, to_floor_id: 12, headcount: 6, date: '2026-01-01' }),
          move({ unit_id: 1, from_site_id: 1, from_floor_id: 12, to_site_id: 1, to_floor_id: 11, headcount: 1, date: '2026-06-01' }),
        ],
      }),
    );
    const before = p.state('2026-03-01').warnings.filter((w) => w.code === 'FLOOR_OVER_CAPACITY');
    expect(before).toEqual([expect.objectContaining({ site_id: 1, severity: 'error', params: { site: 'Site 1', floor: 'OG', needed: 6, workplaces: 5 } })]);
    expect(warningMessage('de', before[0])).toBe('Site 1, Geschoss OG: 6 Arbeitsplätze benötigt, 5 vorhanden.');
    expect(p.state('2026-03-01').warnings.map((w) => w.code)).not.toContain('OVER_CAPACITY');
    expect(p.state('2026-07-01').warnings.map((w) => w.code)).not.toContain('FLOOR_OVER_CAPACITY');
  });

  it('when a public-facing unit sits on a floor without step-free access, then NOT_STEP_FREE names the floor though the entrance is step-free; on no floor the entrance decides', () => {
    const floors = [floor({ id: 11, level: 0, step_free_access: 'yes' }), floor({ id: 12, level: 1, name: 'OG', step_free_access: 'no' })];
    const base = { sites: [site(1, { capacity: 20, step_free: 'yes' as const })], units: [unit(1, { public_facing: true })], floors };
    const upstairs = plan(data({ ...base, moves: [move({ unit_id: 1, to_site_id: 1, to_floor_id: 12, headcount: 2, date: '2026-01-01' })] }));
    const w = upstairs.state('2026-02-01').warnings.find((x) => x.code === 'NOT_STEP_FREE');
    expect(w).toMatchObject({ site_id: 1, unit_id: 1, params: { floor: 'OG', step_free: 'no' } });
    expect(warningMessage('de', w!)).toContain('im Geschoss OG, das nicht stufenlos erreichbar ist');
    const ground = plan(data({ ...base, moves: [move({ unit_id: 1, to_site_id: 1, to_floor_id: 11, headcount: 2, date: '2026-01-01' })] }));
    expect(ground.state('2026-02-01').warnings.map((x) => x.code)).not.toContain('NOT_STEP_FREE');
    const nowhere = plan(data({ ...base, moves: [move({ unit_id: 1, to_site_id: 1, headcount: 2, date: '2026-01-01' })] }));
    expect(nowhere.state('2026-02-01').warnings.map((x) => x.code)).not.toContain('NOT_STEP_FREE');
  });

  it('when the entrance has steps, then a step-free floor does not help; an unknown floor is a data gap naming it', () => {
    const floors = [floor({ id: 11, level: 0, step_free_access: 'yes' }), floor({ id: 12, level: 1, name: 'OG', step_free_access: 'unknown' })];
    const entranceNo = plan(
      data({
        sites: [site(1, { capacity: 20, step_free: 'no' })],
        units: [unit(1, { public_facing: true })],
        floors,
        moves: [move({ unit_id: 1, to_site_id: 1, to_floor_id: 11, headcount: 2, date: '2026-01-01' })],
      }),
    );
    expect(entranceNo.state('2026-02-01').warnings.find((x) => x.code === 'NOT_STEP_FREE')?.params).toMatchObject({ floor: null });
    const unknownFloor = plan(
      data({
        sites: [site(1, { capacity: 20, step_free: 'yes' })],
        units: [unit(1, { public_facing: true })],
        floors,
        moves: [move({ unit_id: 1, to_site_id: 1, to_floor_id: 12, headcount: 2, date: '2026-01-01' })],
      }),
    );
    const codes = unknownFloor.state('2026-02-01').warnings;
    expect(codes.map((x) => x.code)).not.toContain('NOT_STEP_FREE');
    expect(codes.find((x) => x.code === 'STEP_FREE_UNKNOWN')).toMatchObject({ severity: 'info', params: { floor: 'OG' } });
  });

  it('when a floor has a known area below ASR A1.2 for its people, then AREA_BELOW_STANDARD names the floor; a floor of unknown area says nothing', () => {
    const p = plan(
      data({
        sites: [site(1, { capacity: 20 })],
        units: [unit(1)],
        floors: [floor({ id: 11, level: 0, area_m2: 20, name: 'EG' }), floor({ id: 12, level: 1, area_m2: null })],
        moves: [
          move({ unit_id: 1, to_site_id: 1, to_floor_id: 11, headcount: 3, date: '2026-01-01' }),
          move({ unit_id: 1, to_site_id: 1, to_floor_id: 12, headcount: 5, date: '2026-01-01' }),
        ],
      }),
    );
    // 3 workplaces need 8 + 6 + 6 = 20 m²: exactly enough
    expect(p.state('2026-02-01').warnings.filter((w) => w.code === 'AREA_BELOW_STANDARD')).toHaveLength(0);
    const tight = plan({ ...p.data, floors: [floor({ id: 11, level: 0, area_m2: 19, name: 'EG' }), floor({ id: 12, level: 1, area_m2: null })] });
    const w = tight.state('2026-02-01').warnings.filter((x) => x.code === 'AREA_BELOW_STANDARD');
    expect(w).toEqual([expect.objectContaining({ site_id: 1, params: { site: 'Site 1', floor: 'EG', area: 19, needed: 3, minimum: 20 } })]);
    expect(warningMessage('en', w[0])).toBe('Site 1, floor EG: 19 m² for 3 workplaces; ASR A1.2 requires at least 20 m².');
  });
});

describe("a scenario's override of a move's site and floor", () => {
  const base = move({ id: 7, unit_id: 1, to_site_id: 1, to_floor_id: 11, headcount: 2, date: '2026-01-01' });
  const overriding = (changes: Record<string, number | null>) => [{ scenario_id: 5, move_id: 7, event_id: null, changes }];

  it('when the scenario sends the move to another site without naming a floor, then it names no floor there (the old floor belongs to the old site)', () => {
    const [m] = movesFor([base], 5, overriding({ to_site_id: 2 }));
    expect(m).toMatchObject({ to_site_id: 2, to_floor_id: null });
  });

  it('when the scenario names a floor of the new site, then the move names that floor; the baseline keeps its own', () => {
    expect(movesFor([base], 5, overriding({ to_site_id: 2, to_floor_id: 21 }))[0]).toMatchObject({ to_site_id: 2, to_floor_id: 21 });
    expect(movesFor([base], 5, overriding({ to_floor_id: 12 }))[0]).toMatchObject({ to_site_id: 1, to_floor_id: 12 });
    expect(movesFor([base], null, overriding({ to_site_id: 2, to_floor_id: 21 }))[0]).toMatchObject({ to_site_id: 1, to_floor_id: 11 });
  });
});
