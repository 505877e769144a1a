/**
 * NEGATIVE_HEADCOUNT: no move may take more people of a unit away from a site than are there. The one
 * place the rule is decided; every write (moves, overrides, adopting a scenario, CSV import, the
 * placement assistant) asks `introducedNegatives`, the state's warning asks the occupancy.
 */
import { ledgerOf, placeKey } from './occupancy.js';
import { asCounted, movesFor } from './selection.js';
import type { PlanMove, PlanOverride } from './types.js';

export interface NegativeHeadcount {
  move_id: number;
  unit_id: number;
  site_id: number;
  /** the floor of the site (null: the people on no floor) */
  floor_id: number | null;
  date: string;
  headcount: number;
}

/** The place a point below zero is at: (unit, site, floor), floor null for the people on no floor. */
const key = (n: NegativeHeadcount) => placeKey(n.unit_id, n.site_id, n.floor_id);

/**
 * Every point where a ledger of these moves drives a unit's headcount at a site below zero: on a
 * floor of it, or among its people on no floor (the ledger folds (unit, site, floor)).
 */
export function negativesOf(moves: readonly PlanMove[]): NegativeHeadcount[] {
  const counts = new Map<number, number>();
  const out: NegativeHeadcount[] = [];
  for (const e of ledgerOf(moves)) {
    const k = placeKey(e.unit_id, e.site_id, e.floor_id);
    const next = (counts.get(k) ?? 0) + e.delta;
    counts.set(k, next);
    if (next < 0 && e.delta < 0) out.push({ move_id: e.move_id, unit_id: e.unit_id, site_id: e.site_id, floor_id: e.floor_id, date: e.date, headcount: next });
  }
  return out;
}

/**
 * The rule on writes: the points below zero in the ledger `after` at (unit, site, floor) places that were
 * not below zero in the ledger `before` (a write may not make things worse where they were fine; it
 * is not blamed for what was wrong already). Both are the moves that count (see movesFor).
 */
export function introducedNegatives(before: readonly PlanMove[], after: readonly PlanMove[]): NegativeHeadcount[] {
  const known = new Set(negativesOf(before).map(key));
  return negativesOf(after).filter((n) => !known.has(key(n)));
}

/**
 * The NEGATIVE_HEADCOUNT rule on writes: which (unit, site) pairs would go below zero
 * after replacing or removing one move, that are not below zero already.
 * A proposed baseline move is checked as if it were approved.
 */
export function newNegativeHeadcounts(
  moves: readonly PlanMove[],
  change: { upsert?: PlanMove; removeId?: number },
  overrides: readonly PlanOverride[] = [],
): NegativeHeadcount[] {
  const scenarioId = change.upsert?.scenario_id ?? moves.find((m) => m.id === change.removeId)?.scenario_id ?? null;
  const id = change.upsert?.id ?? change.removeId;
  const others = moves.filter((m) => m.id !== id);
  const after = movesFor(others, scenarioId, overrides);
  const c = change.upsert;
  if (c && c.status !== 'cancelled' && c.scenario_id === scenarioId) after.push(asCounted(c));
  // each pair once, where it first goes below zero
  const seen = new Set<number>();
  return introducedNegatives(movesFor(moves, scenarioId, overrides), after).filter((n) => {
    const k = key(n);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
