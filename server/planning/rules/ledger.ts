/** Warning rules about the move ledger itself. */
import type { RuleContext } from './context.js';

/** NEGATIVE_HEADCOUNT: moves took more people of a unit away from a site than were there. */
export function negativeHeadcount(ctx: RuleContext): void {
  let unitName: Map<number, string> | undefined;
  let siteName: Map<number, string> | undefined;
  for (const n of ctx.negatives()) {
    // names looked up only when there is a finding: most states have none
    unitName ??= new Map(ctx.data.units.map((u) => [u.id, u.name]));
    siteName ??= new Map(ctx.data.sites.map((s) => [s.id, s.name]));
    ctx.warn(
      'NEGATIVE_HEADCOUNT',
      { unit: unitName.get(n.unit_id) ?? String(n.unit_id), site: siteName.get(n.site_id) ?? String(n.site_id), headcount: n.headcount, date: n.date },
      { site_id: n.site_id, unit_id: n.unit_id, move_id: n.move_id },
    );
  }
}
