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
import type { District, Move, Project, ReportField, ReportSection, Scenario, Site, SiteEvent, Team, Unit } from '../repositories/index.js';

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

/**
 * Where a move stands at the Stichtag, as the report says it: done, planned, cancelled — or overdue:
 * its day has passed and nobody recorded it as done (the data cannot tell whether it happened).
 */
export type ReportMoveStanding = 'done' | 'planned' | 'overdue' | 'cancelled';

export function moveStanding(move: { date: string; status: MoveStatus }, asOf: string, today: string = asOf): ReportMoveStanding {
  const status = statusAsOf(move, asOf);
  if (status === 'done' || status === 'cancelled') return status;
  // overdue only when its day has passed by the Stichtag and by today: a report for a coming meeting plans what lies before it
  const passed = asOf < today ? asOf : today;
  return move.date < passed ? 'overdue' : 'planned';
}

export interface ReportProject {
  id: number;
  name: string;
  description: string | null;
  from: string;
  to: string;
  dates_estimated: boolean;
  phase: EventPhase;
  /** moves of the team in it: people moved, where the moves stand as of the Stichtag */
  headcount: number;
  headcount_estimated: boolean;
  statuses: ReportMoveStanding[];
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
  /** workplaces of the sites it uses (a site shared with another team counts in both teams' figure: see shared_capacity) */
  capacity: number;
  capacity_estimated: boolean;
  /** of `capacity`, the workplaces of sites it shares with other teams (counted once in any total) */
  shared_capacity: number;
  /** the other teams it shares sites with */
  shared_with: string[];
  /** the paper's Umsetzungsstand and Weiterentwicklung for the team (from the data) */
  texts: { heading: string; status_text: string | null; outlook_text: string | null; source: string | null } | null;
  buildings: number;
  locations: number;
  split: boolean;
  max_distance_m: number;
  /** the distance rests on a placeholder position */
  distance_estimated: boolean;
  sites: ReportSiteRow[];
  projects: ReportProject[];
}

export interface ReportDifference {
  site_id: number;
  site: string;
  baseline: DifferenceSide;
  scenario: DifferenceSide;
}

/** Anlage 1: one row per team; the total counts a shared site once. */
export interface ReportAnnexRow {
  team_id: number;
  team: string;
  headcount: number;
  headcount_estimated: boolean;
  capacity: number;
  capacity_estimated: boolean;
  shared_capacity: number;
  shared_with: string[];
}

export interface CouncilReport {
  date: string;
  /** the Drucksache's frame (Sachbearbeitung, Datum, …) from the data, with sources */
  frame: Record<string, { value: string; source: string | null }>;
  /** sections of the Sachdarstellung without a team (e.g. Weiterentwicklung Erstanlaufstelle) */
  topics: { heading: string; status_text: string | null; outlook_text: string | null; source: string | null }[];
  annex: ReportAnnexRow[];
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
  /** the day the report is read (a move whose day has not come yet is not overdue); default: the Stichtag */
  today?: string;
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
  /** the report's frame and section texts (report_fields, report_sections) */
  fields?: Record<string, ReportField>;
  sections?: ReportSection[];
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
  /** the moves and events of the selection as it counts them (a scenario's overrides applied), by id */
  countedMove: Map<number, { date: string; until: string | null }>;
  countedEvent: Map<number, { date: string; end_date: string | null }>;
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
    countedMove: new Map(plan.movesOf(scenarioId).map((m) => [m.id, m])),
    countedEvent: new Map(plan.eventsOf(scenarioId).map((e) => [e.id, e])),
  };
  const districtName = new Map(input.districts.map((d) => [d.id, d.name]));
  const sections = input.sections ?? [];
  const sectionOf = new Map(sections.filter((x) => x.team_id !== null).map((x) => [x.team_id as number, x]));
  // the paper's order (the sections' positions), then teams without a section in the data's order
  const rank = (teamId: number) => sectionOf.get(teamId)?.position ?? Number.MAX_SAFE_INTEGER;
  const ordered = state.teams.map((ts, i) => ({ ts, i })).sort((a, b) => rank(a.ts.id) - rank(b.ts.id) || a.i - b.i);
  const teams = ordered
    .map(({ ts }) => teamSection(lookup, ts, districtName, sectionOf.get(ts.id) ?? null))
    .filter((t) => t.headcount > 0 || t.projects.length > 0);
  const diff = scenarioId === null ? null : scenarioDifferences(plan, date, state);
  const sitesUsed = state.sites.filter((s) => s.headcount > 0 || s.available);
  const fields = input.fields ?? {};
  return {
    date,
    frame: Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, { value: f.value, source: f.source }])),
    topics: sections.filter((x) => x.team_id === null).map(sectionText),
    annex: teams.map((t) => ({
      team_id: t.id,
      team: t.name,
      headcount: t.headcount,
      headcount_estimated: t.headcount_estimated,
      capacity: t.capacity,
      capacity_estimated: t.capacity_estimated,
      shared_capacity: t.shared_capacity,
      shared_with: t.shared_with,
    })),
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

const sectionText = (x: ReportSection) => ({ heading: x.heading, status_text: x.status_text, outlook_text: x.outlook_text, source: x.source });

function teamSection(l: Lookup, ts: TeamState, districtName: Map<number, string>, section: ReportSection | null): ReportTeam {
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
    shared_capacity: used.filter((r) => r.shared_with.length).reduce((a, r) => a + r.capacity, 0),
    shared_with: [...new Set(used.flatMap((r) => r.shared_with))],
    texts: section ? sectionText(section) : null,
    buildings: ts.site_ids.length,
    locations: ts.locations,
    split: ts.split,
    max_distance_m: ts.max_distance_m,
    distance_estimated: ts.distance_estimated,
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
  // as the selection counts them: a scenario's overrides move their dates (a postponed renovation
  // is not "abgeschlossen" before its new end); a record the scenario cancels is left out
  const shownMoves = moves
    .filter((m) => l.visible(m.scenario_id) && l.countedMove.has(m.id))
    .map((m) => ({ ...m, ...pick(must(l.countedMove.get(m.id), 'countedMove'), ['date', 'until']) }));
  const shownEvents = events
    .filter((e) => l.visible(e.scenario_id) && l.countedEvent.has(e.id))
    .map((e) => ({ ...e, ...pick(must(l.countedEvent.get(e.id), 'countedEvent'), ['date', 'end_date']) }));
  const onlyElsewhere = !shownMoves.length && !shownEvents.length;
  const records = onlyElsewhere ? { moves, events } : { moves: shownMoves, events: shownEvents };
  const starts = [...records.moves.map((m) => m.date), ...records.events.map((e) => e.date)];
  const ends = [...records.moves.map((m) => m.until ?? m.date), ...records.events.map((e) => e.end_date ?? e.date)];
  const from = starts.reduce((a, b) => (b < a ? b : a), starts[0] ?? l.date);
  const to = ends.reduce((a, b) => (b > a ? b : a), ends[0] ?? l.date);
  const relocations = records.moves.filter((m) => m.to_site_id !== null && m.from_site_id !== null);
  const otherScenario = [...records.moves, ...records.events].find((r) => r.scenario_id !== null && r.scenario_id !== l.scenarioId)?.scenario_id ?? null;
  return {
    id: pid,
    name: p?.name ?? String(pid),
    description: p?.description ?? null,
    from,
    to,
    dates_estimated: records.moves.some((m) => m.date_estimated) || records.events.some((e) => e.estimated),
    phase: phaseAsOf({ date: from, end: to }, l.date),
    headcount: relocations.reduce((a, m) => a + m.headcount, 0),
    headcount_estimated: relocations.some((m) => m.headcount_estimated),
    // only moves between two sites are "Umzüge": founding a team where it sits moves nobody
    statuses: [...new Set(relocations.map((m) => moveStanding(m, l.date, l.input.today ?? l.date)))],
    scenario_only: onlyElsewhere && otherScenario !== null ? (l.scenarioName.get(otherScenario) ?? String(otherScenario)) : null,
  };
}

/** One side of a difference: the figures, the status, and which of them rest on estimates (≈). */
interface DifferenceSide {
  headcount: number;
  capacity: number;
  status: SiteStatus;
  headcount_estimated: boolean;
  capacity_estimated: boolean;
  status_estimated: boolean;
}
const differenceSide = (s: SiteState): DifferenceSide => ({
  headcount: s.headcount,
  capacity: s.capacity,
  status: s.status,
  headcount_estimated: s.headcount_estimated && s.headcount !== 0,
  capacity_estimated: s.capacity_estimated,
  status_estimated: s.status_estimated,
});

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
        baseline: differenceSide(b),
        scenario: differenceSide(s),
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

function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const k of keys) out[k] = o[k];
  return out;
}
