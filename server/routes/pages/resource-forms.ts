import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { District, Place, Team, Unit } from '../../repositories/index.js';
import { currentUser, type SessionUser } from '../../auth/guards.js';
import { parse, pathId } from '../validate.js';
import { coerceForm, flash, formErrors, type FieldType } from './forms.js';

const PLACE_KINDS = ['civic_centre', 'library', 'youth_centre', 'family_centre', 'meeting_place', 'other', 'transit_stop'] as const;

/**
 * Create, edit and delete pages for a simple record (units, teams, districts, places), for planners:
 * post/redirect/get, the user's input kept next to the messages on a rejected form,
 * and on a stale version the form shows what someone else changed meanwhile.
 */
interface SimpleForm<T extends { id: number; version: number }> {
  entity: 'unit' | 'place' | 'team' | 'district';
  base: string;
  view: string;
  /** the record a form changes, asked of the service, which says who may (403) and whether there is one (404) */
  forChange: (user: SessionUser | undefined, id: number) => Promise<T>;
  /** the service's word on a blank form (403 for those who may not create) */
  mayCreate: (user: SessionUser | undefined) => void;
  fields: Record<string, FieldType>;
  title: (res: Response, record: T | null) => string;
  /** defaults of a new record, from the query string (e.g. the team of a new unit) */
  defaults: (req: Request) => Record<string, unknown>;
  /** where to go after saving or deleting */
  back: (record: Record<string, unknown>) => string;
  locals: (req: Request) => Promise<Record<string, unknown>>;
  create: (user: SessionUser, v: Record<string, unknown>) => Promise<T>;
  update: (user: SessionUser, id: number, v: Record<string, unknown>) => Promise<T>;
  remove: (user: SessionUser, id: number, version: number) => Promise<void>;
}

function simpleFormPages<T extends { id: number; version: number }>(ctx: AppContext, f: SimpleForm<T>): Router {
  const r = Router();
  const render = async (
    req: Request,
    res: Response,
    o: { record: T | null; values: Record<string, unknown>; errors?: Record<string, string>; message?: string | null; changes?: unknown[]; status?: number },
  ) => {
    res.status(o.status ?? 200).render(f.view, {
      title: f.title(res, o.record),
      record: o.record,
      values: o.values,
      errors: o.errors ?? {},
      message: o.message ?? null,
      changes: o.changes ?? [],
      back: o.record ? f.back(o.record as unknown as Record<string, unknown>) : f.back(o.values),
      ...(await f.locals(req)),
    });
  };
  const load = (req: Request) => f.forChange(req.user, pathId(req.params));

  r.get(`${f.base}/new`, async (req, res) => {
    f.mayCreate(req.user);
    await render(req, res, { record: null, values: f.defaults(req) });
  });
  r.post(`${f.base}/new`, async (req, res) => {
    try {
      const created = await f.create(currentUser(req), coerceForm(req.body, f.fields, { lang: res.locals.lang }));
      flash(req, 'flash.saved');
      res.redirect(303, f.back(created as unknown as Record<string, unknown>));
    } catch (err) {
      const e = formErrors(err, res);
      await render(req, res, { record: null, values: req.body, errors: e.fields, message: e.message, status: e.status });
    }
  });
  r.get(`${f.base}/:id/edit`, async (req, res) => {
    const record = await load(req);
    await render(req, res, { record, values: record as unknown as Record<string, unknown> });
  });
  r.post(`${f.base}/:id/edit`, async (req, res) => {
    const record = await load(req);
    const version = Number(req.body.version);
    try {
      const saved = await f.update(currentUser(req), record.id, { ...coerceForm(req.body, f.fields, { lang: res.locals.lang }), version });
      flash(req, 'flash.saved');
      res.redirect(303, f.back(saved as unknown as Record<string, unknown>));
    } catch (err) {
      const e = formErrors(err, res);
      const current = await f.forChange(req.user, record.id);
      const changes =
        e.status === 409 ? await ctx.services.audit.changesSince(f.entity, record.id, version, current as unknown as Record<string, unknown>) : [];
      await render(req, res, {
        record: current,
        values: { ...req.body, version: current.version },
        errors: e.fields,
        message: e.message,
        changes,
        status: e.status,
      });
    }
  });
  r.post(`${f.base}/:id/delete`, async (req, res) => {
    const record = await load(req);
    try {
      await f.remove(currentUser(req), record.id, Number(req.body.version));
      flash(req, 'flash.deleted');
      res.redirect(303, f.back(record as unknown as Record<string, unknown>));
    } catch (err) {
      const e = formErrors(err, res);
      await render(req, res, { record, values: record as unknown as Record<string, unknown>, message: e.message, status: e.status });
    }
  });
  return r;
}

export function resourceFormPages(ctx: AppContext): Router {
  const r = Router();
  unitAndPlaceForms(r, ctx);
  teamAndDistrictForms(r, ctx);
  placeListPage(r, ctx);
  return r;
}

/** The forms of units and places. */
function unitAndPlaceForms(r: Router, ctx: AppContext): void {
  const teams = async () => (await ctx.services.organisation.teams()).map((t) => ({ value: t.id, label: t.name }));

  r.use(
    simpleFormPages<Unit>(ctx, {
      entity: 'unit',
      base: '/units',
      view: 'pages/units/form',
      forChange: (user, id) => ctx.services.organisation.forChange(user, 'unit', id),
      mayCreate: (user) => ctx.services.organisation.newRecord(user),
      fields: { team_id: 'int', name: 'string', public_facing: 'bool', desk_ratio: 'decimal', notes: 'string' },
      title: (res, u) => (u ? `${res.locals.t('form.edit')}: ${u.name}` : res.locals.t('unit.new')),
      defaults: (req) => ({ team_id: typeof req.query.team_id === 'string' ? req.query.team_id : '', desk_ratio: 1, public_facing: false }),
      back: (u) => (Number(u.team_id) > 0 ? `/teams/${Number(u.team_id)}` : '/teams'),
      locals: async () => ({ teams: await teams() }),
      create: (user, v) => ctx.services.organisation.createUnit(user, v),
      update: (user, id, v) => ctx.services.organisation.updateUnit(user, id, v),
      remove: (user, id, version) => ctx.services.organisation.deleteUnit(user, id, version),
    }),
  );

  r.use(
    simpleFormPages<Place>(ctx, {
      entity: 'place',
      base: '/places',
      view: 'pages/places/form',
      forChange: (user, id) => ctx.services.organisation.forChange(user, 'place', id),
      mayCreate: (user) => ctx.services.organisation.newRecord(user),
      fields: { name: 'string', kind: 'string', lat: 'decimal', lon: 'decimal', wheelchair_boarding: 'int', notes: 'string', source: 'string' },
      title: (res, p) => (p ? `${res.locals.t('form.edit')}: ${p.name}` : res.locals.t('place.new')),
      defaults: () => ({ kind: 'civic_centre', lat: 48.3984, lon: 9.9916, wheelchair_boarding: 0 }),
      back: () => '/places',
      locals: async () => ({ kinds: PLACE_KINDS }),
      create: (user, v) => ctx.services.organisation.createPlace(user, v),
      update: (user, id, v) => ctx.services.organisation.updatePlace(user, id, v),
      remove: (user, id, version) => ctx.services.organisation.deletePlace(user, id, version),
    }),
  );
}

// a district boundary is pasted as GeoJSON (a Polygon or MultiPolygon, or a Feature holding one)
function unwrap(v: Record<string, unknown>): Record<string, unknown> {
  const g = v.geometry as { type?: string; geometry?: unknown; features?: { geometry?: unknown }[] } | null | undefined;
  if (g && typeof g === 'object' && g.type === 'Feature') return { ...v, geometry: g.geometry };
  if (g && typeof g === 'object' && g.type === 'FeatureCollection' && g.features?.length === 1) return { ...v, geometry: g.features[0].geometry };
  return v;
}

/** The forms of teams and districts. */
function teamAndDistrictForms(r: Router, ctx: AppContext): void {
  r.use(
    simpleFormPages<Team>(ctx, {
      entity: 'team',
      base: '/teams',
      view: 'pages/teams/form',
      forChange: (user, id) => ctx.services.organisation.forChange(user, 'team', id),
      mayCreate: (user) => ctx.services.organisation.newRecord(user),
      fields: { name: 'string', kind: 'string', district_id: 'int', notes: 'string' },
      title: (res, tm) => (tm ? `${res.locals.t('form.edit')}: ${tm.name}` : res.locals.t('team.new')),
      defaults: () => ({ kind: 'district' }),
      back: (tm) => (Number(tm.id) > 0 ? `/teams/${Number(tm.id)}` : '/teams'),
      locals: async () => ({ districts: (await ctx.services.organisation.districts()).map((d) => ({ value: d.id, label: d.name })) }),
      create: (user, v) => ctx.services.organisation.createTeam(user, v),
      update: (user, id, v) => ctx.services.organisation.updateTeam(user, id, v),
      remove: (user, id, version) => ctx.services.organisation.deleteTeam(user, id, version),
    }),
  );

  r.use(
    simpleFormPages<District>(ctx, {
      entity: 'district',
      base: '/districts',
      view: 'pages/districts/form',
      forChange: (user, id) => ctx.services.organisation.forChange(user, 'district', id),
      mayCreate: (user) => ctx.services.organisation.newRecord(user),
      fields: { name: 'string', geometry: 'json' },
      title: (res, d) => (d ? `${res.locals.t('form.edit')}: ${d.name}` : res.locals.t('district.new')),
      defaults: () => ({}),
      back: () => '/teams',
      locals: async () => ({}),
      create: (user, v) => ctx.services.organisation.createDistrict(user, unwrap(v)),
      update: (user, id, v) => ctx.services.organisation.updateDistrict(user, id, unwrap(v)),
      remove: (user, id, version) => ctx.services.organisation.deleteDistrict(user, id, version),
    }),
  );
}

function placeListPage(r: Router, ctx: AppContext): void {
  // the list of places (Orte der Begegnung, stops), filterable by kind
  r.get('/places', async (req, res) => {
    const all = await ctx.services.organisation.placesForPlanning(req.user);
    const q = parse(z.object({ kind: z.enum(PLACE_KINDS).optional().or(z.literal('')) }).passthrough(), req.query);
    const kind = q.kind || '';
    const places = all
      .filter((p) => (kind ? p.kind === kind : p.kind !== 'transit_stop'))
      .sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name, 'de'));
    const counts = Object.fromEntries(PLACE_KINDS.map((k) => [k, all.filter((p) => p.kind === k).length]));
    res.render('pages/places/list', { title: res.locals.t('nav.places'), places, kind, kinds: PLACE_KINDS, counts });
  });
}
