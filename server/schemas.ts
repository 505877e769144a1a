/**
 * One zod schema per request shape, shared by the API and the form handlers.
 * Messages are dictionary keys (`validation.*`), translated where they are shown.
 */
import { z } from 'zod';
import { isCommonPassword } from './auth/common-passwords.js';
import { inDateDomain, isIsoDate } from './planning/dates.js';
import { ELEVATOR_FACTS, EVENT_KINDS, FACTS, MOVE_STATUSES, SITE_STATUSES, WARNING_CODES } from './planning/types.js';
import { ROLES, ROOM_USES } from './repositories/index.js';
import { hasControlChars } from './text.js';
import { LEASE_KINDS } from './repositories/leases.js';

/** zod's error option: `required` when the field is missing, `invalid` when it has the wrong type. */
const msg = (invalid: string, required = 'validation.required') => ({
  error: (iss: { input?: unknown }) => (iss.input === undefined ? required : invalid),
});

/** Text refuses NUL and the other control characters (tab and line breaks stay allowed). */
const plain = { message: 'validation.control_chars' };
const noControl = (s: string) => !hasControlChars(s);
const text = (max: number) => z.string(msg('validation.text')).max(max, { message: 'validation.too_long' }).refine(noControl, plain);
const name = (max = 200) =>
  z.string(msg('validation.text')).trim().min(1, { message: 'validation.required' }).max(max, { message: 'validation.too_long' }).refine(noControl, plain);
const optText = (max: number) =>
  text(max)
    .nullable()
    .optional()
    .transform((v) => (v === undefined ? undefined : v === null || v.trim() === '' ? null : v));
/** A real date as YYYY-MM-DD, within the date domain 1900-01-01 … 2199-12-31 (SPEC section 13). */
export const date = z
  .string(msg('validation.date'))
  .refine(isIsoDate, { message: 'validation.date', abort: true })
  .refine(inDateDomain, { message: 'validation.date_range' });
const optDate = date.nullable().optional();
const id = z.number(msg('validation.id')).int({ message: 'validation.id' }).positive({ message: 'validation.id' });
const optId = id.nullable().optional();
/** "at least 0, at most 2000": the message key carries the range (translated where shown) */
const range = (min: number, max: number) => `validation.range?min=${min}&max=${max}`;
const int = (min: number, max: number) =>
  z
    .number(msg('validation.number'))
    .int({ message: 'validation.integer' })
    .min(min, { message: range(min, max) })
    .max(max, { message: range(min, max) });
const num = (min: number, max: number) =>
  z
    .number(msg('validation.number'))
    .min(min, { message: range(min, max) })
    .max(max, { message: range(min, max) })
    .refine(Number.isFinite, { message: 'validation.number' });
const enumOf = <T extends string>(values: readonly T[]) => z.enum(values as unknown as [T, ...T[]], { error: 'validation.choice' });
export const version = z.number({ error: 'validation.version' }).int().positive({ message: 'validation.version' });
const bool = z.boolean(msg('validation.boolean'));

const polygon = z.object({ type: z.enum(['Polygon', 'MultiPolygon']), coordinates: z.array(z.any()) }, msg('validation.geometry'));

export const DistrictCreate = z.object({ name: name(100), geometry: polygon.nullable().optional() }).strict();
export const TeamCreate = z
  .object({ name: name(), kind: enumOf(['district', 'central'] as const), district_id: optId, notes: optText(20_000) })
  .strict()
  .refine((t) => (t.kind === 'district') === (t.district_id !== null && t.district_id !== undefined), {
    message: 'validation.team_district',
    path: ['district_id'],
  });
export const TeamPatch = z
  .object({ name: name().optional(), kind: enumOf(['district', 'central'] as const).optional(), district_id: optId, notes: optText(20_000), version })
  .strict();
export const UnitCreate = z
  .object({
    team_id: id,
    name: name(),
    public_facing: bool.default(false),
    desk_ratio: num(0.01, 2).default(1),
    notes: optText(20_000),
  })
  .strict();

const siteFields = {
  name: name(),
  address: optText(300),
  lat: num(-90, 90),
  lon: num(-180, 180),
  position_precision: enumOf(['building', 'street', 'stop', 'estimate'] as const).optional(),
  position_source: optText(2000),
  capacity: int(0, 100_000),
  office_area_m2: num(0.01, 1_000_000).nullable().optional(),
  step_free: enumOf(FACTS).optional(),
  accessible_toilet: enumOf(FACTS).optional(),
  accessible_parking: enumOf(FACTS).optional(),
  elevator: enumOf(ELEVATOR_FACTS).optional(),
  door_width_cm: int(1, 999).nullable().optional(),
  threshold_cm: num(0, 99).nullable().optional(),
  accessibility_notes: optText(20_000),
  status: enumOf(SITE_STATUSES).optional(),
  /** a candidate building is on offer from this date */
  available_from: optDate,
  notes: optText(20_000),
  capacity_estimated: bool.optional(),
  assessment: optText(2000),
  assessment_source: optText(300),
  earmarked_until: optDate,
  earmarked_until_estimated: bool.optional(),
};
export const SiteCreate = z.object(siteFields).strict();
export const SitePatch = z.object({ ...partial(siteFields), version }).strict();

const eventFields = {
  kind: enumOf(EVENT_KINDS),
  date,
  end_date: optDate,
  capacity: int(0, 100_000).nullable().optional(),
  note: optText(20_000),
  scenario_id: optId,
  project_id: optId,
  estimated: bool.optional(),
  // accessibility facts the event sets from its date (after a renovation: from the day after its end); null: unchanged
  step_free: enumOf(FACTS).nullable().optional(),
  accessible_toilet: enumOf(FACTS).nullable().optional(),
  accessible_parking: enumOf(FACTS).nullable().optional(),
  elevator: enumOf(ELEVATOR_FACTS).nullable().optional(),
  door_width_cm: int(1, 999).nullable().optional(),
  threshold_cm: num(0, 99).nullable().optional(),
};
const eventRules = <T extends z.ZodType<{ end_date?: string | null; date?: string; kind?: string; capacity?: number | null }>>(s: T) =>
  s
    .refine((e: { end_date?: string | null; date?: string }) => !e.end_date || !e.date || e.end_date >= e.date, {
      message: 'validation.end_before_start',
      path: ['end_date'],
    })
    .refine((e: { kind?: string; capacity?: number | null }) => e.kind !== 'capacity' || (e.capacity !== null && e.capacity !== undefined), {
      message: 'validation.capacity_needed',
      path: ['capacity'],
    });
export const EventCreate = eventRules(z.object(eventFields).strict());
export const EventPatch = eventRules(z.object({ ...partial(eventFields), version }).strict());

/** A floor of a site (SPEC section 14): level 0 Erdgeschoss, 1 1. OG, −1 UG. */
const floorFields = {
  level: int(-20, 200),
  name: name(),
  workplaces: int(0, 100_000).default(0),
  workplaces_estimated: bool.optional(),
  area_m2: num(0.01, 1_000_000).nullable().optional(),
  step_free_access: enumOf(FACTS).default('unknown'),
  notes: optText(20_000),
};
export const FloorCreate = z.object(floorFields).strict();
export const FloorPatch = z.object({ ...partial(floorFields), version }).strict();
const roomFields = {
  number: name(50),
  name: optText(200),
  use: enumOf(ROOM_USES).default('office'),
  workplaces: int(0, 10_000).default(0),
  area_m2: num(0.01, 1_000_000).nullable().optional(),
};
export const RoomCreate = z.object(roomFields).strict();
export const RoomPatch = z.object({ ...partial(roomFields), version }).strict();

const moveFields = {
  unit_id: id,
  from_site_id: optId,
  to_site_id: optId,
  /** the floor of from_site_id people leave (null: not assigned to a floor) */
  from_floor_id: optId,
  /** the floor of to_site_id people arrive on (null: not assigned to a floor) */
  to_floor_id: optId,
  headcount: int(1, 100_000),
  date,
  until: optDate,
  status: enumOf(MOVE_STATUSES).default('proposed'),
  scenario_id: optId,
  project_id: optId,
  reference: optText(200),
  note: optText(20_000),
  headcount_estimated: bool.optional(),
  date_estimated: bool.optional(),
  /** the move's own cost in euros (null: MOVE_COST_PER_PERSON_EUR per person moved between two sites) */
  cost_eur: num(0, 100_000_000).nullable().optional(),
};
type MoveEnds = { from_site_id?: number | null; to_site_id?: number | null; from_floor_id?: number | null; to_floor_id?: number | null };
export const moveRules = <T extends z.ZodType<MoveEnds & { until?: string | null; date?: string }>>(s: T) =>
  s
    .refine((m: MoveEnds) => m.from_site_id != null || m.to_site_id != null, {
      message: 'validation.move_site',
      path: ['to_site_id'],
    })
    // within one site people move between two of its floors (or from no floor onto one)
    .refine((m: MoveEnds) => m.from_site_id == null || m.from_site_id !== m.to_site_id || (m.to_floor_id ?? null) !== (m.from_floor_id ?? null), {
      message: 'validation.same_site',
      path: ['to_site_id'],
    })
    .refine((m: MoveEnds) => m.from_floor_id == null || m.from_site_id != null, { message: 'validation.floor_without_site', path: ['from_floor_id'] })
    .refine((m: MoveEnds) => m.to_floor_id == null || m.to_site_id != null, { message: 'validation.floor_without_site', path: ['to_floor_id'] })
    .refine((m: { until?: string | null; date?: string }) => !m.until || !m.date || m.until > m.date, {
      message: 'validation.until_after_date',
      path: ['until'],
    });
export const MoveFields = z.object(moveFields).strict();
export const MoveCreate = moveRules(MoveFields);
export type MoveCreateInput = z.infer<typeof MoveCreate>;
export const MovePatch = z.object({ ...partial(moveFields), status: enumOf(MOVE_STATUSES).optional(), version }).strict();
export const MoveStatusChange = z.object({ status: enumOf(MOVE_STATUSES), version }).strict();

export const PlaceCreate = z
  .object({
    name: name(),
    kind: enumOf(['transit_stop', 'civic_centre', 'library', 'youth_centre', 'family_centre', 'meeting_place', 'other'] as const),
    lat: num(-90, 90),
    lon: num(-180, 180),
    wheelchair_boarding: int(0, 2).nullable().optional(),
    notes: optText(20_000),
    position_precision: enumOf(['building', 'street', 'stop', 'estimate'] as const).optional(),
    source: optText(2000),
  })
  .strict();
export const ScenarioCreate = z.object({ name: name(), description: optText(20_000) }).strict();
/** Acknowledging a warning for its subject (code + team, site or unit) with a reason (SPEC section 16). */
export const AcknowledgementCreate = z
  .object({
    code: enumOf(WARNING_CODES),
    team_id: optId,
    site_id: optId,
    unit_id: optId,
    reason: name(500),
    until: optDate,
  })
  .strict()
  .refine((a) => a.team_id != null || a.site_id != null || a.unit_id != null, { message: 'validation.ack_subject', path: ['team_id'] });

export const ProjectCreate = z.object({ name: name(), description: optText(20_000) }).strict();
export const ProjectPatch = z.object({ name: name().optional(), description: optText(20_000), version }).strict();

/** A site's lease (SPEC section 15); that it fits the site's other leases is checked by the service. */
const leaseFields = {
  kind: enumOf(LEASE_KINDS).default('lease'),
  start: date,
  end: optDate,
  notice_months: int(0, 120).nullable().optional(),
  rent_month_eur: num(0, 100_000_000).default(0),
  service_charges_month_eur: num(0, 100_000_000).default(0),
  landlord: optText(300),
  notes: optText(20_000),
};
export const LeaseCreate = z.object(leaseFields).strict();
export const LeasePatch = z.object({ ...partial(leaseFields), version }).strict();
export type LeaseInput = z.infer<typeof LeaseCreate>;

/** A scenario's override of a baseline move: only the fields given replace the baseline's. */
export const MoveOverride = z
  .object({
    date: date.optional(),
    until: optDate,
    headcount: int(1, 100_000).optional(),
    from_site_id: optId,
    to_site_id: optId,
    from_floor_id: optId,
    to_floor_id: optId,
    cancelled: bool.optional(),
    version: version.optional(),
  })
  .strict();
/** A scenario's override of a baseline site event. */
export const EventOverride = z
  .object({
    date: date.optional(),
    end_date: optDate,
    capacity: int(0, 100_000).nullable().optional(),
    cancelled: bool.optional(),
    version: version.optional(),
  })
  .strict();
/** Shift a project or a selection of baseline records by months or days, as overrides. */
export const Shift = z
  .object({
    project_id: id.optional(),
    move_ids: z.array(id).max(10_000).optional(),
    event_ids: z.array(id).max(10_000).optional(),
    months: z
      .number(msg('validation.number'))
      .int({ message: 'validation.integer' })
      .min(-600, { message: 'validation.range?min=-600&max=600' })
      .max(600, { message: 'validation.range?min=-600&max=600' })
      .optional(),
    days: z
      .number(msg('validation.number'))
      .int({ message: 'validation.integer' })
      .min(-20_000, { message: 'validation.range?min=-20000&max=20000' })
      .max(20_000, { message: 'validation.range?min=-20000&max=20000' })
      .optional(),
  })
  .strict()
  .refine((s) => (s.project_id !== undefined) !== (s.move_ids?.length ?? 0) + (s.event_ids?.length ?? 0) > 0, {
    message: 'validation.shift_target',
    path: ['project_id'],
  })
  .refine((s) => (s.months !== undefined) !== (s.days !== undefined) && (s.months ?? s.days) !== 0, { message: 'validation.shift_offset', path: ['months'] });

const username = z
  .string(msg('validation.text'))
  .trim()
  .regex(/^[a-zA-Z0-9._-]{2,64}$/, { message: 'validation.username' });
const password = z
  .string(msg('validation.text'))
  .min(10, { message: 'validation.password' })
  .max(200, { message: 'validation.too_long' })
  .refine(noControl, plain)
  .refine((p) => !isCommonPassword(p), { message: 'validation.password_common' });
export const UserCreate = z
  .object({
    username,
    password,
    role: enumOf(ROLES),
    display_name: optText(200),
    lang: enumOf(['de', 'en'] as const).default('de'),
    active: bool.default(true),
    site_ids: z.array(id).max(10_000).default([]),
  })
  .strict();
/** a user changes their own password: the current one proves it is them */
export const OwnPassword = z
  .object({
    current_password: z.string(msg('validation.text')).min(1, { message: 'validation.required' }).max(200, { message: 'validation.too_long' }),
    new_password: password,
    version,
  })
  .strict();
export const UserPatch = z
  .object({
    password: password.optional(),
    role: enumOf(ROLES).optional(),
    display_name: optText(200),
    lang: enumOf(['de', 'en'] as const).optional(),
    active: bool.optional(),
    site_ids: z.array(id).max(10_000).optional(),
    version,
  })
  .strict();
export const VersionOnly = z.object({ version }).strict();

/** The placement assistant's question (SPEC section 12). */
const weight = num(0, 10_000).optional();
export const PlacementQuery = z
  .object({
    date,
    until: optDate,
    scenario_id: optId,
    team_ids: z.array(id).max(100).optional(),
    unit_ids: z.array(id).max(2000).optional(),
    site_ids: z.array(id).max(20_000).optional(),
    /** what if these sites were lost from the date: they are no option, and their people are placed elsewhere */
    exclude_site_ids: z.array(id).max(20_000).optional(),
    /** the day those sites are lost (default: the date); a later day: they serve until then, and the proposal must hold on that day too */
    exclude_from: optDate,
    candidates: bool.default(true),
    keep_units_whole: bool.default(true),
    max_sites_per_team: int(1, 100).nullable().optional(),
    relax_step_free: bool.default(false),
    within_district: bool.default(false),
    weights: z
      .object({ moved_person: weight, extra_site: weight, km_outside_district: weight, not_step_free: weight, candidate_place: weight })
      .strict()
      .optional(),
    time_limit_s: num(0.5, 60).default(5),
    proposals: int(1, 3).default(3),
  })
  .strict()
  .refine((q) => (q.team_ids?.length ?? 0) + (q.unit_ids?.length ?? 0) > 0, { message: 'validation.placement_who', path: ['team_ids'] })
  .refine((q) => !q.until || q.until >= q.date, { message: 'validation.end_before_start', path: ['until'] });
/** Applying a proposal: the proposal as answered (extra fields are ignored) and a name for the new scenario. */
export const PlacementApply = z.object({
  scenario_name: name(),
  date,
  scenario_id: optId,
  moves: z.array(z.object({ unit_id: id, from_site_id: optId.transform((v) => v ?? null), to_site_id: id, headcount: int(1, 100_000) })).max(10_000),
});

/** Every field optional and without its default: a field left out of a PATCH stays as it is. */
function partial<T extends z.ZodRawShape>(shape: T): { [K in keyof T]: z.ZodOptional<T[K]> } {
  const noDefault = (v: z.ZodType) => (v instanceof z.ZodDefault ? (v.unwrap() as z.ZodType) : v);
  return Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, noDefault(v as z.ZodType).optional()])) as unknown as {
    [K in keyof T]: z.ZodOptional<T[K]>;
  };
}

/** The PATCH schema of a create schema: every field optional (defaults dropped) plus the `version` it was read at. */
function patchOf<T extends z.ZodRawShape>(schema: z.ZodObject<T>) {
  return z.object({ ...partial(schema.shape), version }).strict();
}
export const DistrictPatch = patchOf(DistrictCreate);
export const UnitPatch = patchOf(UnitCreate);
export const PlacePatch = patchOf(PlaceCreate);
export const ScenarioPatch = patchOf(ScenarioCreate);
