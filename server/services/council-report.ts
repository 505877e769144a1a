/**
 * The council report (SPEC section 9), shaped like a Gemeinderatsdrucksache: one section per team
 * (the five Sozialraumteams, Zentrale Dienste, Zentrale Verwaltung) with its sites, people and
 * workplaces, the source's verdict, and its projects with dates and status as of the Stichtag; in a
 * scenario, what differs from the baseline. Every number carries whether it rests on an estimate.
 * Speaks codes and data; the view words them.
 */
import { rateAccessibility, type AccessibilityRating } from '../planning/accessibility.js';
import type { Plan } from '../planning/engine.js';
import { phaseAsOf, statusAsOf, type EventPhase } from '../planning/status.js';
import { must } from '../invariant.js';
import type { MoveStatus, PlanState, SiteState, SiteStatus, TeamKind, TeamState, Warning } from '../planning/types.js';
import type { District, Move, Project, Scenario, Site, SiteEvent, Team, Unit } from '../repositories/index.js';

export const DEFAULT_ANTRAG = 'Den Bericht zur Kenntnis zu nehmen.';

export interface ReportSiteRow {
  id: number;
  name: string;
  status: SiteStatus;
  available: boolean;
  /** the team's people there */
  team_headcount: number;
  team_headcount_estimated: boolean;
  /** everyone there, and the site's workplaces */
  headcount: number;
  headcount_estimated: boolean;
  needed: number;
  capacity: number;
  capacity_estimated: boolean;
  utilization: number | null;
  /** other teams in the same site */
  shared_with: string[];
  assessment: string | null;
  assessment_source: string | null;
  /** end of an earmarking (Zweckbindung) of the building */
  earmarked_until: string | null;
  earmarked_until_estimated: boolean;
  rating: AccessibilityRating;
  /** a site the team does not use yet but moves into in one of its projects */
  future: boolean;
  warnings: string[];
}

export interface ReportProject {
  id: number;
  name: string;
  description: string | null;
  from: string;
  to: string;
  dates_estimated: boolean;
  phase: EventPhase;
  /** moves of the team in it: people moved, statuses as of the Stichtag */
  headcount: number;
  headcount_estimated: boolean;
  statuses: MoveStatus[];
  /** the records sit only in a scenario (not the one shown): its name */
  scenario_only: string | null;
}

export interface ReportTeam {
  id: number;
  name: string;
  kind: TeamKind;
  district: string | null;
  headcount: number;
  headcount_estimated: boolean;
  /** workplaces of the sites it uses (shared sites count once per team) */
  capacity: number;
  capacity_estimated: boolean;
  buildings: number;
  locations: number;
  split: boolean;
  max_distance_m: number;
  sites: ReportSiteRow[];
  projects: ReportProject[];
}

export interface ReportDifference {
  site_id: number;
  site: string;
  baseline: { headcount: number; capacity: number; status: SiteStatus };
  scenario: { headcount: number; capacity: number; status: SiteStatus };
}

export interface CouncilReport {
  date: string;
  scenario: Pick<Scenario, 'id' | 'name' | 'description'> | null;
  teams: ReportTeam[];
  /** in a scenario: the sites whose numbers differ from the baseline at the date, and the teams whose split differs */
  differences: ReportDifference[] | null;
  team_differences: { team_id: number; team: string; baseline_split: boolean; scenario_split: boolean }[] | null;
  total: { headcount: number; headcount_estimated: boolean; capacity: number; capacity_estimated: boolean; needed: number };
  state: PlanState;
}

export interface ReportInput {
  plan: Plan;
  date: string;
  scenario: Scenario | null;
  scenarios: Scenario[];
  sites: Site[];
  teams: Team[];
  units: Unit[];
  districts: District[];
  projects: Project[];
  /** moves and events that belong to a project */
  projectMoves: Move[];
  projectEvents: SiteEvent[];
}

/** What every part of the report looks things up in. */
interface Lookup {
  input: ReportInput;
  date: string;
  scenarioId: number | null;
  state: PlanState;
  siteById: Map<number, Site>;
  stateById: Map<number, SiteState>;
  unitTeam: Map<number, number>;
  scenarioName: Map<number, string>;
  projectById: Map<number, Project>;
  warningsBySite: Map<number, Set<string>>;
  /** a record of the baseline or of the scenario shown */
  visible: (scenarioId: number | null) => boolean;
}

/** Builds the report from the engine's state and the project records. Pure: no I/O. */
export function buildCouncilReport(input: ReportInput): CouncilReport {
  const { plan, date } = input;
  const scenarioId = input.scenario?.id ?? null;
  const state = plan.state(date, scenarioId);
  const warningsBySite = new Map<number, Set<string>>();
  for (const w of state.warnings) {
    if (w.site_id === undefined || !REPORTED.has(w.code)) continue;
    warningsBySite.set(w.site_id, (warningsBySite.get(w.site_id) ?? new Set()).add(w.code));
  }
  const lookup: Lookup = {
    input,
    date,
    scenarioId,
    state,
    warningsBySite,
    siteById: new Map(input.sites.map((s) => [s.id, s])),
    stateById: new Map(state.sites.map((s) => [s.id, s])),
    unitTeam: new Map(input.units.map((u) => [u.id, u.team_id])),
    scenarioName: new Map(input.scenarios.map((s) => [s.id, s.name])),
    projectById: new Map(input.projects.map((p) => [p.id, p])),
    visible: (sid) => sid === null || sid === scenarioId,
  };
  const districtName = new Map(input.districts.map((d) => [d.id, d.name]));
  const teams = state.teams.map((ts) => teamSection(lookup, ts, districtName)).filter((t) => t.headcount > 0 || t.projects.length > 0);
  const diff = scenarioId === null ? null : scenarioDifferences(plan, date, state);
  const sitesUsed = state.sites.filter((s) => s.headcount > 0 || s.available);
  return {
    date,
    scenario: input.scenario ? { id: input.scenario.id, name: input.scenario.name, description: input.scenario.description } : null,
    teams,
    differences: diff?.sites ?? null,
    team_differences: diff?.teams ?? null,
    total: {
      headcount: sitesUsed.reduce((a, s) => a + s.headcount, 0),
      headcount_estimated: sitesUsed.some((s) => s.headcount_estimated),
      capacity: sitesUsed.reduce((a, s) => a + s.capacity, 0),
      capacity_estimated: sitesUsed.some((s) => s.capacity_estimated),
      needed: sitesUsed.reduce((a, s) => a + s.needed, 0),
    },
    state,
  };
}

function teamSection(l: Lookup, ts: TeamState, districtName: Map<number, string>): ReportTeam {
  const team = l.input.teams.find((t) => t.id === ts.id);
  // the team's projects: its units' moves, and events at the sites it uses or moves into
  const teamMoves = l.input.projectMoves.filter((m) => l.unitTeam.get(m.unit_id) === ts.id && m.status !== 'cancelled');
  const futureSites = new Set<number>();
  for (const m of teamMoves)
    if (l.visible(m.scenario_id) && m.to_site_id !== null && m.date > l.date && !ts.site_ids.includes(m.to_site_id)) futureSites.add(m.to_site_id);
  const teamSites = new Set([...ts.site_ids, ...futureSites]);
  const projectIds = new Set<number>();
  for (const m of teamMoves) if (m.project_id !== null) projectIds.add(m.project_id);
  for (const e of l.input.projectEvents) if (teamSites.has(e.site_id) && e.project_id !== null) projectIds.add(e.project_id);
  const projects = [...projectIds]
    .map((pid) =>
      projectLine(
        l,
        pid,
        teamMoves.filter((m) => m.project_id === pid),
        teamSites,
      ),
    )
    .filter((p) => p.statuses.length || p.phase !== 'past' || p.from >= addYears(l.date, -5))
    .sort((a, b) => a.from.localeCompare(b.from) || a.name.localeCompare(b.name));
  const row = (id: number, future: boolean) => siteRow(l, must(l.stateById.get(id), 'stateById.get(id)'), ts.id, future);
  const rows = [...ts.site_ids.map((id) => row(id, false)), ...[...futureSites].sort((a, b) => a - b).map((id) => row(id, true))];
  const used = rows.filter((r) => !r.future);
  return {
    id: ts.id,
    name: ts.name,
    kind: ts.kind,
    district: team?.district_id ? (districtName.get(team.district_id) ?? null) : null,
    headcount: ts.headcount,
    headcount_estimated: ts.headcount_estimated,
    capacity: used.reduce((a, r) => a + r.capacity, 0),
    capacity_estimated: used.some((r) => r.capacity_estimated),
    buildings: ts.site_ids.length,
    locations: ts.locations,
    split: ts.split,
    max_distance_m: ts.max_distance_m,
    sites: rows,
    projects,
  };
}

function siteRow(l: Lookup, st: SiteState, teamId: number, future: boolean): ReportSiteRow {
  const site = must(l.siteById.get(st.id), 'siteById.get(st.id)');
  const mine = st.units.filter((u) => u.team_id === teamId && u.headcount > 0);
  const facts = l.input.plan.factsAt(st.id, l.date, l.scenarioId) ?? site;
  return {
    id: st.id,
    name: st.name,
    status: st.status,
    available: st.available,
    team_headcount: mine.reduce((a, u) => a + u.headcount, 0),
    team_headcount_estimated: mine.some((u) => u.headcount_estimated),
    headcount: st.headcount,
    headcount_estimated: st.headcount_estimated,
    needed: st.needed,
    capacity: st.capacity,
    capacity_estimated: st.capacity_estimated,
    utilization: st.utilization,
    shared_with: [...new Set(st.units.filter((u) => u.team_id !== teamId && u.headcount > 0).map((u) => u.team))],
    assessment: site.assessment,
    assessment_source: site.assessment_source,
    earmarked_until: site.earmarked_until,
    earmarked_until_estimated: site.earmarked_until_estimated,
    rating: rateAccessibility(facts).rating,
    future,
    warnings: [...(l.warningsBySite.get(st.id) ?? [])],
  };
}

/** One project of a team: its span, where it stands at the Stichtag, the people it moves. */
function projectLine(l: Lookup, pid: number, moves: Move[], teamSites: Set<number>): ReportProject {
  const p = l.projectById.get(pid);
  const events = l.input.projectEvents.filter(
    (e) => e.project_id === pid && (teamSites.has(e.site_id) || moves.some((m) => m.to_site_id === e.site_id || m.from_site_id === e.site_id)),
  );
  const shownMoves = moves.filter((m) => l.visible(m.scenario_id));
  const shownEvents = events.filter((e) => l.visible(e.scenario_id));
  const onlyElsewhere = !shownMoves.length && !shownEvents.length;
  const records = onlyElsewhere ? { moves, events } : { moves: shownMoves, events: shownEvents };
  const starts = [...records.moves.map((m) => m.date), ...records.events.map((e) => e.date)];
  const ends = [...records.moves.map((m) => m.until ?? m.date), ...records.events.map((e) => e.end_date ?? e.date)];
  const from = starts.reduce((a, b) => (b < a ? b : a), starts[0] ?? l.date);
  const to = ends.reduce((a, b) => (b > a ? b : a), ends[0] ?? l.date);
  const otherScenario = [...records.moves, ...records.events].find((r) => r.scenario_id !== null && r.scenario_id !== l.scenarioId)?.scenario_id ?? null;
  return {
    id: pid,
    name: p?.name ?? String(pid),
    description: p?.description ?? null,
    from,
    to,
    dates_estimated: records.moves.some((m) => m.date_estimated) || records.events.some((e) => e.estimated),
    phase: phaseAsOf({ date: from, end: to }, l.date),
    headcount: records.moves.filter((m) => m.to_site_id !== null && m.from_site_id !== null).reduce((a, m) => a + m.headcount, 0),
    headcount_estimated: records.moves.some((m) => m.headcount_estimated),
    statuses: [...new Set(records.moves.map((m) => statusAsOf(m, l.date)))],
    scenario_only: onlyElsewhere && otherScenario !== null ? (l.scenarioName.get(otherScenario) ?? String(otherScenario)) : null,
  };
}

/** In a scenario: the sites whose numbers or status differ from the baseline at the date, and the teams whose split differs. */
function scenarioDifferences(plan: Plan, date: string, state: PlanState) {
  const base = plan.state(date, null);
  const baseById = new Map(base.sites.map((s) => [s.id, s]));
  const sites: ReportDifference[] = state.sites.flatMap((s) => {
    const b = baseById.get(s.id);
    if (!b || (b.headcount === s.headcount && b.capacity === s.capacity && b.status === s.status)) return [];
    return [
      {
        site_id: s.id,
        site: s.name,
        baseline: { headcount: b.headcount, capacity: b.capacity, status: b.status },
        scenario: { headcount: s.headcount, capacity: s.capacity, status: s.status },
      },
    ];
  });
  const teams = state.teams.flatMap((t) => {
    const b = base.teams.find((x) => x.id === t.id);
    return !b || b.split === t.split ? [] : [{ team_id: t.id, team: t.name, baseline_split: b.split, scenario_split: t.split }];
  });
  return { sites, teams };
}

/** the warnings a site row names beside its numbers */
const REPORTED = new Set<Warning['code']>(['OVER_CAPACITY', 'NEAR_CAPACITY', 'SITE_UNAVAILABLE']);

function addYears(date: string, years: number): string {
  return `${Number(date.slice(0, 4)) + years}${date.slice(4)}`;
}
