/** Rules every service shares: parsing a body with its schema, who may plan, the move status machine, a move's floors. */
import type { z } from 'zod';
import { canPlan, type SessionUser } from '../auth/guards.js';
import { AppError, forbidden, ruleBroken, validation, zodFields } from '../errors.js';
import { floorsOfOtherSites, type MoveEnds } from '../planning/engine.js';
import type { MoveStatus } from '../planning/types.js';

export function parseBody<T extends z.ZodTypeAny>(schema: T, body: unknown): z.infer<T> {
  const r = schema.safeParse(body ?? {});
  if (!r.success) throw validation(zodFields(r.error));
  return r.data;
}

export { canPlan };
export function requirePlanner(u: SessionUser | undefined): asserts u is SessionUser {
  if (!canPlan(u)) throw forbidden();
}
/** Scenarios are the planners' work: a site_editor touches only baseline records (of their own sites). */
export function baselineOnlyUnlessPlanner(u: SessionUser, ...scenarioIds: (number | null | undefined)[]) {
  if (!canPlan(u) && scenarioIds.some((id) => id != null)) throw forbidden('scenarios are changed by planners only');
}
export function requireAdmin(u: SessionUser | undefined): asserts u is SessionUser {
  if (u?.role !== 'admin') throw forbidden();
}

/**
 * A floor or site that scenarios' changes name cannot be deleted: the refusal names the scenarios (at
 * most three, then …), so that building staff, who cannot open scenarios, can ask central planning by name.
 */
export function namedByScenarios(what: 'floor' | 'site', names: readonly string[], user?: SessionUser): AppError {
  const shown = names.slice(0, 3);
  const more = names.length > shown.length ? ' …' : '';
  const quoted = shown.map((n) => `„${n}“`).join(', ') + more;
  return new AppError(409, 'IN_USE', `changes in the scenarios ${shown.map((n) => `"${n}"`).join(', ')}${more} name this ${what}; change them first`, {
    // central planning hears where to change them, building staff whom to ask
    _: `validation.${what}_in_scenarios${what === 'floor' && canPlan(user) ? '_planner' : ''}?n=${names.length}&scenarios=${encodeURIComponent(quoted)}`,
  });
}

export const MOVE_TRANSITIONS: Record<MoveStatus, MoveStatus[]> = {
  proposed: ['approved', 'cancelled'],
  approved: ['done', 'cancelled'],
  done: ['cancelled'],
  cancelled: [],
};

/**
 * The floors a move names (as it counts: in a scenario, with the scenario's changes) must exist (422
 * UNKNOWN_REFERENCE) and be floors of the site at their end (400 VALIDATION_FAILED, the field named).
 * The first end that fails decides; when both name existing floors of other sites, both are named.
 */
export async function checkFloorsOfSites(floors: { getMany(ids: readonly number[]): Promise<{ id: number; site_id: number }[]> }, m: MoveEnds): Promise<void> {
  const ids = [m.from_floor_id, m.to_floor_id].filter((f): f is number => f != null);
  if (!ids.length) return;
  const siteOf = new Map((await floors.getMany(ids)).map((f) => [f.id, f.site_id]));
  const wrong = floorsOfOtherSites(m, siteOf);
  if (!wrong.length) return;
  const first = m[wrong[0]] as number;
  if (!siteOf.has(first)) throw ruleBroken('UNKNOWN_REFERENCE', `floor ${first} does not exist`, undefined, { [wrong[0]]: 'validation.unknown_reference' });
  const named = wrong.filter((f) => siteOf.has(m[f] as number));
  throw validation(Object.fromEntries(named.map((f) => [f, 'validation.floor_of_other_site'])), `floor ${first} is not a floor of its site`);
}
