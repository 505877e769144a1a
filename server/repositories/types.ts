/**
 * The domain records as the repositories hand them out (rows translated: booleans, JSON). Types
 * only, plus the small helpers that belong to a record's shape; no database access here.
 */
import type { AccessibilityFacts, EventKind, Fact, ElevatorFact, MoveStatus, SiteStatus, TeamKind } from '../planning/types.js';

export interface District {
  id: number;
  name: string;
  geometry: string | null;
  source: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}
export interface Team {
  id: number;
  name: string;
  kind: TeamKind;
  district_id: number | null;
  notes: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}
export interface Unit {
  id: number;
  team_id: number;
  name: string;
  public_facing: boolean;
  desk_ratio: number;
  notes: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}
export interface Site {
  id: number;
  name: string;
  address: string | null;
  lat: number;
  lon: number;
  position_precision: string;
  position_source: string | null;
  district_id: number | null;
  capacity: number;
  office_area_m2: number | null;
  step_free: Fact;
  accessible_toilet: Fact;
  accessible_parking: Fact;
  elevator: ElevatorFact;
  door_width_cm: number | null;
  threshold_cm: number | null;
  accessibility_notes: string | null;
  status: SiteStatus;
  available_from?: string | null;
  notes: string | null;
  capacity_estimated: boolean;
  assessment: string | null;
  assessment_source: string | null;
  /** the source's verdict on the site's accessibility in its words, and where it says so */
  accessibility_assessment?: string | null;
  accessibility_assessment_source?: string | null;
  earmarked_until: string | null;
  earmarked_until_estimated: boolean;
  source: string | null;
  verified_at: string | null;
  verified_by: number | null;
  version: number;
  updated_by: number | null;
  created_at: string;
  updated_at: string;
}
export interface SiteEvent {
  id: number;
  site_id: number;
  scenario_id: number | null;
  kind: EventKind;
  date: string;
  end_date: string | null;
  capacity: number | null;
  note: string | null;
  estimated: boolean;
  project_id: number | null;
  /** accessibility facts the event sets (null: unchanged) */
  step_free: Fact | null;
  accessible_toilet: Fact | null;
  accessible_parking: Fact | null;
  elevator: ElevatorFact | null;
  door_width_cm: number | null;
  threshold_cm: number | null;
  version: number;
  updated_by: number | null;
  created_at: string;
  updated_at: string;
}
export const EVENT_FACT_FIELDS = ['step_free', 'accessible_toilet', 'accessible_parking', 'elevator', 'door_width_cm', 'threshold_cm'] as const;
/** The accessibility facts an event sets, without the ones it leaves unchanged. */
export function eventFacts(e: Partial<Pick<SiteEvent, (typeof EVENT_FACT_FIELDS)[number]>>): Partial<AccessibilityFacts> | undefined {
  const out: Record<string, unknown> = {};
  for (const k of EVENT_FACT_FIELDS) if (e[k] !== null && e[k] !== undefined) out[k] = e[k];
  return Object.keys(out).length ? (out as Partial<AccessibilityFacts>) : undefined;
}
export interface Move {
  id: number;
  unit_id: number;
  from_site_id: number | null;
  to_site_id: number | null;
  /** the floor of from_site_id people leave (null: not assigned to a floor) */
  from_floor_id: number | null;
  /** the floor of to_site_id people arrive on (null: not assigned to a floor) */
  to_floor_id: number | null;
  headcount: number;
  date: string;
  until: string | null;
  status: MoveStatus;
  scenario_id: number | null;
  reference: string | null;
  note: string | null;
  headcount_estimated: boolean;
  date_estimated: boolean;
  project_id: number | null;
  /** the move's own cost (null: MOVE_COST_PER_PERSON_EUR per person moved between two sites) */
  cost_eur: number | null;
  version: number;
  updated_by: number | null;
  created_at: string;
  updated_at: string;
}
export interface Place {
  id: number;
  name: string;
  kind: string;
  lat: number;
  lon: number;
  wheelchair_boarding: number | null;
  external_id: string | null;
  position_precision: string;
  source: string | null;
  notes: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}
export type Role = 'admin' | 'planner' | 'site_editor' | 'viewer';
export const ROLES: readonly Role[] = ['admin', 'planner', 'site_editor', 'viewer'];
export interface User {
  id: number;
  username: string;
  password_hash: string;
  role: Role;
  display_name: string | null;
  lang: 'de' | 'en';
  active: boolean;
  feed_token: string | null;
  oidc_issuer: string | null;
  oidc_subject: string | null;
  session_epoch: number;
  version: number;
  created_at: string;
  updated_at: string;
}
