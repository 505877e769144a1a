import type { Knex } from 'knex';
import { NO_SIGNAL, type ChangeSignal } from '../db/change-signal.js';
import type { AccessibilityFacts, EventKind, Fact, ElevatorFact, MoveStatus, SiteStatus, TeamKind } from '../planning/types.js';
import { type Db, type Row, type Tx, TableRepo } from './table.js';
import { rowsOf } from '../db/knex.js';
import { ThrottledSessionStore } from './session-store.js';
import { ProjectRepo } from './projects.js';
import { ScenarioRepo } from './scenarios.js';
import { EventRepo } from './events.js';
import type { PlanMove } from '../planning/types.js';
export type { Scenario } from './scenarios.js';
export type { ScenarioRepo } from './scenarios.js';
export type { EventRepo } from './events.js';
export type { Tx } from './table.js';
export type { Database } from '../db/knex.js';
/** How a failed write is classified (dialect-specific texts hidden behind the db helper). */
export { isCheckViolation, isForeignKeyViolation, isUniqueViolation } from '../db/knex.js';
import { OverrideRepo } from './overrides.js';
import { PlacementRepo } from './placement.js';
import { AuditRepo } from './audit.js';
export type { AuditEntry, AuditFilter, AuditRepo, NamedKind } from './audit.js';
import { LeaseRepo } from './leases.js';
export type { Lease, LeaseTerms } from './leases.js';
export type { Project } from './projects.js';
export type { Override } from './overrides.js';

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

export interface MoveFilter {
  status?: string;
  site_id?: number;
  unit_id?: number;
  team_id?: number;
  scenario_id?: number | 'baseline';
  project_id?: number;
  from?: string;
  to?: string;
}

export class MoveRepo extends TableRepo<Move> {
  constructor(db: Knex) {
    super(db, 'moves', ['headcount_estimated', 'date_estimated']);
  }

  async find(f: MoveFilter, db: Db = this.db): Promise<Move[]> {
    const q = this.query(db).select('moves.*');
    if (f.status) q.where('moves.status', f.status);
    if (f.unit_id !== undefined) q.where('moves.unit_id', f.unit_id);
    const siteId = f.site_id;
    if (siteId !== undefined) q.where((w) => w.where('moves.from_site_id', siteId).orWhere('moves.to_site_id', siteId));
    if (f.team_id !== undefined) q.whereIn('moves.unit_id', (db as Knex)('units').select('id').where('team_id', f.team_id));
    if (f.scenario_id === 'baseline') q.whereNull('moves.scenario_id');
    else if (f.scenario_id !== undefined) q.where('moves.scenario_id', f.scenario_id);
    if (f.project_id !== undefined) q.where('moves.project_id', f.project_id);
    if (f.from) q.where('moves.date', '>=', f.from);
    if (f.to) q.where('moves.date', '<=', f.to);
    const rows = await q.orderBy([{ column: 'moves.date' }, { column: 'moves.id' }]);
    return rows.map((r: Row) => this.map(r));
  }

  /** The ledger rows of some units: read inside a write's transaction, where the headcount rule is checked. */
  async ledgerOfUnits(
    unitIds: readonly number[],
    db: Db = this.db,
  ): Promise<Pick<Move, 'id' | 'unit_id' | 'from_site_id' | 'to_site_id' | 'headcount' | 'date' | 'until' | 'status' | 'scenario_id'>[]> {
    const rows: Row[] = await this.query(db)
      .select('id', 'unit_id', 'from_site_id', 'to_site_id', 'headcount', 'date', 'until', 'status', 'scenario_id')
      .whereIn('unit_id', [...new Set(unitIds)])
      .orderBy('id');
    return rows.map((r) => this.map(r));
  }

  /** Every move that belongs to a project, by date. */
  async inProjects(db: Db = this.db): Promise<Move[]> {
    const rows = await this.query(db)
      .whereNotNull('project_id')
      .orderBy([{ column: 'date' }, { column: 'id' }]);
    return rows.map((r: Row) => this.map(r));
  }

  async anyForUnit(unitId: number, db: Db = this.db): Promise<boolean> {
    return Boolean(await this.query(db).where({ unit_id: unitId }).first('id'));
  }

  /** The baseline ledger as the engine reads it (inside a write's transaction, to check its rules). */
  async baselineLedger(db: Db = this.db): Promise<PlanMove[]> {
    return this.query(db).whereNull('scenario_id').select('id', 'unit_id', 'from_site_id', 'to_site_id', 'headcount', 'date', 'until', 'status', 'scenario_id');
  }
}

export class SiteRepo extends TableRepo<Site> {
  constructor(db: Knex) {
    super(db, 'sites', ['capacity_estimated', 'earmarked_until_estimated']);
  }

  async usedByLedger(id: number, db: Db = this.db): Promise<boolean> {
    const r = await db('moves').where('from_site_id', id).orWhere('to_site_id', id).first('id');
    return Boolean(r);
  }

  /** Every site's position and district, for deriving districts again. */
  async positions(db: Db = this.db): Promise<{ id: number; lat: number; lon: number; district_id: number | null }[]> {
    return this.query(db).select('id', 'lat', 'lon', 'district_id');
  }

  /** Sets the derived district of a site (no version bump: it is derived, not edited). */
  async setDistrict(id: number, districtId: number | null, db: Db = this.db): Promise<void> {
    await this.query(db).where({ id }).update({ district_id: districtId });
  }

  async clearDistrict(districtId: number, db: Db = this.db): Promise<void> {
    await this.query(db).where({ district_id: districtId }).update({ district_id: null });
  }
}

export class TeamRepo extends TableRepo<Team> {
  constructor(db: Knex) {
    super(db, 'teams');
  }
  async anyInDistrict(districtId: number, db: Db = this.db): Promise<boolean> {
    return Boolean(await this.query(db).where({ district_id: districtId }).first('id'));
  }
}

export class UnitRepo extends TableRepo<Unit> {
  constructor(db: Knex) {
    super(db, 'units', ['public_facing']);
  }
  async anyInTeam(teamId: number, db: Db = this.db): Promise<boolean> {
    return Boolean(await this.query(db).where({ team_id: teamId }).first('id'));
  }
}

export class UserRepo extends TableRepo<User> {
  constructor(db: Knex) {
    super(db, 'users', ['active']);
  }

  async byUsername(username: string, db: Db = this.db): Promise<User | undefined> {
    const row = await this.query(db).where({ username }).first();
    return row ? this.map(row) : undefined;
  }

  /** The user linked to an account at the single sign-on provider. */
  async byOidcSubject(issuer: string, subject: string, db: Db = this.db): Promise<User | undefined> {
    const row = await this.query(db).where({ oidc_issuer: issuer, oidc_subject: subject }).first();
    return row ? this.map(row) : undefined;
  }

  async byFeedToken(token: string, db: Db = this.db): Promise<User | undefined> {
    const row = await this.query(db).where({ feed_token: token }).first();
    return row ? this.map(row) : undefined;
  }

  async siteIds(userId: number, db: Db = this.db): Promise<number[]> {
    const rows = await db('user_sites').where({ user_id: userId }).orderBy('site_id');
    return rows.map((r: { site_id: number }) => r.site_id);
  }

  async setSites(userId: number, siteIds: readonly number[], db: Db = this.db): Promise<void> {
    await db('user_sites').where({ user_id: userId }).del();
    if (siteIds.length) await db('user_sites').insert(siteIds.map((site_id) => ({ user_id: userId, site_id })));
  }
}

/** What held when a read began: the count of this process's forgets and the change signal's token. */
export interface ReadStart {
  generation: number;
  token: string | undefined;
}

/**
 * The data revision: every write bumps it in its transaction. With `maxAgeMs` a value read is kept
 * at most that long and only while the change signal says that no process has committed anything
 * since the read began (see server/db/change-signal.ts); this process's own writes forget it at once
 * (when they bump it and again when their transaction ends). Without a signal nothing is kept.
 */
export class RevisionRepo {
  private known: { value: number; at: number; token: string } | null = null;
  /** counts forgets, so a read that began before one does not keep its (older) value */
  private generation = 0;
  constructor(
    private readonly db: Knex,
    private readonly maxAgeMs = 0,
    readonly signal: ChangeSignal = NO_SIGNAL,
  ) {}

  async current(db: Db = this.db): Promise<number> {
    const fresh = db === this.db ? this.fresh() : undefined;
    if (fresh !== undefined) return fresh;
    const start = this.readStart();
    const r = await db('plan_revision').where({ id: 1 }).first('revision');
    const value = Number(r?.revision ?? 0);
    if (db === this.db) this.remember(value, start);
    return value;
  }

  /** The value kept, if it is recent and nothing was committed since it was read. */
  fresh(): number | undefined {
    const k = this.known;
    if (!k || Date.now() - k.at >= this.maxAgeMs || Date.now() < k.at) return undefined;
    return this.signal.token() === k.token ? k.value : undefined;
  }

  /** To be taken before reading the revision (or anything read with it), for remember(). */
  readStart(): ReadStart {
    return { generation: this.generation, token: this.maxAgeMs > 0 ? this.signal.token() : undefined };
  }

  /** Whether a read that began at `start` may be kept (nothing forgotten since, a token known). */
  mayKeep(start: ReadStart): start is { generation: number; token: string } {
    return this.maxAgeMs > 0 && start.token !== undefined && start.generation === this.generation;
  }

  /** Keeps a value read outside a transaction. */
  remember(value: number, start: ReadStart): void {
    if (this.mayKeep(start)) this.known = { value, at: Date.now(), token: start.token };
  }

  forget(): void {
    this.known = null;
    this.generation++;
  }

  async bump(db: Db = this.db): Promise<void> {
    this.forget();
    // and again once the transaction has ended: a read in between saw the revision before it
    const trx = db as Partial<Knex.Transaction>;
    trx.executionPromise?.then(
      () => this.forget(),
      () => this.forget(),
    );
    await db('plan_revision').where({ id: 1 }).increment('revision', 1);
    // the other processes hear of it when the transaction commits
    await this.signal.notify(db);
  }
}

/** The sessions table (written by connect-session-knex): the one read every request makes. */
export class SessionRepo {
  constructor(private readonly db: Knex) {}
  /**
   * The session, its expiry and the data revision in one query. Raw SQL (portable): it runs on
   * every request the session cache cannot answer, and building it with the query builder costs
   * more than running it.
   */
  async getWithRevision(sid: string, nowIso: string): Promise<{ sess: unknown; expired: string; revision: number } | undefined> {
    const rows = rowsOf<{ sess: unknown; expired: string | Date; revision: number | string }>(
      await this.db.raw(
        'select sess, expired, (select revision from plan_revision where id = 1) as revision from sessions where sid = ? and expired >= ? limit 1',
        [sid, nowIso],
      ),
    );
    const row = rows[0];
    return row ? { sess: row.sess, expired: new Date(row.expired).toISOString(), revision: Number(row.revision) } : undefined;
  }
}

/** Counters of login attempts per key and time window, shared by every app process. */
export class RateLimitRepo {
  constructor(private readonly db: Knex) {}
  /** Counts one hit; a window that has run out starts again at 1. One statement (upsert). */
  async hit(key: string, now: number, windowMs: number): Promise<{ hits: number; resetAt: number }> {
    const rows = rowsOf<{ hits: number | string; reset_at: number | string }>(
      await this.db.raw(
        `insert into rate_limits (rkey, hits, reset_at) values (?, 1, ?)
       on conflict (rkey) do update set
         hits = case when rate_limits.reset_at <= ? then 1 else rate_limits.hits + 1 end,
         reset_at = case when rate_limits.reset_at <= ? then ? else rate_limits.reset_at end
       returning hits, reset_at`,
        [key, now + windowMs, now, now, now + windowMs],
      ),
    );
    return { hits: Number(rows[0].hits), resetAt: Number(rows[0].reset_at) };
  }
  async unhit(key: string): Promise<void> {
    await this.db('rate_limits').where('rkey', key).andWhere('hits', '>', 0).decrement('hits', 1);
  }
  async reset(key: string): Promise<void> {
    await this.db('rate_limits').where('rkey', key).del();
  }
  async prune(now: number): Promise<void> {
    await this.db('rate_limits').where('reset_at', '<', now).del();
  }
  /** Deletes counters whose window ended before `before` (ms); returns how many. */
  async pruneBefore(before: number): Promise<number> {
    return Number(await this.db('rate_limits').where('reset_at', '<', before).del());
  }
}

export interface Repos {
  districts: TableRepo<District>;
  teams: TeamRepo;
  units: UnitRepo;
  sites: SiteRepo;
  events: EventRepo;
  moves: MoveRepo;
  scenarios: ScenarioRepo;
  projects: ProjectRepo;
  overrides: OverrideRepo;
  places: TableRepo<Place>;
  users: UserRepo;
  audit: AuditRepo;
  revision: RevisionRepo;
  sessions: SessionRepo;
  rateLimits: RateLimitRepo;
  /** what applying a placement proposal writes */
  placement: PlacementRepo;
  /** the sites' leases over time (SPEC section 15) */
  leases: LeaseRepo;
  /** one round trip to the database (for /healthz) */
  ping: () => Promise<void>;
  /** runs `fn` in one database transaction: everything it writes with `trx`, or nothing */
  transaction: <T>(fn: (trx: Tx) => Promise<T>) => Promise<T>;
  /** a new express-session store on the sessions table (shared by every process), one per app */
  sessionStore: () => ThrottledSessionStore;
}

/** The one place that holds the database handle: every repository, built on it. */
/** `cache`: how long a read data revision and session may be kept, and the signal that ends that sooner (see RevisionRepo). */
export function createRepos(db: Knex, cache: { maxAgeMs: number; signal: ChangeSignal } = { maxAgeMs: 0, signal: NO_SIGNAL }): Repos {
  const revision = new RevisionRepo(db, cache.maxAgeMs, cache.signal);
  const sessions = new SessionRepo(db);
  return {
    districts: new TableRepo<District>(db, 'districts'),
    teams: new TeamRepo(db),
    units: new UnitRepo(db),
    sites: new SiteRepo(db),
    events: new EventRepo(db),
    moves: new MoveRepo(db),
    scenarios: new ScenarioRepo(db),
    projects: new ProjectRepo(db),
    overrides: new OverrideRepo(db),
    places: new TableRepo<Place>(db, 'places'),
    users: new UserRepo(db),
    audit: new AuditRepo(db),
    revision,
    sessions,
    rateLimits: new RateLimitRepo(db),
    placement: new PlacementRepo(db),
    leases: new LeaseRepo(db),
    ping: async () => {
      await db.raw('select 1');
    },
    transaction: (fn) => db.transaction(fn),
    sessionStore: () => new ThrottledSessionStore(db, sessions, revision, cache.maxAgeMs),
  };
}
