/** How full a site is: the one place the load levels and the office-area standard are defined. */

export type LoadLevel = 'ok' | 'near' | 'over' | 'unavailable';

/** ok / near / over / unavailable: how full a site is, as the map legend and the warnings tell it. */
export function loadLevel(s: { available: boolean; needed: number; capacity: number; utilization: number | null }, nearThreshold: number): LoadLevel {
  if (!s.available) return 'unavailable';
  if (s.needed > s.capacity) return 'over';
  return isNearCapacity(s, nearThreshold) ? 'near' : 'ok';
}

/** NEAR_CAPACITY: the workplaces needed fill at least the threshold (config `NEAR_CAPACITY_THRESHOLD`) of the capacity. */
export function isNearCapacity(s: { needed: number; utilization: number | null }, nearThreshold: number): s is { needed: number; utilization: number } {
  return s.utilization !== null && s.utilization >= nearThreshold && s.needed > 0;
}

/** ASR A1.2: the least office area for a number of workplaces (8 m² for the first, 6 m² for each further). */
export function minimumOfficeArea(workplaces: number): number {
  return workplaces > 0 ? 8 + 6 * (workplaces - 1) : 0;
}
