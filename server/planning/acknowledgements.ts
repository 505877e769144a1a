/**
 * Acknowledged warnings (SPEC section 16): a warning whose subject a planner acknowledged carries
 * `acknowledged: {id, reason, until}`. Pure: the acknowledgements are data of the plan.
 */
import type { PlanAcknowledgement, Warning } from './types.js';
import { DATA_GAP_CODES } from './types.js';

/** Whether an acknowledgement covers a warning: same code, and every subject it names is the warning's. */
export function covers(a: PlanAcknowledgement, w: Pick<Warning, 'code' | 'team_id' | 'site_id' | 'unit_id'>, date: string): boolean {
  if (a.code !== w.code) return false;
  if (a.until !== null && date > a.until) return false;
  if (a.team_id === null && a.site_id === null && a.unit_id === null) return false;
  return (a.team_id === null || a.team_id === w.team_id) && (a.site_id === null || a.site_id === w.site_id) && (a.unit_id === null || a.unit_id === w.unit_id);
}

/** The warnings of a state at `date`, those covered by an acknowledgement marked (the first, by id). */
export function acknowledge(warnings: Warning[], acknowledgements: readonly PlanAcknowledgement[], date: string): Warning[] {
  if (!acknowledgements.length) return warnings;
  const byCode = new Map<string, PlanAcknowledgement[]>();
  for (const a of [...acknowledgements].sort((x, y) => x.id - y.id)) byCode.set(a.code, [...(byCode.get(a.code) ?? []), a]);
  return warnings.map((w) => {
    const a = byCode.get(w.code)?.find((x) => covers(x, w, date));
    return a ? { ...w, acknowledged: { id: a.id, reason: a.reason, until: a.until } } : w;
  });
}

/** A warning counted at a glance (map, badges, totals): not a data gap and not acknowledged. */
export function isOpenWarning(w: Pick<Warning, 'code' | 'acknowledged'>): boolean {
  return !w.acknowledged && !DATA_GAP_CODES.has(w.code);
}
