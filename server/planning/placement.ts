/**
 * The placement assistant: proposals for where units can go, found by a mixed-integer program
 * (placement-model.ts) and a solver handed in from outside. Pure apart from that solver: the
 * instance comes from a `Plan`, answers are codes and parameters (translated at the edge).
 */
import { distanceToAreaM, maxPairwiseDistanceM } from '../geo/index.js';
import type { Plan } from './engine.js';
import {
  type Assignment,
  type Breakdown,
  type PlacementInstance,
  type PlacementRules,
  type PlacementSite,
  type PlacementTeam,
  type PlacementUnit,
  type PlacementWeights,
  type SitePattern,
  assignmentOf,
  buildLp,
  pairAllowed,
  patternOf,
  scoreAssignment,
  siteOffer,
  violations,
} from './placement-model.js';
import type { PlanMove } from './types.js';
import { must } from '../invariant.js';

/** What a solver reports for one LP-format model. */
export interface LpResult {
  status: 'optimal' | 'time_limit' | 'infeasible' | 'error';
  /** column values of the best solution found (empty when there is none) */
  values: Record<string, number>;
  objective: number | null;
  message?: string;
}
export type LpSolve = (lp: string, options: { timeLimitS: number }) => Promise<LpResult>;

export type PlacementStatus = 'optimal' | 'time_limit' | 'infeasible';

export interface PlacementReason {
  code: string;
  params: Record<string, string | number | null>;
}

export interface Proposal {
  score: number;
  breakdown: Breakdown;
  assignment: Assignment;
  pattern: SitePattern;
  /** optimal: the best under the cuts so far; time_limit: the best found in time */
  status: 'optimal' | 'time_limit';
}

export interface PlacementOutcome {
  status: PlacementStatus;
  proposals: Proposal[];
  reasons: PlacementReason[];
  solve_ms: number;
  /** models solved (proposals and diagnosis) */
  solves: number;
  columns: number;
  /** units were limited to their cheapest sites (the model was too large to take every pair) */
  reduced: boolean;
}

export interface SolveOptions {
  rules: PlacementRules;
  weights: PlacementWeights;
  /** total time for all proposals (seconds) */
  timeLimitS: number;
  /** how many different proposals (1..3) */
  proposals: number;
  /** a monotonic clock in milliseconds (handed in; the engine owns no clock) */
  now: () => number;
}

/**
 * Up to `proposals` different placements, best first; each later one uses a different set of
 * sites for at least one team (a no-good cut on the team–site pattern of every earlier one).
 */
export async function solvePlacement(instance: PlacementInstance, solve: LpSolve, options: SolveOptions): Promise<PlacementOutcome> {
  const start = options.now();
  const remaining = () => Math.max(0.05, options.timeLimitS - (options.now() - start) / 1000);
  const wanted = Math.max(1, Math.min(3, options.proposals));
  /**
   * The solver's share of what is left for proposal n: reading the model and building the next one
   * take time too (a tenth is kept back), and the first proposal gets more than the later ones.
   */
  const budget = (n: number) => {
    const left = remaining() * 0.9;
    const share = wanted - n === 1 ? 1 : n === 0 ? 0.6 : 0.5;
    return Math.max(0.05, left * share);
  };
  const proposals: Proposal[] = [];
  let status: PlacementStatus = 'optimal';
  let solves = 0;
  let columns = 0;
  let reduced = false;
  if (instance.units.length === 0) {
    return { status: 'infeasible', proposals, reasons: [{ code: 'NOTHING_TO_PLACE', params: {} }], solve_ms: 0, solves, columns, reduced: false };
  }
  for (let n = 0; n < wanted; n++) {
    if (n > 0 && (options.now() - start) / 1000 >= options.timeLimitS) break;
    const model = buildLp(
      instance,
      options.rules,
      options.weights,
      proposals.map((p) => p.pattern),
    );
    columns = Math.max(columns, model.columns);
    reduced ||= model.reduced;
    const result = await solve(model.text, { timeLimitS: budget(n) });
    solves++;
    const hasSolution = (result.status === 'optimal' || result.status === 'time_limit') && Object.keys(result.values).length > 0;
    if (!hasSolution) {
      if (n === 0) status = result.status === 'time_limit' ? 'time_limit' : 'infeasible';
      break;
    }
    const assignment = assignmentOf(instance, model, result.values);
    // never hand out a proposal that breaks a hard rule, whatever the solver said
    if (violations(instance, assignment, options.rules).length) {
      if (n === 0) status = 'time_limit';
      break;
    }
    const { score, breakdown } = scoreAssignment(instance, assignment, options.weights);
    proposals.push({ score, breakdown, assignment, pattern: patternOf(instance, assignment), status: result.status === 'optimal' ? 'optimal' : 'time_limit' });
    if (result.status === 'time_limit') status = 'time_limit';
  }
  proposals.sort((a, b) => a.score - b.score);
  let reasons: PlacementReason[] = [];
  if (proposals.length === 0 && status === 'infeasible') {
    const diag = await diagnose(instance, solve, options, () => Math.min(2, remaining()));
    reasons = diag.reasons;
    solves += diag.solves;
  } else if (proposals.length === 0) {
    reasons = [{ code: 'TIME_LIMIT', params: { seconds: options.timeLimitS } }];
  }
  return { status, proposals, reasons, solve_ms: Math.round(options.now() - start), solves, columns, reduced };
}

/** Relaxations tried one at a time to name the rule that cannot be met. */
const RELAXATIONS: { rule: string; active: (r: PlacementRules) => boolean; relax: (r: PlacementRules) => PlacementRules }[] = [
  { rule: 'step_free', active: (r) => r.step_free, relax: (r) => ({ ...r, step_free: false }) },
  { rule: 'max_sites', active: (r) => r.max_sites_per_team !== null, relax: (r) => ({ ...r, max_sites_per_team: null }) },
  { rule: 'within_district', active: (r) => r.within_district, relax: (r) => ({ ...r, within_district: false }) },
  { rule: 'window', active: (r) => r.window, relax: (r) => ({ ...r, window: false }) },
  { rule: 'availability', active: (r) => r.availability, relax: (r) => ({ ...r, availability: false }) },
  { rule: 'whole_units', active: (r) => r.keep_units_whole, relax: (r) => ({ ...r, keep_units_whole: false }) },
];

async function diagnose(
  instance: PlacementInstance,
  solve: LpSolve,
  options: SolveOptions,
  budget: () => number,
): Promise<{ reasons: PlacementReason[]; solves: number }> {
  const rules = options.rules;
  const teamName = (id: number) => instance.teams.find((t) => t.id === id)?.name ?? String(id);
  const reasons = unplaceable(instance, rules, teamName);
  if (reasons.length) return { reasons, solves: 0 };

  // 3. relax one rule at a time: the rules whose relaxation makes it solvable are the ones to name
  let solves = 0;
  for (const r of RELAXATIONS) {
    if (!r.active(rules)) continue;
    const relaxed = r.relax(rules);
    const model = buildLp(instance, relaxed, options.weights);
    const result = await solve(model.text, { timeLimitS: budget() });
    solves++;
    if (result.status === 'optimal' || (result.status === 'time_limit' && Object.keys(result.values).length)) {
      reasons.push({ code: `RULE_${r.rule.toUpperCase()}`, params: ruleParams(r.rule, instance, rules, teamName) });
    }
  }
  if (reasons.length) return { reasons, solves };
  // 4. no single rule: there are not enough places at all, or only several relaxations together help
  const needed = needOf(instance.units);
  let free = 0;
  for (const s of instance.sites) {
    const o = siteOffer(s, rules);
    if (o.usable) free += Math.max(0, Math.floor(o.free + 1e-6));
  }
  if (free < needed) return { reasons: [{ code: 'CAPACITY', params: { needed, free } }], solves };
  return { reasons: [{ code: 'RULES_TOGETHER', params: {} }], solves };
}

/** The people needed desks for (a unit's headcount times its desk ratio), whole desks. */
const needOf = (units: PlacementUnit[]) => Math.ceil(Math.round(units.reduce((n, u) => n + u.headcount * u.desk_ratio, 0) * 1000) / 1000);

/**
 * 1. a team that must sit at one site and has no site big enough, else 2. a unit that fits nowhere on its
 * own; each with the single relaxations that would give it a site.
 */
function unplaceable(instance: PlacementInstance, rules: PlacementRules, teamName: (id: number) => string): PlacementReason[] {
  const reasons: PlacementReason[] = [];
  /** The sites where all of `members` fit together under the rules. */
  const fitting = (members: PlacementUnit[], needed: number, r: PlacementRules, allowed: (s: PlacementSite) => boolean) =>
    instance.sites.filter(
      (s) => allowed(s) && members.every((u) => pairAllowed(instance, u, s, { ...r, keep_units_whole: false })) && needed <= siteOffer(s, r).free + 1e-6,
    );
  /** Which single relaxation would give the group a site, said as reasons. */
  const hints = (members: PlacementUnit[], needed: number, allowed: (s: PlacementSite) => boolean): PlacementReason[] => {
    const out: PlacementReason[] = [];
    for (const x of RELAXATIONS) {
      if (!x.active(rules) || x.rule === 'max_sites' || x.rule === 'whole_units') continue;
      const found = fitting(members, needed, x.relax(rules), allowed);
      if (!found.length) continue;
      const params = ruleParams(x.rule, instance, rules, teamName);
      if (x.rule === 'availability' || x.rule === 'window') params.sites = found.map((s) => s.name).join(', ');
      out.push({ code: `RULE_${x.rule.toUpperCase()}`, params });
    }
    return out;
  };

  // 1. a team that must sit at one site and has no site big enough (with its other hard rules)
  if (rules.max_sites_per_team === 1) {
    for (const team of instance.teams) {
      const members = instance.units.filter((u) => u.team_id === team.id);
      const needed = needOf(members);
      const stepFree = rules.step_free && members.some((u) => u.public_facing);
      const allowed = (s: PlacementSite) => team.fixed_site_ids.length === 0 || (team.fixed_site_ids.length === 1 && team.fixed_site_ids[0] === s.id);
      if (!fitting(members, needed, rules, allowed).length) {
        reasons.push({
          code: 'NO_SITE_FOR_TEAM',
          params: { team: team.name, needed, step_free: stepFree ? 1 : 0, district: rules.within_district ? team.district_name : null },
        });
        reasons.push(...hints(members, needed, allowed));
      }
    }
  }
  // 2. a unit that fits nowhere on its own
  if (reasons.length === 0) {
    for (const u of instance.units) {
      const needed = rules.keep_units_whole ? needOf([u]) : 1;
      if (!fitting([u], needed, rules, () => true).length) {
        const team = must(
          instance.teams.find((t) => t.id === u.team_id),
          'team of the unit',
        );
        reasons.push({
          code: 'NO_SITE_FOR_UNIT',
          params: {
            unit: u.name,
            team: team.name,
            needed,
            step_free: rules.step_free && u.public_facing ? 1 : 0,
            district: rules.within_district ? team.district_name : null,
          },
        });
        reasons.push(...hints([u], needed, () => true));
      }
    }
  }
  return reasons;
}

/** What a relaxation's reason names: the public-facing units for step-free access, the teams for the district rule. */
function ruleParams(rule: string, instance: PlacementInstance, rules: PlacementRules, teamName: (id: number) => string): PlacementReason['params'] {
  switch (rule) {
    case 'step_free': {
      // each service once; with its team where the question spans several (two teams have an „Erstanlaufstelle“)
      const units = [...new Map(instance.units.filter((u) => u.public_facing).map((u) => [u.id, u])).values()];
      const teams = new Set(instance.units.map((u) => u.team_id)).size;
      return { units: units.map((u) => (teams > 1 ? `${u.name} (${teamName(u.team_id)})` : u.name)).join(', ') };
    }
    case 'max_sites':
      return { max: rules.max_sites_per_team };
    case 'within_district':
      return { teams: [...new Set(instance.units.map((u) => teamName(u.team_id)))].join(', ') };
    default:
      return {};
  }
}

// ---------------------------------------------------------------------------------------------
// From the plan to an instance, and from a proposal back to moves

export interface PlacementQuery {
  date: string;
  /** the last day of the window the placement must hold for (inclusive); null: the date only */
  until: string | null;
  scenario_id: number | null;
  unit_ids: number[];
  /** the sites to consider (null: every site, candidates included when `candidates`) */
  site_ids: number[] | null;
  /** sites that are no option (a what-if: the site is lost from the date, or from `exclude_from`) */
  exclude_site_ids?: number[];
  /** the day the excluded sites are lost, when later than the date: they serve until then, and the placement must hold on that day too */
  exclude_from?: string | null;
  candidates: boolean;
}

export interface PlacementContext {
  instance: PlacementInstance;
  /** requested units with nobody to place at the date */
  empty_unit_ids: number[];
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

/** The instance for a query: who sits where at the date, and what every site has left over the window. */
export function placementInstance(plan: Plan, q: PlacementQuery): PlacementContext {
  const lost = lossDate(q);
  // sites lost on a later day: the placement must hold until that day too (plan.states sorts the dates)
  const until = lost && lost > (q.until ?? q.date) ? lost : q.until;
  const dates = [q.date, ...(until ? plan.changeDates(q.date, until, q.scenario_id) : [])];
  if (lost && !dates.includes(lost)) dates.push(lost);
  const states = plan.states(dates, q.scenario_id, false);
  const first = states[0];
  const placed = new Set(q.unit_ids);
  const unitsById = new Map(plan.data.units.map((u) => [u.id, u]));
  const teamsById = new Map(plan.data.teams.map((t) => [t.id, t]));
  const { units, empty } = placementUnits(q, first, placed, unitsById);
  const sites = placementSites(plan, q, states, placed, unitsById);
  const teams = placementTeams(plan, units, sites, first, placed, teamsById);
  return { instance: { units, sites, teams }, empty_unit_ids: empty };
}

type PlanStates = ReturnType<Plan['states']>;
type PlanUnit = Plan['data']['units'][number];
type PlanTeam = Plan['data']['teams'][number];

/** The requested units with where their people sit at the date; those with nobody there apart. */
function placementUnits(
  q: PlacementQuery,
  first: PlanStates[number],
  placed: Set<number>,
  unitsById: Map<number, PlanUnit>,
): { units: PlacementUnit[]; empty: number[] } {
  const current = new Map<number, { site_id: number; headcount: number }[]>();
  for (const st of first.sites) {
    for (const u of st.units) {
      if (!placed.has(u.unit_id) || u.headcount <= 0) continue;
      const list = current.get(u.unit_id) ?? [];
      list.push({ site_id: st.id, headcount: u.headcount });
      current.set(u.unit_id, list);
    }
  }
  const units: PlacementUnit[] = [];
  const empty: number[] = [];
  for (const id of q.unit_ids) {
    const u = unitsById.get(id);
    if (!u) continue;
    const cur = current.get(id) ?? [];
    const headcount = cur.reduce((n, c) => n + c.headcount, 0);
    if (headcount <= 0) {
      empty.push(id);
      continue;
    }
    units.push({ id, name: u.name, team_id: u.team_id, headcount, desk_ratio: u.desk_ratio, public_facing: u.public_facing, current: cur });
  }
  return { units, empty };
}

/** The day the excluded sites are lost when it is later than the question's date (else they are no option at all). */
function lossDate(q: PlacementQuery): string | null {
  return q.exclude_from && q.exclude_from > q.date && q.exclude_site_ids?.length ? q.exclude_from : null;
}

/** The sites to consider, with what each has left (for the placed units) at the date and over the window. */
function placementSites(plan: Plan, q: PlacementQuery, states: PlanStates, placed: Set<number>, unitsById: Map<number, PlanUnit>): PlacementSite[] {
  const wanted = q.site_ids ? new Set(q.site_ids) : null;
  const excluded = new Set(q.exclude_site_ids ?? []);
  const lost = lossDate(q);
  const sites: PlacementSite[] = [];
  for (const s of plan.data.sites) {
    // lost from the date: no option; lost later: closed from that day on
    if (excluded.has(s.id) && !lost) continue;
    const offerAt = (date: string) =>
      lost && excluded.has(s.id) && date >= lost ? { capacity: 0, available: false } : plan.offerAt(s.id, date, q.scenario_id);
    if (wanted ? !wanted.has(s.id) : s.status === 'candidate' && !q.candidates) continue;
    // a closed building is no option (nor a suggestion when explaining), unless asked for by id or reopened in the window
    if (!wanted && s.status === 'closed' && states.every((st) => !plan.offerAt(s.id, st.date, q.scenario_id).available)) continue;
    let free = Number.POSITIVE_INFINITY;
    let available = true;
    let freeAtDate = 0;
    let availableAtDate = false;
    let freeIfAvailable = Number.POSITIVE_INFINITY;
    states.forEach((st, i) => {
      const state = must(
        st.sites.find((x) => x.id === s.id),
        'site state',
      );
      let others = 0;
      for (const u of state.units) {
        if (placed.has(u.unit_id) || u.headcount <= 0) continue;
        others += u.headcount * (unitsById.get(u.unit_id)?.desk_ratio ?? 1);
      }
      const offer = offerAt(st.date);
      const left = r3(offer.capacity - others);
      if (!offer.available) available = false;
      free = Math.min(free, offer.available ? left : 0);
      freeIfAvailable = Math.min(freeIfAvailable, r3((offer.available ? offer.capacity : s.capacity) - others));
      if (i === 0) {
        freeAtDate = offer.available ? left : 0;
        availableAtDate = offer.available;
      }
    });
    sites.push({
      id: s.id,
      name: s.name,
      free: available ? free : 0,
      available,
      free_at_date: freeAtDate,
      available_at_date: availableAtDate,
      free_if_available: freeIfAvailable,
      step_free: s.step_free === 'yes',
      candidate: s.status === 'candidate',
    });
  }
  return sites;
}

/** The placed units' teams: the sites their other units keep, and how far each site lies outside a district team's district. */
function placementTeams(
  plan: Plan,
  units: PlacementUnit[],
  sites: PlacementSite[],
  first: PlanStates[number],
  placed: Set<number>,
  teamsById: Map<number, PlanTeam>,
): PlacementTeam[] {
  const teamIds = [...new Set(units.map((u) => u.team_id))];
  const districts = new Map(plan.data.districts.map((d) => [d.id, d]));
  return teamIds.map((id) => {
    const t = must(teamsById.get(id), 'team');
    const fixed = new Set<number>();
    for (const st of first.sites) for (const u of st.units) if (u.team_id === id && !placed.has(u.unit_id) && u.headcount > 0) fixed.add(st.id);
    const district = t.kind === 'district' && t.district_id !== null ? districts.get(t.district_id) : undefined;
    const kmOutside: Record<number, number> = {};
    if (district) {
      for (const s of sites) {
        const site = must(
          plan.data.sites.find((x) => x.id === s.id),
          'site',
        );
        if (plan.districtOfSite(s.id) === district.id) {
          kmOutside[s.id] = 0;
          continue;
        }
        kmOutside[s.id] = district.geometry ? Math.round(distanceToAreaM(district.geometry, site) / 10) / 100 : 0;
      }
    }
    return {
      id,
      name: t.name,
      district_id: district ? district.id : null,
      district_name: district?.name ?? null,
      fixed_site_ids: [...fixed].sort((a, b) => a - b),
      km_outside: kmOutside,
    };
  });
}

export interface ProposalMove {
  unit_id: number;
  from_site_id: number | null;
  to_site_id: number;
  headcount: number;
}

/** The moves that turn today's seating into the proposal's: per unit, people leave where they have too many for where they have too few. */
export function movesOf(instance: PlacementInstance, assignment: Assignment): ProposalMove[] {
  const out: ProposalMove[] = [];
  for (const u of instance.units) {
    const target = assignment.get(u.id) ?? new Map<number, number>();
    const surplus: { site_id: number; n: number }[] = [];
    const deficit: { site_id: number; n: number }[] = [];
    const siteIds = new Set([...target.keys(), ...u.current.map((c) => c.site_id)]);
    for (const id of [...siteIds].sort((a, b) => a - b)) {
      const now = u.current.find((c) => c.site_id === id)?.headcount ?? 0;
      const then = target.get(id) ?? 0;
      if (now > then) surplus.push({ site_id: id, n: now - then });
      else if (then > now) deficit.push({ site_id: id, n: then - now });
    }
    for (const d of deficit) {
      while (d.n > 0 && surplus.length) {
        const s = surplus[0];
        const n = Math.min(s.n, d.n);
        out.push({ unit_id: u.id, from_site_id: s.site_id, to_site_id: d.site_id, headcount: n });
        s.n -= n;
        d.n -= n;
        if (s.n === 0) surplus.shift();
      }
    }
  }
  return out;
}

/** The ledger moves of a proposal (as a scenario of its own: `scenarioId`), temporary until the window's end when it has one. */
export function planMovesOf(moves: readonly ProposalMove[], date: string, scenarioId: number, firstId: number): PlanMove[] {
  return moves.map((m, i) => ({
    id: firstId + i,
    unit_id: m.unit_id,
    from_site_id: m.from_site_id,
    to_site_id: m.to_site_id,
    headcount: m.headcount,
    date,
    until: null,
    status: 'proposed',
    scenario_id: scenarioId,
  }));
}

/** The sites a team uses in the proposal, and how far apart they are. */
export function teamsOf(plan: Plan, instance: PlacementInstance, assignment: Assignment) {
  const sites = new Map(plan.data.sites.map((s) => [s.id, s]));
  return patternOf(instance, assignment).map((p) => ({
    team_id: p.team_id,
    site_ids: p.site_ids,
    max_distance_m: maxPairwiseDistanceM(p.site_ids.map((id) => must(sites.get(id), 'site'))),
  }));
}
