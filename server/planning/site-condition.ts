import type { PlanEvent, PlanSite, SiteStatus } from './types.js';

export interface SiteCondition {
  capacity: number;
  status: SiteStatus;
  /** people can work there at the date */
  available: boolean;
}

/**
 * What a site offers at a date: its base capacity with the dated events applied.
 * The site's own `status` is the fallback for what no event dates: a site marked
 * `closed` without a closure event is closed at every date, and so on.
 * `events` must be this site's events, sorted by date.
 */
export function siteCondition(site: PlanSite, events: readonly PlanEvent[], date: string): SiteCondition {
  let capacity = site.capacity;
  const hasKind = (k: PlanEvent['kind']) => events.some((e) => e.kind === k);
  let status: SiteStatus;
  if (hasKind('opening') || site.status === 'planned') status = 'planned';
  else if (site.status === 'closed' && !hasKind('closure')) status = 'closed';
  else if (site.status === 'renovation' && !hasKind('renovation')) status = 'renovation';
  else status = 'active';

  let renovationCapacity: number | null = null;
  for (const e of events) {
    if (e.date > date) break;
    switch (e.kind) {
      case 'capacity':
        if (e.capacity !== null) capacity = e.capacity;
        break;
      case 'opening':
        if (status === 'planned' || status === 'closed') status = 'active';
        break;
      case 'closure':
        status = 'closed';
        break;
      case 'renovation':
        if (e.end_date === null || date <= e.end_date) renovationCapacity = e.capacity ?? 0;
        break;
    }
  }
  if (status === 'closed' || status === 'planned') return { capacity: 0, status, available: false };
  if (status === 'renovation') return { capacity: 0, status, available: false };
  if (renovationCapacity !== null) {
    return { capacity: renovationCapacity, status: 'renovation', available: renovationCapacity > 0 };
  }
  return { capacity, status, available: true };
}

/** Every date at which a site's condition may change (for sweeping a window). */
export function conditionChangeDates(events: readonly PlanEvent[]): string[] {
  const out: string[] = [];
  for (const e of events) {
    out.push(e.date);
    if (e.end_date) out.push(e.end_date);
  }
  return out;
}
