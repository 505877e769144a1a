import { Router, type Request } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { unauthorized } from '../../errors.js';
import type { SessionUser } from '../../auth/guards.js';
import type { Resources } from '../../services/resources.js';
import type { ScenarioService } from '../../services/scenarios.js';
import { presentSite } from '../../services/presenters.js';
import { planPeriod } from './planning.js';
import { id, idParams, isoDate, parse } from '../validate.js';

export const me = (req: Request): SessionUser => { if (!req.user) throw unauthorized(); return req.user; };
/** DELETE may carry the version it was based on (?version= or JSON body); when given it is checked. */
export const deleteVersion = (req: Request): number | undefined => {
  const raw = req.query.version ?? (req.body && typeof req.body === 'object' ? (req.body as { version?: unknown }).version : undefined);
  if (raw === undefined) return undefined;
  return parse(z.object({ version: z.coerce.number().int().positive() }), { version: raw }).version;
};

/** POST/PATCH/DELETE routes of SPEC section 5. Authorization and rules live in Resources. */
export function writeRoutes(_ctx: AppContext, res: Resources): Router {
  const r = Router();
  const crud = (path: string, ops: {
    create: (u: SessionUser, body: unknown) => Promise<unknown>;
    update: (u: SessionUser, id: number, body: unknown) => Promise<unknown>;
    remove: (u: SessionUser, id: number, version?: number) => Promise<void>;
    present?: (x: never) => unknown;
  }) => {
    const present = (x: unknown) => (ops.present ? ops.present(x as never) : x);
    r.post(path, async (req, out) => { out.status(201).json(present(await ops.create(me(req), req.body))); });
    r.patch(`${path}/:id`, async (req, out) => { out.json(present(await ops.update(me(req), parse(idParams, req.params).id, req.body))); });
    r.delete(`${path}/:id`, async (req, out) => { await ops.remove(me(req), parse(idParams, req.params).id, deleteVersion(req)); out.status(204).end(); });
  };

  crud('/districts', { create: (u, b) => res.createDistrict(u, b), update: (u, i, b) => res.updateDistrict(u, i, b), remove: (u, i, v) => res.deleteDistrict(u, i, v) });
  crud('/teams', { create: (u, b) => res.createTeam(u, b), update: (u, i, b) => res.updateTeam(u, i, b), remove: (u, i, v) => res.deleteTeam(u, i, v) });
  crud('/units', { create: (u, b) => res.createUnit(u, b), update: (u, i, b) => res.updateUnit(u, i, b), remove: (u, i, v) => res.deleteUnit(u, i, v) });
  crud('/sites', { create: (u, b) => res.createSite(u, b), update: (u, i, b) => res.updateSite(u, i, b), remove: (u, i, v) => res.deleteSite(u, i, v), present: presentSite });
  crud('/moves', { create: (u, b) => res.createMove(u, b), update: (u, i, b) => res.updateMove(u, i, b), remove: (u, i, v) => res.deleteMove(u, i, v) });
  crud('/places', { create: (u, b) => res.createPlace(u, b), update: (u, i, b) => res.updatePlace(u, i, b), remove: (u, i, v) => res.deletePlace(u, i, v) });
  crud('/scenarios', { create: (u, b) => res.createScenario(u, b), update: (u, i, b) => res.updateScenario(u, i, b), remove: (u, i, v) => res.deleteScenario(u, i, v) });
  crud('/users', { create: (u, b) => res.createUser(u, b), update: (u, i, b) => res.updateUser(u, i, b), remove: (u, i, v) => res.deleteUser(u, i, v) });

  r.post('/sites/:id/verify', async (req, out) => { out.json(presentSite(await res.verifySite(me(req), parse(idParams, req.params).id, req.body))); });
  r.post('/sites/:id/events', async (req, out) => { out.status(201).json(await res.createEvent(me(req), parse(idParams, req.params).id, req.body)); });
  const eventParams = z.object({ id, eventId: id });
  r.patch('/sites/:id/events/:eventId', async (req, out) => {
    const p = parse(eventParams, req.params);
    out.json(await res.updateEvent(me(req), p.id, p.eventId, req.body));
  });
  r.delete('/sites/:id/events/:eventId', async (req, out) => {
    const p = parse(eventParams, req.params);
    await res.deleteEvent(me(req), p.id, p.eventId, deleteVersion(req));
    out.status(204).end();
  });
  r.post('/moves/:id/status', async (req, out) => { out.json(await res.changeMoveStatus(me(req), parse(idParams, req.params).id, req.body)); });
  return r;
}

/** Scenario actions: compare, duplicate, adopt. */
export function scenarioRoutes(ctx: AppContext, scenarios: ScenarioService): Router {
  const r = Router();
  r.get('/scenarios/:id/compare', async (req, out) => {
    const q = parse(z.object({ date: isoDate.optional(), from: isoDate.optional(), to: isoDate.optional(), step: z.enum(['month', 'quarter']).default('month') }), req.query);
    const id = parse(idParams, req.params).id;
    if (q.from === undefined && q.to === undefined) { out.json(await scenarios.compare(id, q.date ?? ctx.today())); return; }
    // over a period: from–to in steps (a missing end is the plan's)
    const period = await planPeriod(ctx);
    out.json(await scenarios.comparePeriod(id, q.from ?? period.from, q.to ?? period.to, q.step));
  });
  r.post('/scenarios/:id/duplicate', async (req, out) => {
    const b = parse(z.object({ name: z.string().trim().min(1).max(200).optional() }).passthrough(), req.body ?? {});
    out.status(201).json(await scenarios.duplicate(me(req), parse(idParams, req.params).id, b.name));
  });
  r.post('/scenarios/:id/adopt', async (req, out) => {
    out.json(await scenarios.adopt(me(req), parse(idParams, req.params).id, deleteVersion(req)));
  });
  return r;
}
