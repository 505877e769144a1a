import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../context.js';
import type { MovePreview } from '../../services/moves.js';
import type { Move } from '../../repositories/index.js';
import { pathId } from '../validate.js';
import { coerceForm, flash, formErrors, flashRefused, textOf, warningsBrought } from './forms.js';
import { currentUser } from '../../auth/guards.js';

const MOVE_FORM_FIELDS = {
  unit_id: 'int',
  from_site_id: 'int',
  to_site_id: 'int',
  from_floor_id: 'int',
  to_floor_id: 'int',
  headcount: 'int',
  date: 'date',
  until: 'date',
  status: 'string',
  scenario_id: 'int',
  project_id: 'int',
  reference: 'string',
  note: 'string',
  cost_eur: 'number',
  headcount_estimated: 'bool',
  date_estimated: 'bool',
} as const;

/** What the move form needs to show itself: the form, the preview and the move of the URL (the service says who may). */
interface MoveFormKit {
  render: (res: Response, o: MoveFormView) => Promise<void>;
  tryPreview: (
    req: Request,
    res: Response,
    id: number | undefined,
    values: Record<string, unknown>,
  ) => Promise<{ errors: Record<string, string>; message: string | null; preview: MovePreview | null; status: number }>;
  load: (req: Request) => Promise<Move>;
}

interface MoveFormView {
  move: { id: number; version: number } | null;
  values: Record<string, unknown>;
  errors?: Record<string, string>;
  message?: string | null;
  changes?: unknown[];
  preview?: MovePreview | null;
  status?: number;
}

export function moveFormPages(ctx: AppContext): Router {
  const r = Router();
  const kit = moveFormKit(ctx);
  newMoveForm(r, ctx, kit);
  editMoveForm(r, ctx, kit);
  moveStatusForms(r, ctx, kit.load);
  return r;
}

function moveFormKit(ctx: AppContext): MoveFormKit {
  const { moves } = ctx.services;
  const options = async () => {
    const [choices, projects] = await Promise.all([moves.formOptions(), ctx.services.projects.list()]);
    return { ...choices, projects };
  };
  const render = async (res: Response, o: MoveFormView) => {
    res.status(o.status ?? 200).render('pages/moves/form', {
      title: o.move ? res.locals.t('form.edit_move') : res.locals.t('form.new_move'),
      ...(await options()),
      move: o.move,
      values: o.values,
      errors: o.errors ?? {},
      message: o.message ?? null,
      changes: o.changes ?? [],
      preview: o.preview ?? null,
      moveCost: ctx.services.costs.moveCostPerPerson,
    });
  };
  /** Preview: validate like a save, then show the consequences without writing. */
  const tryPreview = async (req: Request, res: Response, id: number | undefined, values: Record<string, unknown>) => {
    try {
      // the same checks as the save: references, the ledger rule, status transitions
      return { errors: {}, message: null, preview: await moves.preview(currentUser(req), values, id), status: 200 };
    } catch (err) {
      const e = formErrors(err, res);
      return { errors: e.fields, message: e.message, preview: null, status: e.status };
    }
  };

  // who may is asked before the address is read: a viewer gets 403 for /moves/abc/edit too, not 400
  const load = (req: Request) => moves.forChange(moves.mayCreate(req.user), pathId(req.params));
  return { render, tryPreview, load };
}

/** /moves/new: the empty form (prefilled from the query), preview and create. */
function newMoveForm(r: Router, ctx: AppContext, { render, tryPreview }: MoveFormKit): void {
  const { moves } = ctx.services;
  r.get('/moves/new', async (req, res) => {
    moves.mayCreate(req.user);
    const q = req.query as Record<string, string>;
    await render(res, {
      move: null,
      values: {
        status: 'proposed',
        date: q.date ?? ctx.today(),
        unit_id: q.unit_id,
        from_site_id: q.from_site_id,
        to_site_id: q.to_site_id,
        from_floor_id: q.from_floor_id,
        to_floor_id: q.to_floor_id,
        scenario_id: q.scenario_id,
        project_id: q.project_id,
      },
    });
  });
  r.post('/moves/new', async (req, res) => {
    moves.mayCreate(req.user);
    const values = coerceForm(req.body, MOVE_FORM_FIELDS, { omitEmpty: true, lang: res.locals.lang });
    if (req.body._action === 'preview') {
      const p = await tryPreview(req, res, undefined, values);
      return render(res, { move: null, values: req.body, ...p });
    }
    try {
      const brings = await warningsBrought(ctx, req, res, values);
      const m = await moves.createMove(currentUser(req), values);
      flash(req, 'flash.saved', brings);
      res.redirect(303, `/moves?highlight=${m.id}${m.scenario_id ? `&scenario_id=${m.scenario_id}` : ''}#move-${m.id}`);
    } catch (err) {
      const e = formErrors(err, res);
      await render(res, { move: null, values: req.body, errors: e.fields, message: e.message, status: e.status });
    }
  });
}

/** /moves/:id/edit: the form with the move, preview and save (a version conflict shows what changed). */
function editMoveForm(r: Router, ctx: AppContext, { render, tryPreview, load }: MoveFormKit): void {
  const { moves, audit } = ctx.services;
  r.get('/moves/:id/edit', async (req, res) => {
    const m = await load(req);
    await render(res, { move: m, values: m as unknown as Record<string, unknown> });
  });
  r.post('/moves/:id/edit', async (req, res) => {
    const m = await load(req);
    const values = coerceForm(req.body, MOVE_FORM_FIELDS, { lang: res.locals.lang });
    const version = Number(req.body.version);
    if (req.body._action === 'preview') {
      const p = await tryPreview(req, res, m.id, values);
      return render(res, { move: m, values: req.body, ...p });
    }
    try {
      const brings = await warningsBrought(ctx, req, res, values, m.id);
      await moves.updateMove(currentUser(req), m.id, { ...values, version });
      flash(req, 'flash.saved', brings);
      res.redirect(303, `/moves?highlight=${m.id}${m.scenario_id ? `&scenario_id=${m.scenario_id}` : ''}#move-${m.id}`);
    } catch (err) {
      const e = formErrors(err, res);
      const current = await moves.get(m.id);
      const changes = e.status === 409 ? await audit.changesSince('move', m.id, version, current as unknown as Record<string, unknown>) : [];
      await render(res, { move: current, values: { ...req.body, version: current.version }, errors: e.fields, message: e.message, changes, status: e.status });
    }
  });
}

/** A move's status (cancelling a done move asks first) and its deletion, from the moves list. */
function moveStatusForms(r: Router, ctx: AppContext, load: (req: Request) => Promise<Move>): void {
  const { moves } = ctx.services;
  // cancelling a move that is done asks first, saying what it means
  r.get('/moves/:id/cancel', async (req, res) => {
    const m = await load(req);
    const { unit, from, to } = await moves.ends(m);
    const t = textOf(res);
    res.render('pages/moves/cancel-confirm', {
      title: t('move.cancel_title'),
      move: m,
      text: t('move.cancel_text', {
        unit: unit?.name ?? m.unit_id,
        headcount: m.headcount,
        date: res.locals.fmtDate(m.date),
        from: from?.name ?? t('move.arrival'),
        to: to?.name ?? t('move.departure'),
      }),
    });
  });

  r.post('/moves/:id/status', async (req, res) => {
    const m = await load(req);
    if (m.status === 'done' && req.body.status === 'cancelled' && req.body.confirmed !== '1') return res.redirect(303, `/moves/${m.id}/cancel`);
    try {
      await moves.changeMoveStatus(currentUser(req), m.id, { status: req.body.status, version: Number(req.body.version) });
      flash(req, 'flash.saved');
    } catch (err) {
      const e = formErrors(err, res);
      flashRefused(req, e.message ?? '');
    }
    // a scenario's own move is listed in its scenario (on the page that holds it)
    res.redirect(303, `/moves?highlight=${m.id}${m.scenario_id ? `&scenario_id=${m.scenario_id}` : ''}#move-${m.id}`);
  });

  // the question first: which move goes (a move called off is better marked „abgesagt“: it stays on record)
  r.get('/moves/:id/delete', async (req, res) => {
    const m = await load(req);
    const t = textOf(res);
    const fmtDate = res.locals.fmtDate as (d: string) => string;
    const [unit, from, to] = await Promise.all([
      ctx.services.organisation.units().then((us) => us.find((u) => u.id === m.unit_id)?.name ?? String(m.unit_id)),
      m.from_site_id === null ? null : ctx.services.sites.get(m.from_site_id).then((s) => s.name),
      m.to_site_id === null ? null : ctx.services.sites.get(m.to_site_id).then((s) => s.name),
    ]);
    res.render('pages/confirm-delete', {
      title: t('move.delete_confirm'),
      text: t('move.delete_text', {
        unit,
        headcount: m.headcount,
        date: fmtDate(m.date),
        from: from ?? t('move.none_side'),
        to: to ?? t('move.none_side'),
      }),
      action: `/moves/${m.id}/delete`,
      version: m.version,
      backUrl: `/moves/${m.id}/edit`,
      backLabel: t('move.back_to_form'),
    });
  });

  r.post('/moves/:id/delete', async (req, res) => {
    const m = await load(req);
    // only the question's own form deletes
    if (req.body?.confirmed !== '1') return res.redirect(303, `/moves/${m.id}/delete`);
    try {
      await moves.deleteMove(currentUser(req), m.id, Number(req.body.version) || undefined);
      flash(req, 'flash.deleted');
    } catch (err) {
      const e = formErrors(err, res);
      flashRefused(req, e.message ?? '');
    }
    res.redirect(303, '/moves');
  });
}
