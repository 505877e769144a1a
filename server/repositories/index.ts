/**
 * The repositories: the only code that touches the database. One file per repository; the domain
 * records in ./types.ts. `createRepos` builds them all on one handle.
 */
import type { Knex } from 'knex';
import { NO_SIGNAL, type ChangeSignal } from '../db/change-signal.js';
import { dialect, snapshotReader } from '../db/knex.js';
import { type Clock, type Tx, systemClock, TableRepo } from './table.js';
import { ThrottledSessionStore } from './session-store.js';
import { ProjectRepo } from './projects.js';
import { AcknowledgementRepo } from './acknowledgements.js';
import { ReportTextRepo } from './report-texts.js';
import { ScenarioRepo } from './scenarios.js';
import { EventRepo } from './events.js';
import { MoveRepo } from './moves.js';
import { SiteRepo } from './sites.js';
import { TeamRepo } from './teams.js';
import { UnitRepo } from './units.js';
import { UserRepo } from './users.js';
import { RevisionRepo } from './revision.js';
import { SessionRepo } from './sessions.js';
import { RateLimitRepo } from './rate-limits.js';
import type { District, Place } from './types.js';
export * from './types.js';
export type { Scenario } from './scenarios.js';
export type { ScenarioRepo } from './scenarios.js';
export type { EventRepo } from './events.js';
export type { MoveFilter, MoveRepo } from './moves.js';
export { LEDGER_COLUMNS } from './moves.js';
export type { SiteRepo } from './sites.js';
export type { TeamRepo } from './teams.js';
export type { UnitRepo } from './units.js';
export type { UserRepo } from './users.js';
export type { ReadStart, RevisionRepo } from './revision.js';
export type { SessionRepo } from './sessions.js';
export type { RateLimitRepo } from './rate-limits.js';
export type { Clock, Tx } from './table.js';
export type { Database } from '../db/knex.js';
/** How a failed write is classified (dialect-specific texts hidden behind the db helper). */
export { isCheckViolation, isForeignKeyViolation, isUniqueViolation } from '../db/knex.js';
import { OverrideRepo } from './overrides.js';
import { PlacementRepo } from './placement.js';
import { AuditRepo } from './audit.js';
export type { AuditEntry, AuditFilter, AuditRepo, NamedKind } from './audit.js';
import { LeaseRepo } from './leases.js';
import { FloorRepo } from './floors.js';
import { RoomRepo } from './rooms.js';
export type { Floor, FloorRepo } from './floors.js';
export type { Room, RoomUse, RoomRepo } from './rooms.js';
export { ROOM_USES } from './rooms.js';
export type { Lease, LeaseTerms } from './leases.js';
export type { Project } from './projects.js';
export type { Acknowledgement } from './acknowledgements.js';
export type { ReportField, ReportSection } from './report-texts.js';
export type { Override } from './overrides.js';

export interface Repos {
  districts: TableRepo<District>;
  teams: TeamRepo;
  units: UnitRepo;
  sites: SiteRepo;
  /** the floors of sites, and the rooms of floors (SPEC section 14) */
  floors: FloorRepo;
  rooms: RoomRepo;
  events: EventRepo;
  moves: MoveRepo;
  scenarios: ScenarioRepo;
  projects: ProjectRepo;
  /** acknowledged warnings */
  acknowledgements: AcknowledgementRepo;
  /** the council report's frame and section texts */
  reportTexts: ReportTextRepo;
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
  /**
   * runs the reads of `fn` as of one moment, in a read-only transaction (PostgreSQL: repeatable
   * read; SQLite's transactions always are, here on a second, read-only connection to the file, so
   * that the app's one connection serves other requests meanwhile): no write lands between them
   */
  snapshot: <T>(fn: (trx: Tx) => Promise<T>) => Promise<T>;
  /** a new express-session store on the sessions table (shared by every process), one per app */
  sessionStore: () => ThrottledSessionStore;
  /** the time of a write, for services that stamp a field themselves (e.g. verified_at) */
  clock: Clock;
}

/** The one place that holds the database handle: every repository, built on it. */
/** `cache`: how long a read data revision and session may be kept, and the signal that ends that sooner (see RevisionRepo). */
/** `clock`: when a write happens (created_at, updated_at, the audit's time); the wall clock unless a test injects one. */
export function createRepos(
  db: Knex,
  cache: { maxAgeMs: number; signal: ChangeSignal } = { maxAgeMs: 0, signal: NO_SIGNAL },
  clock: Clock = systemClock,
): Repos {
  const revision = new RevisionRepo(db, cache.maxAgeMs, cache.signal);
  const sessions = new SessionRepo(db);
  return withClock(clock, {
    districts: new TableRepo<District>(db, 'districts'),
    teams: new TeamRepo(db),
    units: new UnitRepo(db),
    sites: new SiteRepo(db),
    floors: new FloorRepo(db),
    rooms: new RoomRepo(db),
    events: new EventRepo(db),
    moves: new MoveRepo(db),
    scenarios: new ScenarioRepo(db),
    projects: new ProjectRepo(db),
    acknowledgements: new AcknowledgementRepo(db),
    reportTexts: new ReportTextRepo(db),
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
    snapshot: (fn) => (dialect(db) === 'pg' ? db.transaction(fn, { isolationLevel: 'repeatable read', readOnly: true }) : snapshotReader(db).transaction(fn)),
    sessionStore: () => new ThrottledSessionStore(db, sessions, revision, cache.maxAgeMs),
    clock,
  });
}

/** Every repository that stamps its writes (a `clock` field) takes the one clock, a repository added to Repos too. */
function withClock(clock: Clock, repos: Repos): Repos {
  for (const r of Object.values(repos) as unknown[]) if (typeof r === 'object' && r !== null && 'clock' in r) (r as { clock: Clock }).clock = clock;
  return repos;
}
