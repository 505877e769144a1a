/**
 * Response shapes for the OpenAPI document (documentation only: responses are not validated).
 * Objects are open (`looseObject`): a response may carry more fields than listed.
 */
import { z } from 'zod';
import { ELEVATOR_FACTS, EVENT_KINDS, FACTS, MOVE_STATUSES, SITE_STATUSES } from '../planning/types.js';
import { ROLES, ROOM_USES } from '../repositories/index.js';

const id = z.number().int().positive();
const ref = id.nullable();
const date = z.string().meta({ format: 'date' });
const stamp = z.string().meta({ format: 'date-time' });
const text = z.string().nullable();
const record = { id, version: z.number().int().positive(), created_at: stamp, updated_at: stamp };
const list = <T extends z.ZodType>(item: T) => z.array(item);

export const District = z
  .looseObject({ ...record, name: z.string(), geometry: z.unknown().meta({ description: 'GeoJSON Polygon/MultiPolygon (on request)' }), source: text })
  .meta({ id: 'District' });
export const Team = z.looseObject({ ...record, name: z.string(), kind: z.enum(['district', 'central']), district_id: ref, notes: text }).meta({ id: 'Team' });
export const Unit = z
  .looseObject({ ...record, team_id: id, name: z.string(), public_facing: z.boolean(), desk_ratio: z.number(), notes: text })
  .meta({ id: 'Unit' });
export const TeamWithUnits = Team.extend({ units: list(Unit) }).meta({ id: 'TeamWithUnits' });
export const Site = z
  .looseObject({
    ...record,
    name: z.string(),
    address: text,
    lat: z.number(),
    lon: z.number(),
    position_precision: z.string(),
    position_source: text,
    district_id: ref,
    capacity: z.number().int(),
    office_area_m2: z.number().nullable(),
    step_free: z.enum(FACTS),
    accessible_toilet: z.enum(FACTS),
    accessible_parking: z.enum(FACTS),
    elevator: z.enum(ELEVATOR_FACTS),
    door_width_cm: z.number().nullable(),
    threshold_cm: z.number().nullable(),
    accessibility_notes: text,
    status: z.enum(SITE_STATUSES),
    notes: text,
    verified_at: stamp.nullable(),
    verified_by: ref,
    capacity_estimated: z.boolean().meta({ description: 'the capacity is an estimate (reason in notes)' }),
    assessment: text.meta({ description: "the source's verdict in its words, e.g. „sehr angespannt“" }),
    assessment_source: text,
    earmarked_until: date.nullable().meta({ description: 'end of an earmarking (Zweckbindung)' }),
    earmarked_until_estimated: z.boolean(),
    accessibility_rating: z.enum(['full', 'partial', 'none', 'unknown']),
    accessibility_reasons: list(z.string()).meta({ description: 'why the rating, as sentences' }),
  })
  .meta({ id: 'Site' });
export const SiteEvent = z
  .looseObject({
    ...record,
    site_id: id,
    scenario_id: ref,
    kind: z.enum(EVENT_KINDS),
    date,
    end_date: date.nullable(),
    capacity: z.number().int().nullable(),
    note: text,
    estimated: z.boolean(),
    project_id: ref,
    step_free: z
      .enum(FACTS)
      .nullable()
      .meta({ description: 'accessibility fact the event sets from its date (renovation: from the day after its end); null: unchanged' }),
    accessible_toilet: z.enum(FACTS).nullable(),
    accessible_parking: z.enum(FACTS).nullable(),
    elevator: z.enum(ELEVATOR_FACTS).nullable(),
    door_width_cm: z.number().nullable(),
    threshold_cm: z.number().nullable(),
  })
  .meta({ id: 'SiteEvent' });
export const Move = z
  .looseObject({
    ...record,
    unit_id: id,
    from_site_id: ref,
    to_site_id: ref,
    from_floor_id: ref.meta({ description: 'the floor of from_site_id people leave (null: not assigned to a floor)' }),
    to_floor_id: ref.meta({ description: 'the floor of to_site_id people arrive on (null: not assigned to a floor)' }),
    headcount: z.number().int(),
    date,
    until: date.nullable(),
    status: z.enum(MOVE_STATUSES),
    scenario_id: ref,
    reference: text,
    note: text,
    project_id: ref,
    headcount_estimated: z.boolean(),
    date_estimated: z.boolean(),
    cost_eur: z.number().nullable().meta({ description: "the move's own cost (null: MOVE_COST_PER_PERSON_EUR per person moved between two sites)" }),
  })
  .meta({ id: 'Move' });
export const Room = z
  .looseObject({
    ...record,
    floor_id: id,
    number: z.string(),
    name: text,
    use: z.enum(ROOM_USES),
    workplaces: z.number().int(),
    area_m2: z.number().nullable(),
  })
  .meta({ id: 'Room' });
export const Floor = z
  .looseObject({
    ...record,
    site_id: id,
    level: z.number().int().meta({ description: '0 Erdgeschoss, 1 1. OG, −1 UG' }),
    name: z.string(),
    workplaces: z.number().int().meta({ description: 'typed, or the sum of its rooms when it has rooms' }),
    workplaces_estimated: z.boolean(),
    area_m2: z.number().nullable(),
    step_free_access: z.enum(FACTS).meta({ description: 'reachable without steps from the entrance (by lift or at ground level)' }),
    notes: text,
  })
  .meta({ id: 'Floor' });
export const FloorWithRooms = Floor.extend({ rooms: list(Room) }).meta({ id: 'FloorWithRooms' });
const stackUnit = z.looseObject({
  unit_id: id,
  unit: z.string(),
  team_id: id,
  team: z.string(),
  headcount: z.number(),
  public_facing: z.boolean(),
  headcount_estimated: z.boolean(),
});
export const Stack = z
  .looseObject({
    site_id: id,
    date,
    scenario_id: ref,
    floors: list(
      z.looseObject({
        id,
        level: z.number().int(),
        name: z.string(),
        workplaces: z.number().int(),
        workplaces_estimated: z.boolean(),
        needed: z.number().int().meta({ description: '⌈Σ headcount × desk_ratio⌉ of the people on the floor' }),
        headcount: z.number(),
        headcount_estimated: z.boolean(),
        step_free_access: z.enum(FACTS),
        area_m2: z.number().nullable(),
        units: list(stackUnit),
      }),
    ).meta({ description: 'top floor first' }),
    unassigned: list(stackUnit).meta({ description: 'people at the site on no floor („nicht zugeordnet“)' }),
  })
  .meta({ id: 'Stack' });
export const Place = z
  .looseObject({
    ...record,
    name: z.string(),
    kind: z.string(),
    lat: z.number(),
    lon: z.number(),
    wheelchair_boarding: z.number().int().nullable(),
    external_id: text,
    position_precision: z.string(),
    source: text,
    notes: text,
  })
  .meta({ id: 'Place' });
export const NearbyPlace = Place.extend({ distance_m: z.number() }).meta({ id: 'NearbyPlace' });
export const Scenario = z.looseObject({ ...record, name: z.string(), description: text }).meta({ id: 'Scenario' });
export const Lease = z
  .looseObject({
    ...record,
    site_id: id,
    kind: z.enum(['lease', 'owned']),
    start: date,
    end: date.nullable().meta({ description: 'last day (inclusive); null: open-ended' }),
    notice_months: z.number().int().nullable(),
    rent_month_eur: z.number(),
    service_charges_month_eur: z.number().meta({ description: 'owned: the running costs' }),
    landlord: text,
    notes: text,
  })
  .meta({ id: 'Lease' });
const eur = z.number().nullable();
export const CostsAt = z
  .looseObject({
    date,
    scenario_id: ref,
    sites: list(
      z.looseObject({
        site_id: id,
        site: z.string(),
        annual_eur: eur.meta({ description: '(rent + service charges) × 12 of the lease in force; null: no lease recorded' }),
        per_workplace_eur: eur,
        per_person_eur: eur,
        lease_id: ref,
        lease_end: date.nullable(),
        holdover: z.boolean().meta({ description: 'people stay after the lease ended: charged at its rate' }),
        capacity: z.number().int(),
        headcount: z.number().int(),
        capacity_estimated: z.boolean().meta({ description: 'the capacity (and the cost per workplace) rests on an estimate' }),
        headcount_estimated: z.boolean().meta({ description: 'the headcount (and the cost per person) rests on an estimate' }),
      }),
    ),
    total_annual_eur: z.number(),
    sites_without_lease: z.number().int(),
  })
  .meta({ id: 'CostsAt' });
const sideCosts = z.object({
  running_eur: z.number(),
  moves_eur: z.number(),
  holdover_eur: z.number().meta({ description: 'the part of running_eur for people who stay after a lease ended (charged at its rate)' }),
  moves_estimated: z.boolean().meta({ description: 'moves_eur counts a move whose headcount is an estimate (and has no cost of its own)' }),
});
const sideTotals = sideCosts.extend({
  sites_without_lease: list(z.object({ site_id: id, site: z.string() })).meta({
    description: 'sites with people on some day of the period that no lease covers: their costs are not in the sums',
  }),
});
export const CostComparison = z
  .looseObject({
    from: date,
    to: date,
    baseline: sideTotals,
    scenario: sideTotals,
    difference_eur: z.number().meta({ description: 'scenario − baseline (running + moves)' }),
    difference_estimated: z.boolean().meta({ description: 'the difference rests on an estimate: estimated move costs that differ between the sides (≈)' }),
    by_site: list(
      z.looseObject({ site_id: id, site: z.string(), baseline: sideCosts, scenario: sideCosts, difference_eur: z.number(), difference_estimated: z.boolean() }),
    ),
  })
  .meta({ id: 'CostComparison' });
export const Project = z.looseObject({ ...record, name: z.string(), description: text }).meta({ id: 'Project' });
export const User = z
  .looseObject({
    ...record,
    username: z.string(),
    role: z.enum(ROLES),
    display_name: text,
    lang: z.enum(['de', 'en']),
    active: z.boolean(),
    site_ids: list(id),
  })
  .meta({ id: 'User' });
export const PublicUser = z.looseObject({ id, username: z.string(), role: z.enum(ROLES), display_name: text }).meta({ id: 'PublicUser' });
export const SessionInfo = z.object({ user: PublicUser, csrfToken: z.string() }).meta({ id: 'SessionInfo' });
export const AuditEntry = z.looseObject({
  id,
  at: stamp,
  user_id: ref,
  username: text,
  action: z.string(),
  entity: z.string(),
  entity_id: ref,
  before: z.unknown(),
  after: z.unknown(),
});

export const Warning = z
  .looseObject({
    code: z.string(),
    severity: z.enum(['error', 'warning', 'info']),
    message: z.string(),
    params: z.record(z.string(), z.unknown()),
    site_id: id.optional(),
    team_id: id.optional(),
    unit_id: id.optional(),
    move_id: id.optional(),
    estimated: z.boolean().meta({ description: 'a number the warning rests on is an estimate (its text carries ≈)' }),
    acknowledged: z
      .object({ id, reason: z.string(), until: date.nullable() })
      .optional()
      .meta({ description: 'a planner acknowledged it for its subject: listed as "bestätigt", not counted at a glance' }),
  })
  .meta({ id: 'AuditEntry' })
  .meta({ id: 'Warning' });
export const Acknowledgement = z
  .looseObject({
    ...record,
    code: z.string(),
    team_id: ref,
    site_id: ref,
    unit_id: ref,
    reason: z.string(),
    until: date.nullable(),
    team: text.optional(),
    site: text.optional(),
    unit: text.optional(),
  })
  .meta({ id: 'Acknowledgement' });
export const PlanState = z
  .looseObject({
    date,
    scenario_id: ref,
    sites: list(
      z.looseObject({
        id,
        name: z.string(),
        district_id: ref,
        capacity: z.number(),
        headcount: z.number(),
        needed: z.number(),
        free: z.number(),
        utilization: z.number().nullable(),
        status: z.enum(SITE_STATUSES),
        available: z.boolean(),
        capacity_estimated: z.boolean().meta({
          description: 'the capacity at the date rests on an estimate; for a closed, planned or renovated site: the closure, opening or renovation is assumed',
        }),
        status_estimated: z
          .boolean()
          .meta({ description: 'the status rests on an assumed closure, opening or renovation window (shown as "geschlossen (angenommen)")' }),
        headcount_estimated: z.boolean(),
        units: list(z.looseObject({ unit_id: id, unit: z.string(), team_id: id, team: z.string(), headcount: z.number() })),
      }),
    ),
    teams: list(
      z.looseObject({
        id,
        name: z.string(),
        kind: z.string(),
        district_id: ref,
        headcount: z.number(),
        site_ids: list(id),
        split: z.boolean(),
        max_distance_m: z.number(),
      }),
    ),
    districts: list(
      z.looseObject({ id, name: z.string(), capacity: z.number(), headcount: z.number(), needed: z.number(), utilization: z.number().nullable() }),
    ),
    warnings: list(Warning),
  })
  .meta({ id: 'PlanState' });
const series = {
  capacity: list(z.number()),
  headcount: list(z.number()),
  needed: list(z.number()),
  capacity_estimated: list(z.boolean()).meta({ description: 'per date: the capacity rests on an estimate' }),
  headcount_estimated: list(z.boolean()).meta({ description: 'per date: some headcount rests on an estimated move' }),
};
export const Timeline = z
  .looseObject({
    from: date,
    to: date,
    step: z.enum(['month', 'quarter']),
    scenario_id: ref,
    dates: list(date),
    sites: list(z.looseObject({ id, name: z.string(), district_id: ref, ...series })),
    districts: list(z.looseObject({ id, name: z.string(), ...series })),
  })
  .meta({ id: 'Timeline' });
export const FeatureCollection = z
  .looseObject({
    type: z.literal('FeatureCollection'),
    features: list(
      z.looseObject({
        type: z.literal('Feature'),
        id: z.union([z.number(), z.string()]).optional(),
        geometry: z.unknown(),
        properties: z.record(z.string(), z.unknown()),
      }),
    ),
  })
  .meta({ id: 'FeatureCollection', description: 'GeoJSON (RFC 7946)' });
export const Comparison = z
  .looseObject({ scenario: Scenario, date })
  .meta({ id: 'Comparison', description: 'baseline and scenario side by side, with the differences' });
export const ImportResult = z
  .object({
    dry_run: z.boolean(),
    encoding: z
      .enum(['utf-8', 'windows-1252'])
      .meta({ description: "how the file was read: UTF-8 (with or without BOM) or Windows-1252 (German Excel's CSV), detected per file" }),
    inserted: z.number().int(),
    updated: z.number().int(),
    rejected: list(z.object({ line: z.number().int(), field: z.string(), message: z.string() })),
    ids: list(id),
    floors_created: z.number().int().optional().meta({ description: 'a room list: the floors it creates (would create, in a dry run)' }),
  })
  .meta({ id: 'ImportResult' });
export const Ok = z.object({ ok: z.literal(true) });
export const Health = z.object({ status: z.string() });
export const AccessibilityReport = z
  .looseObject({
    date,
    scenario_id: ref,
    rows: list(
      z.looseObject({
        unit_id: id,
        unit: z.string(),
        team_id: id,
        team: z.string(),
        site_id: id,
        site: z.string(),
        public_facing: z.boolean(),
        headcount: z.number().int(),
        headcount_estimated: z.boolean(),
        rating: z.enum(['full', 'partial', 'none', 'unknown']),
        reasons: list(z.object({ code: z.string(), message: z.string().meta({ description: 'German' }) })),
        nearest_accessible_stop_m: z.number().nullable(),
      }),
    ),
    gaps: list(z.object({ site_id: id, site: z.string(), missing: list(z.string()) })),
  })
  .meta({ id: 'AccessibilityReport' });
export const Csv = z.string().meta({ description: 'CSV, UTF-8, first line the column names' });
export const Calendar = z.string().meta({ description: 'iCalendar (RFC 5545)' });
export const OpenApi = z.looseObject({ openapi: z.string(), info: z.unknown(), paths: z.unknown() });
export const Html = z.string().meta({ description: 'an HTML page' });
export const Logout = z.object({ ok: z.literal(true), endSessionUrl: z.string().optional() });
export const Override = z
  .looseObject({
    id,
    scenario_id: id,
    kind: z.enum(['move', 'event']),
    move_id: ref,
    event_id: ref,
    changes: z.record(z.string(), z.unknown()).meta({ description: "the fields that replace the baseline record's in this scenario" }),
    version: z.number().int().positive(),
    updated_by: ref,
    updated_at: stamp,
  })
  .meta({ id: 'Override' });
export const OverrideWithBaseline = Override.extend({ baseline: z.unknown().meta({ description: 'the baseline move or event' }) });
export const ShiftResult = z.looseObject({ scenario_id: id, moves: list(id), events: list(id), overrides: list(Override) });

/** The placement assistant's answer (SPEC section 12). */
const scoreLine = z.object({ amount: z.number(), weight: z.number(), cost: z.number() });
const placementMove = z.looseObject({ unit_id: id, from_site_id: ref, to_site_id: id, headcount: z.number().int() });
export const PlacementProposal = z
  .looseObject({
    rank: z.number().int(),
    score: z.number(),
    status: z.enum(['optimal', 'time_limit']),
    date: z.string(),
    until: z.string().nullable(),
    scenario_id: ref,
    moves: list(placementMove),
    sites: list(
      z.looseObject({
        site_id: id,
        name: z.string(),
        headcount: z.number().int(),
        needed: z.number().int(),
        capacity: z.number().int(),
        candidate: z.boolean(),
        step_free: z.boolean(),
      }),
    ),
    teams: list(z.looseObject({ team_id: id, name: z.string(), site_ids: list(id), max_distance_m: z.number() })),
    warnings: list(z.looseObject({ code: z.string(), severity: z.string(), message: z.string() })),
    breakdown: z.record(z.string(), scoreLine).meta({ description: 'per soft rule: amount × weight = cost; the costs add up to the score' }),
  })
  .meta({ id: 'PlacementProposal' });
export const PlacementAnswer = z
  .looseObject({
    date: z.string(),
    until: z.string().nullable(),
    scenario_id: ref,
    status: z.enum(['optimal', 'time_limit', 'infeasible']),
    solve_ms: z.number(),
    proposals: list(PlacementProposal).meta({ description: 'up to three different proposals, best first' }),
    reasons: list(z.looseObject({ code: z.string(), params: z.record(z.string(), z.unknown()), message: z.string() })).meta({
      description: 'why nothing fits (when infeasible): the rule that cannot be met',
    }),
    skipped_unit_ids: list(id),
    reduced: z.boolean(),
  })
  .meta({ id: 'PlacementAnswer' });
export const PlacementApplied = z.object({ scenario: Scenario, moves: z.number().int() }).meta({ id: 'PlacementApplied' });
