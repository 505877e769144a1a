import { Router } from 'express';
import { validation, zodFields } from '../../errors.js';
import { langOf } from '../../i18n/index.js';
import { PlacementApply, PlacementQuery } from '../../schemas.js';
import type { PlacementService } from '../../services/placement-service.js';
import type { HeavyWork } from '../../work/heavy-work.js';
import { withTexts } from '../../services/placement-text.js';
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
    async (req, res) => {
      const arrivedAt = Date.now();
      // the service's word first: a viewer is refused before any work is queued for the pool
      const user = placement.mayAsk(req.user);
      const q = body(PlacementQuery, req.body);
      res.json(withTexts(await heavy.propose(user, q, arrivedAt), langOf(req)));
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
    async (req, res) => {
      const user = placement.mayAsk(req.user);
      const q = body(PlacementApply, req.body);
      const out = await placement.apply(user, q);
      res.status(201).json({ scenario: out.scenario, moves: out.moves });
    },
  );
  return r;
}
