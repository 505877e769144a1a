/**
 * Floors (SPEC section 14): the ledger folds (unit, site, floor). The occupancy keeps, beside each
 * (unit, site) pair, the part of it on each floor ((unit, floor) buckets, see PackedLedger); the
 * rest of a pair is "nicht zugeordnet" (not assigned to a floor). Everything here is computed from
 * an occupancy at a date; a plan without floors never comes here.
 */
import type { LedgerFloor, Occupancy } from './occupancy.js';
import { ledgerOf, pairKey, siteOf, unitOf } from './occupancy.js';
import type { Fact, PlanFloor, PlanMove } from './types.js';

const r3 = (x: number) => Math.round(x * 1000) / 1000;

/** The plan's floors as the engine finds them: by id, and each site's (top floor first). */
export class FloorIndex {
  /** floor id → its index in `floors` and its site */
  readonly byId = new Map<number, LedgerFloor>();
  /** site id → the indexes of its floors, top floor first */
  readonly ofSite = new Map<number, number[]>();

  constructor(readonly floors: readonly PlanFloor[]) {
    floors.forEach((f, index) => {
      this.byId.set(f.id, { index, site_id: f.site_id });
      const list = this.ofSite.get(f.site_id);
      if (list) list.push(index);
      else this.ofSite.set(f.site_id, [index]);
    });
    for (const list of this.ofSite.values()) list.sort((a, b) => floors[b].level - floors[a].level || floors[a].id - floors[b].id);
  }

  get size(): number {
    return this.floors.length;
  }
}

/** Per floor (by index): headcount and workplaces needed (⌈Σ max(0, count) × desk ratio⌉), and whether a count is below zero. */
export interface FloorLoads {
  headcount: Float64Array;
  needed: Int32Array;
}

/** The load of every floor from the (unit, floor) buckets of an occupancy. */
export function floorLoads(occ: Occupancy, floors: number, ratio: (unitId: number) => number): FloorLoads {
  const l = occ.ledger;
  const headcount = new Float64Array(floors);
  const raw = new Float64Array(floors);
  for (let b = 0; b < occ.floorCount.length; b++) {
    const c = occ.floorCount[b];
    if (c === 0) continue;
    const f = l.bucketFloor[b];
    headcount[f] += c;
    if (c > 0) raw[f] += c * ratio(l.bucketUnit[b]);
  }
  const needed = new Int32Array(floors);
  for (let f = 0; f < floors; f++) needed[f] = Math.ceil(r3(raw[f]));
  return { headcount, needed };
}

const FACT_RANK: Record<Fact, number> = { yes: 0, unknown: 1, no: 2 };

/** The worse of two step-free facts: no before unknown before yes. */
export function worseFact(a: Fact, b: Fact): Fact {
  return FACT_RANK[a] >= FACT_RANK[b] ? a : b;
}

/** Whether people of a unit can reach it without steps, and the floor that decides it (null: the entrance). */
export interface ReachFact {
  fact: Fact;
  floor: PlanFloor | null;
}

/**
 * For each (unit, site) pair with people on floors (by pairKey), whether all of them can be reached
 * without steps: a person on a floor through the entrance and the floor's access, a person on no
 * floor through the entrance alone; the worst counts. The floor decides when it is worse than the
 * entrance. Pairs without people on floors are not in the map (the entrance alone decides, as
 * before). Only units `wanted` (public-facing) are looked at.
 */
export function reachByPair(
  occ: Occupancy,
  index: FloorIndex,
  entrance: (siteId: number) => Fact,
  wanted: (unitId: number) => boolean,
): Map<number, ReachFact> {
  const out = new Map<number, ReachFact>();
  const l = occ.ledger;
  const onFloors = new Map<number, number>();
  for (let b = 0; b < occ.floorCount.length; b++) {
    const c = occ.floorCount[b];
    if (c <= 0 || !wanted(l.bucketUnit[b])) continue;
    const p = l.bucketPair[b];
    onFloors.set(p, (onFloors.get(p) ?? 0) + c);
    const floor = index.floors[l.bucketFloor[b]];
    const door = entrance(floor.site_id);
    const reach: ReachFact = { fact: worseFact(door, floor.step_free_access), floor: FACT_RANK[floor.step_free_access] > FACT_RANK[door] ? floor : null };
    const k = l.pairKeys[p];
    const prev = out.get(k);
    if (!prev || FACT_RANK[reach.fact] > FACT_RANK[prev.fact]) out.set(k, reach);
  }
  // people of the pair on no floor are judged by the entrance
  for (const [p, sum] of onFloors) {
    if (occ.count[p] <= sum) continue;
    const k = l.pairKeys[p];
    const door = entrance(siteOf(k));
    const prev = out.get(k);
    if (prev && FACT_RANK[door] > FACT_RANK[prev.fact]) out.set(k, { fact: door, floor: null });
  }
  return out;
}

export interface StackUnit {
  unit_id: number;
  unit: string;
  team_id: number;
  team: string;
  headcount: number;
  public_facing: boolean;
  /** the unit's headcount at the site rests on an estimated move */
  headcount_estimated: boolean;
}

export interface StackFloor {
  id: number;
  level: number;
  name: string;
  workplaces: number;
  workplaces_estimated: boolean;
  area_m2: number | null;
  needed: number;
  headcount: number;
  headcount_estimated: boolean;
  step_free_access: Fact;
  units: StackUnit[];
}

/** A site's floors at a date, top floor first, and who is on none of them. */
export interface SiteStack {
  site_id: number;
  floors: StackFloor[];
  unassigned: StackUnit[];
}

export interface StackUnitInfo {
  name: string;
  team_id: number;
  team: string;
  rank: number;
  desk_ratio: number;
  public_facing: boolean;
}

/**
 * The stack of each wanted site with floors, from an occupancy: for every floor its units (in
 * German alphabetical order), headcount and workplaces needed; the unassigned rest of each unit.
 */
export function stacksOf(occ: Occupancy, index: FloorIndex, siteIds: Iterable<number>, unitInfo: ReadonlyMap<number, StackUnitInfo>): Map<number, SiteStack> {
  const l = occ.ledger;
  const wanted = new Set<number>();
  for (const id of siteIds) if (index.ofSite.has(id)) wanted.add(id);
  const out = new Map<number, SiteStack>();
  if (!wanted.size) return out;
  const unit = (unitId: number, headcount: number, estimated: boolean): StackUnit | null => {
    const u = unitInfo.get(unitId);
    return u
      ? { unit_id: unitId, unit: u.name, team_id: u.team_id, team: u.team, headcount, public_facing: u.public_facing, headcount_estimated: estimated }
      : null;
  };
  const byRank = (a: StackUnit, b: StackUnit) => (unitInfo.get(a.unit_id)?.rank ?? 0) - (unitInfo.get(b.unit_id)?.rank ?? 0);
  // people on floors, per floor (by index), and per (unit, site) how many of them
  const perFloor = new Map<number, StackUnit[]>();
  const onFloors = new Map<number, number>();
  for (let b = 0; b < occ.floorCount.length; b++) {
    const c = occ.floorCount[b];
    if (c === 0) continue;
    const f = l.bucketFloor[b];
    const floor = index.floors[f];
    if (!wanted.has(floor.site_id)) continue;
    const u = unit(l.bucketUnit[b], c, occ.estimatedPair[l.bucketPair[b]] === 1);
    if (!u) continue;
    const list = perFloor.get(f);
    if (list) list.push(u);
    else perFloor.set(f, [u]);
    const p = l.bucketPair[b];
    onFloors.set(p, (onFloors.get(p) ?? 0) + c);
  }
  // the rest of each (unit, site) pair is on no floor (below zero when the floors hold more than the site)
  const unassigned = new Map<number, StackUnit[]>();
  const rest = (p: number) => {
    const k = l.pairKeys[p];
    const siteId = siteOf(k);
    if (!wanted.has(siteId)) return;
    const rest = occ.count[p] - (onFloors.get(p) ?? 0);
    if (rest === 0) return;
    const u = unit(unitOf(k), rest, occ.estimatedPair[p] === 1);
    if (!u) return;
    const list = unassigned.get(siteId);
    if (list) list.push(u);
    else unassigned.set(siteId, [u]);
  };
  for (let p = 0; p < l.pairs; p++) if (occ.count[p] !== 0) rest(p);
  for (const p of onFloors.keys()) if (occ.count[p] === 0) rest(p);
  for (const siteId of wanted) {
    const floors = (index.ofSite.get(siteId) ?? []).map((f): StackFloor => {
      const floor = index.floors[f];
      const units = (perFloor.get(f) ?? []).sort(byRank);
      let headcount = 0;
      let raw = 0;
      for (const u of units) {
        headcount += u.headcount;
        if (u.headcount > 0) raw += u.headcount * (unitInfo.get(u.unit_id)?.desk_ratio ?? 1);
      }
      return {
        id: floor.id,
        level: floor.level,
        name: floor.name,
        workplaces: floor.workplaces,
        workplaces_estimated: floor.workplaces_estimated ?? false,
        area_m2: floor.area_m2,
        needed: Math.ceil(r3(raw)),
        headcount,
        headcount_estimated: units.some((u) => u.headcount_estimated && u.headcount !== 0),
        step_free_access: floor.step_free_access,
        units,
      };
    });
    out.set(siteId, { site_id: siteId, floors, unassigned: (unassigned.get(siteId) ?? []).sort(byRank) });
  }
  return out;
}

/**
 * The most workplaces the people on one floor need at any date from `from` on, by a fold of the
 * moves that name the floor, and the first date they need that many (null: nobody is there from
 * `from` on). A floor's workplaces may not fall below it.
 */
export function floorPeak(
  moves: readonly PlanMove[],
  floorId: number,
  from: string,
  ratio: (unitId: number) => number,
): { needed: number; date: string } | null {
  const entries = ledgerOf(moves.filter((m) => m.from_floor_id === floorId || m.to_floor_id === floorId)).filter((e) => e.floor_id === floorId);
  const counts = new Map<number, number>();
  let best: { needed: number; date: string } | null = null;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    counts.set(e.unit_id, (counts.get(e.unit_id) ?? 0) + e.delta);
    const next = entries[i + 1]?.date;
    if (next === e.date) continue;
    // this count holds from e.date until the next entry's date
    if (next !== undefined && next <= from) continue;
    let raw = 0;
    for (const [unitId, c] of counts) if (c > 0) raw += c * ratio(unitId);
    const needed = Math.ceil(r3(raw));
    if (needed > 0 && (!best || needed > best.needed)) best = { needed, date: e.date > from ? e.date : from };
  }
  return best;
}

/**
 * Where the `headcount` people of a unit leaving a site come from, when the move does not say: those
 * on no floor first, then floor by floor from the top (a placement proposal knows sites, not floors).
 * Each part names its floor (null: on no floor); what the site does not hold stays on no floor.
 */
export function leavingByFloor(stack: SiteStack | undefined, unitId: number, headcount: number): { floor_id: number | null; headcount: number }[] {
  if (!stack) return [{ floor_id: null, headcount }];
  const out: { floor_id: number | null; headcount: number }[] = [];
  let rest = headcount;
  const take = (floorId: number | null, available: number) => {
    const n = Math.min(rest, Math.max(0, available));
    if (n > 0) {
      out.push({ floor_id: floorId, headcount: n });
      rest -= n;
    }
  };
  take(null, stack.unassigned.find((u) => u.unit_id === unitId)?.headcount ?? 0);
  for (const f of stack.floors) take(f.id, f.units.find((u) => u.unit_id === unitId)?.headcount ?? 0);
  if (rest > 0) {
    const none = out.find((p) => p.floor_id === null);
    if (none) none.headcount += rest;
    else out.unshift({ floor_id: null, headcount: rest });
  }
  return out;
}

/** What the warning rules see of the floors at one date (see rules/floors.ts). */
export interface FloorView {
  readonly floors: readonly PlanFloor[];
  /** per floor (by index in `floors`): headcount, workplaces needed, and whether a count rests on an estimate */
  readonly headcount: Float64Array;
  readonly needed: Int32Array;
  readonly estimated: Uint8Array;
  /** how the people of a (public-facing) unit at a site reach it, when some of them sit on floors */
  reach(unitId: number, siteId: number): ReachFact | undefined;
}

/** The floors' loads and the reach of public-facing units at a date, from an occupancy. */
export function floorView(
  occ: Occupancy,
  index: FloorIndex,
  ratio: (unitId: number) => number,
  entrance: (siteId: number) => Fact,
  publicFacing: (unitId: number) => boolean,
): FloorView {
  const { headcount, needed } = floorLoads(occ, index.size, ratio);
  const estimated = new Uint8Array(index.size);
  const l = occ.ledger;
  for (let b = 0; b < occ.floorCount.length; b++) if (occ.floorCount[b] !== 0 && occ.estimatedPair[l.bucketPair[b]] === 1) estimated[l.bucketFloor[b]] = 1;
  let reach: Map<number, ReachFact> | undefined;
  return {
    floors: index.floors,
    headcount,
    needed,
    estimated,
    reach(unitId, siteId) {
      reach ??= reachByPair(occ, index, entrance, publicFacing);
      return reach.get(pairKey(unitId, siteId));
    },
  };
}
