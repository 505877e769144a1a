import type { PlanningConfig } from '../config.js';
import { storedAreaGeometry } from '../geo/index.js';
import { periodDates, type PeriodStep } from './period-budget.js';
import { Plan } from '../planning/engine.js';
import { setAsideOutOfDomain } from '../planning/data-domain.js';
import type { PlanData, PlanEvent, PlanMove, PlanSite } from '../planning/types.js';
import { EVENT_FACT_FIELDS, eventFacts, LEDGER_COLUMNS, type Repos, type Site, type SiteEvent, type Tx } from '../repositories/index.js';
import { must } from '../invariant.js';

/** A plan being built (or waiting to be): the revision it covers at least, its day, the plan. */
interface Build {
  atLeast: number;
  today: string;
  plan: Promise<{ revision: number; plan: Plan }>;
}

const noop = () => {};
/** Lets the event loop serve what waits (other requests) before going on. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** What one plan keeps beside it: the stored sites read with it, its serialized answers and derived values. */
interface PlanExtras {
  /** the sites as stored, from the same moment as the plan (the map's fixed properties) */
  sites: readonly Site[];
  /** serialized answers (e.g. /api/state at a date), bounded in bytes */
  answers: Map<string, Buffer>;
  answerBytes: number;
  memos: Map<string, unknown>;
}

/**
 * Builds the engine's input from the database and keeps one `Plan` per data revision.
 * Every write bumps `plan_revision` in its transaction, so a cache in any process
 * notices a change on its next request. A plan is read as of one moment (one read-only
 * transaction, the revision with it), and what is derived from it is kept with it: a request
 * that holds a plan computes with that plan's data only, whatever is written meanwhile.
 */
export class PlanningService {
  private cached: { revision: number; today: string; plan: Plan } | null = null;
  /** a plan being read, and the revision known when its read was asked for (it reads that or a later one) */
  /**
   * At most two builds: the one reading now (`running`), and one waiting for it (`queued`), which
   * every request that needs newer data joins until it starts. A build covers each revision read by
   * a request before its read began (`atLeast`).
   */
  private running: Build | null = null;
  private queued: Build | null = null;
  private readonly extras = new WeakMap<Plan, PlanExtras>();
  static readonly ANSWER_CACHE_BYTES = 8 * 1024 * 1024;

  constructor(
    private readonly repos: Repos,
    private readonly config: PlanningConfig,
    private readonly today: () => string,
  ) {}

  /**
   * The data revision. The repository keeps a value read (with a session, say) only while the
   * change signal says nothing was committed since; otherwise this asks the database.
   */
  revision(): Promise<number> {
    return this.repos.revision.current();
  }

  /** The plan of the current data (at least the revision read now), built once per revision and day. */
  async plan(): Promise<Plan> {
    const revision = await this.revision();
    const today = this.today();
    if (this.cached && this.cached.revision >= revision && this.cached.today === today) return this.cached.plan;
    const running = this.running;
    if (running && running.atLeast >= revision && running.today === today) return (await running.plan).plan;
    // the build that waits reads after this request read its revision: it covers it
    if (this.queued && this.queued.today === today) {
      this.queued.atLeast = Math.max(this.queued.atLeast, revision);
      return (await this.queued.plan).plan;
    }
    return (await this.queue(revision, today).plan).plan;
  }

  /** A build that starts once the running one has ended (at once when none runs). */
  private queue(revision: number, today: string): Build {
    const before = this.running ? this.running.plan.then(noop, noop) : Promise.resolve();
    const build: Build = { atLeast: revision, today, plan: Promise.resolve(null as never) };
    this.queued = build;
    build.plan = before
      .then(() => {
        if (this.queued === build) this.queued = null;
        this.running = build;
        return this.build(today);
      })
      .finally(() => {
        if (this.running === build) this.running = null;
      });
    return build;
  }

  private async build(today: string): Promise<{ revision: number; plan: Plan }> {
    const { revision, data, sites } = await this.load();
    // the rows are turned into the engine's input, the plan is set up, and the first answer computed
    // (each up to a tenth of a second at the large shape): other requests are served in between
    await nextTurn();
    const plan = new Plan(data, { today, config: this.config });
    await nextTurn();
    this.extras.set(plan, { sites, answers: new Map(), answerBytes: 0, memos: new Map() });
    // a build that ends after a newer one (a later revision, or a later day) keeps the newer
    const c = this.cached;
    if (!c || today > c.today || (today === c.today && revision >= c.revision)) this.cached = { revision, today, plan };
    return { revision, plan };
  }

  private extrasOf(plan: Plan): PlanExtras {
    return must(this.extras.get(plan), 'a plan built here');
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
    const kept = this.extrasOf(plan);
    const answers = kept.answers;
    let body = answers.get(key);
    if (body === undefined) {
      body = Buffer.from(await serialise(plan), 'utf8');
      if (body.length < PlanningService.ANSWER_CACHE_BYTES / 4) {
        while (kept.answerBytes + body.length > PlanningService.ANSWER_CACHE_BYTES && answers.size) {
          const oldest = answers.keys().next().value as string;
          kept.answerBytes -= must(answers.get(oldest), 'answers.get(oldest)').length;
          answers.delete(oldest);
        }
        answers.set(key, body);
        kept.answerBytes += body.length;
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

  /** The sites as stored, read as of the plan's moment (a site the plan counts is among them). */
  storedSites(plan: Plan): readonly Site[] {
    return this.extrasOf(plan).sites;
  }

  /** A value derived from a plan (and the sites read with it), computed once per plan. */
  memo<T>(plan: Plan, key: string, compute: (sites: readonly Site[]) => T): T {
    const kept = this.extrasOf(plan);
    if (!kept.memos.has(key)) kept.memos.set(key, compute(kept.sites));
    return kept.memos.get(key) as T;
  }

  /** The engine's input and the stored sites, read as of one moment, with the revision of that moment. */
  async load(): Promise<{ revision: number; data: PlanData; sites: Site[] }> {
    const rows = await this.repos.snapshot((db) => readAll(this.repos, db));
    await nextTurn();
    return { revision: rows.revision, sites: rows.sites, data: planDataOf(rows) };
  }
}

/**
 * Everything a plan is built from, and the data revision, read with `db` (one snapshot). One after
 * the other: a transaction is one connection, which runs one statement at a time anyway (and the
 * PostgreSQL driver refuses to be handed several at once).
 */
async function readAll(r: Repos, db: Tx) {
  const revision = await r.revision.current(db);
  const sites = await r.sites.list({}, db);
  const units = await r.units.list({}, db);
  const teams = await r.teams.list({}, db);
  const districts = await r.districts.list({}, db);
  const moves = await r.moves.listColumns([...LEDGER_COLUMNS, 'headcount_estimated', 'date_estimated', 'cost_eur'], undefined, db);
  const events = await r.events.listColumns(
    ['site_id', 'kind', 'date', 'end_date', 'capacity', 'scenario_id', 'estimated', ...EVENT_FACT_FIELDS],
    undefined,
    db,
  );
  const stops = await r.places.list({ kind: 'transit_stop' }, db);
  const overrides = await r.overrides.listForPlan(db);
  const leases = await r.leases.terms(db);
  const acknowledgements = await r.acknowledgements.list({}, db);
  const floors = await r.floors.list({}, db);
  return { revision, sites, units, teams, districts, moves, events, stops, overrides, leases, acknowledgements, floors };
}

/** The engine's input from the rows read. */
function planDataOf(rows: Awaited<ReturnType<typeof readAll>>): PlanData {
  const { sites, units, teams, districts, moves, events, stops, overrides, leases, acknowledgements, floors } = rows;
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
