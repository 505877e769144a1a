import { addDays } from './dates.js';
import type { AccessibilityFacts, PlanEvent, PlanSite, SiteStatus } from './types.js';

export interface SiteCondition {
  capacity: number;
  status: SiteStatus;
  /** people can work there at the date */
  available: boolean;
  /**
   * the capacity at the date rests on an estimate: the base capacity or a capacity event, and for a
   * site that cannot be used, the estimated closure, opening or renovation that makes it so
   */
  capacity_estimated: boolean;
  /** the status at the date rests on an estimated event: an assumed closure, opening or renovation window */
  status_estimated: boolean;
}

/**
 * What a site offers at a date: its base capacity with the dated events applied.
 * The site's own `status` is the fallback for what no event dates: a site marked
 * `closed` without a closure event is closed at every date, and so on.
 * A site with an `opening` event offers nothing before it (the department does not have it yet);
 * a renovation window before the opening shows as `renovation`, still with nothing to offer.
 * `events` must be this site's events, sorted by date.
 */
export function siteCondition(site: PlanSite, events: readonly PlanEvent[], date: string, initial: SiteStatus = initialStatus(site, events)): SiteCondition {
  let capacity = site.capacity;
  let capacityEstimated = site.capacity_estimated ?? false;
  let status: SiteStatus = initial;
  // the last event that set the status (an opening or a closure): whether it is our estimate
  let statusEstimated = false;
  if (status === 'candidate') {
    // a candidate counts (where it counts at all) like an active site from the date it is on offer
    if (site.available_from && date < site.available_from) return notOnOffer();
    status = 'active';
  }

  let renovation: PlanEvent | null = null;
  for (const e of events) {
    if (e.date > date) break;
    switch (e.kind) {
      case 'capacity':
        if (e.capacity !== null) {
          capacity = e.capacity;
          capacityEstimated = e.estimated ?? false;
        }
        break;
      case 'opening':
        if (status === 'planned' || status === 'closed') {
          status = 'active';
          statusEstimated = e.estimated ?? false;
        }
        break;
      case 'closure':
        status = 'closed';
        statusEstimated = e.estimated ?? false;
        break;
      case 'renovation':
        if (e.end_date === null || date <= e.end_date) renovation = e;
        break;
    }
  }
  // nothing to offer rests on the event that says so: an assumed closure (or opening, or renovation
  // window) makes the 0 an estimate as much as an estimated number would
  if (status === 'closed') return unavailable(status, statusEstimated);
  if (status === 'planned' || status === 'renovation') {
    if (renovation) return unavailable('renovation', renovation.estimated ?? false);
    return unavailable(status, status === 'planned' && openingEstimated(events, date));
  }
  if (renovation !== null) {
    const c = renovation.capacity ?? 0;
    const estimated = renovation.estimated ?? false;
    return { capacity: c, status: 'renovation', available: c > 0, capacity_estimated: estimated, status_estimated: estimated };
  }
  return { capacity, status, available: true, capacity_estimated: capacityEstimated, status_estimated: false };
}

function unavailable(status: SiteStatus, estimated: boolean): SiteCondition {
  return { capacity: 0, status, available: false, capacity_estimated: estimated, status_estimated: estimated };
}

/** A planned site waits for its next opening: is that opening's date our estimate? */
function openingEstimated(events: readonly PlanEvent[], date: string): boolean {
  for (const e of events) if (e.date > date && e.kind === 'opening') return e.estimated ?? false;
  return false;
}

/** What a candidate building offers while it is not (yet) on offer to the selection: nothing. */
export function notOnOffer(): SiteCondition {
  return { capacity: 0, status: 'candidate', available: false, capacity_estimated: false, status_estimated: false };
}

/** The day from which an event's accessibility facts hold: after a renovation's end, else its date. */
export function factsFrom(e: PlanEvent): string {
  return e.kind === 'renovation' && e.end_date ? addDays(e.end_date, 1) : e.date;
}

/**
 * A site's accessibility facts at a date: its stored facts, overridden by the facts its events set
 * (in the order they take effect). `events` are this site's events.
 */
export function siteFactsAt(site: AccessibilityFacts, events: readonly PlanEvent[], date: string): AccessibilityFacts {
  const changing = events.filter((e) => e.facts && Object.keys(e.facts).length > 0 && factsFrom(e) <= date);
  if (!changing.length) return pickFacts(site);
  changing.sort((a, b) => (factsFrom(a) < factsFrom(b) ? -1 : factsFrom(a) > factsFrom(b) ? 1 : a.id - b.id));
  const out = pickFacts(site);
  for (const e of changing) {
    for (const [k, v] of Object.entries(e.facts ?? {})) if (v !== undefined && v !== null) (out as unknown as Record<string, unknown>)[k] = v;
  }
  return out;
}

function pickFacts(s: AccessibilityFacts): AccessibilityFacts {
  return {
    step_free: s.step_free,
    accessible_toilet: s.accessible_toilet,
    accessible_parking: s.accessible_parking,
    elevator: s.elevator,
    door_width_cm: s.door_width_cm,
    threshold_cm: s.threshold_cm,
  };
}

/** The status a site has before any of its events (computed once per site and selection). */
export function initialStatus(site: PlanSite, events: readonly PlanEvent[]): SiteStatus {
  if (site.status === 'candidate') return 'candidate';
  let opening = false;
  let closure = false;
  let renovation = false;
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
 * (the last capacity change, a running renovation, a closure in force), oldest first.
 */
export function capacitySources<E extends PlanEvent>(site: PlanSite, events: readonly E[], date: string): { condition: SiteCondition; events: E[] } {
  const sorted = [...events].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id - b.id));
  const condition = siteCondition(site, sorted, date);
  let lastCapacity: E | null = null;
  // the opening or closure that set the status last: only a closure takes the capacity away (an
  // opening makes the site available with the capacity it has, it sets no number)
  let lastStatus: E | null = null;
  const others: E[] = [];
  for (const e of sorted) {
    if (e.date > date) break;
    if (e.kind === 'capacity' && e.capacity !== null) lastCapacity = e;
    else if (e.kind === 'opening' || e.kind === 'closure') lastStatus = e;
    else if (e.kind === 'renovation' && (e.end_date === null || date <= e.end_date)) others.push(e);
  }
  if (lastStatus?.kind === 'closure') others.push(lastStatus);
  const out = lastCapacity ? [lastCapacity, ...others] : others;
  out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id - b.id));
  return { condition, events: out };
}
