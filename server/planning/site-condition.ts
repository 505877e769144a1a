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
export function siteCondition(site: PlanSite, events: readonly PlanEvent[], date: string, initial: SiteStatus = initialStatus(site, events)): SiteCondition {
  let capacity = site.capacity;
  let status: SiteStatus = initial;
  if (status === 'candidate') {
    // a candidate counts (where it counts at all) like an active site from the date it is on offer
    if (site.available_from && date < site.available_from) return { capacity: 0, status: 'candidate', available: false };
    status = 'active';
  }

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

/** The status a site has before any of its events (computed once per site and selection). */
export function initialStatus(site: PlanSite, events: readonly PlanEvent[]): SiteStatus {
  if (site.status === 'candidate') return 'candidate';
  let opening = false; let closure = false; let renovation = false;
  for (const e of events) {
    if (e.kind === 'opening') opening = true;
    else if (e.kind === 'closure') closure = true;
    else if (e.kind === 'renovation') renovation = true;
  }
  if (opening || site.status === 'planned') return 'planned';
  if (site.status === 'closed' && !closure) return 'closed';
  if (site.status === 'renovation' && !renovation) return 'renovation';
  return 'active';
}

/**
 * Why a site has the capacity it has at a date: the condition and the events that set it
 * (the last capacity change, a running renovation, an opening or closure), oldest first.
 */
export function capacitySources<E extends PlanEvent>(site: PlanSite, events: readonly E[], date: string): { condition: SiteCondition; events: E[] } {
  const sorted = [...events].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id - b.id));
  const condition = siteCondition(site, sorted, date);
  let lastCapacity: E | null = null;
  const others: E[] = [];
  for (const e of sorted) {
    if (e.date > date) break;
    if (e.kind === 'capacity' && e.capacity !== null) lastCapacity = e;
    else if (e.kind === 'opening' || e.kind === 'closure') others.push(e);
    else if (e.kind === 'renovation' && (e.end_date === null || date <= e.end_date)) others.push(e);
  }
  const out = lastCapacity ? [lastCapacity, ...others] : others;
  out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id - b.id));
  return { condition, events: out };
}
