import { storedAreaGeometry } from '../../geo/index.js';
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { notFound } from '../../errors.js';
import { distanceM } from '../../geo/index.js';
import { requireRole } from '../../auth/guards.js';
import { MOVE_STATUSES, SITE_STATUSES } from '../../planning/types.js';
import { presentSite } from '../../services/presenters.js';
import { langOf } from '../../i18n/index.js';
import { statusAsOf } from '../../planning/status.js';
import { idParams, isoDate, optionalId, parse } from '../validate.js';
import { doc } from '../../openapi/doc.js';
import * as R from '../../openapi/responses.js';

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
  site_id: optionalId, unit_id: optionalId, team_id: optionalId,
  scenario_id: z.union([z.literal('baseline'), optionalId]).optional(), project_id: optionalId,
  from: isoDate.optional(), to: isoDate.optional(), as_of: isoDate.optional(),
});
const placesQuery = z.object({ kind: z.enum(PLACE_KINDS).optional() });
const auditQuery = z.object({
  entity: z.string().max(32).optional(), entity_id: optionalId, limit: z.coerce.number().int().min(1).max(1000).default(100),
});
const one = (tag: Parameters<typeof doc>[0]['tag'], what: string, schema: Parameters<typeof doc>[0]['response']) =>
  doc({ tag, summary: `One ${what}`, params: idParams, response: schema, errors: [404] });

/** GET routes of every resource (SPEC section 5), with their filters. */
export function readRoutes(ctx: AppContext): Router {
  const r = Router();
  const { repos } = ctx;

  r.get('/districts', doc({ tag: 'organisation', summary: 'All districts (boundaries with geometry=true)', query: districtsQuery, response: { schema: z.array(R.District) } }), async (req, res) => {
    const q = parse(districtsQuery, req.query);
    const rows = await repos.districts.list();
    res.json(rows.map((d) => ({ ...d, geometry: q.geometry ? storedAreaGeometry(d.geometry) : undefined })));
  });
  r.get('/districts/:id', one('organisation', 'district, with its boundary', { schema: R.District }), async (req, res) => {
    const d = await repos.districts.get(parse(idParams, req.params).id);
    if (!d) throw notFound('district');
    res.json({ ...d, geometry: storedAreaGeometry(d.geometry) });
  });

  r.get('/teams', doc({ tag: 'organisation', summary: 'All teams', query: teamsQuery, response: { schema: z.array(R.Team) } }), async (req, res) => {
    const q = parse(teamsQuery, req.query);
    res.json(await repos.teams.list(strip(q)));
  });
  r.get('/teams/:id', one('organisation', 'team, with its units', { schema: R.TeamWithUnits }), async (req, res) => {
    const id = parse(idParams, req.params).id;
    const t = await repos.teams.get(id);
    if (!t) throw notFound('team');
    res.json({ ...t, units: await repos.units.list({ team_id: id }) });
  });

  r.get('/units', doc({ tag: 'organisation', summary: 'All units', query: unitsQuery, response: { schema: z.array(R.Unit) } }), async (req, res) => {
    const q = parse(unitsQuery, req.query);
    res.json(await repos.units.list(strip(q)));
  });
  r.get('/units/:id', one('organisation', 'unit', { schema: R.Unit }), async (req, res) => {
    const u = await repos.units.get(parse(idParams, req.params).id);
    if (!u) throw notFound('unit');
    res.json(u);
  });

  r.get('/sites', doc({ tag: 'sites', summary: 'All sites with their accessibility rating', query: sitesQuery, response: { schema: z.array(R.Site) } }), async (req, res) => {
    const q = parse(sitesQuery, req.query);
    const sites = (await repos.sites.list(strip({ district_id: q.district_id, status: q.status }))).map((s) => presentSite(s, langOf(req)));
    res.json(q.accessibility_rating ? sites.filter((s) => s.accessibility_rating === q.accessibility_rating) : sites);
  });
  r.get('/sites/:id', one('sites', 'site', { schema: R.Site }), async (req, res) => {
    const s = await repos.sites.get(parse(idParams, req.params).id);
    if (!s) throw notFound('site');
    res.json(presentSite(s, langOf(req)));
  });
  r.get('/sites/:id/events', doc({
    tag: 'sites', summary: "A site's events (baseline, plus the scenario's with scenario_id)", params: idParams, query: scenarioQuery,
    response: { schema: z.array(R.SiteEvent) }, errors: [404],
  }), async (req, res) => {
    const id = parse(idParams, req.params).id;
    if (!(await repos.sites.get(id))) throw notFound('site');
    const q = parse(scenarioQuery, req.query);
    const events = await repos.events.list({ site_id: id });
    res.json(events.filter((e) => e.scenario_id === null || e.scenario_id === q.scenario_id)
      .sort((a, b) => a.date.localeCompare(b.date) || a.id - b.id));
  });
  r.get('/sites/:id/nearby', doc({
    tag: 'sites', summary: 'Places within a radius of the site, nearest first', params: idParams, query: nearbyQuery,
    response: { schema: z.array(R.NearbyPlace) }, errors: [404],
  }), async (req, res) => {
    const id = parse(idParams, req.params).id;
    const q = parse(nearbyQuery, req.query);
    const site = await repos.sites.get(id);
    if (!site) throw notFound('site');
    res.json(await nearby(ctx, site, q.radius, q.kind));
  });

  r.get('/moves', doc({
    tag: 'moves', summary: 'Moves, filtered (with as_of: each with status_as_of, its status as of that date)', query: movesQuery,
    response: { schema: z.array(R.Move) },
  }), async (req, res) => {
    const q = parse(movesQuery, req.query);
    const { as_of: asOf, ...filter } = q;
    const moves = await repos.moves.find(filter);
    // as of a date, a move dated after it is planned, never done
    res.json(asOf ? moves.map((m) => ({ ...m, status_as_of: statusAsOf(m, asOf) })) : moves);
  });
  r.get('/moves/:id', one('moves', 'move', { schema: R.Move }), async (req, res) => {
    const m = await repos.moves.get(parse(idParams, req.params).id);
    if (!m) throw notFound('move');
    res.json(m);
  });

  r.get('/places', doc({ tag: 'places', summary: 'Places (stops, civic centres, …)', query: placesQuery, response: { schema: z.array(R.Place) } }), async (req, res) => {
    const q = parse(placesQuery, req.query);
    res.json(await repos.places.list(strip(q)));
  });
  r.get('/places/:id', one('places', 'place', { schema: R.Place }), async (req, res) => {
    const p = await repos.places.get(parse(idParams, req.params).id);
    if (!p) throw notFound('place');
    res.json(p);
  });

  r.get('/scenarios', doc({ tag: 'scenarios', summary: 'All scenarios', response: { schema: z.array(R.Scenario) } }), async (_req, res) => { res.json(await repos.scenarios.list()); });
  r.get('/scenarios/:id', one('scenarios', 'scenario', { schema: R.Scenario }), async (req, res) => {
    const s = await repos.scenarios.get(parse(idParams, req.params).id);
    if (!s) throw notFound('scenario');
    res.json(s);
  });

  r.get('/users', doc({ tag: 'users', summary: 'All users (admin)', response: { schema: z.array(R.User) }, errors: [403] }), requireRole('admin'), async (_req, res) => {
    const users = await repos.users.list();
    res.json(await Promise.all(users.map(async (u) => presentUser(u, await repos.users.siteIds(u.id)))));
  });
  r.get('/users/:id', doc({ tag: 'users', summary: 'One user (admin)', params: idParams, response: { schema: R.User }, errors: [403, 404] }), requireRole('admin'), async (req, res) => {
    const u = await repos.users.get(parse(idParams, req.params).id);
    if (!u) throw notFound('user');
    res.json(presentUser(u, await repos.users.siteIds(u.id)));
  });

  r.get('/audit', doc({
    tag: 'users', summary: 'The audit log, newest first (admin, planner)', query: auditQuery, response: { schema: z.array(R.AuditEntry) }, errors: [403],
  }), requireRole('admin', 'planner'), async (req, res) => {
    const q = parse(auditQuery, req.query);
    const rows = await repos.audit.find(q);
    res.json(rows.map((a) => ({ ...a, before: a.before ? JSON.parse(a.before) : null, after: a.after ? JSON.parse(a.after) : null })));
  });

  return r;
}

function presentUser(u: { id: number; username: string; role: string; display_name: string | null; lang: string; active: boolean; version: number; created_at: string; updated_at: string }, siteIds: number[]) {
  const { id, username, role, display_name, lang, active, version, created_at, updated_at } = u;
  return { id, username, role, display_name, lang, active, version, created_at, updated_at, site_ids: siteIds };
}

/** Drops undefined values so they do not become `IS NULL` conditions. */
export function strip<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export async function nearby(ctx: AppContext, site: { lat: number; lon: number }, radius: number, kind?: string) {
  const places = await ctx.repos.places.list(kind ? { kind } : {});
  return places
    .map((p) => ({ ...p, distance_m: distanceM(site, p) }))
    .filter((p) => p.distance_m <= radius)
    .sort((a, b) => a.distance_m - b.distance_m || a.name.localeCompare(b.name));
}
