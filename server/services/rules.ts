/** Rules every service shares: parsing a body with its schema, who may plan, the move status machine. */
import type { z } from 'zod';
import { canPlan, type SessionUser } from '../auth/guards.js';
import { forbidden, validation, zodFields } from '../errors.js';
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

export const MOVE_TRANSITIONS: Record<MoveStatus, MoveStatus[]> = {
  proposed: ['approved', 'cancelled'],
  approved: ['done', 'cancelled'],
  done: ['cancelled'],
  cancelled: [],
};
