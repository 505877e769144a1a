/**
 * Which records count for a selection (the baseline, or the baseline and one scenario), with the
 * scenario's overrides applied. The one place this is decided: the engine and the write rules use it.
 */
import type { MoveOverrideChanges, PlanEvent, PlanMove, PlanOverride } from './types.js';
import { EVENT_OVERRIDE_FIELDS, MOVE_OVERRIDE_FIELDS } from './types.js';

/** The overrides of one scenario, by the id of the baseline record they change. */
function overridesOf(overrides: readonly PlanOverride[], scenarioId: number | null, target: 'move_id' | 'event_id'): Map<number, PlanOverride> {
  const out = new Map<number, PlanOverride>();
  if (scenarioId === null) return out;
  for (const o of overrides) {
    const id = o[target];
    if (o.scenario_id === scenarioId && id !== null) out.set(id, o);
  }
  return out;
}

/** A baseline record with a scenario's changed fields in place (only the fields the override names). */
export function overridden<T extends object>(record: T, changes: object | undefined, fields: readonly string[]): T {
  if (!changes) return record;
  const out = { ...record } as Record<string, unknown>;
  for (const f of fields) if (f in changes) out[f] = (changes as Record<string, unknown>)[f];
  return out as T;
}

/**
 * Which moves count for a selection (baseline, or baseline + one scenario), with the scenario's
 * overrides applied to baseline moves: an override's values replace the record's, a cancelling
 * override drops it. The baseline never sees an override.
 */
export function movesFor(moves: readonly PlanMove[], scenarioId: number | null, overrides: readonly PlanOverride[] = []): PlanMove[] {
  const byMove = overridesOf(overrides, scenarioId, 'move_id');
  const out: PlanMove[] = [];
  for (const m of moves) {
    if (m.status === 'cancelled') continue;
    if (m.scenario_id === null) {
      if (m.status !== 'approved' && m.status !== 'done') continue;
      const o = byMove.get(m.id);
      if (o?.changes.cancelled) continue;
      out.push(o ? moveInScenario(m, o.changes) : m);
    } else if (scenarioId !== null && m.scenario_id === scenarioId) out.push(m);
  }
  return out;
}

/**
 * The floors a baseline move names in a scenario: the ones its override names, else the baseline's,
 * except at an end the override sends to another site (the old floor belongs to the old site).
 */
export function floorsInScenario(
  base: Pick<PlanMove, 'from_site_id' | 'to_site_id' | 'from_floor_id' | 'to_floor_id'>,
  changes: MoveOverrideChanges | Record<string, unknown>,
): { from_floor_id: number | null; to_floor_id: number | null } {
  const end = (site: 'from_site_id' | 'to_site_id', floor: 'from_floor_id' | 'to_floor_id'): number | null => {
    const c = changes as Record<string, unknown>;
    if (floor in c) return (c[floor] as number | null) ?? null;
    if (site in c && c[site] !== base[site]) return null;
    return base[floor] ?? null;
  };
  return { from_floor_id: end('from_site_id', 'from_floor_id'), to_floor_id: end('to_site_id', 'to_floor_id') };
}

/**
 * A baseline move as it counts in a scenario with these changes: the fields they name in place, and
 * the floors of its sites there (see floorsInScenario).
 */
export function moveInScenario<T extends PlanMove>(base: T, changes: MoveOverrideChanges | Record<string, unknown>): T {
  const m = overridden(base, changes, MOVE_OVERRIDE_FIELDS);
  const floors = floorsInScenario(base, changes);
  return floors.from_floor_id === (m.from_floor_id ?? null) && floors.to_floor_id === (m.to_floor_id ?? null) ? m : { ...m, ...floors };
}

/** A move's two ends: the sites and the floors it names. */
export type MoveEnds = Partial<Pick<PlanMove, 'from_site_id' | 'to_site_id' | 'from_floor_id' | 'to_floor_id'>>;

/** The floor fields of a move that name a floor not of the site at that end (`siteOf`: each known floor's site). */
export function floorsOfOtherSites(m: MoveEnds, siteOf: ReadonlyMap<number, number>): ('from_floor_id' | 'to_floor_id')[] {
  return (['from', 'to'] as const).flatMap((end) => {
    const floorId = m[`${end}_floor_id`];
    return floorId != null && siteOf.get(floorId) !== (m[`${end}_site_id`] ?? null) ? [`${end}_floor_id` as const] : [];
  });
}

/** Which site events count for a selection, with the scenario's overrides applied (see movesFor). */
export function eventsFor(events: readonly PlanEvent[], scenarioId: number | null, overrides: readonly PlanOverride[] = []): PlanEvent[] {
  const byEvent = overridesOf(overrides, scenarioId, 'event_id');
  const out: PlanEvent[] = [];
  for (const e of events) {
    if (e.scenario_id === null) {
      const o = byEvent.get(e.id);
      if (o?.changes.cancelled) continue;
      out.push(overridden(e, o?.changes, EVENT_OVERRIDE_FIELDS));
    } else if (scenarioId !== null && e.scenario_id === scenarioId) out.push(e);
  }
  return out;
}

/**
 * A move as the ledger rules check it before it is written: a proposed baseline move is checked
 * as if it were approved (it will count once approved).
 */
export function asCounted<M extends Pick<PlanMove, 'status' | 'scenario_id'>>(m: M): M {
  return m.status === 'proposed' && m.scenario_id === null ? { ...m, status: 'approved' } : m;
}
