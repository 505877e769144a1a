import type { SessionUser } from '../auth/guards.js';
import { AppError, notFound, ruleBroken, validation } from '../errors.js';
import { introducedNegatives, movesFor } from '../planning/engine.js';
import { leavingByFloor } from '../planning/floors.js';
import {
  DEFAULT_RULES,
  DEFAULT_WEIGHTS,
  type Breakdown,
  type PlacementInstance,
  type PlacementRules,
  type PlacementWeights,
} from '../planning/placement-model.js';
import {
  type LpSolve,
  type PlacementReason,
  type PlacementStatus,
  type Proposal,
  movesOf,
  placementInstance,
  planMovesOf,
  solvePlacement,
  teamsOf,
} from '../planning/placement.js';
import type { Warning } from '../planning/types.js';
import type { Repos, Scenario } from '../repositories/index.js';
import type { NewScenarioMove, PlacementRepo } from '../repositories/placement.js';
import type { PlanningService } from './planning-service.js';
import { requirePlanner } from './rules.js';
import type { WriteService } from './write-service.js';
import { must } from '../invariant.js';

export interface PlacementRequest {
  date: string;
  until?: string | null;
  scenario_id?: number | null;
  team_ids?: number[];
  unit_ids?: number[];
  site_ids?: number[];
  exclude_site_ids?: number[];
  exclude_from?: string | null;
  candidates?: boolean;
  keep_units_whole?: boolean;
  max_sites_per_team?: number | null;
  relax_step_free?: boolean;
  within_district?: boolean;
  weights?: Partial<PlacementWeights>;
  time_limit_s?: number;
  proposals?: number;
}

export interface ProposalView {
  rank: number;
  score: number;
  status: 'optimal' | 'time_limit';
  date: string;
  until: string | null;
  scenario_id: number | null;
  moves: {
    unit_id: number;
    unit: string;
    team_id: number;
    from_site_id: number | null;
    from_site: string | null;
    to_site_id: number;
    to_site: string;
    headcount: number;
  }[];
  sites: {
    site_id: number;
    name: string;
    lat: number;
    lon: number;
    headcount: number;
    needed: number;
    capacity: number;
    candidate: boolean;
    step_free: boolean;
  }[];
  /** the sites people leave (for drawing the moves) */
  origins: { site_id: number; name: string; lat: number; lon: number }[];
  teams: { team_id: number; name: string; site_ids: number[]; max_distance_m: number }[];
  warnings: Warning[];
  breakdown: Breakdown;
}

export interface PlacementAnswer {
  date: string;
  until: string | null;
  scenario_id: number | null;
  status: PlacementStatus;
  solve_ms: number;
  proposals: ProposalView[];
  reasons: PlacementReason[];
  /** requested units that have nobody at the date */
  skipped_unit_ids: number[];
  /** a large question: each unit was offered only its cheapest sites */
  reduced: boolean;
  rules: PlacementRules;
  weights: PlacementWeights;
}

export interface ApplyRequest {
  scenario_name: string;
  date: string;
  scenario_id?: number | null;
  moves: { unit_id: number; from_site_id: number | null; to_site_id: number; headcount: number }[];
}

/** Warnings of a proposal that concern the placed units, their teams or the sites they use. */
const PROPOSAL_WARNINGS = new Set([
  'OVER_CAPACITY',
  'NEAR_CAPACITY',
  'TEAM_SPLIT',
  'NOT_STEP_FREE',
  'OUTSIDE_DISTRICT',
  'SITE_UNAVAILABLE',
  'NO_ACCESSIBLE_STOP',
  'AREA_BELOW_STANDARD',
]);

type Plan = Awaited<ReturnType<PlanningService['plan']>>;
type Lookups = ReturnType<typeof planLookups>;

/** A proposal's moves join the chosen scenario, or a preview scenario of their own. */
const PREVIEW_SCENARIO = -1;

function planLookups(plan: Plan) {
  const units = new Map(plan.data.units.map((u) => [u.id, u]));
  const sites = new Map(plan.data.sites.map((s) => [s.id, s]));
  const teams = new Map(plan.data.teams.map((t) => [t.id, t]));
  const unitOf = (id: number) => must(units.get(id), 'unit');
  const siteOf = (id: number) => must(sites.get(id), 'site');
  return { unitOf, siteOf, teams };
}

/** One proposal as shown: its moves, the sites it uses with their state after it, where people come from, its teams and warnings. */
function proposalView(
  plan: Plan,
  { unitOf, siteOf, teams }: Lookups,
  instance: PlacementInstance,
  p: Proposal,
  rank: number,
  q: { date: string; until: string | null; scenarioId: number | null },
): ProposalView {
  const moves = movesOf(instance, p.assignment);
  const preview = plan.withMoves(planMovesOf(moves, q.date, q.scenarioId ?? PREVIEW_SCENARIO, 1_000_000_000));
  // the proposal's moves join the chosen scenario (or a preview scenario of their own)
  const state = preview.state(q.date, q.scenarioId ?? PREVIEW_SCENARIO);
  const usedSites = new Set<number>();
  for (const a of p.assignment.values()) for (const [siteId, n] of a) if (n > 0) usedSites.add(siteId);
  const placedTeams = new Set(instance.teams.map((t) => t.id));
  const placedUnits = new Set(instance.units.map((u) => u.id));
  return {
    rank,
    score: p.score,
    status: p.status,
    date: q.date,
    until: q.until,
    scenario_id: q.scenarioId,
    moves: moves.map((m) => ({
      ...m,
      unit: unitOf(m.unit_id).name,
      team_id: unitOf(m.unit_id).team_id,
      from_site: m.from_site_id === null ? null : siteOf(m.from_site_id).name,
      to_site: siteOf(m.to_site_id).name,
    })),
    sites: state.sites
      .filter((s) => usedSites.has(s.id))
      .map((s) => {
        const site = siteOf(s.id);
        return {
          site_id: s.id,
          name: s.name,
          lat: site.lat,
          lon: site.lon,
          headcount: s.headcount,
          needed: s.needed,
          capacity: s.capacity,
          candidate: site.status === 'candidate',
          step_free: site.step_free === 'yes',
        };
      }),
    origins: [...new Set(moves.map((m) => m.from_site_id).filter((id): id is number => id !== null && !usedSites.has(id)))].map((id) => {
      const site = siteOf(id);
      return { site_id: id, name: site.name, lat: site.lat, lon: site.lon };
    }),
    teams: teamsOf(plan, instance, p.assignment).map((t) => ({ ...t, name: must(teams.get(t.team_id), 'team').name })),
    warnings: state.warnings.filter(
      (w) =>
        PROPOSAL_WARNINGS.has(w.code) &&
        ((w.site_id !== undefined && usedSites.has(w.site_id) && (w.unit_id === undefined || placedUnits.has(w.unit_id))) ||
          (w.site_id === undefined && w.team_id !== undefined && placedTeams.has(w.team_id))),
    ),
    breakdown: p.breakdown,
  };
}

/**
 * The placement assistant: builds the instance from the plan, has it solved (the solver is
 * handed in), presents the proposals, and applies one as a new scenario.
 */
export class PlacementService {
  constructor(
    private readonly planning: PlanningService,
    private readonly repos: Pick<Repos, 'scenarios' | 'units' | 'sites' | 'clock'>,
    private readonly writes: WriteService,
    private readonly placements: PlacementRepo,
    private readonly solve: LpSolve,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /**
   * Whether the user may ask for proposals or apply one: planners only (403); the user who may. Cheap, so the
   * routes ask it before a question is queued for the worker pool (a viewer never occupies a worker).
   */
  mayAsk(user: SessionUser | undefined): SessionUser {
    requirePlanner(user);
    return user;
  }

  async propose(user: SessionUser, req: PlacementRequest): Promise<PlacementAnswer> {
    requirePlanner(user);
    const plan = await this.planning.plan();
    const { scenarioId, unitIds, until } = await this.question(plan, req);

    const rules: PlacementRules = {
      ...DEFAULT_RULES,
      keep_units_whole: req.keep_units_whole ?? true,
      max_sites_per_team: req.max_sites_per_team ?? null,
      step_free: !(req.relax_step_free ?? false),
      within_district: req.within_district ?? false,
    };
    const weights: PlacementWeights = { ...DEFAULT_WEIGHTS, ...req.weights };
    const { instance, empty_unit_ids } = placementInstance(plan, {
      date: req.date,
      until,
      scenario_id: scenarioId,
      unit_ids: unitIds,
      site_ids: req.site_ids ?? null,
      exclude_site_ids: req.exclude_site_ids ?? [],
      exclude_from: req.exclude_from ?? null,
      candidates: req.candidates ?? true,
    });
    const outcome = await solvePlacement(instance, this.solve, {
      rules,
      weights,
      timeLimitS: req.time_limit_s ?? 5,
      proposals: req.proposals ?? 3,
      now: this.clock,
    });

    const lookups = planLookups(plan);
    const q = { date: req.date, until, scenarioId };
    const proposals = outcome.proposals.map((p, i) => proposalView(plan, lookups, instance, p, i + 1, q));
    return {
      date: req.date,
      until,
      scenario_id: scenarioId,
      status: outcome.status,
      solve_ms: outcome.solve_ms,
      proposals,
      reasons: outcome.reasons,
      skipped_unit_ids: empty_unit_ids,
      reduced: outcome.reduced,
      rules,
      weights,
    };
  }

  /** The question checked against the plan: its scenario, the units it places (the chosen teams' and units), its end. */
  private async question(plan: Plan, req: PlacementRequest): Promise<{ scenarioId: number | null; unitIds: number[]; until: string | null }> {
    const scenarioId = req.scenario_id ?? null;
    if (scenarioId !== null && !(await this.repos.scenarios.get(scenarioId))) throw notFound('scenario');
    const teamIds = new Set(req.team_ids ?? []);
    const unknownTeam = [...teamIds].find((id) => !plan.data.teams.some((t) => t.id === id));
    if (unknownTeam !== undefined) throw validation({ team_ids: 'validation.unknown_reference' });
    const unknownUnit = (req.unit_ids ?? []).find((id) => !plan.data.units.some((u) => u.id === id));
    if (unknownUnit !== undefined) throw validation({ unit_ids: 'validation.unknown_unit' });
    const unitIds = [...new Set([...(req.unit_ids ?? []), ...plan.data.units.filter((u) => teamIds.has(u.team_id)).map((u) => u.id)])];
    if (unitIds.length === 0) throw validation({ team_ids: 'validation.placement_who' });
    const until = req.until ?? null;
    if (until !== null && until < req.date) throw validation({ until: 'validation.end_before_start' });
    return { scenarioId, unitIds, until };
  }

  /**
   * A new scenario holding the proposal's moves (and, when the proposal was made in a scenario,
   * that scenario's moves and events too), in one audited transaction; the moves must still fit
   * the ledger (NEGATIVE_HEADCOUNT checked inside the transaction).
   */
  async apply(user: SessionUser, req: ApplyRequest): Promise<{ scenario: Scenario; moves: number }> {
    requirePlanner(user);
    const source = req.scenario_id ?? null;
    if (source !== null && !(await this.repos.scenarios.get(source))) throw notFound('scenario');
    const plan = await this.planning.plan();
    const unitIds = new Set(plan.data.units.map((u) => u.id));
    const siteIds = new Set(plan.data.sites.map((s) => s.id));
    const fields: Record<string, string> = {};
    req.moves.forEach((m, i) => {
      if (!unitIds.has(m.unit_id)) fields[`moves.${i}.unit_id`] = 'validation.unknown_unit';
      if (!siteIds.has(m.to_site_id) || (m.from_site_id !== null && !siteIds.has(m.from_site_id))) fields[`moves.${i}.to_site_id`] = 'validation.unknown_site';
      if (m.from_site_id === m.to_site_id) fields[`moves.${i}.to_site_id`] = 'validation.same_site';
    });
    if (Object.keys(fields).length) throw validation(fields);

    return this.writes
      .transaction(async (trx) => {
        const scenario = await this.repos.scenarios.insert(
          {
            name: req.scenario_name,
            description: null,
            updated_by: user.id,
          },
          trx,
        );
        const now = this.repos.clock();
        const stamp = { created_at: now, updated_at: now, updated_by: user.id, version: 1 };
        if (source !== null) await this.placements.copyScenario(source, scenario.id, stamp, trx);
        const ids = new Set(
          await this.placements.insertMoves(scenario.id, req.date, this.byFloor(plan, req.moves, req.date, source), 'Platzierungsassistent', stamp, trx),
        );
        // the ledger of the new scenario must not move more people than are there
        const ledger = await this.placements.ledger(scenario.id, trx);
        const without = ledger.filter((m) => !ids.has(m.id));
        const bad = introducedNegatives(movesFor(without, scenario.id), movesFor(ledger, scenario.id));
        if (bad.length) throw ruleBroken('NEGATIVE_HEADCOUNT', 'the proposal moves more people than sit there now; nothing was changed', { violations: bad });
        await this.writes.audit(trx, user, 'create', 'scenario', scenario.id, null, {
          ...scenario,
          source: 'placement',
          from_scenario_id: source,
          date: req.date,
          moves: req.moves,
        });
        return { scenario, moves: req.moves.length };
      })
      .catch((e: unknown) => {
        if (e instanceof AppError && e.code === 'DUPLICATE')
          throw new AppError(409, 'DUPLICATE', 'a scenario with this name already exists', { scenario_name: 'validation.duplicate' });
        throw e;
      });
  }

  /**
   * A proposal names sites, not floors: people leaving a site with floors leave the floors they sit
   * on at the date (in the selection the proposal starts from), one move per floor.
   */
  private byFloor(plan: Plan, moves: ApplyRequest['moves'], date: string, scenarioId: number | null): NewScenarioMove[] {
    const from = moves.flatMap((m) => (m.from_site_id !== null ? [m.from_site_id] : []));
    const stacks = plan.stacks(date, scenarioId, from);
    return moves.flatMap((m) =>
      m.from_site_id === null
        ? [m]
        : leavingByFloor(stacks.get(m.from_site_id), m.unit_id, m.headcount).map((part) => ({ ...m, from_floor_id: part.floor_id, headcount: part.headcount })),
    );
  }
}
