/**
 * Every service, wired once: each gets only the repositories, clock and configuration it needs.
 * Routes reach the data only through these.
 */
import type { Config } from '../config.js';
import type { Repos } from '../repositories/index.js';
import { AcknowledgementService } from './acknowledgements.js';
import { AuditService } from './audit.js';
import { CsvService } from './csv.js';
import { MoveService } from './moves.js';
import { OidcLoginService } from './oidc-login.js';
import { OrganisationService } from './organisation.js';
import { PlanningReads } from './planning-reads.js';
import { PlanningService } from './planning-service.js';
import { PlacementService } from './placement-service.js';
import { WorkerSolver } from './highs-solver.js';
import type { LpSolve } from '../planning/placement.js';
import { ProjectService } from './projects.js';
import { RetentionService } from './retention.js';
import { ScenarioService } from './scenarios.js';
import { OverrideService } from './scenario-overrides.js';
import { SiteService } from './sites.js';
import { FloorService } from './floors.js';
import { RoomImport } from './room-import.js';
import { UserService } from './users.js';
import { WriteService } from './write-service.js';
import { LeaseService } from './leases.js';
import { CostService } from './costs.js';

export interface Services {
  sites: SiteService;
  /** floors and rooms of sites, and the stack plan (SPEC section 14) */
  floors: FloorService;
  /** rooms from a CAFM CSV (POST /api/import/rooms) */
  roomImport: RoomImport;
  moves: MoveService;
  organisation: OrganisationService;
  users: UserService;
  scenarios: ScenarioService;
  overrides: OverrideService;
  projects: ProjectService;
  /** acknowledged warnings */
  acknowledgements: AcknowledgementService;
  planning: PlanningReads;
  csv: CsvService;
  /** AUDIT_RETENTION_DAYS: prunes old audit entries and login-attempt counters */
  retention: RetentionService;
  audit: AuditService;
  /** null unless single sign-on is configured */
  oidcLogins: OidcLoginService | null;
  /** the plan cache (one engine run per data revision) and the data revision */
  plans: PlanningService;
  /** the placement assistant (proposals, and applying one as a new scenario) */
  placement: PlacementService;
  /** the sites' leases (SPEC section 15) */
  leases: LeaseService;
  /** what the plan costs: at a date, and a scenario against the baseline over a period */
  costs: CostService;
  /** one round trip to the database (for /healthz) */
  ping: () => Promise<void>;
}

/** `solver`: the MIP solver of the placement assistant (default: HiGHS in a worker thread). */
export function createServices(repos: Repos, config: Config, today: () => string, solver?: LpSolve): Services {
  const writes = new WriteService(repos);
  const plans = new PlanningService(repos, config.planning, today);
  const overrides = new OverrideService(repos, writes);
  const floors = new FloorService(repos, writes, plans, today);
  return {
    sites: new SiteService(repos, writes),
    floors,
    roomImport: new RoomImport(repos, floors),
    moves: new MoveService(repos, writes, plans),
    organisation: new OrganisationService(repos, writes),
    users: new UserService(repos, writes, { localLogin: config.localLogin }),
    scenarios: new ScenarioService(repos, writes, plans, overrides),
    overrides,
    projects: new ProjectService(repos, writes),
    acknowledgements: new AcknowledgementService(repos, writes),
    planning: new PlanningReads(repos, plans, config.planning, today),
    csv: new CsvService(repos, writes, plans, today),
    retention: new RetentionService(repos.audit, repos.rateLimits, config.auditRetentionDays),
    audit: new AuditService(repos),
    oidcLogins: config.oidc ? new OidcLoginService(repos, config.oidc) : null,
    placement: new PlacementService(plans, repos, writes, repos.placement, solver ?? new WorkerSolver().solve),
    plans,
    leases: new LeaseService(repos, writes),
    costs: new CostService(plans, config.moveCostPerPersonEur),
    ping: () => repos.ping(),
  };
}
