/** Warning rules about the sites' leases (SPEC section 15): a lease that has run out, notice that falls due. */
import { addMonths } from '../dates.js';
import type { RuleContext } from './context.js';

/** How many months before the notice date NOTICE_DUE is raised. */
export const NOTICE_WARNING_MONTHS = 6;

/** LEASE_ENDS: people sit in a site after its (last) lease ended, and no lease follows. */
export function leaseEnds(ctx: RuleContext): void {
  const view = ctx.leases();
  if (!view.bySite.size) return;
  const { date } = ctx;
  for (const st of ctx.sites) {
    const leases = view.bySite.get(st.id);
    if (!leases || st.headcount <= 0 || !view.counted.has(st.id)) continue;
    // leases come earliest first: one in force at the date, or one that follows, ends the question
    let ended: string | null = null;
    let coveredOrFollows = false;
    for (const l of leases) {
      if (l.start > date || l.end === null || l.end >= date) {
        coveredOrFollows = true;
        break;
      }
      ended = l.end;
    }
    if (ended !== null && !coveredOrFollows)
      ctx.warn('LEASE_ENDS', { site: st.name, end: ended, headcount: st.headcount }, { site_id: st.id }, st.headcount_estimated ? ['headcount'] : []);
  }
}

/**
 * NOTICE_DUE: the plan leaves a site without people before its lease ends; notice must be given by
 * the end − the notice months. Raised from NOTICE_WARNING_MONTHS before that day until it.
 */
export function noticeDue(ctx: RuleContext): void {
  const { date } = ctx;
  for (const n of ctx.leases().notices) {
    if (date > n.due || date < addMonths(n.due, -NOTICE_WARNING_MONTHS)) continue;
    ctx.warn('NOTICE_DUE', { site: ctx.siteState(n.site_id).name, due: n.due, end: n.end, months: n.months }, { site_id: n.site_id });
  }
}
