import type { AreaGeometry } from '../geo/index.js';

export type Fact = 'yes' | 'no' | 'unknown';
export type ElevatorFact = 'yes' | 'no' | 'not_needed' | 'unknown';
/** `candidate`: a building on offer, not (yet) the department's; counted only in a scenario that moves people into it. */
export type SiteStatus = 'active' | 'planned' | 'renovation' | 'closed' | 'candidate';
export type MoveStatus = 'proposed' | 'approved' | 'done' | 'cancelled';
export type EventKind = 'renovation' | 'opening' | 'closure' | 'capacity';
export type TeamKind = 'district' | 'central';
export type Severity = 'error' | 'warning' | 'info';

export const SITE_STATUSES: readonly SiteStatus[] = ['active', 'planned', 'renovation', 'closed', 'candidate'];
export const MOVE_STATUSES: readonly MoveStatus[] = ['proposed', 'approved', 'done', 'cancelled'];
export const EVENT_KINDS: readonly EventKind[] = ['renovation', 'opening', 'closure', 'capacity'];
export const FACTS: readonly Fact[] = ['yes', 'no', 'unknown'];
export const ELEVATOR_FACTS: readonly ElevatorFact[] = ['yes', 'no', 'not_needed', 'unknown'];

export interface AccessibilityFacts {
  step_free: Fact;
  accessible_toilet: Fact;
  accessible_parking: Fact;
  elevator: ElevatorFact;
  door_width_cm: number | null;
  threshold_cm: number | null;
}

export interface PlanSite extends AccessibilityFacts {
  id: number;
  name: string;
  lat: number;
  lon: number;
  capacity: number;
  office_area_m2: number | null;
  status: SiteStatus;
  verified_at: string | null;
  /** a candidate building is on offer from this date (null: now) */
  available_from?: string | null;
  /** the base capacity is our estimate, not a sourced number */
  capacity_estimated?: boolean;
  /** the position is a placeholder (no source places the building): distances from it are estimates */
  position_estimated?: boolean;
}

export interface PlanUnit {
  id: number;
  name: string;
  team_id: number;
  public_facing: boolean;
  desk_ratio: number;
}

export interface PlanTeam {
  id: number;
  name: string;
  kind: TeamKind;
  district_id: number | null;
}

export interface PlanDistrict {
  id: number;
  name: string;
  geometry: AreaGeometry | null;
}

export interface PlanMove {
  id: number;
  unit_id: number;
  from_site_id: number | null;
  to_site_id: number | null;
  /** the floor of from_site_id people leave (absent or null: not assigned to a floor) */
  from_floor_id?: number | null;
  /** the floor of to_site_id people arrive on (absent or null: not assigned to a floor) */
  to_floor_id?: number | null;
  headcount: number;
  date: string;
  until: string | null;
  status: MoveStatus;
  scenario_id: number | null;
  /** the headcount is our estimate, not a sourced number */
  headcount_estimated?: boolean;
  /** the date is our estimate (the source names a season or a year) */
  date_estimated?: boolean;
  /** the move's own cost in euros (absent or null: the cost per person moved) */
  cost_eur?: number | null;
}

/** A floor of a site (SPEC section 14). */
export interface PlanFloor {
  id: number;
  site_id: number;
  /** 0 Erdgeschoss, 1 1. OG, −1 UG */
  level: number;
  name: string;
  workplaces: number;
  /** the workplaces are our estimate */
  workplaces_estimated?: boolean;
  area_m2: number | null;
  /** reachable without steps from the entrance (by lift or at ground level) */
  step_free_access: Fact;
}

export interface PlanEvent {
  id: number;
  site_id: number;
  kind: EventKind;
  date: string;
  end_date: string | null;
  capacity: number | null;
  scenario_id: number | null;
  /** the date (or window, or capacity) is our estimate */
  estimated?: boolean;
  /**
   * Accessibility facts the event sets (absent: unchanged): from its date, or, for a renovation
   * with an end, from the day after it ends.
   */
  facts?: Partial<AccessibilityFacts>;
}

export interface PlanStop {
  id: number;
  name: string;
  lat: number;
  lon: number;
  wheelchair_accessible: boolean;
}

/** Fields of a baseline move a scenario may replace. */
export interface MoveOverrideChanges {
  date?: string;
  until?: string | null;
  headcount?: number;
  from_site_id?: number | null;
  to_site_id?: number | null;
  from_floor_id?: number | null;
  to_floor_id?: number | null;
  cancelled?: boolean;
}

/** Fields of a baseline site event a scenario may replace. */
export interface EventOverrideChanges {
  date?: string;
  end_date?: string | null;
  capacity?: number | null;
  cancelled?: boolean;
}

/** Inside one scenario, the changed fields of one baseline move (move_id) or event (event_id). */
export interface PlanOverride {
  scenario_id: number;
  move_id: number | null;
  event_id: number | null;
  changes: MoveOverrideChanges & EventOverrideChanges;
}

export const MOVE_OVERRIDE_FIELDS = ['date', 'until', 'headcount', 'from_site_id', 'to_site_id', 'from_floor_id', 'to_floor_id'] as const;
export const EVENT_OVERRIDE_FIELDS = ['date', 'end_date', 'capacity'] as const;

export interface PlanData {
  sites: PlanSite[];
  units: PlanUnit[];
  teams: PlanTeam[];
  districts: PlanDistrict[];
  moves: PlanMove[];
  events: PlanEvent[];
  stops: PlanStop[];
  /** scenario overrides of baseline moves and events (none: the scenarios only add records) */
  overrides?: PlanOverride[];
  /** the floors of sites (none: no site has floors) */
  floors?: PlanFloor[];
  /** the sites' leases (baseline data: a scenario changes costs through its moves and events) */
  leases?: PlanLease[];
  /** stored records left out of the plan because a date lies outside the date domain (see data-domain.ts) */
  invalid?: InvalidRecord[];
  /** warnings planners acknowledged for their subject (SPEC section 16) */
  acknowledgements?: PlanAcknowledgement[];
}

/**
 * A warning acknowledged for its subject: the code and each of team, site and unit that is given
 * must match the warning's; it holds up to and including `until` (null: until withdrawn).
 */
export interface PlanAcknowledgement {
  id: number;
  code: string;
  team_id: number | null;
  site_id: number | null;
  unit_id: number | null;
  reason: string;
  until: string | null;
}

/** A site's lease (or, `owned`, its running costs as the owner) as the engine reads it (SPEC section 15). */
export interface PlanLease {
  id: number;
  site_id: number;
  kind: 'lease' | 'owned';
  start: string;
  /** last day (inclusive); null: open-ended */
  end: string | null;
  notice_months: number | null;
  rent_month_eur: number;
  service_charges_month_eur: number;
}

export interface Warning {
  code: WarningCode;
  severity: Severity;
  /** the values the text needs; the text is made from the dictionary (`warning.<code>`) at the edge */
  params: Record<string, string | number | null>;
  site_id?: number;
  team_id?: number;
  unit_id?: number;
  move_id?: number;
  /** a number it rests on is an estimate: its text then carries ≈ (SPEC section 16) */
  estimated: boolean;
  /** which params are estimates (the text puts ≈ before them) */
  estimates?: string[];
  /** a planner acknowledged it for its subject: listed as "bestätigt", not counted at a glance */
  acknowledged?: { id: number; reason: string; until: string | null };
}

export type WarningCode =
  | 'OVER_CAPACITY'
  | 'NEAR_CAPACITY'
  | 'TEAM_SPLIT'
  | 'NOT_STEP_FREE'
  | 'STEP_FREE_UNKNOWN'
  | 'FLOOR_OVER_CAPACITY'
  | 'OUTSIDE_DISTRICT'
  | 'SITE_UNAVAILABLE'
  | 'NEGATIVE_HEADCOUNT'
  | 'NO_ACCESSIBLE_STOP'
  | 'AREA_BELOW_STANDARD'
  | 'DATA_STALE'
  | 'LEASE_ENDS'
  | 'NOTICE_DUE'
  | 'DATA_ERROR_MOVE'
  | 'DATA_ERROR_EVENT'
  | 'DATA_ERROR_OVERRIDE'
  | 'DATA_ERROR_SITE';

export const WARNING_SEVERITY: Record<WarningCode, Severity> = {
  OVER_CAPACITY: 'error',
  SITE_UNAVAILABLE: 'error',
  NEGATIVE_HEADCOUNT: 'error',
  NEAR_CAPACITY: 'warning',
  TEAM_SPLIT: 'warning',
  NOT_STEP_FREE: 'warning',
  OUTSIDE_DISTRICT: 'warning',
  NO_ACCESSIBLE_STOP: 'warning',
  AREA_BELOW_STANDARD: 'warning',
  LEASE_ENDS: 'warning',
  NOTICE_DUE: 'warning',
  DATA_STALE: 'info',
  DATA_ERROR_MOVE: 'error',
  DATA_ERROR_EVENT: 'error',
  DATA_ERROR_OVERRIDE: 'error',
  DATA_ERROR_SITE: 'error',
  STEP_FREE_UNKNOWN: 'info',
  FLOOR_OVER_CAPACITY: 'error',
};

/** Every warning code, as requests may name them (an acknowledgement's `code`). */
export const WARNING_CODES = Object.keys(WARNING_SEVERITY) as WarningCode[];

/**
 * Codes that name a gap in the data, not a problem: listed under "Datenlücken", never counted as
 * warnings nor coloured on the map (SPEC section 16).
 */
export const DATA_GAP_CODES: ReadonlySet<WarningCode> = new Set<WarningCode>(['STEP_FREE_UNKNOWN']);

export interface SiteUnitState {
  unit_id: number;
  unit: string;
  team_id: number;
  team: string;
  headcount: number;
  /** the unit's headcount here rests on an estimated move */
  headcount_estimated: boolean;
}

export interface SiteState {
  id: number;
  name: string;
  district_id: number | null;
  capacity: number;
  headcount: number;
  /** workplaces needed: ⌈Σ headcount × desk_ratio⌉ */
  needed: number;
  free: number;
  /** needed / capacity; null when the capacity is 0 */
  utilization: number | null;
  status: SiteStatus;
  available: boolean;
  /**
   * the capacity at the date rests on an estimate (base capacity, capacity event or event date; for
   * a closed, planned or renovated site the assumed event that makes it unusable)
   */
  capacity_estimated: boolean;
  /** the status at the date rests on an estimated event: an assumed closure, opening or renovation window */
  status_estimated: boolean;
  /** some headcount in the site at the date rests on an estimated move */
  headcount_estimated: boolean;
  /** the entrance's step-free fact at the date (site events may change it) */
  step_free: Fact;
  units: SiteUnitState[];
}

export interface TeamState {
  id: number;
  name: string;
  kind: TeamKind;
  district_id: number | null;
  headcount: number;
  site_ids: number[];
  /** how many locations (sites closer than SAME_LOCATION_M count as one) */
  locations: number;
  /** more than one location */
  split: boolean;
  max_distance_m: number;
  /** the distance rests on a placeholder position */
  distance_estimated: boolean;
  headcount_estimated: boolean;
}

export interface DistrictState {
  id: number;
  name: string;
  capacity: number;
  headcount: number;
  needed: number;
  utilization: number | null;
  /** some capacity (headcount) summed here rests on an estimate */
  capacity_estimated: boolean;
  headcount_estimated: boolean;
}

export interface PlanState {
  date: string;
  scenario_id: number | null;
  sites: SiteState[];
  teams: TeamState[];
  districts: DistrictState[];
  warnings: Warning[];
}

/**
 * A timeline as columns: for each site (district) one row of a value per date, all rows of a value
 * in one typed array (row i at [i × dates, (i + 1) × dates)). A tenth of the memory of Timeline's
 * arrays (a 10-year monthly timeline of 2,000 sites: 3 MB instead of 15 MB).
 */
export interface TimelineColumns {
  dates: string[];
  sites: { id: number; name: string; district_id: number | null }[];
  capacity: Int32Array;
  headcount: Int32Array;
  needed: Int32Array;
  /** 1: the capacity rests on an estimate */
  capacity_estimated: Uint8Array;
  /** 1: some headcount rests on an estimated move */
  headcount_estimated: Uint8Array;
  districts: { id: number; name: string }[];
  district_capacity: Int32Array;
  district_headcount: Int32Array;
  district_needed: Int32Array;
  /** 1: the district's capacity counts a site whose capacity rests on an estimate */
  district_capacity_estimated: Uint8Array;
  /** 1: some headcount in the district rests on an estimated move */
  district_headcount_estimated: Uint8Array;
}

export interface Timeline {
  dates: string[];
  sites: {
    id: number;
    name: string;
    district_id: number | null;
    capacity: number[];
    headcount: number[];
    needed: number[];
    capacity_estimated: boolean[];
    headcount_estimated: boolean[];
  }[];
  districts: {
    id: number;
    name: string;
    capacity: number[];
    headcount: number[];
    needed: number[];
    capacity_estimated: boolean[];
    headcount_estimated: boolean[];
  }[];
}

/** A stored record the plan leaves aside, and why: the field and its stored value. */
export interface InvalidRecord {
  kind: 'move' | 'event' | 'override' | 'site';
  /** the move's, event's or site's id; for an override the id of the baseline record it changes */
  id: number;
  field: string;
  value: string;
  /** the scenario the record belongs to (null: the baseline) */
  scenario_id: number | null;
  /** the sites the record is about (for a link and the site's own list) */
  site_id: number | null;
  unit_id: number | null;
}
