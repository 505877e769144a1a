import { Router, type Request } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { SessionUser } from '../../auth/guards.js';
import { presentSite } from '../../services/presenters.js';
import { langOf, withMessages, type Lang } from '../../i18n/index.js';
import { id, idParams, isoDate, parse } from '../validate.js';
import { createDoc, deleteDoc, deleteVersion, me, updateDoc, versionQuery } from '../crud.js';
import { doc, PERIOD_TOO_LONG_TEXT, type Tag } from '../../openapi/doc.js';
import * as R from '../../openapi/responses.js';
import * as S from '../../schemas.js';

/** What `crudRoutes` needs for one resource. */
interface CrudOps {
  create: (u: SessionUser, body: unknown) => Promise<unknown>;
  update: (u: SessionUser, id: number, body: unknown) => Promise<unknown>;
  remove: (u: SessionUser, id: number, version?: number) => Promise<void>;
  present?: (x: never, lang: Lang) => unknown;
  /** for the OpenAPI document: the schemas the service parses the bodies with, and the answer */
  doc: { tag: Tag; what: string; create: z.ZodType; patch: z.ZodType; schema: z.ZodType };
}

/** POST `path`, PATCH and DELETE `path/:id` of one resource. */
function crudRoutes(r: Router, path: string, ops: CrudOps): void {
  const present = (x: unknown, req: Request) => (ops.present ? ops.present(x as never, langOf(req)) : x);
  const d = ops.doc;
  r.post(path, createDoc(d.tag, d.what, d.create, d.schema), async (req, out) => {
    out.status(201).json(present(await ops.create(me(req), req.body), req));
  });
  r.patch(`${path}/:id`, updateDoc(d.tag, d.what, d.patch, d.schema), async (req, out) => {
    out.json(present(await ops.update(me(req), parse(idParams, req.params).id, req.body), req));
  });
  r.delete(`${path}/:id`, deleteDoc(d.tag, d.what), async (req, out) => {
    await ops.remove(me(req), parse(idParams, req.params).id, deleteVersion(req));
    out.status(204).end();
  });
}

/** POST/PATCH/DELETE routes of SPEC section 5. Authorization and rules live in the services. */
export function writeRoutes(ctx: AppContext): Router {
  const r = Router();
  resourceWrites(r, ctx);
  siteAndMoveActions(r, ctx);
  return r;
}

/** Create, change and delete of each resource. */
function resourceWrites(r: Router, ctx: AppContext): void {
  const { sites, moves, organisation, scenarios, users } = ctx.services;
  const crud = (path: string, ops: CrudOps) => crudRoutes(r, path, ops);
  crud('/districts', {
    create: (u, b) => organisation.createDistrict(u, b),
    update: (u, i, b) => organisation.updateDistrict(u, i, b),
    remove: (u, i, v) => organisation.deleteDistrict(u, i, v),
    doc: { tag: 'organisation', what: 'district', create: S.DistrictCreate, patch: S.DistrictPatch, schema: R.District },
  });
  crud('/teams', {
    create: (u, b) => organisation.createTeam(u, b),
    update: (u, i, b) => organisation.updateTeam(u, i, b),
    remove: (u, i, v) => organisation.deleteTeam(u, i, v),
    doc: { tag: 'organisation', what: 'team', create: S.TeamCreate, patch: S.TeamPatch, schema: R.Team },
  });
  crud('/units', {
    create: (u, b) => organisation.createUnit(u, b),
    update: (u, i, b) => organisation.updateUnit(u, i, b),
    remove: (u, i, v) => organisation.deleteUnit(u, i, v),
    doc: { tag: 'organisation', what: 'unit', create: S.UnitCreate, patch: S.UnitPatch, schema: R.Unit },
  });
  crud('/sites', {
    create: (u, b) => sites.createSite(u, b),
    update: (u, i, b) => sites.updateSite(u, i, b),
    remove: (u, i, v) => sites.deleteSite(u, i, v),
    present: presentSite,
    doc: { tag: 'sites', what: 'site', create: S.SiteCreate, patch: S.SitePatch, schema: R.Site },
  });
  crud('/moves', {
    create: (u, b) => moves.createMove(u, b),
    update: (u, i, b) => moves.updateMove(u, i, b),
    remove: (u, i, v) => moves.deleteMove(u, i, v),
    doc: { tag: 'moves', what: 'move', create: S.MoveCreate, patch: S.MovePatch, schema: R.Move },
  });
  crud('/places', {
    create: (u, b) => organisation.createPlace(u, b),
    update: (u, i, b) => organisation.updatePlace(u, i, b),
    remove: (u, i, v) => organisation.deletePlace(u, i, v),
    doc: { tag: 'places', what: 'place', create: S.PlaceCreate, patch: S.PlacePatch, schema: R.Place },
  });
  crud('/scenarios', {
    create: (u, b) => scenarios.createScenario(u, b),
    update: (u, i, b) => scenarios.updateScenario(u, i, b),
    remove: (u, i, v) => scenarios.deleteScenario(u, i, v),
    doc: { tag: 'scenarios', what: 'scenario', create: S.ScenarioCreate, patch: S.ScenarioPatch, schema: R.Scenario },
  });
  crud('/users', {
    create: (u, b) => users.createUser(u, b),
    update: (u, i, b) => users.updateUser(u, i, b),
    remove: (u, i, v) => users.deleteUser(u, i, v),
    doc: { tag: 'users', what: 'user (admin)', create: S.UserCreate, patch: S.UserPatch, schema: R.User },
  });
}

/** Verifying a site, its events, and the status of a move. */
function siteAndMoveActions(r: Router, ctx: AppContext): void {
  const { sites, moves } = ctx.services;
  r.post(
    '/sites/:id/verify',
    doc({
      tag: 'sites',
      summary: 'Confirm that the site data is current',
      params: idParams,
      body: S.VersionOnly,
      response: { schema: R.Site },
      write: true,
      errors: [403, 404, 409],
    }),
    async (req, out) => {
      out.json(presentSite(await sites.verifySite(me(req), parse(idParams, req.params).id, req.body), langOf(req)));
    },
  );
  r.post('/sites/:id/events', createDoc('sites', 'site event', S.EventCreate, R.SiteEvent, idParams), async (req, out) => {
    out.status(201).json(await sites.createEvent(me(req), parse(idParams, req.params).id, req.body));
  });
  const eventParams = z.object({ id, eventId: id });
  r.patch('/sites/:id/events/:eventId', updateDoc('sites', 'site event', S.EventPatch, R.SiteEvent, eventParams), async (req, out) => {
    const p = parse(eventParams, req.params);
    out.json(await sites.updateEvent(me(req), p.id, p.eventId, req.body));
  });
  r.delete('/sites/:id/events/:eventId', deleteDoc('sites', 'site event', eventParams), async (req, out) => {
    const p = parse(eventParams, req.params);
    await sites.deleteEvent(me(req), p.id, p.eventId, deleteVersion(req));
    out.status(204).end();
  });
  r.post(
    '/moves/:id/status',
    doc({
      tag: 'moves',
      summary: 'Change the status of a move (proposed → approved → done, or cancelled)',
      params: idParams,
      body: S.MoveStatusChange,
      response: { schema: R.Move },
      write: true,
      errors: [403, 404, 409, 422],
    }),
    async (req, out) => {
      out.json(await moves.changeMoveStatus(me(req), parse(idParams, req.params).id, req.body));
    },
  );
}

/** Scenario actions: compare, duplicate, adopt. */
export function scenarioRoutes(ctx: AppContext): Router {
  const r = Router();
  const { scenarios, planning } = ctx.services;
  const compareQuery = z.object({
    date: isoDate.optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    step: z.enum(['month', 'quarter']).default('month'),
  });
  const duplicateBody = z.object({ name: z.string().trim().min(1).max(200).optional() }).passthrough();
  r.get(
    '/scenarios/:id/compare',
    doc({
      tag: 'scenarios',
      summary: 'The scenario against the baseline on a date, or over a period (from, to, step; at most ANALYSIS_MAX_CELLS steps × sites)',
      params: idParams,
      query: compareQuery,
      response: { schema: R.Comparison },
      errors: [404, 422, 503],
      errorText: { 422: PERIOD_TOO_LONG_TEXT },
    }),
    async (req, out) => {
      const q = parse(compareQuery, req.query);
      const id = parse(idParams, req.params).id;
      if (q.from === undefined && q.to === undefined) {
        const cmp = await scenarios.compare(id, q.date ?? ctx.today());
        const lang = langOf(req);
        out.json({ ...cmp, warnings: { appeared: withMessages(lang, cmp.warnings.appeared), disappeared: withMessages(lang, cmp.warnings.disappeared) } });
        return;
      }
      // over a period: from–to in steps (a missing end is the plan's)
      const period = await planning.scenarioPeriod(id);
      out.json(await ctx.heavy.comparePeriod(req.user, id, q.from ?? period.from, q.to ?? period.to, q.step));
    },
  );
  r.post(
    '/scenarios/:id/duplicate',
    doc({
      tag: 'scenarios',
      summary: 'Copy a scenario with its moves and events',
      params: idParams,
      body: duplicateBody,
      response: { status: 201, schema: R.Scenario },
      write: true,
      errors: [403, 404],
    }),
    async (req, out) => {
      const b = parse(duplicateBody, req.body ?? {});
      out.status(201).json(await scenarios.duplicate(me(req), parse(idParams, req.params).id, b.name));
    },
  );
  r.post(
    '/scenarios/:id/adopt',
    doc({
      tag: 'scenarios',
      summary: "Adopt a scenario: its moves and events become the baseline's",
      params: idParams,
      query: versionQuery.partial(),
      body: versionQuery.partial(),
      response: { schema: z.object({ moves: z.number().int(), events: z.number().int() }) },
      write: true,
      errors: [403, 404, 409, 422],
    }),
    async (req, out) => {
      out.json(await scenarios.adopt(me(req), parse(idParams, req.params).id, deleteVersion(req)));
    },
  );
  return r;
}
