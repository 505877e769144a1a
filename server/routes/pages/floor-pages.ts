/**
 * Floors and rooms on pages (SPEC section 14): /sites/:id/floors lists a site's floors and rooms
 * and, for those who may edit the site, forms to add, change and delete them (one column on a
 * phone); a planner moves a unit's people between floors from the stack plan on /sites/:id.
 * Who may write is decided in the services; a refused write comes back as a message on the page.
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { currentUser } from '../../auth/guards.js';
import type { AppContext } from '../../context.js';
import { id, parse, pathId } from '../validate.js';
import { coerceForm, flash, flashRefused, refusedForm, textOf, warningsBrought, type FailedForm } from './forms.js';
import { renderSite } from './site-page.js';
import { keyAt, type TextKey } from '../../i18n/index.js';
import { AppError, validation } from '../../errors.js';

const FLOOR_FIELDS = {
  level: 'int',
  name: 'string',
  workplaces: 'int',
  area_m2: 'number',
  step_free_access: 'string',
  notes: 'string',
  version: 'int',
} as const;
const ROOM_FIELDS = { number: 'string', name: 'string', use: 'string', workplaces: 'int', area_m2: 'number', version: 'int' } as const;

/** A refused write as one line above the form: each field's label and message (a refused form that shows no field). */
function refused(req: Request, res: Response, err: unknown): void {
  flashRefused(req, failedForm(req, res, err, '', []).message ?? '');
}

/** The fields each form shows (a message for another field goes into the form's message). */
const FLOOR_SHOWN = ['name', 'level', 'workplaces', 'area_m2', 'step_free_access'];
const ROOM_SHOWN = ['number', 'name', 'use', 'workplaces', 'area_m2'];
/** The move-between-floors form's fields, by the labels it shows them with. */
const FLOOR_MOVE_LABELS: Record<string, TextKey> = {
  unit_id: 'move.unit',
  from_floor_id: 'stack.from_floor',
  to_floor_id: 'stack.to_floor',
  headcount: 'move.headcount',
  date: 'move.date',
  status: 'move.status',
  scenario_id: 'filter.scenario',
};
const FLOOR_MOVE_SHOWN = Object.keys(FLOOR_MOVE_LABELS);

/**
 * A form's workplaces left empty is not 0: refused next to the field (the API may leave them out, they
 * are then 0; a form shows the field, and an empty one was likely cleared by mistake).
 */
function workplacesGiven(body: Record<string, unknown> | undefined): void {
  if (typeof body?.workplaces === 'string' && body.workplaces.trim() === '')
    throw validation({ workplaces: 'validation.number_or_zero' }, 'workplaces: enter a number (0 if there are none)');
}

/** A refused floor or room form (`new-floor`, `floor-<id>`, `rooms-<floor id>`, `room-<id>`), its other fields named as floor fields. */
const failedForm = (req: Request, res: Response, err: unknown, form: string, shown: readonly string[]) =>
  refusedForm(req, res, err, form, shown, (k) => keyAt(`floor.field.${k}`));

/** The floors page; after a refused form, with that form as typed and its messages next to the fields (nothing was changed). */
async function renderFloors(ctx: AppContext, req: Request, res: Response, siteId: number, failed?: FailedForm & { status: number }): Promise<void> {
  const { floors, sites } = ctx.services;
  const site = await sites.get(siteId);
  const list = await floors.ofSite(siteId);
  // the capacity in force today: an event may set it over the sum of the floors
  const effective = await sites.effectiveCapacity(site, ctx.today());
  res.status(failed?.status ?? 200).render('pages/sites/floors', {
    title: `${site.name}: ${res.locals.t('floor.title')}`,
    site,
    floors: list,
    inForce: {
      date: effective.date,
      capacity: effective.capacity,
      status: effective.status,
      estimated: effective.events.some((e) => e.kind === 'capacity' && e.estimated),
    },
    canEdit: floors.mayEdit(req.user, siteId),
    failed: failed ?? null,
  });
}

/** Back to where the form was: the floors page (or the site page) at the floor or room it was about. */
const back = (siteId: number, anchor: string, page: 'floors' | 'site' = 'floors', query = '') =>
  `/sites/${siteId}${page === 'floors' ? '/floors' : ''}${query}#${anchor}`;

export function floorPages(ctx: AppContext): Router {
  const r = Router();
  floorForms(r, ctx);
  roomForms(r, ctx);
  floorMoveForm(r, ctx);
  return r;
}

/** The floors page and the forms that add, change and delete floors. */
function floorForms(r: Router, ctx: AppContext): void {
  const { floors } = ctx.services;

  r.get('/sites/:id/floors', async (req, res) => {
    await renderFloors(ctx, req, res, pathId(req.params));
  });

  r.post('/sites/:id/floors', async (req, res) => {
    const siteId = pathId(req.params);
    try {
      workplacesGiven(req.body);
      const f = await floors.createFloor(currentUser(req), siteId, coerceForm(req.body, FLOOR_FIELDS, { omitEmpty: true, lang: res.locals.lang }));
      flash(req, 'flash.saved');
      return res.redirect(303, back(siteId, `floor-${f.id}`));
    } catch (err) {
      await renderFloors(ctx, req, res, siteId, failedForm(req, res, err, 'new-floor', FLOOR_SHOWN));
    }
  });

  r.post('/floors/:id/edit', async (req, res) => {
    const floorId = pathId(req.params);
    const floor = await floors.floor(floorId);
    try {
      workplacesGiven(req.body);
      const body = coerceForm(req.body, FLOOR_FIELDS, { lang: res.locals.lang });
      // a floor with rooms takes its workplaces from them: the form does not send them
      if (req.body.workplaces === undefined) delete body.workplaces;
      await floors.updateFloor(currentUser(req), floorId, body);
      flash(req, 'flash.saved');
      return res.redirect(303, back(floor.site_id, `floor-${floorId}`));
    } catch (err) {
      await renderFloors(ctx, req, res, floor.site_id, failedForm(req, res, err, `floor-${floorId}`, FLOOR_SHOWN));
    }
  });

  // the question as a page of its own too (a link, a bookmark, a check of the page)
  r.get('/floors/:id/delete', async (req, res) => {
    await askFloorDeletion(ctx, req, res, pathId(req.params));
  });
  r.post('/floors/:id/delete', async (req, res) => {
    const floorId = pathId(req.params);
    const floor = await floors.floor(floorId);
    try {
      // first the question, saying what goes with the floor (a floor that cannot go is refused at once)
      if (req.body.confirmed !== '1') return await askFloorDeletion(ctx, req, res, floorId);
      await floors.deleteFloor(currentUser(req), floorId, Number(req.body.version) || undefined);
      flash(req, 'flash.deleted');
      res.redirect(303, back(floor.site_id, 'floors'));
    } catch (err) {
      refused(req, res, err);
      // the page opens at the message that says why
      res.redirect(303, back(floor.site_id, 'flash'));
    }
  });
}

/** The forms that add and delete rooms of a floor. */
function roomForms(r: Router, ctx: AppContext): void {
  const { floors } = ctx.services;
  r.post('/floors/:id/rooms', async (req, res) => {
    const floorId = pathId(req.params);
    const floor = await floors.floor(floorId);
    try {
      workplacesGiven(req.body);
      await floors.createRoom(currentUser(req), floorId, coerceForm(req.body, ROOM_FIELDS, { omitEmpty: true, lang: res.locals.lang }));
      flash(req, 'flash.saved');
      return res.redirect(303, back(floor.site_id, `floor-${floorId}`));
    } catch (err) {
      await renderFloors(ctx, req, res, floor.site_id, failedForm(req, res, err, `rooms-${floorId}`, ROOM_SHOWN));
    }
  });

  r.post('/rooms/:id/edit', async (req, res) => {
    const roomId = pathId(req.params);
    const room = await floors.room(roomId);
    const floor = await floors.floor(room.floor_id);
    try {
      workplacesGiven(req.body);
      await floors.updateRoom(currentUser(req), roomId, coerceForm(req.body, ROOM_FIELDS, { lang: res.locals.lang }));
      flash(req, 'flash.saved');
      return res.redirect(303, back(floor.site_id, `room-${roomId}`));
    } catch (err) {
      await renderFloors(ctx, req, res, floor.site_id, failedForm(req, res, err, `room-${roomId}`, ROOM_SHOWN));
    }
  });

  r.get('/rooms/:id/delete', async (req, res) => {
    await askRoomDeletion(ctx, req, res, pathId(req.params));
  });
  r.post('/rooms/:id/delete', async (req, res) => {
    const roomId = pathId(req.params);
    const room = await floors.room(roomId);
    const floor = await floors.floor(room.floor_id);
    try {
      if (req.body.confirmed !== '1') return await askRoomDeletion(ctx, req, res, roomId);
      await floors.deleteRoom(currentUser(req), roomId, Number(req.body.version) || undefined);
      flash(req, 'flash.deleted');
      res.redirect(303, back(floor.site_id, `floor-${floor.id}`));
    } catch (err) {
      refused(req, res, err);
      res.redirect(303, back(floor.site_id, 'flash'));
    }
  });
}

/** The question before a floor is deleted: its rooms go with it, and what the site's capacity becomes. */
async function askFloorDeletion(ctx: AppContext, req: Request, res: Response, floorId: number): Promise<void> {
  const t = textOf(res);
  const d = await ctx.services.floors.floorDeletion(currentUser(req), floorId);
  const rooms = d.rooms ? t('floor.delete_rooms', { n: d.rooms }) + ' ' : '';
  const capacity = t(d.last ? 'floor.delete_capacity_stays' : 'floor.delete_capacity', { site: d.site.name, before: d.site.capacity, after: d.capacityAfter });
  res.render('pages/confirm-delete', {
    title: t('floor.delete_confirm', { name: d.floor.name }),
    text:
      rooms +
      capacity +
      (!d.last && d.neededToday > d.capacityAfter
        ? ' ' + t('floor.delete_over', { needed: `${d.neededEstimated ? '≈' : ''}${res.locals.fmtNum(d.neededToday)}`, after: d.capacityAfter })
        : ''),
    action: `/floors/${floorId}/delete`,
    // the version the user saw: a change meanwhile is still caught when they confirm
    version: req.body?.version ?? d.floor.version,
    backUrl: back(d.site.id, `floor-${floorId}`),
    backLabel: t('floor.title'),
  });
}

/** The question before a room is deleted: what its floor's workplaces become. */
async function askRoomDeletion(ctx: AppContext, req: Request, res: Response, roomId: number): Promise<void> {
  const t = textOf(res);
  const d = await ctx.services.floors.roomDeletion(currentUser(req), roomId);
  res.render('pages/confirm-delete', {
    title: t('room.delete_confirm', { number: d.room.number }),
    text: t(d.last ? 'room.delete_workplaces_stay' : 'room.delete_workplaces', { floor: d.floor.name, before: d.floor.workplaces, after: d.workplacesAfter }),
    action: `/rooms/${roomId}/delete`,
    version: req.body?.version ?? d.room.version,
    backUrl: back(d.floor.site_id, `room-${roomId}`),
    backLabel: t('floor.title'),
  });
}

/**
 * A move's refusal in the floor form's words: both ends are this site, so "the same site twice" means
 * the same floor twice, said next to the floor moved to.
 */
function asFloorMoveError(err: unknown): unknown {
  if (!(err instanceof AppError) || err.fields?.to_site_id !== 'validation.same_site') return err;
  const { to_site_id: _same, ...rest } = err.fields;
  return new AppError(err.status, err.code, err.message, { ...rest, to_floor_id: 'validation.same_floor' }, err.extra);
}

/** A planner moves people of a unit between two floors of the site (or from no floor onto one). */
function floorMoveForm(r: Router, ctx: AppContext): void {
  const { moves } = ctx.services;
  r.post('/sites/:id/floor-move', async (req, res) => {
    const siteId = pathId(req.params);
    // the date and scenario the page showed, to show it again
    const view = parse(z.object({ view_date: z.string().optional(), view_scenario_id: id.optional().or(z.literal('')) }).passthrough(), req.body);
    const q = new URLSearchParams();
    if (view.view_date && /^\d{4}-\d{2}-\d{2}$/.test(view.view_date)) q.set('date', view.view_date);
    if (view.view_scenario_id) q.set('scenario_id', String(view.view_scenario_id));
    try {
      const v = coerceForm(
        req.body,
        { unit_id: 'int', from_floor_id: 'int', to_floor_id: 'int', headcount: 'int', date: 'date', status: 'string', scenario_id: 'int' },
        { omitEmpty: true, lang: res.locals.lang },
      );
      const move = { ...v, from_site_id: siteId, to_site_id: siteId, from_floor_id: v.from_floor_id ?? null };
      // what the move brings (a floor it overfills, a floor without steps for a unit with visitors): said with "Gespeichert."
      const brings = await warningsBrought(ctx, req, res, move);
      await moves.createMove(currentUser(req), move);
      flash(req, 'flash.saved', brings);
      res.redirect(303, back(siteId, 'stack', 'site', q.size ? `?${q}` : ''));
    } catch (err) {
      // the site's page again, at the date it showed, with the form as typed and the messages next to its fields
      const failed = refusedForm(req, res, asFloorMoveError(err), 'floor-move', FLOOR_MOVE_SHOWN, (k) => FLOOR_MOVE_LABELS[k] ?? keyAt(`move.${k}`));
      await renderSite(ctx, req, res, siteId, { failed, query: Object.fromEntries(q) });
    }
  });
}
