/**
 * The planning engine: pure functions over plain data. No I/O, no clock it did not receive.
 *
 * A `Plan` is built once from the data and answers `state(date, scenario)` and
 * `timeline(dates, scenario)`. The occupancy of every site is the fold of the move ledger.
 */
import { areaOf, distanceM, PreparedPoints } from '../geo/index.js';
import type { PlanningConfig } from '../config.js';
import { addDays } from './dates.js';
import { loadLevel, type LoadLevel } from './load.js';
import { runRules, type RuleContext } from './rules/index.js';
import { eventsFor, movesFor } from './selection.js';
import { negativesOf, type NegativeHeadcount } from './negatives.js';
import { leaseView } from './costs.js';
import { initialStatus, notOnOffer, siteCondition, siteFactsAt } from './site-condition.js';
import type {
  AccessibilityFacts,
  DistrictState,
  PlanData,
  PlanEvent,
  PlanMove,
  PlanOverride,
  PlanSite,
  PlanState,
  PlanUnit,
  SiteState,
  SiteStatus,
  SiteUnitState,
  TeamState,
  Timeline,
  TimelineColumns,
  Warning,
} from './types.js';
import { WARNING_SEVERITY } from './types.js';
import { must } from '../invariant.js';
import { acknowledge } from './acknowledgements.js';
import { CheckpointedLedger, ledgerOf, PackedLedger, siteOf, unitOf, type Occupancy } from './occupancy.js';
import { FloorIndex, floorView, stacksOf, type FloorView, type SiteStack, type StackUnitInfo } from './floors.js';

export { ledgerOf } from './occupancy.js';

export interface PlanOptions {
  /** today's date, for DATA_STALE */
  today: string;
  config: PlanningConfig;
  /** ledger entries between two checkpoints of the occupancy (default CHECKPOINT_EVERY; small in tests) */
  checkpointEvery?: number;
}

export { asCounted, eventsFor, floorsInScenario, floorsOfOtherSites, moveInScenario, movesFor, overridden, type MoveEnds } from './selection.js';
export { introducedNegatives, negativesOf, newNegativeHeadcounts, type NegativeHeadcount } from './negatives.js';
export { isNearCapacity, loadLevel, minimumOfficeArea, type LoadLevel } from './load.js';

export interface WindowProblem {
  site_id: number;
  site: string;
  code: string;
  /** first and last day (inclusive) on which the problem holds */
  start: string;
  end: string;
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

/** What a state shows of each unit, looked up once per plan. */
interface UnitInfo {
  name: string;
  team_id: number;
  team: string;
  /** the unit's place in German alphabetical order */
  rank: number;
  desk_ratio: number;
}

/** The plan's records by id, built with the plan. */
interface Lookups {
  sites: Map<number, PlanSite>;
  units: Map<number, PlanUnit>;
  teamName: Map<number, string>;
  /** units in German alphabetical order, ranked once (sorting by rank is cheap) */
  unitRank: Map<number, number>;
}

/** The geometry of sites, districts and stops: computed once, shared with the plans derived from this one. */
interface Geometry {
  district: Map<number, number | null>;
  hasAccessibleStop: Map<number, boolean>;
  /** the sites as prepared points (by their index in data.sites), made on first use */
  points?: PreparedPoints;
}

/** What one selection (the baseline, null, or a scenario) needs, each part built on first use. */
interface SelectionCache {
  ledger?: CheckpointedLedger;
  initial?: Map<number, SiteStatus>;
  candidates?: Set<number>;
  eventsBySite?: Map<number, PlanEvent[]>;
}

/** Derived from the data on first use. */
interface Memo {
  siteIndex?: Map<number, number>;
  unitInfo?: Map<number, UnitInfo>;
  /** the units as a stack plan names them (unitInfo with public_facing) */
  stackInfo?: Map<number, StackUnitInfo>;
  /** the units' ids in German alphabetical order (index: rank) */
  idsByRank?: number[];
  nearestStop: Map<number, number | null>;
  /** see teamGeometry */
  teamSets: Map<string, { distance: number; locations: number }>;
}

function lookupsOf(data: PlanData): Lookups {
  const collator = new Intl.Collator('de');
  const unitRank = new Map<number, number>();
  [...data.units].sort((a, b) => collator.compare(a.name, b.name) || a.id - b.id).forEach((u, i) => unitRank.set(u.id, i));
  return {
    sites: new Map(data.sites.map((s) => [s.id, s])),
    units: new Map(data.units.map((u) => [u.id, u])),
    teamName: new Map(data.teams.map((t) => [t.id, t.name])),
    unitRank,
  };
}

function geometryOf(data: PlanData, config: PlanningConfig): Geometry {
  const accessibleStops = data.stops.filter((p) => p.wheelchair_accessible);
  return {
    district: new Map(data.sites.map((s) => [s.id, areaOf(data.districts, s)])),
    hasAccessibleStop: new Map(data.sites.map((s) => [s.id, accessibleStops.some((p) => distanceM(s, p) <= config.accessibleStopRadiusM)])),
  };
}

export class Plan {
  private readonly lookups: Lookups;
  private readonly geometry: Geometry;
  private readonly selections = new Map<number | null, SelectionCache>();
  private readonly memo: Memo = { nearestStop: new Map(), teamSets: new Map() };

  constructor(
    readonly data: PlanData,
    private readonly options: PlanOptions,
    /** a plan with the same sites, districts and stops, whose geometric work this one reuses */
    sameGeometryAs?: Plan,
  ) {
    this.lookups = lookupsOf(data);
    this.geometry = sameGeometryAs ? sameGeometryAs.geometry : geometryOf(data, options.config);
  }

  private selection(scenarioId: number | null): SelectionCache {
    let c = this.selections.get(scenarioId);
    if (!c) {
      c = {};
      this.selections.set(scenarioId, c);
    }
    return c;
  }

  /** How full a site's state is (ok / near / over / unavailable), with this plan's near-capacity threshold. */
  loadLevelOf(st: SiteState): LoadLevel {
    return loadLevel(st, this.options.config.nearCapacityThreshold);
  }

  /** The moves that count for a selection, the scenario's overrides applied. */
  movesOf(scenarioId: number | null): PlanMove[] {
    return movesFor(this.data.moves, scenarioId, this.data.overrides);
  }

  /**
   * The moves shown for a selection (map, calendar feed): those that count plus proposed baseline
   * moves, which are shown as plans without counting; by date.
   */
  shownMoves(scenarioId: number | null): PlanMove[] {
    const counted = this.movesOf(scenarioId);
    const ids = new Set(counted.map((m) => m.id));
    const proposed = this.data.moves.filter((m) => m.scenario_id === null && m.status === 'proposed' && !ids.has(m.id));
    return [...counted, ...proposed].sort((a, b) => a.date.localeCompare(b.date) || a.id - b.id);
  }

  /** The site events that count for a selection, the scenario's overrides applied. */
  eventsOf(scenarioId: number | null): PlanEvent[] {
    return eventsFor(this.data.events, scenarioId, this.data.overrides);
  }

  /** The same plan with one scenario's overrides replaced (to check a change before writing it). */
  withOverrides(scenarioId: number, overrides: readonly PlanOverride[]): Plan {
    const others = (this.data.overrides ?? []).filter((o) => o.scenario_id !== scenarioId);
    return new Plan({ ...this.data, overrides: [...others, ...overrides] }, this.options, this);
  }

  /** The same plan with one move added, replaced or removed (for previews). */
  withMove(change: { upsert?: PlanMove; removeId?: number }): Plan {
    const id = change.upsert?.id ?? change.removeId;
    const moves = this.data.moves.filter((m) => m.id !== id);
    if (change.upsert) moves.push(change.upsert);
    return new Plan({ ...this.data, moves }, this.options, this);
  }

  /**
   * Capacity problems over a window, not only on its first day: for each site and code
   * (OVER_CAPACITY, SITE_UNAVAILABLE, NEAR_CAPACITY) the date ranges within [from, to) where it holds.
   */
  windowProblems(from: string, to: string, scenarioId: number | null = null, siteIds?: readonly number[]): WindowProblem[] {
    const dates = new Set<string>([from]);
    for (const m of this.movesOf(scenarioId)) {
      if (m.date > from && m.date < to) dates.add(m.date);
      if (m.until && m.until > from && m.until < to) dates.add(m.until);
    }
    for (const e of this.eventsOf(scenarioId)) {
      if (e.date > from && e.date < to) dates.add(e.date);
      if (e.end_date) {
        const after = addDays(e.end_date, 1);
        if (after > from && after < to) dates.add(after);
      }
    }
    const sorted = [...dates].sort();
    const states = this.states(sorted, scenarioId);
    const open = new Map<string, WindowProblem>();
    const out: WindowProblem[] = [];
    const codes = new Set(['OVER_CAPACITY', 'SITE_UNAVAILABLE', 'NEAR_CAPACITY']);
    states.forEach((st, i) => {
      const end = i + 1 < sorted.length ? addDays(sorted[i + 1], -1) : addDays(to, -1);
      const now = new Set<string>();
      for (const w of st.warnings) {
        if (!codes.has(w.code) || w.site_id === undefined || (siteIds && !siteIds.includes(w.site_id))) continue;
        const k = `${w.site_id}|${w.code}`;
        now.add(k);
        const cur = open.get(k);
        if (cur) cur.end = end;
        else {
          const p: WindowProblem = {
            site_id: w.site_id,
            site: must(
              st.sites.find((s) => s.id === w.site_id),
              'st.sites.find(…)',
            ).name,
            code: w.code,
            start: st.date,
            end,
          };
          open.set(k, p);
          out.push(p);
        }
      }
      for (const k of [...open.keys()]) if (!now.has(k)) open.delete(k);
    });
    return out;
  }

  /** A fresh occupancy for sweeping from the start; or, with `at`, the occupancy at that date (from the nearest checkpoint). */
  private occupancy(scenarioId: number | null, at?: string): Occupancy {
    const ledger = this.ledger(scenarioId);
    return at === undefined ? ledger.fromStart() : ledger.at(at);
  }

  /**
   * The candidate sites that count in a selection: never in the baseline; in a scenario, those its
   * own moves or events use (taking up the offer is what the scenario is about).
   */
  countedCandidates(scenarioId: number | null): Set<number> {
    const cache = this.selection(scenarioId);
    if (!cache.candidates) {
      const set = new Set<number>();
      if (scenarioId !== null) {
        const isCandidate = (id: number | null) => id !== null && this.lookups.sites.get(id)?.status === 'candidate';
        for (const m of this.data.moves) {
          if (m.scenario_id !== scenarioId || m.status === 'cancelled') continue;
          for (const id of [m.to_site_id, m.from_site_id]) if (id !== null && isCandidate(id)) set.add(id);
        }
        for (const e of this.data.events) if (e.scenario_id === scenarioId && isCandidate(e.site_id)) set.add(e.site_id);
      }
      cache.candidates = set;
    }
    return cache.candidates;
  }

  /** What a site offers at a date in a selection; a candidate that does not count offers nothing. */
  private condition(site: PlanSite, events: readonly PlanEvent[], date: string, initial: SiteStatus | undefined, counted: Set<number>) {
    if (site.status === 'candidate' && !counted.has(site.id)) return notOnOffer();
    return siteCondition(site, events, date, initial);
  }

  /** What a site would offer at a date if the department took it (candidates as if taken up). */
  offerAt(siteId: number, date: string, scenarioId: number | null = null) {
    const site = this.lookups.sites.get(siteId);
    if (!site) return { capacity: 0, status: 'closed' as SiteStatus, available: false };
    return siteCondition(site, this.eventsBySite(scenarioId).get(siteId) ?? [], date, this.initialStatuses(scenarioId).get(siteId));
  }

  /** Every date in (from, to] at which a move or an event of the selection may change a state. */
  changeDates(from: string, to: string, scenarioId: number | null = null): string[] {
    const dates = new Set<string>();
    const add = (d: string | null | undefined) => {
      if (d && d > from && d <= to) dates.add(d);
    };
    for (const m of movesFor(this.data.moves, scenarioId)) {
      add(m.date);
      add(m.until);
    }
    for (const e of eventsFor(this.data.events, scenarioId)) {
      add(e.date);
      if (e.end_date) add(addDays(e.end_date, 1));
    }
    for (const s of this.data.sites) add(s.available_from);
    return [...dates].sort();
  }

  /** The same plan with moves added (e.g. a placement proposal, as a scenario of its own). */
  withMoves(moves: readonly PlanMove[]): Plan {
    return new Plan({ ...this.data, moves: [...this.data.moves, ...moves] }, this.options, this);
  }

  private initialStatuses(scenarioId: number | null): Map<number, SiteStatus> {
    const cache = this.selection(scenarioId);
    if (!cache.initial) {
      const events = this.eventsBySite(scenarioId);
      cache.initial = new Map(this.data.sites.map((s) => [s.id, initialStatus(s, events.get(s.id) ?? [])]));
    }
    return cache.initial;
  }

  /** The sorted ledger of a selection, packed and checkpointed, built once per plan. */
  private ledger(scenarioId: number | null): CheckpointedLedger {
    const cache = this.selection(scenarioId);
    if (!cache.ledger) {
      const ratio = new Map(this.data.units.map((u) => [u.id, u.desk_ratio]));
      const floors = this.floorIndex();
      const packed = new PackedLedger(ledgerOf(this.movesOf(scenarioId)), this.siteIndexes(), ratio, floors.size ? floors.byId : undefined);
      cache.ledger = new CheckpointedLedger(packed, this.data.sites.length, this.options.checkpointEvery);
    }
    return cache.ledger;
  }

  /**
   * A set of sites (by their indexes in data.sites): the greatest distance in metres between two of
   * them, and how many locations they form (sites closer than `sameLocationM` to each other, directly
   * or through a chain of such sites, are one location). Sets of many sites (a team scattered over a
   * city) cost the square of their size and often recur from date to date: they are kept, at most
   * TEAM_SETS_KEPT of them (then the memory starts anew: each new date may bring new sets). Small
   * sets are computed each time.
   */
  private teamGeometry(idx: number[]): { distance: number; locations: number } {
    if (idx.length < 2) return { distance: 0, locations: idx.length };
    const compute = () => ({ distance: this.points().maxDistanceM(idx), locations: this.points().groupCount(idx, this.options.config.sameLocationM) });
    if (idx.length < TEAM_SET_KEPT_FROM) return compute();
    const k = idx.join(',');
    const kept = this.memo.teamSets;
    let g = kept.get(k);
    if (g === undefined) {
      g = compute();
      if (kept.size >= TEAM_SETS_KEPT) kept.clear();
      kept.set(k, g);
    }
    return g;
  }

  /** The plan's sites as prepared points (by their index in data.sites), shared with derived plans. */
  private points(): PreparedPoints {
    this.geometry.points ??= new PreparedPoints(this.data.sites);
    return this.geometry.points;
  }

  /** Each site's index in data.sites, by id. */
  private siteIndexes(): Map<number, number> {
    this.memo.siteIndex ??= new Map(this.data.sites.map((s, i) => [s.id, i]));
    return this.memo.siteIndex;
  }

  /** What a state shows of each unit, looked up once per plan: name, team, rank in German order, desk ratio. */
  private unitInfo(): Map<number, UnitInfo> {
    const { teamName, unitRank } = this.lookups;
    this.memo.unitInfo ??= new Map(
      this.data.units.map((u) => [
        u.id,
        { name: u.name, team_id: u.team_id, team: teamName.get(u.team_id) ?? '', rank: unitRank.get(u.id) ?? 0, desk_ratio: u.desk_ratio },
      ]),
    );
    return this.memo.unitInfo;
  }

  /** Distance in metres from a site to the nearest wheelchair-accessible stop (null: no such stop). */
  nearestAccessibleStopM(siteId: number): number | null {
    const kept = this.memo.nearestStop;
    if (!kept.has(siteId)) {
      const s = this.lookups.sites.get(siteId);
      let best: number | null = null;
      if (s)
        for (const p of this.data.stops)
          if (p.wheelchair_accessible) {
            const d = distanceM(s, p);
            if (best === null || d < best) best = d;
          }
      kept.set(siteId, best === null ? null : Math.round(best));
    }
    return kept.get(siteId) ?? null;
  }

  /** A site's accessibility facts at a date: its stored facts with its events' changes applied. */
  factsAt(siteId: number, date: string, scenarioId: number | null = null): AccessibilityFacts | null {
    const s = this.lookups.sites.get(siteId);
    return s ? siteFactsAt(s, this.eventsBySite(scenarioId).get(siteId) ?? [], date) : null;
  }

  /** The district whose polygon contains the site's position (null: none). */
  districtOfSite(siteId: number): number | null {
    return this.geometry.district.get(siteId) ?? null;
  }

  private eventsBySite(scenarioId: number | null): Map<number, PlanEvent[]> {
    const cache = this.selection(scenarioId);
    if (cache.eventsBySite) return cache.eventsBySite;
    const m = new Map<number, PlanEvent[]>();
    cache.eventsBySite = m;
    for (const e of this.eventsOf(scenarioId)) {
      const list = m.get(e.site_id) ?? [];
      list.push(e);
      m.set(e.site_id, list);
    }
    for (const list of m.values()) list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id - b.id));
    return m;
  }

  /** The plan's floors, indexed (empty when no site has floors). */
  floorIndex(): FloorIndex {
    this.floorsIndexed ??= new FloorIndex(this.data.floors ?? []);
    return this.floorsIndexed;
  }
  private floorsIndexed: FloorIndex | undefined;

  /**
   * The stack plan of sites with floors at a date (all of them, or those asked for): each floor
   * with its units, headcount and workplaces needed, top floor first, and who is on no floor.
   */
  stacks(date: string, scenarioId: number | null = null, siteIds?: Iterable<number>): Map<number, SiteStack> {
    if (!this.floorIndex().size) return new Map();
    return this.stacksIn(this.occupancy(scenarioId, date), siteIds);
  }

  /**
   * The state at a date and the stack plans of all sites with floors (none: an empty map), from one
   * fold of the ledger: the map's sites name each unit's floor.
   */
  stateAndStacks(date: string, scenarioId: number | null = null): { state: PlanState; stacks: Map<number, SiteStack> } {
    const occ = this.occupancy(scenarioId, date);
    const state = this.acknowledged(this.snapshot(date, scenarioId, occ, this.eventsBySite(scenarioId), true));
    return { state, stacks: this.floorIndex().size ? this.stacksIn(occ) : new Map() };
  }

  private stacksIn(occ: Occupancy, siteIds?: Iterable<number>): Map<number, SiteStack> {
    const index = this.floorIndex();
    if (!this.memo.stackInfo) {
      const info = new Map<number, StackUnitInfo>();
      for (const [id, u] of this.unitInfo()) info.set(id, { ...u, public_facing: this.lookups.units.get(id)?.public_facing ?? false });
      this.memo.stackInfo = info;
    }
    return stacksOf(occ, index, siteIds ?? index.ofSite.keys(), this.memo.stackInfo);
  }

  /** The state of every site, team and district at a date, with warnings. */
  state(date: string, scenarioId: number | null = null): PlanState {
    const occ = this.occupancy(scenarioId, date);
    return this.acknowledged(this.snapshot(date, scenarioId, occ, this.eventsBySite(scenarioId), true));
  }

  /** The state with its acknowledged warnings marked (SPEC section 16). */
  private acknowledged(state: PlanState): PlanState {
    const acks = this.data.acknowledgements;
    return acks?.length ? { ...state, warnings: acknowledge(state.warnings, acks, state.date) } : state;
  }

  /** State at many dates with one sweep of the ledger. Dates are sorted first. */
  states(dates: readonly string[], scenarioId: number | null = null, withWarnings = true): PlanState[] {
    return [...this.eachState(dates, scenarioId, withWarnings)];
  }

  /**
   * The state at each of the dates (sorted first), one at a time with one sweep of the ledger:
   * a period analysis folds them and keeps none (memory of one state, not of every step's).
   */
  *eachState(dates: readonly string[], scenarioId: number | null = null, withWarnings = true): Generator<PlanState> {
    const sorted = [...dates].sort();
    const occ = this.occupancy(scenarioId);
    const events = this.eventsBySite(scenarioId);
    for (const d of sorted) {
      occ.advanceTo(d);
      yield this.acknowledged(this.snapshot(d, scenarioId, occ, events, withWarnings));
    }
  }

  /**
   * Capacity, headcount and needed workplaces per site and district at many dates,
   * with one sweep of the ledger and no per-date objects (what charts need).
   */
  timeline(dates: readonly string[], scenarioId: number | null = null): Timeline {
    return timelineOfColumns(this.timelineColumns(dates, scenarioId));
  }

  /**
   * Capacity and headcount of every site at one date (in data.sites order), from the ledger's
   * nearest checkpoint and without a state: what the cost figures at a date read.
   */
  siteCountsAt(
    date: string,
    scenarioId: number | null = null,
  ): { capacity: Int32Array; headcount: Int32Array; capacity_estimated: Uint8Array; headcount_estimated: Uint8Array } {
    const occ = this.occupancy(scenarioId, date);
    const eventsBySite = this.eventsBySite(scenarioId);
    const initial = this.initialStatuses(scenarioId);
    const counted = this.countedCandidates(scenarioId);
    const sites = this.data.sites;
    const capacity = new Int32Array(sites.length);
    const headcount = new Int32Array(sites.length);
    const capacityEstimated = new Uint8Array(sites.length);
    const headcountEstimated = new Uint8Array(sites.length);
    for (let i = 0; i < sites.length; i++) {
      const events = eventsBySite.get(sites[i].id) ?? [];
      const init = must(initial.get(sites[i].id), 'initial.get(site)');
      const cond = events.length || init !== 'active' ? this.condition(sites[i], events, date, init, counted) : null;
      capacity[i] = cond ? cond.capacity : sites[i].capacity;
      headcount[i] = Math.round(occ.headcount[i]);
      capacityEstimated[i] = (cond ? cond.capacity_estimated : (sites[i].capacity_estimated ?? false)) ? 1 : 0;
      headcountEstimated[i] = headcount[i] !== 0 && occ.estimatedEntries[i] > 0 ? 1 : 0;
    }
    return { capacity, headcount, capacity_estimated: capacityEstimated, headcount_estimated: headcountEstimated };
  }

  /** The timeline as typed columns (see TimelineColumns): what /api/timeline writes. */
  timelineColumns(dates: readonly string[], scenarioId: number | null = null): TimelineColumns {
    const sorted = [...dates].sort();
    const n = sorted.length;
    const occ = this.occupancy(scenarioId);
    const eventsBySite = this.eventsBySite(scenarioId);
    const initial = this.initialStatuses(scenarioId);
    const sites = this.data.sites;
    const districtIndex = new Map(this.data.districts.map((d, i) => [d.id, i]));
    const siteDistrictIdx = sites.map((s) => {
      const d = this.districtOfSite(s.id);
      return d === null ? -1 : (districtIndex.get(d) ?? -1);
    });
    const siteEvents = sites.map((s) => eventsBySite.get(s.id) ?? []);
    const siteInitial = sites.map((s) => must(initial.get(s.id), 'initial.get(s.id)'));
    const counted = this.countedCandidates(scenarioId);
    const cells = sites.length * n;
    const districtCells = this.data.districts.length * n;
    const out: TimelineColumns = {
      dates: sorted,
      sites: sites.map((s) => ({ id: s.id, name: s.name, district_id: this.districtOfSite(s.id) })),
      capacity: new Int32Array(cells),
      headcount: new Int32Array(cells),
      needed: new Int32Array(cells),
      capacity_estimated: new Uint8Array(cells),
      headcount_estimated: new Uint8Array(cells),
      districts: this.data.districts.map((d) => ({ id: d.id, name: d.name })),
      district_capacity: new Int32Array(districtCells),
      district_headcount: new Int32Array(districtCells),
      district_needed: new Int32Array(districtCells),
      district_capacity_estimated: new Uint8Array(districtCells),
      district_headcount_estimated: new Uint8Array(districtCells),
    };
    sorted.forEach((date, t) => {
      occ.advanceTo(date);
      for (let i = 0; i < sites.length; i++) {
        const cond = siteEvents[i].length || siteInitial[i] !== 'active' ? this.condition(sites[i], siteEvents[i], date, siteInitial[i], counted) : null;
        const cap = cond ? cond.capacity : sites[i].capacity;
        const needed = Math.ceil(r3(occ.needed[i]));
        const hc = Math.round(occ.headcount[i]);
        const at = i * n + t;
        out.capacity[at] = cap;
        out.headcount[at] = hc;
        out.needed[at] = needed;
        out.capacity_estimated[at] = (cond ? cond.capacity_estimated : (sites[i].capacity_estimated ?? false)) ? 1 : 0;
        out.headcount_estimated[at] = hc !== 0 && occ.estimatedEntries[i] > 0 ? 1 : 0;
        const di = siteDistrictIdx[i];
        if (di >= 0) {
          const d = di * n + t;
          out.district_capacity[d] += cap;
          out.district_headcount[d] += hc;
          out.district_needed[d] += needed;
          // as in the state's district sums: a closed site's 0 adds nothing to estimate
          if (cap > 0 && out.capacity_estimated[at] === 1) out.district_capacity_estimated[d] = 1;
          if (out.headcount_estimated[at] === 1) out.district_headcount_estimated[d] = 1;
        }
      }
    });
    return out;
  }

  /** Every point in the ledger where a unit would have fewer than zero people at a site. */
  negativeHeadcounts(scenarioId: number | null = null): NegativeHeadcount[] {
    return negativesOf(this.movesOf(scenarioId));
  }

  /**
   * The units with people at each site (by the site's index in data.sites), in German alphabetical
   * order: every (unit, site) pair with people as one number (by site index, then the unit's rank), sorted once.
   */
  private unitsBySite(occ: Occupancy): (SiteUnitState[] | undefined)[] {
    const siteIndex = this.siteIndexes();
    const unitInfo = this.unitInfo();
    const byRank = this.unitIdsByRank();
    const units = byRank.length;
    const keys = occ.ledger.pairKeys;
    const pairs = keys.length;
    let withPeople = 0;
    for (let p = 0; p < pairs; p++) if (occ.count[p] !== 0) withPeople++;
    // (site index × units + rank) × pairs + the pair's number: below 2^53 for any plan this engine holds
    const order = new Float64Array(withPeople);
    let n = 0;
    for (let p = 0; p < pairs; p++) {
      if (occ.count[p] === 0) continue;
      const u = unitInfo.get(unitOf(keys[p]));
      const si = siteIndex.get(siteOf(keys[p]));
      if (u === undefined || si === undefined) continue;
      order[n++] = (si * units + u.rank) * pairs + p;
    }
    const sorted = order.subarray(0, n).sort();
    const unitsAt: (SiteUnitState[] | undefined)[] = new Array(this.data.sites.length);
    let list: SiteUnitState[] = [];
    let current = -1;
    for (let i = 0; i < n; i++) {
      const p = sorted[i] % pairs;
      const at = (sorted[i] - p) / pairs;
      const si = Math.floor(at / units);
      const unitId = byRank[at - si * units];
      const u = must(unitInfo.get(unitId), 'unitInfo.get(unitId)');
      if (si !== current) {
        list = [];
        unitsAt[si] = list;
        current = si;
      }
      list.push({
        unit_id: unitId,
        unit: u.name,
        team_id: u.team_id,
        team: u.team,
        headcount: occ.count[p],
        headcount_estimated: occ.estimatedPair[p] === 1,
      });
    }
    return unitsAt;
  }

  /** The units' ids in German alphabetical order (index: rank). */
  private unitIdsByRank(): number[] {
    if (!this.memo.idsByRank) {
      const ids: number[] = new Array(this.data.units.length);
      for (const [id, rank] of this.lookups.unitRank) ids[rank] = id;
      this.memo.idsByRank = ids;
    }
    return this.memo.idsByRank;
  }

  /** The state at a date from an occupancy already at that date; the warning rules run only `withWarnings`. */
  private snapshot(date: string, scenarioId: number | null, occ: Occupancy, eventsBySite: Map<number, PlanEvent[]>, withWarnings: boolean): PlanState {
    const sites = this.siteStates(date, scenarioId, occ, eventsBySite);
    const teams = this.teamStates(sites);
    const districts = this.districtStates(sites);
    const warnings: Warning[] = [];
    if (withWarnings) runRules(this.ruleContext(date, scenarioId, occ, sites, teams, warnings));
    return { date, scenario_id: scenarioId, sites, teams, districts, warnings: inSeverityOrder(warnings) };
  }

  /** What the warning rules see of one state (see rules/context.ts); their findings go to `out`. */
  private ruleContext(date: string, scenarioId: number | null, occ: Occupancy, sites: SiteState[], teams: TeamState[], out: Warning[]): RuleContext {
    const siteIndex = this.siteIndexes();
    const { lookups, geometry } = this;
    let floors: FloorView | null | undefined;
    return {
      date,
      scenarioId,
      today: this.options.today,
      config: this.options.config,
      data: this.data,
      sites,
      teams,
      siteState: (id) => sites[must(siteIndex.get(id), 'a site of the plan')],
      site: (id) => must(lookups.sites.get(id), 'a site of the plan'),
      unit: (id) => must(lookups.units.get(id), 'a unit of the plan'),
      hasAccessibleStop: (id) => geometry.hasAccessibleStop.get(id) === true,
      leases: () => leaseView(this, scenarioId),
      *negatives() {
        for (const [k, n] of occ.negatives()) yield { unit_id: unitOf(k), site_id: siteOf(k), ...n };
      },
      floors: () => (floors === undefined ? (floors = this.floorViewOf(occ, sites)) : floors),
      warn: (code, params, subject, estimates = []) =>
        out.push(
          estimates.length
            ? { code, severity: WARNING_SEVERITY[code], params, ...subject, estimated: true, estimates: [...estimates] }
            : { code, severity: WARNING_SEVERITY[code], params, ...subject, estimated: false },
        ),
    };
  }

  /** The floors at one state's date (null: no site has floors), for the warning rules. */
  private floorViewOf(occ: Occupancy, sites: readonly SiteState[]): FloorView | null {
    const index = this.floorIndex();
    if (!index.size) return null;
    const siteIndex = this.siteIndexes();
    const unitInfo = this.unitInfo();
    return floorView(
      occ,
      index,
      (id) => unitInfo.get(id)?.desk_ratio ?? 1,
      (siteId) => sites[must(siteIndex.get(siteId), 'a site of the plan')].step_free,
      (id) => this.lookups.units.get(id)?.public_facing === true,
    );
  }

  /** Every site's state at a date (in the order of data.sites), its units in German alphabetical order. */
  private siteStates(date: string, scenarioId: number | null, occ: Occupancy, eventsBySite: Map<number, PlanEvent[]>): SiteState[] {
    const initial = this.initialStatuses(scenarioId);
    const unitInfo = this.unitInfo();
    const unitsAt = this.unitsBySite(occ);
    const counted = this.countedCandidates(scenarioId);
    return this.data.sites.map((s, si) => {
      const siteEvents = eventsBySite.get(s.id) ?? [];
      const cond = this.condition(s, siteEvents, date, initial.get(s.id), counted);
      const units = unitsAt[si] ?? [];
      let headcount = 0;
      let neededRaw = 0;
      let estimated = false;
      for (const u of units) {
        headcount += u.headcount;
        if (u.headcount > 0) neededRaw += u.headcount * (unitInfo.get(u.unit_id)?.desk_ratio ?? 1);
        if (u.headcount_estimated && u.headcount !== 0) estimated = true;
      }
      const needed = Math.ceil(r3(neededRaw));
      const utilization = cond.capacity > 0 ? r3(needed / cond.capacity) : null;
      return {
        id: s.id,
        name: s.name,
        district_id: this.districtOfSite(s.id),
        capacity: cond.capacity,
        headcount,
        needed,
        free: cond.capacity - needed,
        utilization,
        status: cond.status,
        available: cond.available,
        capacity_estimated: cond.capacity_estimated,
        status_estimated: cond.status_estimated,
        headcount_estimated: estimated,
        step_free: siteEvents.length ? siteFactsAt(s, siteEvents, date).step_free : s.step_free,
        units,
      };
    });
  }

  /** Every team's state (in the order of data.teams): where its people are and how far apart. */
  private teamStates(sites: readonly SiteState[]): TeamState[] {
    const siteIndex = this.siteIndexes();
    const perTeam = new Map<number, { headcount: number; siteIds: Set<number>; estimated: boolean }>();
    for (const st of sites) {
      for (const u of st.units) {
        let agg = perTeam.get(u.team_id);
        if (!agg) {
          agg = { headcount: 0, siteIds: new Set(), estimated: false };
          perTeam.set(u.team_id, agg);
        }
        agg.headcount += u.headcount;
        if (u.headcount_estimated && u.headcount !== 0) agg.estimated = true;
        if (u.headcount > 0) agg.siteIds.add(st.id);
      }
    }
    return this.data.teams.map((t) => {
      const agg = perTeam.get(t.id);
      const ids = [...(agg?.siteIds ?? [])].sort((a, b) => a - b);
      const { distance, locations } = this.teamGeometry(ids.map((id) => must(siteIndex.get(id), 'a site of the plan')));
      return {
        id: t.id,
        name: t.name,
        kind: t.kind,
        district_id: t.district_id,
        headcount: agg?.headcount ?? 0,
        site_ids: ids,
        locations,
        split: locations > 1,
        max_distance_m: distance,
        distance_estimated: ids.length > 1 && ids.some((id) => this.lookups.sites.get(id)?.position_estimated === true),
        headcount_estimated: agg?.estimated ?? false,
      };
    });
  }

  /** Every district's sums (in the order of data.districts). */
  private districtStates(sites: readonly SiteState[]): DistrictState[] {
    const empty = () => ({ capacity: 0, headcount: 0, needed: 0, capacity_estimated: false, headcount_estimated: false });
    const perDistrict = new Map<number, ReturnType<typeof empty>>();
    for (const st of sites) {
      if (st.district_id === null) continue;
      const agg = perDistrict.get(st.district_id) ?? empty();
      agg.capacity += st.capacity;
      agg.headcount += st.headcount;
      agg.needed += st.needed;
      if (st.capacity_estimated && st.capacity > 0) agg.capacity_estimated = true;
      if (st.headcount_estimated && st.headcount !== 0) agg.headcount_estimated = true;
      perDistrict.set(st.district_id, agg);
    }
    return this.data.districts.map((d) => {
      const agg = perDistrict.get(d.id) ?? empty();
      return { id: d.id, name: d.name, ...agg, utilization: agg.capacity > 0 ? r3(agg.needed / agg.capacity) : null };
    });
  }
}

/** a set of sites this large has its distance and location count kept (see Plan.teamGeometry) … */
const TEAM_SET_KEPT_FROM = 32;
/** … and at most this many such sets are kept */
const TEAM_SETS_KEPT = 4096;

const SEVERITY_ORDER: Record<string, number> = { error: 0, warning: 1, info: 2 };
const bySeverity = (a: Warning, b: Warning) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
const bySubject = (a: Warning, b: Warning) => (a.site_id ?? 0) - (b.site_id ?? 0) || (a.team_id ?? 0) - (b.team_id ?? 0) || (a.unit_id ?? 0) - (b.unit_id ?? 0);

/**
 * Warnings most severe first: by severity, code, site, team and unit (a stable sort). Sorted per
 * code, where they come nearly in order already, then the codes put in order: thousands of
 * warnings are not compared with one another across codes.
 */
export function inSeverityOrder(warnings: readonly Warning[]): Warning[] {
  const byCode = new Map<string, Warning[]>();
  for (const w of warnings) {
    const list = byCode.get(w.code);
    if (list) list.push(w);
    else byCode.set(w.code, [w]);
  }
  const out: Warning[] = [];
  for (const list of [...byCode.values()].sort((a, b) => bySeverity(a[0], b[0]))) for (const w of list.sort(bySubject)) out.push(w);
  return out;
}

/** The timeline's typed columns as arrays per site and district (what the timeline page draws). */
export function timelineOfColumns(c: TimelineColumns): Timeline {
  const n = c.dates.length;
  const nums = (a: Int32Array, i: number) => Array.from(a.subarray(i * n, (i + 1) * n));
  const flags = (a: Uint8Array, i: number) => Array.from(a.subarray(i * n, (i + 1) * n), (v) => v === 1);
  return {
    dates: c.dates,
    sites: c.sites.map((s, i) => ({
      ...s,
      capacity: nums(c.capacity, i),
      headcount: nums(c.headcount, i),
      needed: nums(c.needed, i),
      capacity_estimated: flags(c.capacity_estimated, i),
      headcount_estimated: flags(c.headcount_estimated, i),
    })),
    districts: c.districts.map((d, i) => ({
      ...d,
      capacity: nums(c.district_capacity, i),
      headcount: nums(c.district_headcount, i),
      needed: nums(c.district_needed, i),
      capacity_estimated: flags(c.district_capacity_estimated, i),
      headcount_estimated: flags(c.district_headcount_estimated, i),
    })),
  };
}
