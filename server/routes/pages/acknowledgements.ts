import { Router, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { localPath } from '../../auth/sessions.js';
import { notFound } from '../../errors.js';
import type { Warning } from '../../planning/types.js';
import { optionalId, parse, pathId } from '../validate.js';
import { pageBasics, type AsOf } from './as-of.js';
import { coerceForm, flash, flashRefused, formErrors, textOf } from './forms.js';

const FIELDS = { code: 'string', team_id: 'int', site_id: 'int', unit_id: 'int', reason: 'string', until: 'date' } as const;
const optional = optionalId.or(z.literal('').transform(() => undefined));
const Subject = z
  .object({ code: z.string().max(60), team_id: optional, site_id: optional, unit_id: optional, back: z.string().max(2000).optional() })
  .passthrough();

/**
 * Acknowledging a warning from the page that lists it (SPEC section 16): /acknowledgements/new shows
 * the warning and asks for the reason (and an optional end date); the acknowledgement service
 * authorizes, checks and audits, as for POST /api/acknowledgements. Withdrawing: a button beside an
 * acknowledged warning. Both return to the page they came from.
 */
export function acknowledgementPages(ctx: AppContext): Router {
  const r = Router();
  const acks = ctx.services.acknowledgements;
  r.get('/acknowledgements/new', async (req, res) => {
    acks.mayCreate(req.user);
    const q = parse(Subject, req.query);
    const { asOf, state } = await pageBasics(ctx, req);
    render(res, { warning: warningOf(state.warnings, q), asOf, back: localPath(q.back), values: { ...q, reason: '', until: '' }, errors: {} });
  });
  r.post('/acknowledgements/new', async (req, res) => {
    const back = localPath(req.body?.back);
    try {
      await acks.create(req.user, coerceForm(req.body ?? {}, FIELDS, { omitEmpty: true, lang: res.locals.lang }));
      flash(req, 'ack.saved');
      res.redirect(303, back);
    } catch (err) {
      const e = formErrors(err, res);
      const q = parse(Subject, req.body ?? {});
      // the form's action carries the date and scenario of the page it came from
      const { asOf, state } = await pageBasics(ctx, req);
      render(res, { warning: warningOf(state.warnings, q), asOf, back, values: req.body, errors: e.fields, message: e.message, status: e.status });
    }
  });
  r.post('/acknowledgements/:id/delete', async (req, res) => {
    const back = localPath(req.body?.back);
    try {
      await acks.remove(req.user, pathId(req.params));
      flash(req, 'ack.withdrawn');
    } catch (err) {
      flashRefused(req, formErrors(err, res).message ?? '');
    }
    res.redirect(303, back);
  });
  return r;
}

/** The warning of the state the form is about: its code and every subject the link named. */
function warningOf(warnings: readonly Warning[], q: z.infer<typeof Subject>): Warning {
  const w = warnings.find(
    (x) =>
      x.code === q.code &&
      (q.team_id === undefined || x.team_id === q.team_id) &&
      (q.site_id === undefined || x.site_id === q.site_id) &&
      (q.unit_id === undefined || x.unit_id === q.unit_id),
  );
  if (!w) throw notFound('warning');
  return w;
}

function render(
  res: Response,
  o: { warning: Warning; asOf: AsOf; back: string; values: Record<string, unknown>; errors: Record<string, string>; message?: string | null; status?: number },
): void {
  res.status(o.status ?? 200).render('pages/acknowledgements/form', {
    title: textOf(res)('ack.form_title'),
    warning: o.warning,
    asOf: o.asOf,
    back: o.back,
    values: o.values,
    errors: o.errors,
    message: o.message ?? null,
  });
}
