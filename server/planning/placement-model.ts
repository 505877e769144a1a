/**
 * The placement assistant's model: which units go to which sites, as a mixed-integer program
 * written in the LP file format, and the independent scoring of an assignment.
 * Pure: no I/O, no solver here (the solver is handed in; see placement.ts).
 *
 * Decision variables (indices into the instance's arrays, never ids, so names stay short):
 *   y{u}_{s}  binary   unit u sits wholly at site s          (keep_units_whole)
 *   x{u}_{s}  integer  people of unit u at site s, 0..h_u    (otherwise)
 *   k{u}_{s}  ≤ c_us   people of unit u who stay at their current site s (split units only)
 *   z{t}_{s}  binary   team t uses site s
 */
import { must } from '../invariant.js';

export interface PlacementWeights {
  /** per person who changes site */
  moved_person: number;
  /** per site a team uses beyond its first */
  extra_site: number;
  /** per person and kilometre that a district team's site lies outside its district */
  km_outside_district: number;
  /** per person of a public-facing unit at a site not known to be step-free (when that rule is relaxed) */
  not_step_free: number;
  /** per person placed in a candidate building rather than in free places of existing sites */
  candidate_place: number;
}

export const DEFAULT_WEIGHTS: PlacementWeights = {
  moved_person: 1,
  extra_site: 20,
  km_outside_district: 2,
  not_step_free: 10,
  candidate_place: 0.5,
};

export const WEIGHT_NAMES = Object.keys(DEFAULT_WEIGHTS) as (keyof PlacementWeights)[];

export interface PlacementUnit {
  id: number;
  name: string;
  team_id: number;
  /** people to place (the unit's headcount at the date) */
  headcount: number;
  desk_ratio: number;
  public_facing: boolean;
  /** where the unit's people sit now */
  current: { site_id: number; headcount: number }[];
}

export interface PlacementSite {
  id: number;
  name: string;
  /** workplaces left for the placed units over the whole window (0 when unavailable) */
  free: number;
  available: boolean;
  /** the same at the first day only (for explaining a window that fails) */
  free_at_date: number;
  available_at_date: boolean;
  /** workplaces left if the site were available (for explaining availability) */
  free_if_available: number;
  step_free: boolean;
  candidate: boolean;
}

export interface PlacementTeam {
  id: number;
  name: string;
  district_name: string | null;
  /** the district of a district team, else null */
  district_id: number | null;
  /** sites where members of the team that are not being placed sit (they count as used) */
  fixed_site_ids: number[];
  /** kilometres from each site (by id) to the team's district; 0 inside it; absent for central teams */
  km_outside: Record<number, number>;
}

export interface PlacementInstance {
  units: PlacementUnit[];
  sites: PlacementSite[];
  teams: PlacementTeam[];
}

/** The rules a planner can relax (hard rules when on). */
export interface PlacementRules {
  keep_units_whole: boolean;
  /** at most this many sites per team (null: no limit) */
  max_sites_per_team: number | null;
  /** public-facing units only at step-free sites (when false: a soft penalty instead) */
  step_free: boolean;
  /** a district team's units only at sites inside its district */
  within_district: boolean;
  /** availability and capacity over the whole window (false: at the date only) */
  window: boolean;
  /** only sites available at the date (false: any site, as if available; used for explaining) */
  availability: boolean;
  /** capacity (false only for explaining: how many places would be needed) */
  capacity: boolean;
}

export const DEFAULT_RULES: PlacementRules = {
  keep_units_whole: true,
  max_sites_per_team: null,
  step_free: true,
  within_district: false,
  window: true,
  availability: true,
  capacity: true,
};

/** people per (unit id → site id → headcount) */
export type Assignment = Map<number, Map<number, number>>;

export interface ScoreLine {
  amount: number;
  weight: number;
  cost: number;
}
export type Breakdown = Record<keyof PlacementWeights, ScoreLine>;

const EPS = 1e-6;

/** What a site offers under a set of rules: usable or not, and the workplaces left. */
export function siteOffer(site: PlacementSite, rules: PlacementRules): { usable: boolean; free: number } {
  if (!rules.availability) return { usable: true, free: rules.capacity ? site.free_if_available : Number.POSITIVE_INFINITY };
  const usable = rules.window ? site.available : site.available_at_date;
  const free = rules.window ? site.free : site.free_at_date;
  return { usable, free: rules.capacity ? free : Number.POSITIVE_INFINITY };
}

const teamIndexCache = new WeakMap<PlacementInstance, Map<number, PlacementTeam>>();
function teamOf(instance: PlacementInstance, id: number): PlacementTeam | undefined {
  let m = teamIndexCache.get(instance);
  if (!m) {
    m = new Map(instance.teams.map((t) => [t.id, t]));
    teamIndexCache.set(instance, m);
  }
  return m.get(id);
}

/** Whether unit u may sit at site s at all under the rules (capacity aside). */
export function pairAllowed(instance: PlacementInstance, unit: PlacementUnit, site: PlacementSite, rules: PlacementRules): boolean {
  const offer = siteOffer(site, rules);
  if (!offer.usable) return false;
  if (rules.step_free && unit.public_facing && !site.step_free) return false;
  if (rules.within_district) {
    const team = teamOf(instance, unit.team_id);
    if (team && team.district_id !== null && (team.km_outside[site.id] ?? 0) > 0) return false;
  }
  // a whole unit that can never fit is left out of the model
  if (rules.keep_units_whole && unit.headcount * unit.desk_ratio > offer.free + EPS) return false;
  return true;
}

/** Scores an assignment: the breakdown by soft rule, and the total. Used for every proposal. */
export function scoreAssignment(instance: PlacementInstance, assignment: Assignment, weights: PlacementWeights): { score: number; breakdown: Breakdown } {
  const sites = new Map(instance.sites.map((s) => [s.id, s]));
  let moved = 0;
  let km = 0;
  let notStepFree = 0;
  let candidate = 0;
  const teamSites = new Map<number, Set<number>>(instance.teams.map((t) => [t.id, new Set(t.fixed_site_ids)]));
  const teams = new Map(instance.teams.map((t) => [t.id, t]));
  for (const u of instance.units) {
    const at = assignment.get(u.id) ?? new Map<number, number>();
    let stays = 0;
    for (const [siteId, n] of at) {
      if (n <= 0) continue;
      const cur = u.current.find((c) => c.site_id === siteId)?.headcount ?? 0;
      stays += Math.min(cur, n);
      const s = must(sites.get(siteId), 'site of the assignment');
      const team = teams.get(u.team_id);
      if (team && team.district_id !== null) km += n * (team.km_outside[siteId] ?? 0);
      if (u.public_facing && !s.step_free) notStepFree += n;
      if (s.candidate) candidate += n;
      teamSites.get(u.team_id)?.add(siteId);
    }
    moved += u.headcount - stays;
  }
  let extra = 0;
  for (const set of teamSites.values()) if (set.size > 1) extra += set.size - 1;
  const line = (amount: number, weight: number): ScoreLine => ({ amount: round6(amount), weight, cost: round6(amount * weight) });
  const breakdown: Breakdown = {
    moved_person: line(moved, weights.moved_person),
    extra_site: line(extra, weights.extra_site),
    km_outside_district: line(km, weights.km_outside_district),
    not_step_free: line(notStepFree, weights.not_step_free),
    candidate_place: line(candidate, weights.candidate_place),
  };
  const score = round6(Object.values(breakdown).reduce((sum, l) => sum + l.cost, 0));
  return { score, breakdown };
}

export interface RuleViolation {
  rule: 'capacity' | 'availability' | 'step_free' | 'max_sites' | 'within_district' | 'whole_unit' | 'headcount';
  unit_id?: number;
  site_id?: number;
  team_id?: number;
}

/** Every hard rule an assignment breaks (empty when it keeps them all). Independent of the model. */
export function violations(instance: PlacementInstance, assignment: Assignment, rules: PlacementRules): RuleViolation[] {
  const out: RuleViolation[] = [];
  const sites = new Map(instance.sites.map((s) => [s.id, s]));
  const used = new Map<number, number>();
  const teamSites = new Map<number, Set<number>>(instance.teams.map((t) => [t.id, new Set(t.fixed_site_ids)]));
  for (const u of instance.units) {
    const at = assignment.get(u.id) ?? new Map<number, number>();
    let total = 0;
    let count = 0;
    for (const [siteId, n] of at) {
      if (n <= 0) continue;
      if (!Number.isInteger(n)) out.push({ rule: 'headcount', unit_id: u.id, site_id: siteId });
      total += n;
      count++;
      const s = sites.get(siteId);
      if (!s || !siteOffer(s, rules).usable) {
        out.push({ rule: 'availability', unit_id: u.id, site_id: siteId });
        continue;
      }
      if (rules.step_free && u.public_facing && !s.step_free) out.push({ rule: 'step_free', unit_id: u.id, site_id: siteId });
      const team = instance.teams.find((t) => t.id === u.team_id);
      if (rules.within_district && team && team.district_id !== null && (team.km_outside[siteId] ?? 0) > 0)
        out.push({ rule: 'within_district', unit_id: u.id, site_id: siteId });
      used.set(siteId, (used.get(siteId) ?? 0) + n * u.desk_ratio);
      teamSites.get(u.team_id)?.add(siteId);
    }
    if (total !== u.headcount) out.push({ rule: 'headcount', unit_id: u.id });
    if (rules.keep_units_whole && count > 1) out.push({ rule: 'whole_unit', unit_id: u.id });
  }
  for (const [siteId, need] of used) {
    const s = sites.get(siteId);
    if (s && need > siteOffer(s, rules).free + EPS) out.push({ rule: 'capacity', site_id: siteId });
  }
  if (rules.max_sites_per_team !== null) {
    for (const [teamId, set] of teamSites) if (set.size > rules.max_sites_per_team) out.push({ rule: 'max_sites', team_id: teamId });
  }
  return out;
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
/** A coefficient as LP text (no exponent notation, no "-0"). */
const num = (x: number) => {
  const r = round6(x);
  return r === 0 ? '0' : String(r);
};

/** A (team → site ids) pattern of a solution; proposals differ in it. */
export type SitePattern = { team_id: number; site_ids: number[] }[];

/**
 * Whether a pattern counts as different from an earlier one: some team gave up a site it used
 * there (sites its members outside the placement occupy do not count).
 */
export function differsFrom(instance: PlacementInstance, pattern: SitePattern, earlier: SitePattern): boolean {
  const now = new Set(pattern.flatMap((p) => p.site_ids.map((s) => `${p.team_id}_${s}`)));
  const fixed = new Set(instance.teams.flatMap((t) => t.fixed_site_ids.map((s) => `${t.id}_${s}`)));
  const pairs = earlier.flatMap((p) => p.site_ids.map((s) => `${p.team_id}_${s}`)).filter((k) => !fixed.has(k));
  return pairs.some((k) => !now.has(k));
}

export interface LpModel {
  text: string;
  /** every site a unit may go to, by unit index: [siteIndex...] */
  pairs: number[][];
  /** unit index → whether the unit is placed as a whole */
  whole: boolean;
  /** number of variables (for the record) */
  columns: number;
  /** constant added to the LP objective to get the score */
  offset: number;
  /** whether units were limited to their cheapest sites (a large model) */
  reduced: boolean;
}

/**
 * Builds the LP-format text of the placement MIP. `exclude` holds the site patterns of earlier
 * proposals: each adds a no-good cut so the next solution uses a different set of sites for some team.
 */
/**
 * Models larger than this many (unit, site) pairs keep, per unit, only its cheapest sites by its own
 * costs (its current sites, distance outside the district, steps, candidates) — the standard
 * candidate-list reduction; answers then say they were reduced.
 */
export const MAX_PAIRS = 6_000;
const MIN_SITES_PER_UNIT = 25;

/** A unit's own cost per person at a site (what the short list ranks by). */
function unitCost(instance: PlacementInstance, u: PlacementUnit, s: PlacementSite, weights: PlacementWeights, team: PlacementTeam | undefined): number {
  let c = 0;
  if (team && team.district_id !== null) c += weights.km_outside_district * (team.km_outside[s.id] ?? 0);
  if (u.public_facing && !s.step_free) c += weights.not_step_free;
  if (s.candidate) c += weights.candidate_place;
  const cur = u.current.find((x) => x.site_id === s.id)?.headcount ?? 0;
  return c * u.headcount - weights.moved_person * cur;
}

/** The `k` cheapest of a unit's allowed sites (indices), its current sites and its team's sites always among them. */
function shortList(instance: PlacementInstance, u: PlacementUnit, allowed: number[], weights: PlacementWeights, k: number): number[] {
  if (allowed.length <= k) return allowed;
  const team = instance.teams.find((t) => t.id === u.team_id);
  const keep = new Set<number>([...u.current.map((c) => c.site_id), ...(team?.fixed_site_ids ?? [])]);
  const ranked = allowed
    .map((j) => {
      const s = instance.sites[j];
      return { j, must: keep.has(s.id), cost: unitCost(instance, u, s, weights, team), room: s.free };
    })
    .sort((a, b) => Number(b.must) - Number(a.must) || a.cost - b.cost || b.room - a.room || a.j - b.j);
  return ranked
    .slice(0, Math.max(k, ranked.filter((r) => r.must).length))
    .map((r) => r.j)
    .sort((a, b) => a - b);
}

/** The model being written: its parts as LP-format lines, and what reading the solution back needs. */
interface LpDraft {
  instance: PlacementInstance;
  rules: PlacementRules;
  weights: PlacementWeights;
  whole: boolean;
  pairs: number[][];
  teamIndex: Map<number, number>;
  siteIndex: Map<number, number>;
  obj: string[];
  rows: string[];
  bounds: string[];
  binaries: string[];
  generals: string[];
  offset: number;
  columns: number;
  /** per site index: the terms of the workplaces it gives */
  siteLoad: Map<number, string[]>;
  /** per "team index_site index": the variables of the team's units there */
  teamSiteVars: Map<string, { t: number; j: number; vars: string[] }>;
  /** team–site pairs occupied by the team's members outside the placement */
  fixed: Set<string>;
  /** the z variable of each team–site pair that has one */
  zOf: Map<string, string>;
}

const addTerm = (list: string[], coef: number, name: string) => {
  if (Math.abs(coef) < 1e-9) return;
  list.push(`${coef < 0 ? '-' : '+'} ${num(Math.abs(coef))} ${name}`);
};

/** The (unit, site) pairs of the model: every allowed one, or each unit's short list when there are too many. */
function modelPairs(instance: PlacementInstance, rules: PlacementRules, weights: PlacementWeights, maxPairs: number): { pairs: number[][]; reduced: boolean } {
  const { units, sites } = instance;
  const allowed: number[][] = units.map((u) => {
    const out: number[] = [];
    sites.forEach((s, j) => {
      if (pairAllowed(instance, u, s, rules)) out.push(j);
    });
    return out;
  });
  const total = allowed.reduce((n, list) => n + list.length, 0);
  const reduced = total > maxPairs;
  const pairs = reduced
    ? allowed.map((list, i) => shortList(instance, units[i], list, weights, Math.max(MIN_SITES_PER_UNIT, Math.floor(maxPairs / units.length))))
    : allowed;
  return { pairs, reduced };
}

/** A unit's columns: where its people go, what that costs, and that all of them go somewhere. */
function writeUnit(d: LpDraft, i: number): void {
  const {
    instance: { units, sites, teams },
    weights,
    whole,
    obj,
    rows,
    bounds,
    binaries,
    generals,
    siteLoad,
    teamSiteVars,
  } = d;
  const pv = (j: number) => (whole ? `y${i}_${j}` : `x${i}_${j}`);
  const u = units[i];
  const ti = must(d.teamIndex.get(u.team_id), 'team of the unit');
  const team = teams[ti];
  const assign: string[] = [];
  d.offset += weights.moved_person * u.headcount;
  for (const j of d.pairs[i]) {
    const s = sites[j];
    const v = pv(j);
    d.columns++;
    if (whole) binaries.push(v);
    else {
      generals.push(v);
      bounds.push(`0 <= ${v} <= ${u.headcount}`);
    }
    assign.push(`+ ${v}`);
    const people = whole ? u.headcount : 1;
    // soft costs per person
    let perPerson = 0;
    if (team.district_id !== null) perPerson += weights.km_outside_district * (team.km_outside[s.id] ?? 0);
    if (u.public_facing && !s.step_free) perPerson += weights.not_step_free;
    if (s.candidate) perPerson += weights.candidate_place;
    const cur = u.current.find((c) => c.site_id === s.id)?.headcount ?? 0;
    let coef = perPerson * people;
    if (cur > 0) {
      if (whole) coef -= weights.moved_person * cur;
      else {
        const k = `k${i}_${j}`;
        d.columns++;
        bounds.push(`0 <= ${k} <= ${cur}`);
        rows.push(`stay${i}_${j}: ${k} - ${v} <= 0`);
        addTerm(obj, -weights.moved_person, k);
      }
    }
    addTerm(obj, coef, v);
    const load = siteLoad.get(j) ?? [];
    load.push(`+ ${num(u.desk_ratio * people)} ${v}`);
    siteLoad.set(j, load);
    const key = `${ti}_${j}`;
    const ts = teamSiteVars.get(key) ?? { t: ti, j, vars: [] };
    ts.vars.push(v);
    teamSiteVars.set(key, ts);
  }
  if (assign.length === 0) rows.push(`assign${i}: 0 x_none = ${u.headcount}`);
  else rows.push(`assign${i}: ${assign.join(' ')} = ${whole ? 1 : u.headcount}`);
}

/** Capacity rows, and the team–site binaries with their links and costs. */
function writeSites(d: LpDraft): void {
  const {
    instance: { units, sites, teams },
    rules,
    weights,
    whole,
    obj,
    rows,
    binaries,
    siteLoad,
    teamSiteVars,
    fixed,
    zOf,
  } = d;
  // capacity: Σ desk_ratio × people ≤ workplaces left (⌈needed⌉ ≤ capacity ⇔ needed ≤ capacity)
  if (rules.capacity) {
    for (const [j, load] of siteLoad) {
      const free = siteOffer(sites[j], rules).free;
      rows.push(`cap${j}: ${load.join(' ')} <= ${num(Math.max(0, free) + EPS)}`);
    }
  }

  // team–site use
  for (const [key, ts] of teamSiteVars) {
    if (fixed.has(key)) continue; // the site is used by the team's other members anyway
    const z = `z${key}`;
    zOf.set(key, z);
    d.columns++;
    binaries.push(z);
    addTerm(obj, weights.extra_site, z);
    // z = 1 whenever some unit of the team sits there (minimising keeps it 0 otherwise)
    if (whole) {
      // one row per unit (y ≤ z), not one per team and site: a much tighter relaxation
      ts.vars.forEach((v, n) => rows.push(`use${key}_${n}: ${v} - ${z} <= 0`));
    } else {
      ts.vars.forEach((v, n) => {
        const u = units[Number(v.slice(1).split('_')[0])];
        rows.push(`use${key}_${n}: ${v} - ${u.headcount} ${z} <= 0`);
      });
    }
  }
  // the first site of every team is free of the extra-site penalty
  teams.forEach((t, ti) => {
    const hasFixed = [...fixed].some((k) => k.startsWith(`${ti}_`));
    const placesUnits = units.some((u) => u.team_id === t.id);
    if (!hasFixed && placesUnits) d.offset -= weights.extra_site;
    else if (hasFixed) d.offset += weights.extra_site * (t.fixed_site_ids.length - 1);
  });
}

/** At most so many sites per team, and the no-good cuts against earlier proposals. */
function writeLimits(d: LpDraft, exclude: readonly SitePattern[]): void {
  const {
    instance: { teams },
    rules,
    rows,
    zOf,
    teamIndex,
    siteIndex,
  } = d;
  const max = rules.max_sites_per_team;
  if (max !== null) {
    teams.forEach((t, ti) => {
      const zs = [...zOf.entries()].filter(([k]) => k.startsWith(`${ti}_`)).map(([, z]) => `+ ${z}`);
      const fixedCount = t.fixed_site_ids.length;
      if (zs.length) rows.push(`maxsites${ti}: ${zs.join(' ')} <= ${max - fixedCount}`);
      else if (fixedCount > max) rows.push(`maxsites${ti}: 0 x_none >= 1`);
    });
  }
  // no-good cuts: give up at least one (team, site) of each earlier pattern (its fixed sites aside)
  exclude.forEach((pattern, n) => {
    const zs: string[] = [];
    for (const p of pattern) {
      const ti = teamIndex.get(p.team_id);
      if (ti === undefined) continue;
      for (const id of p.site_ids) {
        const j = siteIndex.get(id);
        const z = j === undefined ? undefined : zOf.get(`${ti}_${j}`);
        if (z) zs.push(z);
      }
    }
    rows.push(zs.length ? `cut${n}: ${zs.map((z) => `+ ${z}`).join(' ')} <= ${zs.length - 1}` : `cut${n}: 0 x_none >= 1`);
  });
}

/** The model as LP-format text. */
function lpText(d: LpDraft): string {
  const { obj, rows, bounds, generals, binaries } = d;
  const wrap = (terms: string[]) => {
    const lines: string[] = [];
    for (let n = 0; n < terms.length; n += 40) lines.push(` ${terms.slice(n, n + 40).join(' ')}`);
    return lines.join('\n');
  };
  return [
    'Minimize',
    ` obj: ${obj.length ? '' : '0 x_none'}`,
    wrap(obj),
    'Subject To',
    ...rows.map((r) => {
      if (r.length < 2000) return ` ${r}`;
      const [name, rest] = [r.slice(0, r.indexOf(':') + 1), r.slice(r.indexOf(':') + 1)];
      return ` ${name}\n${rest.replace(/((?:\S+ \S+ ){40})/g, '$1\n')}`;
    }),
    'Bounds',
    ...bounds.map((b) => ` ${b}`),
    ' x_none = 0',
    ...(generals.length ? ['General', wrap(generals)] : []),
    ...(binaries.length ? ['Binary', wrap(binaries)] : []),
    'End',
    '',
  ].join('\n');
}

export function buildLp(
  instance: PlacementInstance,
  rules: PlacementRules,
  weights: PlacementWeights,
  exclude: readonly SitePattern[] = [],
  maxPairs = MAX_PAIRS,
): LpModel {
  const { teams, sites } = instance;
  const { pairs, reduced } = modelPairs(instance, rules, weights, maxPairs);
  const siteIndex = new Map(sites.map((s, i) => [s.id, i]));
  const fixed = new Set<string>();
  teams.forEach((t, ti) => {
    for (const id of t.fixed_site_ids) {
      const j = siteIndex.get(id);
      if (j !== undefined) fixed.add(`${ti}_${j}`);
    }
  });
  const d: LpDraft = {
    instance,
    rules,
    weights,
    whole: rules.keep_units_whole,
    pairs,
    teamIndex: new Map(teams.map((t, i) => [t.id, i])),
    siteIndex,
    obj: [],
    rows: [],
    bounds: [],
    binaries: [],
    generals: [],
    offset: 0,
    columns: 0,
    siteLoad: new Map(),
    teamSiteVars: new Map(),
    fixed,
    zOf: new Map(),
  };
  instance.units.forEach((_u, i) => writeUnit(d, i));
  writeSites(d);
  writeLimits(d, exclude);
  return { text: lpText(d), pairs, whole: d.whole, columns: d.columns, offset: d.offset, reduced };
}

/** Reads the solver's column values back into people per unit and site. */
export function assignmentOf(instance: PlacementInstance, model: LpModel, values: Record<string, number>): Assignment {
  const out: Assignment = new Map();
  instance.units.forEach((u, i) => {
    const at = new Map<number, number>();
    for (const j of model.pairs[i]) {
      const v = values[model.whole ? `y${i}_${j}` : `x${i}_${j}`] ?? 0;
      const people = model.whole ? Math.round(v) * u.headcount : Math.round(v);
      if (people > 0) at.set(instance.sites[j].id, people);
    }
    out.set(u.id, at);
  });
  return out;
}

/** Which sites each team uses in an assignment (its fixed sites included). */
export function patternOf(instance: PlacementInstance, assignment: Assignment): SitePattern {
  const byTeam = new Map<number, Set<number>>(instance.teams.map((t) => [t.id, new Set(t.fixed_site_ids)]));
  for (const u of instance.units) for (const [siteId, n] of assignment.get(u.id) ?? []) if (n > 0) byTeam.get(u.team_id)?.add(siteId);
  return instance.teams.map((t) => ({ team_id: t.id, site_ids: [...must(byTeam.get(t.id), 'team pattern')].sort((a, b) => a - b) }));
}
