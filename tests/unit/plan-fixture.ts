import type { Polygon } from 'geojson';
import { DEFAULT_PLANNING_CONFIG } from '../../server/config.js';
import { Plan } from '../../server/planning/engine.js';
import type { PlanData, PlanEvent, PlanMove, PlanSite, PlanUnit } from '../../server/planning/types.js';

/** A square district around (lat 48.40, lon 10.00), ±0.01°. */
export const SQUARE: Polygon = {
  type: 'Polygon',
  coordinates: [
    [
      [9.99, 48.39],
      [10.01, 48.39],
      [10.01, 48.41],
      [9.99, 48.41],
      [9.99, 48.39],
    ],
  ],
};

export function site(id: number, over: Partial<PlanSite> = {}): PlanSite {
  return {
    id,
    name: `Site ${id}`,
    lat: 48.4,
    lon: 10.0,
    capacity: 10,
    office_area_m2: null,
    status: 'active',
    verified_at: '2026-06-01',
    step_free: 'yes',
    accessible_toilet: 'yes',
    accessible_parking: 'yes',
    elevator: 'yes',
    door_width_cm: 100,
    threshold_cm: 0,
    ...over,
  };
}

export function unit(id: number, over: Partial<PlanUnit> = {}): PlanUnit {
  return { id, name: `Unit ${id}`, team_id: 1, public_facing: false, desk_ratio: 1, ...over };
}

let moveId = 1000;
export function move(over: Partial<PlanMove> & Pick<PlanMove, 'unit_id' | 'headcount' | 'date'>): PlanMove {
  return { id: moveId++, from_site_id: null, to_site_id: null, until: null, status: 'approved', scenario_id: null, ...over };
}

let eventId = 1;
export function event(over: Partial<PlanEvent> & Pick<PlanEvent, 'site_id' | 'kind' | 'date'>): PlanEvent {
  return { id: eventId++, end_date: null, capacity: null, scenario_id: null, ...over };
}

export function data(over: Partial<PlanData> = {}): PlanData {
  return {
    sites: [site(1), site(2, { lat: 48.405, lon: 10.005 })],
    units: [unit(1)],
    teams: [{ id: 1, name: 'Team A', kind: 'district', district_id: 1 }],
    districts: [{ id: 1, name: 'D1', geometry: SQUARE }],
    moves: [],
    events: [],
    stops: [{ id: 1, name: 'Stop', lat: 48.4001, lon: 10.0001, wheelchair_accessible: true }],
    ...over,
  };
}

export function plan(d: PlanData, today = '2026-11-24', config = DEFAULT_PLANNING_CONFIG): Plan {
  return new Plan(d, { today, config });
}

export const codes = (p: Plan, date: string, scenario: number | null = null) => p.state(date, scenario).warnings.map((w) => w.code);
