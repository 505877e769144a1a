/**
 * What a warning rule sees: the state of one date in one selection (baseline or a scenario), the
 * stored records behind it, and `warn` to report a finding. A rule reads; it never changes the state.
 */
import type { PlanningConfig } from '../../config.js';
import type { FloorView } from '../floors.js';
import type { PlanData, PlanLease, PlanSite, PlanUnit, SiteState, TeamState, Warning, WarningCode } from '../types.js';

/** The subjects a warning names (the map and lists link them). */
export type WarningSubject = Partial<Pick<Warning, 'site_id' | 'team_id' | 'unit_id' | 'move_id'>>;

/** A (unit, site) pair whose headcount the ledger drove below zero, up to the date. */
export interface NegativeAt {
  unit_id: number;
  site_id: number;
  headcount: number;
  move_id: number;
  /** the date of the move that drove it below zero */
  date: string;
}

/** A lease the plan leaves before it ends: by when notice must be given (SPEC section 15). */
export interface LeaseNotice {
  site_id: number;
  lease_id: number;
  /** the day notice must be given by: end − notice months */
  due: string;
  /** the end the notice aims at: the lease's end, or (open-ended) the last day with people */
  end: string;
  months: number;
}

/** The sites' leases as one selection sees them (empty when no lease is recorded). */
export interface LeaseView {
  /** each site's leases, earliest first (only sites that have any) */
  bySite: ReadonlyMap<number, readonly PlanLease[]>;
  /** the sites whose leases count in the selection (a candidate site not taken up does not) */
  counted: ReadonlySet<number>;
  /** the leases the selection's plan leaves before they end */
  notices: readonly LeaseNotice[];
}

export interface RuleContext {
  /** the date the state is for */
  readonly date: string;
  /** null: the baseline */
  readonly scenarioId: number | null;
  /** today's date (warnings about the present, such as DATA_STALE, look only at today and later) */
  readonly today: string;
  readonly config: PlanningConfig;
  /** everything the plan was built from (records the state does not carry, e.g. a later round's floors) */
  readonly data: PlanData;
  /** every site's state at the date, in the order of data.sites */
  readonly sites: readonly SiteState[];
  /** every team's state at the date, in the order of data.teams */
  readonly teams: readonly TeamState[];
  /** a site's state at the date, by its id */
  siteState(id: number): SiteState;
  /** the stored site record behind a site state */
  site(id: number): PlanSite;
  /** the stored unit record behind a unit's headcount */
  unit(id: number): PlanUnit;
  /** a wheelchair-accessible stop lies within config.accessibleStopRadiusM of the site */
  hasAccessibleStop(siteId: number): boolean;
  /** the sites' leases in this selection (computed once per plan and selection) */
  leases(): LeaseView;
  /** the pairs below zero at the date */
  negatives(): Iterable<NegativeAt>;
  /** the floors at the date: their loads, and how public-facing units on them are reached (null: no site has floors) */
  floors(): FloorView | null;
  /**
   * reports a finding; its severity comes from WARNING_SEVERITY, its text from the dictionary
   * (`warning.<code>`); `estimates` names the params that rest on an estimate (the text puts ≈
   * before them, and the warning is `estimated`)
   */
  warn(code: WarningCode, params: Warning['params'], subject: WarningSubject, estimates?: readonly string[]): void;
}

/** One warning rule: looks at the context and calls `ctx.warn` for each finding. */
export type WarningRule = (ctx: RuleContext) => void;
