import { describe, expect, it } from 'vitest';
import { setAsideOutOfDomain } from '../../server/planning/data-domain.js';
import { inDateDomain } from '../../server/planning/dates.js';
import type { PlanData, PlanMove } from '../../server/planning/types.js';

const move = (id: number, date: string, until: string | null = null, scenario_id: number | null = null): PlanMove => ({
  id,
  unit_id: 1,
  from_site_id: null,
  to_site_id: 1,
  headcount: 1,
  date,
  until,
  status: 'approved',
  scenario_id,
});
const data = (moves: PlanMove[], extra: Partial<PlanData> = {}): PlanData => ({
  sites: [],
  units: [],
  teams: [],
  districts: [],
  moves,
  events: [],
  stops: [],
  ...extra,
});

describe('the date domain', () => {
  it('when a date is a real one within 1900-01-01 … 2199-12-31, then it is in the domain; anything else is not', () => {
    for (const d of ['1900-01-01', '2026-11-24', '2199-12-31', '2000-02-29']) expect(inDateDomain(d), d).toBe(true);
    for (const d of ['1899-12-31', '2200-01-01', '0202-06-01', '+010000-01', '10050-01-NaN', '-000054-04', '2023-02-29', '', null, 20260101])
      expect(inDateDomain(d), String(d)).toBe(false);
  });

  it('when stored records lie outside it, then the plan data leaves them out and lists each with its field and value', () => {
    const out = setAsideOutOfDomain(
      data([move(1, '2026-01-01'), move(2, '0202-06-01', null, 7), move(3, '2026-01-01', '+010000-01')], {
        events: [{ id: 9, site_id: 4, kind: 'closure', date: '0999-01-01', end_date: null, capacity: null, scenario_id: null }],
        overrides: [
          { scenario_id: 7, move_id: 1, event_id: null, changes: { date: '10050-01-NaN' } },
          { scenario_id: 7, move_id: 1, event_id: null, changes: { headcount: 3 } },
        ],
      }),
    );
    expect(out.moves.map((m) => m.id)).toEqual([1]);
    expect(out.events).toEqual([]);
    expect(out.overrides).toEqual([{ scenario_id: 7, move_id: 1, event_id: null, changes: { headcount: 3 } }]);
    expect(out.invalid).toEqual([
      expect.objectContaining({ kind: 'move', id: 2, field: 'date', value: '0202-06-01', scenario_id: 7 }),
      expect.objectContaining({ kind: 'move', id: 3, field: 'until', value: '+010000-01', scenario_id: null }),
      expect.objectContaining({ kind: 'event', id: 9, field: 'date', site_id: 4 }),
      expect.objectContaining({ kind: 'override', id: 1, field: 'date', value: '10050-01-NaN', scenario_id: 7 }),
    ]);
  });

  it('when every date is in the domain, then the data is handed on untouched', () => {
    const d = data([move(1, '2026-01-01', '2027-01-01')]);
    expect(setAsideOutOfDomain(d)).toBe(d);
  });
});
