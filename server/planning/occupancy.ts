/**
 * The occupancy ledger and its sweep: who sits where after the first n ledger entries.
 *
 * A state at a date is the fold of the ledger up to that date. A plan keeps checkpoints (the running
 * counts per unit and site and the per-site totals after every CHECKPOINT_EVERY entries) and answers
 * a date from the nearest one, stepping forward (applying entries) or back (undoing them), so a new
 * date costs at most half a checkpoint interval of ledger entries, wherever it lies.
 */
import type { PlanMove } from './types.js';

/** One dated headcount change of one unit at one site. */
export interface LedgerEntry {
  date: string;
  unit_id: number;
  site_id: number;
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
    if (m.from_site_id !== null)
      out.push({ date: m.date, unit_id: m.unit_id, site_id: m.from_site_id, delta: -m.headcount, move_id: m.id, seq: seqOut, estimated });
    if (m.to_site_id !== null) out.push({ date: m.date, unit_id: m.unit_id, site_id: m.to_site_id, delta: m.headcount, move_id: m.id, seq: seqOut, estimated });
    if (m.until && m.until > m.date) {
      const seqBack = Number.MAX_SAFE_INTEGER / 2 + m.id;
      if (m.to_site_id !== null)
        out.push({ date: m.until, unit_id: m.unit_id, site_id: m.to_site_id, delta: -m.headcount, move_id: m.id, seq: seqBack, estimated });
      if (m.from_site_id !== null)
        out.push({ date: m.until, unit_id: m.unit_id, site_id: m.from_site_id, delta: m.headcount, move_id: m.id, seq: seqBack, estimated });
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
 * A selection's ledger packed into arrays (a fraction of the memory of one object per entry), with
 * what stepping back needs: for each entry, the previous entry of the same (unit, site) and what
 * held for that pair after it (the entry that began its current stretch below zero; whether its
 * count rests on an estimate).
 */
export class PackedLedger {
  readonly length: number;
  readonly dates: string[];
  readonly key: Float64Array;
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

  constructor(entries: readonly LedgerEntry[], siteIndex: ReadonlyMap<number, number>, ratio: ReadonlyMap<number, number>) {
    const n = entries.length;
    this.length = n;
    this.dates = new Array<string>(n);
    this.key = new Float64Array(n);
    this.delta = new Float64Array(n);
    this.moveId = new Float64Array(n);
    this.estimated = new Uint8Array(n);
    this.siteIdx = new Int32Array(n);
    this.ratio = new Float64Array(n);
    this.prevSameKey = new Int32Array(n);
    this.negativeSince = new Int32Array(n);
    this.estimatedAfter = new Uint8Array(n);
    const last = new Map<number, number>();
    const count = new Map<number, number>();
    entries.forEach((e, i) => {
      const k = pairKey(e.unit_id, e.site_id);
      this.dates[i] = e.date;
      this.key[i] = k;
      this.delta[i] = e.delta;
      this.moveId[i] = e.move_id;
      this.estimated[i] = e.estimated ? 1 : 0;
      const s = siteIndex.get(e.site_id);
      const r = ratio.get(e.unit_id);
      this.siteIdx[i] = s !== undefined && r !== undefined ? s : -1;
      this.ratio[i] = r ?? 0;
      const prev = last.get(k) ?? -1;
      this.prevSameKey[i] = prev;
      const next = (count.get(k) ?? 0) + e.delta;
      count.set(k, next);
      const wasNegative = prev >= 0 ? this.negativeSince[prev] : -1;
      this.negativeSince[i] = next >= 0 ? -1 : wasNegative >= 0 ? wasNegative : e.delta < 0 ? i : -1;
      this.estimatedAfter[i] = e.estimated || (prev >= 0 && this.estimatedAfter[prev] === 1) ? 1 : 0;
      last.set(k, i);
    });
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

/** The occupancy after the first `pos` ledger entries, kept so that a state need not replay the whole ledger. */
interface Checkpoint {
  pos: number;
  keys: Float64Array;
  values: Float64Array;
  negativeKeys: Float64Array;
  negativeSince: Int32Array;
  headcount: Float64Array;
  needed: Float64Array;
  estimatedEntries: Uint32Array;
  estimatedKeys: Float64Array;
}

export const CHECKPOINT_EVERY = 4096;

/** Running occupancy while sweeping a ledger (forward, or back from a checkpoint). */
export class Occupancy {
  readonly counts = new Map<number, number>();
  /** pairs below zero, with the ledger entry that drove them there */
  private readonly negativeBy = new Map<number, number>();
  /** per site (by index): headcount and Σ max(0, headcount) × desk_ratio, kept up to date incrementally */
  readonly headcount: Float64Array;
  readonly needed: Float64Array;
  /** per site (by index): how many estimated ledger entries have touched it so far */
  readonly estimatedEntries: Uint32Array;
  /** (unit, site) keys whose count rests on an estimated entry */
  readonly estimatedKeys = new Set<number>();
  pos = 0;

  constructor(
    private readonly ledger: PackedLedger,
    sites: number,
    from?: Checkpoint,
  ) {
    this.headcount = new Float64Array(sites);
    this.needed = new Float64Array(sites);
    this.estimatedEntries = new Uint32Array(sites);
    if (from) {
      this.pos = from.pos;
      for (let i = 0; i < from.keys.length; i++) this.counts.set(from.keys[i], from.values[i]);
      for (let i = 0; i < from.negativeKeys.length; i++) this.negativeBy.set(from.negativeKeys[i], from.negativeSince[i]);
      this.headcount.set(from.headcount);
      this.needed.set(from.needed);
      this.estimatedEntries.set(from.estimatedEntries);
      for (const k of from.estimatedKeys) this.estimatedKeys.add(k);
    }
  }

  checkpoint(): Checkpoint {
    return {
      pos: this.pos,
      keys: Float64Array.from(this.counts.keys()),
      values: Float64Array.from(this.counts.values()),
      negativeKeys: Float64Array.from(this.negativeBy.keys()),
      negativeSince: Int32Array.from(this.negativeBy.values()),
      headcount: this.headcount.slice(),
      needed: this.needed.slice(),
      estimatedEntries: this.estimatedEntries.slice(),
      estimatedKeys: Float64Array.from(this.estimatedKeys),
    };
  }

  /** The pairs below zero, with the move and date that drove each there. */
  *negatives(): Generator<[number, { move_id: number; date: string }]> {
    for (const [k, i] of this.negativeBy) yield [k, { move_id: this.ledger.moveId[i], date: this.ledger.dates[i] }];
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
    const k = l.key[i];
    const delta = sign * l.delta[i];
    const prev = this.counts.get(k) ?? 0;
    const next = prev + delta;
    if (next === 0) this.counts.delete(k);
    else this.counts.set(k, next);
    const s = l.siteIdx[i];
    if (s >= 0) {
      this.headcount[s] += delta;
      this.needed[s] += (Math.max(0, next) - Math.max(0, prev)) * l.ratio[i];
      if (l.estimated[i]) this.estimatedEntries[s] += sign;
    }
    // after entry i going forward, after the pair's previous entry going back
    const after = sign === 1 ? i : l.prevSameKey[i];
    const negative = after >= 0 ? l.negativeSince[after] : -1;
    if (negative >= 0) this.negativeBy.set(k, negative);
    else this.negativeBy.delete(k);
    if (after >= 0 && l.estimatedAfter[after]) this.estimatedKeys.add(k);
    else this.estimatedKeys.delete(k);
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

  /** The occupancy after every entry dated on or before `date`, from the nearest checkpoint. */
  at(date: string): Occupancy {
    const target = this.ledger.countUpTo(date);
    const cps = (this.checkpoints ??= this.build());
    let best: Checkpoint | undefined;
    for (const cp of cps) if (!best || Math.abs(cp.pos - target) < Math.abs(best.pos - target)) best = cp;
    const occ = best && Math.abs(best.pos - target) < target ? new Occupancy(this.ledger, this.sites, best) : this.fromStart();
    occ.moveToIndex(target);
    return occ;
  }

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
