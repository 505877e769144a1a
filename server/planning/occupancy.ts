/**
 * The occupancy ledger and its sweep: who sits where after the first n ledger entries.
 *
 * A state at a date is the fold of the ledger up to that date. A plan keeps checkpoints (the running
 * counts per unit and site and the per-site totals after every CHECKPOINT_EVERY entries) and answers
 * a date from the nearest one, stepping forward (applying entries) or back (undoing them), so a new
 * date costs at most half a checkpoint interval of ledger entries, wherever it lies.
 */
import type { PlanMove } from './types.js';

/** One dated headcount change of one unit at one site (on one of its floors, or on none). */
export interface LedgerEntry {
  date: string;
  unit_id: number;
  site_id: number;
  /** the floor of the site (null: not assigned to a floor) */
  floor_id: number | null;
  delta: number;
  move_id: number;
  /** order within a date: moves by id, returns of temporary moves after them */
  seq: number;
  /** the headcount is an estimate */
  estimated: boolean;
}

/** The ledger entries of a set of moves, sorted by date; a temporary move is undone on its `until` date. */
export function ledgerOf(moves: readonly PlanMove[]): LedgerEntry[] {
  const out: LedgerEntry[] = [];
  for (const m of moves) {
    const seqOut = m.id * 2;
    const estimated = m.headcount_estimated ?? false;
    const fromFloor = m.from_floor_id ?? null;
    const toFloor = m.to_floor_id ?? null;
    const unit = m.unit_id;
    if (m.from_site_id !== null)
      out.push({ date: m.date, unit_id: unit, site_id: m.from_site_id, floor_id: fromFloor, delta: -m.headcount, move_id: m.id, seq: seqOut, estimated });
    if (m.to_site_id !== null)
      out.push({ date: m.date, unit_id: unit, site_id: m.to_site_id, floor_id: toFloor, delta: m.headcount, move_id: m.id, seq: seqOut, estimated });
    if (m.until && m.until > m.date) {
      const seqBack = Number.MAX_SAFE_INTEGER / 2 + m.id;
      if (m.to_site_id !== null)
        out.push({ date: m.until, unit_id: unit, site_id: m.to_site_id, floor_id: toFloor, delta: -m.headcount, move_id: m.id, seq: seqBack, estimated });
      if (m.from_site_id !== null)
        out.push({ date: m.until, unit_id: unit, site_id: m.from_site_id, floor_id: fromFloor, delta: m.headcount, move_id: m.id, seq: seqBack, estimated });
    }
  }
  out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.seq - b.seq || a.delta - b.delta));
  return out;
}

/** (unit, site) as one number: site ids stay below 2^20, unit ids below 2^32. */
const SITE_BITS = 1_048_576;
export const pairKey = (unitId: number, siteId: number) => unitId * SITE_BITS + siteId;
export const unitOf = (k: number) => Math.floor(k / SITE_BITS);
export const siteOf = (k: number) => k % SITE_BITS;

/**
 * (unit, site, floor) as one number, for rules that fold the ledger by floor: (unit, site) as
 * pairKey when no floor is named (people not assigned to a floor), else a negative number from
 * (unit, floor) (a floor belongs to one site; floor ids stay below 2^20).
 */
export const placeKey = (unitId: number, siteId: number, floorId: number | null) =>
  floorId === null ? pairKey(unitId, siteId) : -(unitId * SITE_BITS + floorId) - 1;

/** A floor of the plan as the ledger needs it: its index in the plan's floors and its site. */
export interface LedgerFloor {
  index: number;
  site_id: number;
}

/**
 * A selection's ledger packed into arrays (a fraction of the memory of one object per entry), with
 * what stepping back needs: for each entry, the previous entry of the same (unit, site) and what
 * held for that pair after it (the entry that began its current stretch below zero; whether its
 * count rests on an estimate). Each distinct (unit, site) pair has a number of its own (0, 1, …), so
 * an occupancy keeps its counts in typed arrays, not in a map of millions of keys.
 */
export class PackedLedger {
  readonly length: number;
  readonly dates: string[];
  /** the entry's (unit, site) pair, by its number */
  readonly pair: Int32Array;
  /** each pair's key (pairKey(unit, site)), by the pair's number */
  readonly pairKeys: Float64Array;
  readonly delta: Float64Array;
  readonly moveId: Float64Array;
  readonly estimated: Uint8Array;
  /** the site's index in the plan (−1: not one of its sites, or the unit is unknown) */
  readonly siteIdx: Int32Array;
  /** the unit's desk ratio */
  readonly ratio: Float64Array;
  readonly prevSameKey: Int32Array;
  /** after this entry: the entry that drove the pair below zero in its current stretch (−1: not below zero) */
  readonly negativeSince: Int32Array;
  /** after this entry: the pair's count rests on an estimated entry */
  readonly estimatedAfter: Uint8Array;
  /**
   * For each entry, its (unit, floor) bucket (−1: no floor of the entry's site named); null when
   * no entry names one (then nothing is spent on floors). A bucket's count is a part of its
   * (unit, site) pair's count: the rest of the pair is not assigned to a floor.
   */
  readonly floorBucket: Int32Array | null;
  /** each bucket's unit id, floor index (in the plan's floors) and (unit, site) pair number */
  readonly bucketUnit: Float64Array;
  readonly bucketFloor: Int32Array;
  readonly bucketPair: Int32Array;

  constructor(
    entries: readonly LedgerEntry[],
    siteIndex: ReadonlyMap<number, number>,
    ratio: ReadonlyMap<number, number>,
    floors?: ReadonlyMap<number, LedgerFloor>,
  ) {
    const n = entries.length;
    this.length = n;
    this.dates = new Array<string>(n);
    this.pair = new Int32Array(n);
    this.delta = new Float64Array(n);
    this.moveId = new Float64Array(n);
    this.estimated = new Uint8Array(n);
    this.siteIdx = new Int32Array(n);
    this.ratio = new Float64Array(n);
    this.prevSameKey = new Int32Array(n);
    this.negativeSince = new Int32Array(n);
    this.estimatedAfter = new Uint8Array(n);
    const pairOf = new Map<number, number>();
    const keys: number[] = [];
    const last: number[] = [];
    const count: number[] = [];
    const withFloors = floors !== undefined && floors.size > 0;
    const floorBucket = withFloors ? new Int32Array(n).fill(-1) : null;
    const bucketOf = new Map<number, number>();
    const bucketUnit: number[] = [];
    const bucketFloor: number[] = [];
    const bucketPair: number[] = [];
    entries.forEach((e, i) => {
      const k = pairKey(e.unit_id, e.site_id);
      let p = pairOf.get(k);
      if (p === undefined) {
        p = keys.length;
        pairOf.set(k, p);
        keys.push(k);
        last.push(-1);
        count.push(0);
      }
      this.dates[i] = e.date;
      this.pair[i] = p;
      this.delta[i] = e.delta;
      this.moveId[i] = e.move_id;
      this.estimated[i] = e.estimated ? 1 : 0;
      const s = siteIndex.get(e.site_id);
      const r = ratio.get(e.unit_id);
      this.siteIdx[i] = s !== undefined && r !== undefined ? s : -1;
      this.ratio[i] = r ?? 0;
      const prev = last[p];
      this.prevSameKey[i] = prev;
      const next = count[p] + e.delta;
      count[p] = next;
      const wasNegative = prev >= 0 ? this.negativeSince[prev] : -1;
      this.negativeSince[i] = next >= 0 ? -1 : wasNegative >= 0 ? wasNegative : e.delta < 0 ? i : -1;
      this.estimatedAfter[i] = e.estimated || (prev >= 0 && this.estimatedAfter[prev] === 1) ? 1 : 0;
      last[p] = i;
      if (floorBucket !== null && e.floor_id !== null) {
        // a floor of another site (a scenario moved the move's end elsewhere) counts as none
        const f = floors?.get(e.floor_id);
        if (f !== undefined && f.site_id === e.site_id) {
          const k = e.unit_id * SITE_BITS + f.index;
          let b = bucketOf.get(k);
          if (b === undefined) {
            b = bucketUnit.length;
            bucketOf.set(k, b);
            bucketUnit.push(e.unit_id);
            bucketFloor.push(f.index);
            bucketPair.push(p);
          }
          floorBucket[i] = b;
        }
      }
    });
    this.pairKeys = Float64Array.from(keys);
    this.floorBucket = bucketUnit.length > 0 ? floorBucket : null;
    this.bucketUnit = Float64Array.from(bucketUnit);
    this.bucketFloor = Int32Array.from(bucketFloor);
    this.bucketPair = Int32Array.from(bucketPair);
  }

  /** How many distinct (unit, floor) buckets the ledger has. */
  get buckets(): number {
    return this.bucketUnit.length;
  }

  /** How many distinct (unit, site) pairs the ledger has. */
  get pairs(): number {
    return this.pairKeys.length;
  }

  /** How many entries are dated on or before `date` (binary search). */
  countUpTo(date: string): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.dates[mid] <= date) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** The occupancy after the first `pos` ledger entries, kept so that a state need not replay the whole ledger (only what is not zero). */
interface Checkpoint {
  pos: number;
  /** the pairs with people (their numbers) and how many */
  pairs: Int32Array;
  values: Float64Array;
  /** the pairs below zero and the entry that drove each there */
  negativePairs: Int32Array;
  negativeSince: Int32Array;
  headcount: Float64Array;
  needed: Float64Array;
  estimatedEntries: Uint32Array;
  /** the pairs whose count rests on an estimate */
  estimatedPairs: Int32Array;
  /** the (unit, floor) buckets with people and how many */
  buckets: Int32Array;
  bucketValues: Float64Array;
}

export const CHECKPOINT_EVERY = 4096;

/** Running occupancy while sweeping a ledger (forward, or back from a checkpoint). */
export class Occupancy {
  /** per pair (by its number): how many people of the unit are at the site */
  readonly count: Float64Array;
  /** per pair: the ledger entry that drove it below zero (−1: not below zero) */
  private readonly negativeBy: Int32Array;
  /** per pair: 1 when its count rests on an estimated entry */
  readonly estimatedPair: Uint8Array;
  /** per site (by index): headcount and Σ max(0, headcount) × desk_ratio, kept up to date incrementally */
  readonly headcount: Float64Array;
  readonly needed: Float64Array;
  /** per site (by index): how many estimated ledger entries have touched it so far */
  readonly estimatedEntries: Uint32Array;
  /** per (unit, floor) bucket (see PackedLedger.floorBucket): how many people of the unit are on the floor */
  readonly floorCount: Float64Array;
  pos = 0;

  /** At the start of the ledger (reset() moves it to a checkpoint). */
  constructor(
    readonly ledger: PackedLedger,
    sites: number,
  ) {
    this.count = new Float64Array(ledger.pairs);
    this.negativeBy = new Int32Array(ledger.pairs).fill(-1);
    this.estimatedPair = new Uint8Array(ledger.pairs);
    this.headcount = new Float64Array(sites);
    this.needed = new Float64Array(sites);
    this.estimatedEntries = new Uint32Array(sites);
    this.floorCount = new Float64Array(ledger.buckets);
  }

  /** Back to the start of the ledger, or to a checkpoint. */
  reset(from?: Checkpoint): void {
    this.count.fill(0);
    this.negativeBy.fill(-1);
    this.estimatedPair.fill(0);
    this.headcount.fill(0);
    this.needed.fill(0);
    this.estimatedEntries.fill(0);
    this.floorCount.fill(0);
    this.pos = 0;
    if (!from) return;
    for (let i = 0; i < from.buckets.length; i++) this.floorCount[from.buckets[i]] = from.bucketValues[i];
    this.pos = from.pos;
    for (let i = 0; i < from.pairs.length; i++) this.count[from.pairs[i]] = from.values[i];
    for (let i = 0; i < from.negativePairs.length; i++) this.negativeBy[from.negativePairs[i]] = from.negativeSince[i];
    for (let i = 0; i < from.estimatedPairs.length; i++) this.estimatedPair[from.estimatedPairs[i]] = 1;
    this.headcount.set(from.headcount);
    this.needed.set(from.needed);
    this.estimatedEntries.set(from.estimatedEntries);
  }

  /** The (unit, site) keys with people and how many (not zero). */
  get counts(): Iterable<[number, number]> {
    const keys = this.ledger.pairKeys;
    const count = this.count;
    return (function* () {
      for (let p = 0; p < count.length; p++) if (count[p] !== 0) yield [keys[p], count[p]] as [number, number];
    })();
  }

  /** The (unit, site) keys whose count rests on an estimated entry. */
  get estimatedKeys(): Iterable<number> {
    const keys = this.ledger.pairKeys;
    const estimated = this.estimatedPair;
    return (function* () {
      for (let p = 0; p < estimated.length; p++) if (estimated[p]) yield keys[p];
    })();
  }

  checkpoint(): Checkpoint {
    const where = (test: (p: number) => boolean) => {
      const out: number[] = [];
      for (let p = 0; p < this.count.length; p++) if (test(p)) out.push(p);
      return Int32Array.from(out);
    };
    const pairs = where((p) => this.count[p] !== 0);
    const negativePairs = where((p) => this.negativeBy[p] >= 0);
    const buckets: number[] = [];
    for (let b = 0; b < this.floorCount.length; b++) if (this.floorCount[b] !== 0) buckets.push(b);
    return {
      buckets: Int32Array.from(buckets),
      bucketValues: Float64Array.from(buckets, (b) => this.floorCount[b]),
      pos: this.pos,
      pairs,
      values: Float64Array.from(pairs, (p) => this.count[p]),
      negativePairs,
      negativeSince: Int32Array.from(negativePairs, (p) => this.negativeBy[p]),
      headcount: this.headcount.slice(),
      needed: this.needed.slice(),
      estimatedEntries: this.estimatedEntries.slice(),
      estimatedPairs: where((p) => this.estimatedPair[p] === 1),
    };
  }

  /** The pairs below zero (by key), with their count and the move and date that drove each there. */
  *negatives(): Generator<[number, { headcount: number; move_id: number; date: string }]> {
    const l = this.ledger;
    for (let p = 0; p < this.negativeBy.length; p++) {
      const i = this.negativeBy[p];
      if (i >= 0) yield [l.pairKeys[p], { headcount: this.count[p], move_id: l.moveId[i], date: l.dates[i] }];
    }
  }

  advanceTo(date: string): void {
    const l = this.ledger;
    let end = this.pos;
    while (end < l.length && l.dates[end] <= date) end++;
    this.moveToIndex(end);
  }

  /** Applies (or, going back, undoes) ledger entries until exactly the first `end` are applied. */
  moveToIndex(end: number): void {
    while (this.pos < end) this.apply(this.pos++, 1);
    while (this.pos > end) this.apply(--this.pos, -1);
  }

  /** Applies entry i (sign 1) or undoes it (sign −1). */
  private apply(i: number, sign: 1 | -1): void {
    const l = this.ledger;
    const p = l.pair[i];
    const delta = sign * l.delta[i];
    const prev = this.count[p];
    const next = prev + delta;
    this.count[p] = next;
    const fb = l.floorBucket;
    if (fb !== null && fb[i] >= 0) this.floorCount[fb[i]] += delta;
    const s = l.siteIdx[i];
    if (s >= 0) {
      this.headcount[s] += delta;
      this.needed[s] += (Math.max(0, next) - Math.max(0, prev)) * l.ratio[i];
      if (l.estimated[i]) this.estimatedEntries[s] += sign;
    }
    // after entry i going forward, after the pair's previous entry going back
    const after = sign === 1 ? i : l.prevSameKey[i];
    this.negativeBy[p] = after >= 0 ? l.negativeSince[after] : -1;
    this.estimatedPair[p] = after >= 0 && l.estimatedAfter[after] ? 1 : 0;
  }
}

/** A packed ledger with checkpoints every `every` entries (and at its end), built on first use. */
export class CheckpointedLedger {
  private checkpoints: Checkpoint[] | null = null;

  constructor(
    readonly ledger: PackedLedger,
    private readonly sites: number,
    private readonly every = CHECKPOINT_EVERY,
  ) {}

  /** An occupancy at the start of the ledger, for sweeping forward. */
  fromStart(): Occupancy {
    return new Occupancy(this.ledger, this.sites);
  }

  /**
   * The occupancy after every entry dated on or before `date`: the one of the last call, stepped
   * there when it lies nearest (a slider moved a little), else set to the nearest checkpoint and
   * stepped from it. The answer is the same object each time: it holds until the next call.
   */
  at(date: string): Occupancy {
    const target = this.ledger.countUpTo(date);
    const cps = (this.checkpoints ??= this.build());
    let best: Checkpoint | undefined;
    for (const cp of cps) if (!best || Math.abs(cp.pos - target) < Math.abs(best.pos - target)) best = cp;
    if (best && Math.abs(best.pos - target) >= target) best = undefined; // the start is as near
    const occ = this.cursor;
    if (occ && Math.abs(occ.pos - target) <= Math.abs((best?.pos ?? 0) - target)) {
      occ.moveToIndex(target);
      return occ;
    }
    const fresh = occ ?? new Occupancy(this.ledger, this.sites);
    fresh.reset(best);
    fresh.moveToIndex(target);
    this.cursor = fresh;
    return fresh;
  }
  private cursor: Occupancy | null = null;

  private build(): Checkpoint[] {
    const cps: Checkpoint[] = [];
    if (this.ledger.length < this.every) return cps;
    const sweep = this.fromStart();
    for (let n = this.every; n < this.ledger.length; n += this.every) {
      sweep.moveToIndex(n);
      cps.push(sweep.checkpoint());
    }
    sweep.moveToIndex(this.ledger.length);
    cps.push(sweep.checkpoint());
    return cps;
  }
}
