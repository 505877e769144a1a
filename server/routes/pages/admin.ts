import { Router, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { forbidden } from '../../errors.js';
import { dictionaryPart } from '../../i18n/index.js';
import { auditLabels } from '../../i18n/audit.js';
import { canPlan, type Resources } from '../../services/resources.js';
import { idParams, optionalId, parse } from '../validate.js';
import { coerceForm, flash, formErrors } from './forms.js';

const USER_FORM = { username: 'string', password: 'string', role: 'string', display_name: 'string', lang: 'string', active: 'bool', site_ids: 'ids' } as const;
const blank = z.literal('').transform(() => undefined);

/** User administration (admin), the audit log and the import page (planners). */
export function adminPages(ctx: AppContext, resources: Resources): Router {
  const r = Router();

  const renderUsers = async (res: Response, o: { values?: Record<string, unknown>; errors?: Record<string, string>; message?: string | null; editId?: number | null; status?: number } = {}) => {
    const [users, sites] = await Promise.all([ctx.repos.users.list(), ctx.repos.sites.list()]);
    const withSites = await Promise.all(users.map(async (u) => ({ ...u, site_ids: await ctx.repos.users.siteIds(u.id) })));
    res.status(o.status ?? 200).render('pages/users', {
      title: res.locals.t('nav.users'), users: withSites, sites, values: o.values ?? { role: 'viewer', lang: 'de', active: 'on' },
      errors: o.errors ?? {}, message: o.message ?? null, editId: o.editId ?? null,
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
      await resources.createUser(req.user, v);
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
      await resources.updateUser(req.user, id, { ...v, version: Number(req.body.version) });
      flash(req, 'flash.saved');
      res.redirect(303, '/users');
    } catch (err) {
      const e = formErrors(err, res);
      await renderUsers(res, { errors: Object.fromEntries(Object.entries(e.fields).map(([k, m]) => [`${id}.${k}`, m])), message: e.message, editId: id, status: e.status });
    }
  });

  r.get('/audit', async (req, res) => {
    if (!canPlan(req.user)) throw forbidden();
    const f = parse(z.object({ entity: z.string().max(32).optional().or(blank), entity_id: optionalId.or(blank) }).passthrough(), req.query);
    const rows = await ctx.repos.audit.find({ entity: f.entity, entity_id: f.entity_id, limit: 200 });
    const diff = (before: string | null, after: string | null) => {
      const b = before ? JSON.parse(before) as Record<string, unknown> : {};
      const a = after ? JSON.parse(after) as Record<string, unknown> : {};
      const skip = new Set(['updated_at', 'created_at', 'version', 'updated_by', 'geometry']);
      return [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => !skip.has(k) && JSON.stringify(b[k]) !== JSON.stringify(a[k]))
        .map((k) => ({ field: k, before: b[k] ?? null, after: a[k] ?? null }));
    };
    res.render('pages/audit', { title: res.locals.t('nav.audit'), rows: rows.map((x) => ({ ...x, changes: diff(x.before, x.after) })), filters: f, auditLabel: auditLabels(res.locals.lang) });
  });

  r.get('/import', (req, res) => {
    if (!canPlan(req.user)) throw forbidden();
    res.render('pages/import', { title: res.locals.t('nav.import'), dict: dictionaryPart(res.locals.lang, /^import\.(result_|rejected|line|empty|error\.)/) });
  });
  return r;
}
