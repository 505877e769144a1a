import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { MOVE_STATUSES, SITE_STATUSES } from '../../planning/types.js';
import { langOf } from '../../i18n/index.js';
import { idParams, isoDate, optionalId, parse } from '../validate.js';
import { doc } from '../../openapi/doc.js';
import * as R from '../../openapi/responses.js';
import { jsonArray, writePieces } from '../streaming.js';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const PLACE_KINDS = ['transit_stop', 'civic_centre', 'library', 'youth_centre', 'family_centre', 'meeting_place', 'other'] as const;

const districtsQuery = z.object({ geometry: bool.optional() });
const teamsQuery = z.object({ kind: z.enum(['district', 'central']).optional(), district_id: optionalId });
const unitsQuery = z.object({ team_id: optionalId, public_facing: bool.optional() });
const sitesQuery = z.object({
  district_id: optionalId,
  status: z.enum(SITE_STATUSES as [string, ...string[]]).optional(),
  accessibility_rating: z.enum(['full', 'partial', 'none', 'unknown']).optional(),
});
const scenarioQuery = z.object({ scenario_id: optionalId });
const nearbyQuery = z.object({
  radius: z.coerce.number().int().min(1).max(10_000).default(500),
  kind: z.enum(PLACE_KINDS).optional(),
});
const movesQuery = z.object({
  status: z.enum(MOVE_STATUSES as [string, ...string[]]).optional(),
  site_id: optionalId,
  unit_id: optionalId,
  team_id: optionalId,
  scenario_id: z.union([z.literal('baseline'), optionalId]).optional(),
  project_id: optionalId,
  from: isoDate.optional(),
  to: isoDate.optional(),
  as_of: isoDate.optional(),
});
const placesQuery = z.object({ kind: z.enum(PLACE_KINDS).optional() });
const auditQuery = z.object({
  entity: z.string().max(32).optional(),
  entity_id: optionalId,
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
const one = (tag: Parameters<typeof doc>[0]['tag'], what: string, schema: Parameters<typeof doc>[0]['response']) =>
  doc({ tag, summary: `One ${what}`, params: idParams, response: schema, errors: [404] });

/** GET routes of every resource (SPEC section 5), with their filters. */
export function readRoutes(ctx: AppContext): Router {
  const r = Router();
  organisationReads(r, ctx);
  siteReads(r, ctx);
  moveAndPlaceReads(r, ctx);
  scenarioUserAuditReads(r, ctx);
  return r;
}

/** Districts, teams and units. */
function organisationReads(r: Router, ctx: AppContext): void {
  const { organisation } = ctx.services;
  r.get(
    '/districts',
    doc({ tag: 'organisation', summary: 'All districts (boundaries with geometry=true)', query: districtsQuery, response: { schema: z.array(R.District) } }),
    async (req, res) => {
      const q = parse(districtsQuery, req.query);
      res.json(await organisation.districtsWithBoundaries(Boolean(q.geometry)));
    },
  );
  r.get('/districts/:id', one('organisation', 'district, with its boundary', { schema: R.District }), async (req, res) => {
    res.json(await organisation.districtWithBoundary(parse(idParams, req.params).id));
  });

  r.get('/teams', doc({ tag: 'organisation', summary: 'All teams', query: teamsQuery, response: { schema: z.array(R.Team) } }), async (req, res) => {
    res.json(await organisation.teams(strip(parse(teamsQuery, req.query))));
  });
  r.get('/teams/:id', one('organisation', 'team, with its units', { schema: R.TeamWithUnits }), async (req, res) => {
    res.json(await organisation.teamWithUnits(parse(idParams, req.params).id));
  });

  r.get('/units', doc({ tag: 'organisation', summary: 'All units', query: unitsQuery, response: { schema: z.array(R.Unit) } }), async (req, res) => {
    res.json(await organisation.units(strip(parse(unitsQuery, req.query))));
  });
  r.get('/units/:id', one('organisation', 'unit', { schema: R.Unit }), async (req, res) => {
    res.json(await organisation.unit(parse(idParams, req.params).id));
  });
}

/** Sites, their events and the places near them. */
function siteReads(r: Router, ctx: AppContext): void {
  const { sites } = ctx.services;
  r.get(
    '/sites',
    doc({ tag: 'sites', summary: 'All sites with their accessibility rating', query: sitesQuery, response: { schema: z.array(R.Site) } }),
    async (req, res) => {
      res.json(await sites.list(parse(sitesQuery, req.query), langOf(req)));
    },
  );
  r.get('/sites/:id', one('sites', 'site', { schema: R.Site }), async (req, res) => {
    res.json(await sites.presented(parse(idParams, req.params).id, langOf(req)));
  });
  r.get(
    '/sites/:id/events',
    doc({
      tag: 'sites',
      summary: "A site's events (baseline, plus the scenario's with scenario_id)",
      params: idParams,
      query: scenarioQuery,
      response: { schema: z.array(R.SiteEvent) },
      errors: [404],
    }),
    async (req, res) => {
      res.json(await sites.events(parse(idParams, req.params).id, parse(scenarioQuery, req.query).scenario_id));
    },
  );
  r.get(
    '/sites/:id/nearby',
    doc({
      tag: 'sites',
      summary: 'Places within a radius of the site, nearest first',
      params: idParams,
      query: nearbyQuery,
      response: { schema: z.array(R.NearbyPlace) },
      errors: [404],
    }),
    async (req, res) => {
      const q = parse(nearbyQuery, req.query);
      res.json(await sites.nearby(await sites.get(parse(idParams, req.params).id), q.radius, q.kind));
    },
  );
}

/** Moves and places. */
function moveAndPlaceReads(r: Router, ctx: AppContext): void {
  const { organisation, moves } = ctx.services;
  r.get(
    '/moves',
    doc({
      tag: 'moves',
      summary: 'Moves, filtered (with as_of: each with status_as_of, its status as of that date)',
      query: movesQuery,
      response: { schema: z.array(R.Move) },
    }),
    async (req, res) => {
      const { as_of: asOf, ...filter } = parse(movesQuery, req.query);
      // 50,000 moves are written out page by page, never held whole
      await writePieces(res, jsonArray(moves.pages(filter, asOf)), { type: 'json' });
    },
  );
  r.get('/moves/:id', one('moves', 'move', { schema: R.Move }), async (req, res) => {
    res.json(await moves.get(parse(idParams, req.params).id));
  });

  r.get(
    '/places',
    doc({ tag: 'places', summary: 'Places (stops, civic centres, …)', query: placesQuery, response: { schema: z.array(R.Place) } }),
    async (req, res) => {
      res.json(await organisation.places(strip(parse(placesQuery, req.query))));
    },
  );
  r.get('/places/:id', one('places', 'place', { schema: R.Place }), async (req, res) => {
    res.json(await organisation.place(parse(idParams, req.params).id));
  });
}

/** Scenarios, users (admin) and the audit log. */
function scenarioUserAuditReads(r: Router, ctx: AppContext): void {
  const { scenarios, users, audit } = ctx.services;
  r.get('/scenarios', doc({ tag: 'scenarios', summary: 'All scenarios', response: { schema: z.array(R.Scenario) } }), async (_req, res) => {
    res.json(await scenarios.list());
  });
  r.get('/scenarios/:id', one('scenarios', 'scenario', { schema: R.Scenario }), async (req, res) => {
    res.json(await scenarios.get(parse(idParams, req.params).id));
  });

  r.get('/users', doc({ tag: 'users', summary: 'All users (admin)', response: { schema: z.array(R.User) }, errors: [403] }), async (req, res) => {
    res.json(await users.list(req.user));
  });
  r.get(
    '/users/:id',
    doc({ tag: 'users', summary: 'One user (admin)', params: idParams, response: { schema: R.User }, errors: [403, 404] }),
    async (req, res) => {
      res.json(await users.get(req.user, parse(idParams, req.params).id));
    },
  );

  r.get(
    '/audit',
    doc({
      tag: 'users',
      summary: 'The audit log, newest first (admin, planner)',
      query: auditQuery,
      response: { schema: z.array(R.AuditEntry) },
      errors: [403],
    }),
    async (req, res) => {
      res.json(await audit.find(req.user, parse(auditQuery, req.query)));
    },
  );
}

/** Drops undefined values so they do not become `IS NULL` conditions. */
export function strip<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
