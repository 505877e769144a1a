/** Warning rules about one site at a time: its load, its office area, how fresh its data is. */
import { addMonths } from '../dates.js';
import { isNearCapacity, minimumOfficeArea } from '../load.js';
import type { RuleContext } from './context.js';

/**
 * SITE_UNAVAILABLE, else OVER_CAPACITY, else NEAR_CAPACITY: at most one of the three per site.
 * Estimated headcounts, capacities (and the dates of the events behind them) mark their numbers.
 */
export function siteLoad(ctx: RuleContext): void {
  const { date } = ctx;
  for (const st of ctx.sites) {
    const people = st.headcount_estimated ? ['headcount', 'needed'] : [];
    const places = st.capacity_estimated ? ['capacity'] : [];
    if (st.headcount > 0 && !st.available) {
      // an assumed closure or an estimated renovation window: the date it rests on is ours
      ctx.warn('SITE_UNAVAILABLE', { site: st.name, headcount: st.headcount, status: st.status, date }, { site_id: st.id }, [
        ...people.slice(0, 1),
        ...(st.status_estimated ? ['status'] : []),
      ]);
    } else if (st.needed > st.capacity) {
      ctx.warn('OVER_CAPACITY', { site: st.name, needed: st.needed, headcount: st.headcount, capacity: st.capacity }, { site_id: st.id }, [
        ...people,
        ...places,
      ]);
    } else if (isNearCapacity(st, ctx.config.nearCapacityThreshold)) {
      const estimated = [...people, ...places];
      ctx.warn(
        'NEAR_CAPACITY',
        { site: st.name, percent: Math.round(st.utilization * 100), needed: st.needed, capacity: st.capacity },
        { site_id: st.id },
        estimated.length ? ['percent', ...estimated] : [],
      );
    }
  }
}

/** AREA_BELOW_STANDARD: the office area is less than ASR A1.2 asks for the workplaces needed. */
export function areaBelowStandard(ctx: RuleContext): void {
  for (const st of ctx.sites) {
    const area = ctx.site(st.id).office_area_m2;
    if (area === null || st.needed <= 0) continue;
    const minimum = minimumOfficeArea(st.needed);
    if (area < minimum)
      ctx.warn(
        'AREA_BELOW_STANDARD',
        { site: st.name, area, needed: st.needed, minimum },
        { site_id: st.id },
        st.headcount_estimated ? ['needed', 'minimum'] : [],
      );
  }
}

/** DATA_STALE: a site in use (today or later) whose data nobody verified within config.staleAfterMonths. */
export function dataStale(ctx: RuleContext): void {
  if (ctx.date < ctx.today) return;
  const months = ctx.config.staleAfterMonths;
  const limit = addMonths(ctx.today, -months);
  for (const st of ctx.sites) {
    const s = ctx.site(st.id);
    if (st.status === 'closed' || !(st.headcount > 0 || s.status === 'active')) continue;
    if (!s.verified_at || s.verified_at.slice(0, 10) < limit) {
      ctx.warn('DATA_STALE', { site: st.name, verified_at: s.verified_at ? s.verified_at.slice(0, 10) : null, months }, { site_id: st.id });
    }
  }
}
