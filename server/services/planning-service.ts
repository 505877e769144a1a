import { requestScope } from '../request-scope.js';
import type { PlanningConfig } from '../config.js';
import { storedAreaGeometry } from '../geo/index.js';
import { periodDates, type PeriodStep } from './period-budget.js';
import { Plan } from '../planning/engine.js';
import { setAsideOutOfDomain } from '../planning/data-domain.js';
import type { PlanData, PlanEvent, PlanMove, PlanSite } from '../planning/types.js';
import { EVENT_FACT_FIELDS, eventFacts, LEDGER_COLUMNS, type Repos, type Site, type SiteEvent } from '../repositories/index.js';
import { must } from '../invariant.js';

/**
 * Builds the engine's input from the database and keeps one `Plan` per data revision.
 * Every write bumps `plan_revision` in its transaction, so a cache in any process
 * notices a change on its next request.
 */
export class PlanningService {
  private cached: { revision: number; today: string; plan: Plan } | null = null;
  private building: Promise<Plan> | null = null;
  /** serialized answers per plan (e.g. /api/state at a date), dropped when the plan is rebuilt */
  private answers = new Map<string, Buffer>();
  private answerBytes = 0;
  private memos = new Map<string, Promise<unknown>>();
  static readonly ANSWER_CACHE_BYTES = 8 * 1024 * 1024;

  constructor(
    private readonly repos: Repos,
    private readonly config: PlanningConfig,
    private readonly today: () => string,
  ) {}

  /** The data revision, read once per request (every write bumps it, in any process). */
  revision(): Promise<number> {
    const scope = requestScope.getStore();
    if (!scope) return this.repos.revision.current();
    scope.revision ??= this.repos.revision.current();
    return scope.revision;
  }

  async plan(): Promise<Plan> {
    const revision = await this.revision();
    const today = this.today();
    if (this.cached && this.cached.revision === revision && this.cached.today === today) return this.cached.plan;
    if (!this.building) {
      this.building = this.load()
        .then((data) => {
          const plan = new Plan(data, { today, config: this.config });
          this.cached = { revision, today, plan };
          this.answers = new Map();
          this.answerBytes = 0;
          this.memos = new Map();
          return plan;
        })
        .finally(() => {
          this.building = null;
        });
    }
    return this.building;
  }

  /**
   * A JSON answer computed once per plan and key, kept as UTF-8 bytes ready to send; the cache is
   * bounded in bytes (oldest out first).
   */
  async json(key: string, compute: (plan: Plan) => unknown | Promise<unknown>): Promise<Buffer> {
    return this.answer(key, async (plan) => JSON.stringify(await compute(plan)));
  }

  /** As json(), for an answer the caller serialises itself (JSON text). */
  async answer(key: string, serialise: (plan: Plan) => string | Promise<string>): Promise<Buffer> {
    const plan = await this.plan();
    const answers = this.answers;
    let body = answers.get(key);
    if (body === undefined) {
      body = Buffer.from(await serialise(plan), 'utf8');
      if (body.length < PlanningService.ANSWER_CACHE_BYTES / 4) {
        while (this.answerBytes + body.length > PlanningService.ANSWER_CACHE_BYTES && answers.size) {
          const oldest = answers.keys().next().value as string;
          this.answerBytes -= must(answers.get(oldest), 'answers.get(oldest)').length;
          answers.delete(oldest);
        }
        answers.set(key, body);
        this.answerBytes += body.length;
      }
    }
    return body;
  }

  /**
   * The dates of a period analysis (timeline, comparison over a period, the report's differences)
   * over every site of the plan, within the work budget (ANALYSIS_MAX_CELLS): see period-budget.ts.
   */
  async periodDates(from: string, to: string, step: PeriodStep): Promise<string[]> {
    const plan = await this.plan();
    return periodDates(from, to, step, plan.data.sites.length, this.config.analysisMaxCells);
  }

  /** A value derived from the database, computed once per data revision. */
  async memo<T>(key: string, compute: () => Promise<T>): Promise<T> {
    await this.plan();
    let p = this.memos.get(key) as Promise<T> | undefined;
    if (!p) {
      p = compute();
      this.memos.set(key, p);
      p.catch(() => this.memos.delete(key));
    }
    return p;
  }

  async load(): Promise<PlanData> {
    const r = this.repos;
    const [sites, units, teams, districts, moves, events, stops, overrides, leases, acknowledgements, floors] = await Promise.all([
      r.sites.list(),
      r.units.list(),
      r.teams.list(),
      r.districts.list(),
      r.moves.listColumns([...LEDGER_COLUMNS, 'headcount_estimated', 'cost_eur']),
      r.events.listColumns(['site_id', 'kind', 'date', 'end_date', 'capacity', 'scenario_id', 'estimated', ...EVENT_FACT_FIELDS]),
      r.places.list({ kind: 'transit_stop' }),
      r.overrides.listForPlan(),
      r.leases.terms(),
      r.acknowledgements.list(),
      r.floors.list(),
    ]);
    // records dated outside 1900–2199 (stored before the domain held) are left out and listed as data errors
    return setAsideOutOfDomain({
      sites: sites.map(planSiteOf),
      units: units.map((u) => ({ id: u.id, name: u.name, team_id: u.team_id, public_facing: u.public_facing, desk_ratio: u.desk_ratio })),
      teams: teams.map((t) => ({ id: t.id, name: t.name, kind: t.kind, district_id: t.district_id })),
      districts: districts.map((d) => ({ id: d.id, name: d.name, geometry: storedAreaGeometry(d.geometry) })),
      // the rows as read (exactly these columns): no second copy of 50,000 moves while the plan is built
      moves: moves satisfies PlanMove[],
      events: events.map(planEventOf),
      stops: stops.map((p) => ({ id: p.id, name: p.name, lat: p.lat, lon: p.lon, wheelchair_accessible: p.wheelchair_boarding === 1 })),
      overrides,
      leases,
      acknowledgements: acknowledgements.map((a) => ({
        id: a.id,
        code: a.code,
        team_id: a.team_id,
        site_id: a.site_id,
        unit_id: a.unit_id,
        reason: a.reason,
        until: a.until,
      })),
      floors: floors.map((f) => ({
        id: f.id,
        site_id: f.site_id,
        level: f.level,
        name: f.name,
        workplaces: f.workplaces,
        workplaces_estimated: f.workplaces_estimated,
        area_m2: f.area_m2,
        step_free_access: f.step_free_access,
      })),
    });
  }
}

/** A stored site as the planning engine reads it. */
function planSiteOf(s: Site): PlanSite {
  return {
    id: s.id,
    name: s.name,
    lat: s.lat,
    lon: s.lon,
    capacity: s.capacity,
    office_area_m2: s.office_area_m2,
    status: s.status,
    verified_at: s.verified_at,
    step_free: s.step_free,
    accessible_toilet: s.accessible_toilet,
    accessible_parking: s.accessible_parking,
    elevator: s.elevator,
    door_width_cm: s.door_width_cm,
    threshold_cm: s.threshold_cm,
    available_from: s.available_from ?? null,
    capacity_estimated: s.capacity_estimated,
    position_estimated: s.position_precision === 'estimate',
  };
}

/** A stored site event as the planning engine reads it (its accessibility facts gathered). */
function planEventOf(
  e: Pick<SiteEvent, 'id' | 'site_id' | 'kind' | 'date' | 'end_date' | 'capacity' | 'scenario_id' | 'estimated' | (typeof EVENT_FACT_FIELDS)[number]>,
): PlanEvent {
  return {
    id: e.id,
    site_id: e.site_id,
    kind: e.kind,
    date: e.date,
    end_date: e.end_date,
    capacity: e.capacity,
    scenario_id: e.scenario_id,
    estimated: e.estimated,
    facts: eventFacts(e),
  };
}
