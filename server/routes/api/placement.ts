import { Router } from 'express';
import { requireRole, ROLES_THAT_PLAN } from '../../auth/guards.js';
import { validation, zodFields } from '../../errors.js';
import { langOf } from '../../i18n/index.js';
import { PlacementApply, PlacementQuery } from '../../schemas.js';
import type { PlacementService } from '../../services/placement-service.js';
import type { HeavyWork } from '../../work/heavy-work.js';
import { withTexts } from '../../services/placement-text.js';
import { me } from '../crud.js';
import { doc } from '../../openapi/doc.js';
import * as R from '../../openapi/responses.js';

const body = <T>(schema: { safeParse: (x: unknown) => { success: true; data: T } | { success: false; error: import('zod').ZodError } }, input: unknown): T => {
  const r = schema.safeParse(input ?? {});
  if (!r.success) throw validation(zodFields(r.error));
  return r.data;
};

/** POST /api/placement (proposals) and POST /api/placement/apply (a new scenario); planners and admins. */
export function placementRoutes(placement: PlacementService, heavy: HeavyWork): Router {
  const r = Router();
  const planners = requireRole(...ROLES_THAT_PLAN);
  r.post(
    '/placement',
    doc({
      tag: 'planning',
      summary: 'Placement assistant: up to three proposals where teams or units can go (planners and admins)',
      body: PlacementQuery,
      response: { schema: R.PlacementAnswer },
      write: true,
      errors: [403, 404, 503],
      errorText: {
        503: 'BUSY: no worker is free to start the solve at once (so its answer could not arrive within time_limit_s + 5 s), the queue is full, or the user already has 2 heavy analyses going; try again after Retry-After seconds',
      },
    }),
    planners,
    async (req, res) => {
      const arrivedAt = Date.now();
      const q = body(PlacementQuery, req.body);
      res.json(withTexts(await heavy.propose(me(req), q, arrivedAt), langOf(req)));
    },
  );
  r.post(
    '/placement/apply',
    doc({
      tag: 'scenarios',
      summary: "Apply a placement proposal: a new scenario holding the proposal's moves (planners and admins)",
      body: PlacementApply,
      response: { status: 201, schema: R.PlacementApplied },
      write: true,
      errors: [403, 404, 409, 422],
    }),
    planners,
    async (req, res) => {
      const q = body(PlacementApply, req.body);
      const out = await placement.apply(me(req), q);
      res.status(201).json({ scenario: out.scenario, moves: out.moves });
    },
  );
  return r;
}
