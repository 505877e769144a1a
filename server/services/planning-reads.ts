/**
 * Planning reads: the state at a date, the timeline, the map's GeoJSON, the calendar feed,
 * the council report's figures, "my sites". Everything the engine answers, for the routes.
 */
import type { SessionUser } from '../auth/guards.js';
import type { PlanningConfig } from '../config.js';
import { withMessages, type Lang } from '../i18n/index.js';
import { rateAccessibility } from '../planning/accessibility.js';
import { addDays, addMonths, DATE_MAX, stepDates } from '../planning/dates.js';
import { comparePeriod } from '../planning/compare.js';
import { periodSummary, type SummaryLine } from './period-summary.js';
import { chartPeriod } from './period-budget.js';
import { must } from '../invariant.js';
import { forbidden } from '../errors.js';
import { statusAsOf } from '../planning/status.js';
import type { PlanState, TimelineColumns } from '../planning/types.js';
import { timelineOfColumns } from '../planning/engine.js';
import type { Repos, Scenario } from '../repositories/index.js';
import { buildCouncilReport } from './council-report.js';
import { movesIcs } from './ics.js';
import { buildAccessibilityReport, type AccessibilityReport } from './accessibility-report.js';
import type { PlanningService } from './planning-service.js';
import { presentSite } from './presenters.js';
import { notFound } from '../errors.js';

type PresentedSite = ReturnType<typeof presentSite>;
import { SiteFeatures } from './site-features.js';
import { timelineJson } from './timeline-json.js';
import { DEFAULT_WARNINGS_LIMIT, limitWarnings } from './warnings.js';

export interface TimelineQuery {
  from?: string;
  to?: string;
  step: 'month' | 'quarter';
  scenarioId: number | null;
}
export type TimelinePageQuery = TimelineQuery & { overlay: boolean };
export interface TimelineHead {
  from: string;
  to: string;
  step: 'month' | 'quarter';
  scenario_id: number | null;
}

export type PlanningReadRepos = Pick<Repos, 'sites' | 'districts' | 'units' | 'teams' | 'projects' | 'moves' | 'events' | 'reportTexts'>;

export class PlanningReads {
  constructor(
    private readonly repos: PlanningReadRepos,
    private readonly planning: PlanningService,
    private readonly config: PlanningConfig,
    private readonly today: () => string,
  ) {}

  /** The period a plan covers: first move to last (and today), for sliders and timelines. */
  async period(): Promise<{ from: string; to: string; empty: boolean }> {
    const plan = await this.planning.plan();
    const today = this.today();
    // an empty plan (a new database, SEED=none) still gets a slider worth moving: a year back, two ahead
    const empty = plan.data.sites.length === 0;
    let from = empty ? addYears(today, -1) : today;
    let to = empty ? addYears(today, 2) : today;
    for (const m of plan.data.moves) {
      if (m.status === 'cancelled') continue;
      if (m.date < from) from = m.date;
      if (m.date > to) to = m.date;
      if (m.until && m.until > to) to = m.until;
    }
    for (const e of plan.data.events) {
      if ((e.end_date ?? e.date) > to) to = e.end_date ?? e.date;
    }
    return { from, to, empty };
  }

  /**
   * The period a scenario's analyses cover by default: the plan's, and at least a year from the
   * scenario's own last change (a move, an event or a change of a baseline record), so that what the
   * scenario changes is seen for a while after it happens, not cut off on its day.
   */
  async scenarioPeriod(scenarioId: number): Promise<{ from: string; to: string; empty: boolean }> {
    const period = await this.period();
    const plan = await this.planning.plan();
    let last: string | null = null;
    const later = (d: string | null | undefined) => {
      if (d && (last === null || d > last)) last = d;
    };
    // a change of a baseline record: its own dates, and the record's (a change of headcount or site alone has none)
    const changedMoves = new Set<number>();
    const changedEvents = new Set<number>();
    for (const o of plan.data.overrides ?? []) {
      if (o.scenario_id !== scenarioId) continue;
      for (const d of [o.changes.date, o.changes.until, o.changes.end_date]) later(d);
      if (o.move_id !== null) changedMoves.add(o.move_id);
      if (o.event_id !== null) changedEvents.add(o.event_id);
    }
    for (const m of plan.data.moves) if ((m.scenario_id === scenarioId && m.status !== 'cancelled') || changedMoves.has(m.id)) later(m.until ?? m.date);
    for (const e of plan.data.events) if (e.scenario_id === scenarioId || changedEvents.has(e.id)) later(e.end_date ?? e.date);
    if (last === null) return period;
    // a year: to the day before the change's anniversary (12 monthly steps, as „12 Monate“ says; the
    // anniversary itself was a 13th step of one day, counted as a month)
    const after = addDays(addMonths(last, 12), -1);
    const to = after > DATE_MAX ? DATE_MAX : after;
    return { ...period, to: to > period.to ? to : period.to };
  }

  /**
   * The period of an analysis (default: the plan's), checked against the work budget before any
   * work is queued: 422 PERIOD_TOO_LONG, 400 when it ends before it starts.
   */
  async periodOf(q: { from?: string; to?: string; step: 'month' | 'quarter' }): Promise<{ from: string; to: string }> {
    const period = await this.period();
    const from = q.from ?? period.from;
    const to = q.to ?? period.to;
    await this.planning.periodDates(from, to, q.step);
    return { from, to };
  }

  /** The period of the timeline page's charts (see chartPeriod), checked against the work budget too. */
  async chartPeriodOf(q: { from?: string; to?: string; step: 'month' | 'quarter' }): Promise<{ from: string; to: string }> {
    const { from, to } = chartPeriod(q, await this.period(), q.step);
    await this.planning.periodDates(from, to, q.step);
    return { from, to };
  }

  /** The state at a date for a selection (baseline, or baseline + one scenario). */
  async state(date: string, scenarioId: number | null): Promise<PlanState> {
    return (await this.planning.plan()).state(date, scenarioId);
  }

  /** GET /api/state as UTF-8 JSON, cached per data revision; warning messages in the reader's language. */
  stateJson(date: string, scenarioId: number | null, lang: Lang, warningsLimit: number | 'all' = DEFAULT_WARNINGS_LIMIT): Promise<Buffer> {
    return this.planning.json(`state|${date}|${scenarioId}|${warningsLimit}|${lang}`, (plan) => {
      const state = limitWarnings(plan.state(date, scenarioId), warningsLimit);
      return { ...state, warnings: withMessages(lang, state.warnings) };
    });
  }

  /** In a scenario: what differs from the baseline over the plan's period, and how many baseline records it changes. */
  async scenarioDifferences(scenarioId: number): Promise<{ summary: SummaryLine[]; from: string; to: string; overrides: number }> {
    const period = await this.scenarioPeriod(scenarioId);
    const dates = await this.planning.periodDates(period.from, period.to, 'month');
    const plan = await this.planning.plan();
    const cmp = comparePeriod(plan, scenarioId, dates, period.to);
    return {
      summary: periodSummary(cmp),
      from: period.from,
      to: period.to,
      overrides: (plan.data.overrides ?? []).filter((o) => o.scenario_id === scenarioId).length,
    };
  }

  /** Every site as the API presents it, with its accessibility as of the date (site events may change the facts). */
  async sitesAt(date: string, scenarioId: number | null, lang: Lang): Promise<Map<number, PresentedSite>> {
    const plan = await this.planning.plan();
    return new Map(this.planning.storedSites(plan).map((s) => [s.id, presentSite({ ...s, ...plan.factsAt(s.id, date, scenarioId) }, lang)]));
  }

  /** One site as presented, as of the date (a renovation makes the entrance step-free); 404 when there is none. */
  async siteAt(id: number, date: string, scenarioId: number | null, lang: Lang): Promise<PresentedSite> {
    const site = await this.repos.sites.get(id);
    if (!site) throw notFound('site');
    return presentSite({ ...site, ...(await this.planning.plan()).factsAt(id, date, scenarioId) }, lang);
  }

  /** A site's capacity, headcount and workplaces needed quarterly from `from` to three months after `to` (the site page's chart). */
  async siteChart(id: number, from: string, to: string, scenarioId: number | null) {
    const plan = await this.planning.plan();
    const tl = plan.timeline(stepDates(from.slice(0, 8) + '01', addMonths(to, 3), 'quarter', 200), scenarioId);
    const row = must(
      tl.sites.find((s) => s.id === id),
      'the site in the timeline',
    );
    return {
      dates: tl.dates,
      capacity: row.capacity,
      headcount: row.headcount,
      needed: row.needed,
      capacity_estimated: row.capacity_estimated,
      headcount_estimated: row.headcount_estimated,
    };
  }

  /**
   * The timeline page's figures from `from` to `to` (default: the plan's period; within the work
   * budget) and, with `overlay` in a scenario, the baseline underneath it.
   */
  async timelinePage(q: TimelinePageQuery) {
    const { from, to, tl, base } = await this.timelinePageColumns(q);
    return { from, to, tl: timelineOfColumns(tl), base: base && timelineOfColumns(base) };
  }

  /** As timelinePage(), in typed columns (what a worker thread hands back: no array per site). */
  async timelinePageColumns(q: TimelinePageQuery): Promise<{ from: string; to: string; tl: TimelineColumns; base: TimelineColumns | null }> {
    const { from, to } = chartPeriod(q, await this.period(), q.step);
    const dates = await this.planning.periodDates(from, to, q.step);
    const plan = await this.planning.plan();
    return { from, to, tl: plan.timelineColumns(dates, q.scenarioId), base: q.overlay && q.scenarioId !== null ? plan.timelineColumns(dates, null) : null };
  }

  /** The timeline from `from` to `to` (default: the plan's period) in steps. */
  async timeline(q: TimelineQuery) {
    const { head, dates, plan } = await this.timelineOf(q);
    return { ...head, ...plan.timeline(dates, q.scenarioId) };
  }

  /** GET /api/timeline as JSON text in pieces (what timeline() answers, without holding it whole). */
  async timelineJson(q: TimelineQuery, pieceSize?: number): Promise<Iterable<string>> {
    const { head, columns } = await this.timelineColumns(q);
    return timelineJson(head, columns, pieceSize);
  }

  /** The timeline's head (period, step, selection) and its typed columns: what timelineJson() writes. */
  async timelineColumns(q: TimelineQuery): Promise<{ head: TimelineHead; columns: TimelineColumns }> {
    const { head, dates, plan } = await this.timelineOf(q);
    return { head, columns: plan.timelineColumns(dates, q.scenarioId) };
  }

  private async timelineOf(q: TimelineQuery) {
    const period = await this.period();
    const from = q.from ?? period.from;
    const to = q.to ?? period.to;
    const dates = await this.planning.periodDates(from, to, q.step);
    const head: TimelineHead = { from, to, step: q.step, scenario_id: q.scenarioId };
    return { head, dates, plan: await this.planning.plan() };
  }

  /**
   * The sites at a date as GeoJSON points with their figures, accessibility (the facts as of the
   * date: site events may change them) and warning codes; buildings on offer only when asked for
   * (or when the scenario moves people into them).
   */
  async sitesGeojson(date: string, scenarioId: number | null, lang: Lang, withCandidates = false): Promise<Buffer> {
    return this.planning.answer(`sites.geojson|${date}|${scenarioId}|${withCandidates}|${lang}`, (plan) => {
      // the fixed part of each feature is serialised once per plan (see SiteFeatures), from the sites read with it
      const features = this.planning.memo(plan, 'site-features', (sites) => new SiteFeatures(new Map(sites.map((s) => [s.id, s])), plan));
      // at sites with floors the popup names each unit's floor: the stacks from the same fold of the ledger
      const { state, stacks } = plan.stateAndStacks(date, scenarioId);
      return features.collection(state, withCandidates, lang, stacks);
    });
  }

  /** The moves shown for a selection as GeoJSON: lines between sites, points for arrivals and departures. */
  async movesGeojson(q: { from?: string; to?: string; status?: string; scenarioId: number | null; asOf: string }) {
    const plan = await this.planning.plan();
    const sites = new Map(plan.data.sites.map((s) => [s.id, s]));
    const units = new Map(plan.data.units.map((u) => [u.id, u]));
    const teams = new Map(plan.data.teams.map((t) => [t.id, t]));
    const moves = plan.shownMoves(q.scenarioId).filter((m) => {
      if (q.status && m.status !== q.status) return false;
      if (q.from && (m.until ?? m.date) < q.from) return false;
      if (q.to && m.date > q.to) return false;
      return true;
    });
    return {
      type: 'FeatureCollection',
      features: moves.map((m) => {
        const from = m.from_site_id !== null ? must(sites.get(m.from_site_id), 'sites.get(m.from_site_id)') : null;
        const to = m.to_site_id !== null ? must(sites.get(m.to_site_id), 'sites.get(m.to_site_id)') : null;
        const unit = units.get(m.unit_id);
        const end = must(from ?? to, 'a site of the move');
        const geometry =
          from && to
            ? {
                type: 'LineString',
                coordinates: [
                  [from.lon, from.lat],
                  [to.lon, to.lat],
                ],
              }
            : { type: 'Point', coordinates: [end.lon, end.lat] };
        return {
          type: 'Feature',
          id: m.id,
          geometry,
          properties: {
            id: m.id,
            kind: from && to ? 'move' : from ? 'departure' : 'arrival',
            unit_id: m.unit_id,
            unit: unit?.name ?? null,
            team_id: unit?.team_id ?? null,
            team: unit ? (teams.get(unit.team_id)?.name ?? null) : null,
            from_site_id: m.from_site_id,
            from_site: from?.name ?? null,
            to_site_id: m.to_site_id,
            to_site: to?.name ?? null,
            headcount: m.headcount,
            headcount_estimated: Boolean(m.headcount_estimated),
            date: m.date,
            date_estimated: Boolean(m.date_estimated),
            until: m.until,
            status: m.status,
            status_as_of: statusAsOf(m, q.asOf),
            scenario_id: m.scenario_id,
          },
        };
      }),
    };
  }

  /** The calendar feed of the moves shown for a selection, from a date (default: 90 days ago). */
  async movesFeed(q: { scenarioId: number | null; from?: string; host: string; lang: Lang }): Promise<string> {
    const plan = await this.planning.plan();
    const from = q.from ?? addDays(this.today(), -90);
    const moves = plan.shownMoves(q.scenarioId).filter((m) => (m.until ?? m.date) >= from);
    const units = new Map(plan.data.units.map((u) => [u.id, u.name]));
    const sites = new Map(plan.data.sites.map((s) => [s.id, s.name]));
    return movesIcs(
      moves,
      {
        unit: (id) => units.get(id) ?? String(id),
        site: (id) => (id === null ? '–' : (sites.get(id) ?? String(id))),
      },
      q.host,
      new Date(),
      q.lang,
    );
  }

  /** One field of the report's data (e.g. `note.organisation`: the paper's "28 Dienststellen" and what is assumed), or null. */
  async reportField(key: string): Promise<{ value: string; source: string | null } | null> {
    return (await this.repos.reportTexts.fields()).get(key) ?? null;
  }

  /** The council report at a date (in a scenario, when given), with the districts and sites it is drawn from. */
  /** The council report at a date: the engine's figures, the projects, the report's frame and texts from the data. */
  async councilReport(date: string, scenario: Scenario | null, scenarios: Scenario[]) {
    // the sites as read with the plan: each site the plan counts is among them, whatever is written meanwhile
    const plan = await this.planning.plan();
    const sites = [...this.planning.storedSites(plan)];
    const [districts, units, teams, projects, projectMoves, projectEvents, fields, sections] = await Promise.all([
      this.repos.districts.list(),
      this.repos.units.list(),
      this.repos.teams.list(),
      this.repos.projects.byName(),
      this.repos.moves.inProjects(),
      this.repos.events.list(),
      this.repos.reportTexts.fields(),
      this.repos.reportTexts.sections(),
    ]);
    const report = buildCouncilReport({
      plan,
      date,
      today: this.today(),
      scenario,
      scenarios,
      sites,
      teams,
      units,
      districts,
      projects,
      projectMoves,
      projectEvents: projectEvents.filter((e) => e.project_id !== null),
      fields: Object.fromEntries(fields),
      sections,
    });
    return { report, sites, districts };
  }

  /** The inclusion officer's list at a date (SPEC section 9), reasons worded in the language. */
  async accessibility(date: string, scenarioId: number | null, lang: Lang): Promise<AccessibilityReport> {
    const plan = await this.planning.plan();
    return buildAccessibilityReport(plan, date, scenarioId, [...this.planning.storedSites(plan)], lang);
  }

  /**
   * "My sites": a site_editor's checklist of what is missing or stale (planners see every open site).
   * The accessibility facts are today's, as the site page shows them: a renovation that made the
   * entrance step-free answers the question, though the stored record still says "unknown".
   */
  async mySites(user: SessionUser) {
    // management reads, it does not keep sites current: no list of buttons it may not use
    if (user.role === 'viewer') throw forbidden('building staff and planners keep the sites current');
    const [all, plan] = await Promise.all([this.repos.sites.list(), this.planning.plan()]);
    const mine = user.role === 'site_editor' ? all.filter((s) => user.site_ids.includes(s.id)) : all.filter((s) => s.status !== 'closed');
    const today = this.today();
    const limit = addMonths(today, -this.config.staleAfterMonths);
    const floorsOf = new Map<number, { name: string; level: number; step_free_access: string }[]>();
    for (const f of [...(plan.data.floors ?? [])].sort((a, b) => b.level - a.level)) {
      const list = floorsOf.get(f.site_id);
      if (list) list.push(f);
      else floorsOf.set(f.site_id, [f]);
    }
    return mine.map((s) => {
      const facts = { ...s, ...plan.factsAt(s.id, today) };
      const missing: string[] = [];
      for (const k of ['step_free', 'elevator', 'accessible_toilet', 'accessible_parking'] as const) if (facts[k] === 'unknown') missing.push(`a11y.${k}`);
      if (facts.door_width_cm === null) missing.push('a11y.door_width_cm');
      if (facts.threshold_cm === null) missing.push('a11y.threshold_cm');
      if (s.office_area_m2 === null) missing.push('site.office_area');
      if (s.position_precision !== 'building') missing.push('mysites.position_building');
      // a floor nobody recorded as reachable without steps or not (SPEC 14: accessibility is decided per floor)
      for (const f of floorsOf.get(s.id) ?? [])
        if (f.step_free_access === 'unknown') missing.push(`mysites.floor_step_free?floor=${encodeURIComponent(f.name)}`);
      const stale = !s.verified_at || s.verified_at.slice(0, 10) < limit;
      return { site: s, missing, stale, rating: rateAccessibility(facts).rating };
    });
  }
}

/** The same day `years` later (29 February becomes 28 February in a common year). */
function addYears(iso: string, years: number): string {
  const y = Number(iso.slice(0, 4)) + years;
  const day = iso.slice(5) === '02-29' && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)) ? '02-28' : iso.slice(5);
  return `${String(y).padStart(4, '0')}-${day}`;
}
