import { Router, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { forbidden } from '../../errors.js';
import { dictionaryPart } from '../../i18n/index.js';
import { auditLabels } from '../../i18n/audit.js';
import { canPlan } from '../../services/rules.js';
import { idParams, optionalId, parse } from '../validate.js';
import { coerceForm, flash, formErrors } from './forms.js';

const USER_FORM = { username: 'string', password: 'string', role: 'string', display_name: 'string', lang: 'string', active: 'bool', site_ids: 'ids' } as const;
const blank = z.literal('').transform(() => undefined);

/** User administration (admin), the audit log and the import page (planners). */
export function adminPages(ctx: AppContext): Router {
  const r = Router();
  const { users, sites, audit } = ctx.services;

  const renderUsers = async (
    res: Response,
    o: { values?: Record<string, unknown>; errors?: Record<string, string>; message?: string | null; editId?: number | null; status?: number } = {},
  ) => {
    const [list, allSites] = await Promise.all([users.listForAdmin(), sites.all()]);
    res.status(o.status ?? 200).render('pages/users', {
      title: res.locals.t('nav.users'),
      users: list,
      sites: allSites,
      values: o.values ?? { role: 'viewer', lang: 'de', active: 'on' },
      errors: o.errors ?? {},
      message: o.message ?? null,
      editId: o.editId ?? null,
    });
  };
  r.get('/users', async (req, res) => {
    if (req.user?.role !== 'admin') throw forbidden();
    await renderUsers(res);
  });
  r.post('/users', async (req, res) => {
    if (req.user?.role !== 'admin') throw forbidden();
    try {
      const v = coerceForm(req.body, USER_FORM, { omitEmpty: true });
      // new accounts are active unless the shown "aktiv" box was unticked (a missing field is not "no")
      if (req.body.active_shown === undefined && req.body.active === undefined) v.active = true;
      await users.createUser(req.user, v);
      flash(req, 'flash.saved');
      res.redirect(303, '/users');
    } catch (err) {
      const e = formErrors(err, res);
      await renderUsers(res, { values: req.body, errors: e.fields, message: e.message, status: e.status });
    }
  });
  r.post('/users/:id', async (req, res) => {
    if (req.user?.role !== 'admin') throw forbidden();
    const id = parse(idParams, req.params).id;
    try {
      const { username: _u, ...v } = coerceForm(req.body, USER_FORM, { omitEmpty: true });
      await users.updateUser(req.user, id, { ...v, version: Number(req.body.version) });
      flash(req, 'flash.saved');
      res.redirect(303, '/users');
    } catch (err) {
      const e = formErrors(err, res);
      await renderUsers(res, {
        errors: Object.fromEntries(Object.entries(e.fields).map(([k, m]) => [`${id}.${k}`, m])),
        message: e.message,
        editId: id,
        status: e.status,
      });
    }
  });

  r.get('/audit', async (req, res) => {
    if (!canPlan(req.user)) throw forbidden();
    const f = parse(z.object({ entity: z.string().max(32).optional().or(blank), entity_id: optionalId.or(blank) }).passthrough(), req.query);
    const rows = await audit.withChanges({ entity: f.entity, entity_id: f.entity_id, limit: 200 });
    res.render('pages/audit', { title: res.locals.t('nav.audit'), rows, filters: f, auditLabel: auditLabels(res.locals.lang) });
  });

  r.get('/import', (req, res) => {
    if (!canPlan(req.user)) throw forbidden();
    res.render('pages/import', { title: res.locals.t('nav.import'), dict: dictionaryPart(res.locals.lang, /^import\.(result_|rejected|line|empty|error\.)/) });
  });
  return r;
}
