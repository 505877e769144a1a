import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../context.js';
import { forbidden, notFound } from '../../errors.js';
import { distanceM } from '../../geo/index.js';
import { rateAccessibility } from '../../planning/accessibility.js';
import { asCounted } from '../../planning/engine.js';
import type { PlanMove, Warning } from '../../planning/types.js';
import { canPlan, type Resources } from '../../services/resources.js';
import { idParams, parse } from '../validate.js';
import { changesSince } from './conflicts.js';
import { coerceForm, flash, formErrors } from './forms.js';
import { currentUser } from '../../auth/guards.js';
import { must } from '../../invariant.js';

const MOVE_FORM_FIELDS = {
  unit_id: 'int', from_site_id: 'int', to_site_id: 'int', headcount: 'int', date: 'date', until: 'date', status: 'string',
  scenario_id: 'int', project_id: 'int', reference: 'string', note: 'string', headcount_estimated: 'bool', date_estimated: 'bool',
} as const;

export interface MovePreview {
  warnings: Warning[];
  window: { site: string; code: string; start: string; end: string }[];
  sites: { id: number; name: string; before: { headcount: number; capacity: number }; after: { headcount: number; capacity: number } }[];
  accessibility: { site: string; rating: string; reasons: string[] } | null;
  stops: { name: string; distance_m: number; wheelchair: boolean }[];
}

/** What a move would change at its date (and over its window, when temporary). */
export async function previewMove(ctx: AppContext, candidate: PlanMove): Promise<MovePreview> {
  const plan = await ctx.planning.plan();
  const after = plan.withMove({ upsert: candidate });
  const sc = candidate.scenario_id;
  const stBefore = plan.state(candidate.date, sc);
  const stAfter = after.state(candidate.date, sc);
  const unit = plan.data.units.find((u) => u.id === candidate.unit_id);
  const siteIds = [candidate.from_site_id, candidate.to_site_id].filter((x): x is number => x !== null);
  const beforeKeys = new Set(stBefore.warnings.map((w) => `${w.code}|${w.site_id}|${w.team_id}|${w.unit_id}`));
  const relevant = stAfter.warnings.filter((w) => (w.site_id !== undefined && siteIds.includes(w.site_id)) || (unit && w.team_id === unit.team_id) || w.move_id === candidate.id);
  const warnings = relevant.filter((w) => !beforeKeys.has(`${w.code}|${w.site_id}|${w.team_id}|${w.unit_id}`) || w.code === 'OVER_CAPACITY' || w.code === 'SITE_UNAVAILABLE');
  const window = candidate.until ? after.windowProblems(candidate.date, candidate.until, sc, siteIds).filter((p) => p.code !== 'NEAR_CAPACITY') : [];
  const sites = siteIds.map((id) => {
    const b = must(stBefore.sites.find((s) => s.id === id), 'stBefore.sites.find((s) => s.id === id)'); const a = must(stAfter.sites.find((s) => s.id === id), 'stAfter.sites.find((s) => s.id === id)');
    return { id, name: a.name, before: { headcount: b.headcount, capacity: b.capacity }, after: { headcount: a.headcount, capacity: a.capacity } };
  });
  let accessibility: MovePreview['accessibility'] = null;
  let stops: MovePreview['stops'] = [];
  if (candidate.to_site_id !== null) {
    const target = must(await ctx.repos.sites.get(candidate.to_site_id), 'ctx.repos.sites.get(candidate.to_site_id)');
    const rated = rateAccessibility(target);
    if (unit?.public_facing && (rated.rating === 'none' || rated.rating === 'unknown')) accessibility = { site: target.name, rating: rated.rating, reasons: rated.reasons.map((r) => r.code) };
    stops = plan.data.stops.map((p) => ({ name: p.name, distance_m: distanceM(target, p), wheelchair: p.wheelchair_accessible }))
      .sort((a, b) => a.distance_m - b.distance_m).slice(0, 3);
  }
  return { warnings, window, sites, accessibility, stops };
}

export function moveFormPages(ctx: AppContext, resources: Resources): Router {
  const r = Router();
  const options = async () => {
    const [units, teams, sites, scenarios, projects] = await Promise.all([ctx.repos.units.list(), ctx.repos.teams.list(), ctx.repos.sites.list(), ctx.repos.scenarios.list(), ctx.repos.projects.byName()]);
    return { units, teams, sites: [...sites].sort((a, b) => a.name.localeCompare(b.name)), scenarios, projects };
  };
  const render = async (res: Response, o: { move: { id: number; version: number } | null; values: Record<string, unknown>; errors?: Record<string, string>; message?: string | null; changes?: unknown[]; preview?: MovePreview | null; status?: number }) => {
    res.status(o.status ?? 200).render('pages/moves/form', {
      title: o.move ? res.locals.t('form.edit_move') : res.locals.t('form.new_move'),
      ...(await options()), move: o.move, values: o.values, errors: o.errors ?? {}, message: o.message ?? null, changes: o.changes ?? [], preview: o.preview ?? null,
    });
  };
  const guard = (req: Request) => { if (!canPlan(req.user)) throw forbidden(); };

  /** Preview: validate like a save, then show the consequences without writing. */
  const tryPreview = async (req: Request, res: Response, id: number | undefined, values: Record<string, unknown>) => {
    let candidate: PlanMove;
    try {
      // the same checks as the save: references, the ledger rule, status transitions
      candidate = await resources.checkMove(currentUser(req), values, id);
    } catch (err) {
      const e = formErrors(err, res);
      return { errors: e.fields, message: e.message, preview: null, status: e.status };
    }
    return { errors: {}, message: null, preview: await previewMove(ctx, asCounted(candidate)), status: 200 };
  };

  r.get('/moves/new', async (req, res) => {
    guard(req);
    const q = req.query as Record<string, string>;
    await render(res, { move: null, values: { status: 'proposed', date: q.date ?? ctx.today(), unit_id: q.unit_id, from_site_id: q.from_site_id, to_site_id: q.to_site_id, scenario_id: q.scenario_id, project_id: q.project_id } });
  });
  r.post('/moves/new', async (req, res) => {
    guard(req);
    const values = coerceForm(req.body, MOVE_FORM_FIELDS, { omitEmpty: true });
    if (req.body._action === 'preview') {
      const p = await tryPreview(req, res, undefined, values);
      return render(res, { move: null, values: req.body, ...p });
    }
    try {
      const m = await resources.createMove(currentUser(req), values);
      flash(req, 'flash.saved');
      res.redirect(303, `/moves?highlight=${m.id}${m.scenario_id ? `&scenario_id=${m.scenario_id}` : ''}#move-${m.id}`);
    } catch (err) {
      const e = formErrors(err, res);
      await render(res, { move: null, values: req.body, errors: e.fields, message: e.message, status: e.status });
    }
  });

  const load = async (req: Request) => {
    guard(req);
    const m = await ctx.repos.moves.get(parse(idParams, req.params).id);
    if (!m) throw notFound('move');
    return m;
  };
  r.get('/moves/:id/edit', async (req, res) => {
    const m = await load(req);
    await render(res, { move: m, values: m as unknown as Record<string, unknown> });
  });
  r.post('/moves/:id/edit', async (req, res) => {
    const m = await load(req);
    const values = coerceForm(req.body, MOVE_FORM_FIELDS);
    const version = Number(req.body.version);
    if (req.body._action === 'preview') {
      const p = await tryPreview(req, res, m.id, values);
      return render(res, { move: m, values: req.body, ...p });
    }
    try {
      await resources.updateMove(currentUser(req), m.id, { ...values, version });
      flash(req, 'flash.saved');
      res.redirect(303, `/moves?highlight=${m.id}#move-${m.id}`);
    } catch (err) {
      const e = formErrors(err, res);
      const current = must(await ctx.repos.moves.get(m.id), 'ctx.repos.moves.get(m.id)');
      const changes = e.status === 409 ? await changesSince(ctx, 'move', m.id, version, current as unknown as Record<string, unknown>) : [];
      await render(res, { move: current, values: { ...req.body, version: current.version }, errors: e.fields, message: e.message, changes, status: e.status });
    }
  });

  // cancelling a move that is done asks first, saying what it means
  r.get('/moves/:id/cancel', async (req, res) => {
    const m = await load(req);
    const [unit, from, to] = await Promise.all([ctx.repos.units.get(m.unit_id), m.from_site_id ? ctx.repos.sites.get(m.from_site_id) : null, m.to_site_id ? ctx.repos.sites.get(m.to_site_id) : null]);
    const t = res.locals.t as (k: string, p?: Record<string, unknown>) => string;
    res.render('pages/moves/cancel-confirm', {
      title: t('move.cancel_title'), move: m,
      text: t('move.cancel_text', {
        unit: unit?.name ?? m.unit_id, headcount: m.headcount, date: res.locals.fmtDate(m.date),
        from: from?.name ?? t('move.arrival'), to: to?.name ?? t('move.departure'),
      }),
    });
  });

  r.post('/moves/:id/status', async (req, res) => {
    const m = await load(req);
    if (m.status === 'done' && req.body.status === 'cancelled' && req.body.confirmed !== '1') return res.redirect(303, `/moves/${m.id}/cancel`);
    try {
      await resources.changeMoveStatus(currentUser(req), m.id, { status: req.body.status, version: Number(req.body.version) });
      flash(req, 'flash.saved');
    } catch (err) {
      const e = formErrors(err, res);
      req.session.flash = `!${e.message}`;
    }
    res.redirect(303, `/moves?highlight=${m.id}#move-${m.id}`);
  });

  r.post('/moves/:id/delete', async (req, res) => {
    const m = await load(req);
    try {
      await resources.deleteMove(currentUser(req), m.id, Number(req.body.version) || undefined);
      flash(req, 'flash.deleted');
    } catch (err) { const e = formErrors(err, res); req.session.flash = `!${e.message}`; }
    res.redirect(303, '/moves');
  });

  return r;
}
