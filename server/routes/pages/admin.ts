import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { currentUser } from '../../auth/guards.js';
import { dictionaryPart } from '../../i18n/index.js';
import { auditLabels } from '../../i18n/audit.js';
import { isoDate, optionalId, pageNumber, parse, pathId } from '../validate.js';
import { toCsv } from '../../services/csv.js';
import { coerceForm, flash, formErrors } from './forms.js';

const USER_FORM = { username: 'string', password: 'string', role: 'string', display_name: 'string', lang: 'string', active: 'bool', site_ids: 'ids' } as const;
const blank = z.literal('').transform(() => undefined);
const AUDIT_PER_PAGE = 50;
const AUDIT_CSV_MAX = 10_000;
const AUDIT_ENTITIES = [
  'site',
  'floor',
  'room',
  'lease',
  'site_event',
  'move',
  'unit',
  'team',
  'district',
  'place',
  'scenario',
  'scenario_override',
  'project',
  'acknowledgement',
  'user',
  'import',
  'dataset',
];
const AUDIT_QUERY = z
  .object({
    entity: z.enum(AUDIT_ENTITIES).optional().or(blank),
    entity_id: optionalId.or(blank),
    user: z.string().max(64).optional().or(blank),
    from: isoDate.optional().or(blank),
    to: isoDate.optional().or(blank),
    page: pageNumber,
  })
  .passthrough();

/** User administration (admin), the audit log and the import page (planners). */
export function adminPages(ctx: AppContext): Router {
  const r = Router();
  const { users, sites, audit } = ctx.services;

  const renderUsers = async (
    req: Request,
    res: Response,
    o: { values?: Record<string, unknown>; errors?: Record<string, string>; message?: string | null; editId?: number | null; status?: number } = {},
  ) => {
    const [list, allSites] = await Promise.all([users.listForAdmin(req.user), sites.all()]);
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
    await renderUsers(req, res);
  });
  r.post('/users', async (req, res) => {
    try {
      const v = coerceForm(req.body, USER_FORM, { omitEmpty: true, lang: res.locals.lang });
      // new accounts are active unless the shown "aktiv" box was unticked (a missing field is not "no")
      if (req.body.active_shown === undefined && req.body.active === undefined) v.active = true;
      await users.createUser(currentUser(req), v);
      flash(req, 'flash.saved');
      res.redirect(303, '/users');
    } catch (err) {
      const e = formErrors(err, res);
      await renderUsers(req, res, { values: req.body, errors: e.fields, message: e.message, status: e.status });
    }
  });
  r.post('/users/:id', async (req, res) => {
    const id = pathId(req.params);
    try {
      const { username: _u, ...v } = coerceForm(req.body, USER_FORM, { omitEmpty: true, lang: res.locals.lang });
      // deactivating ends the person's sessions and calendar link: asked once more, with the form's values kept
      const current = await users.get(req.user, id);
      if (current.active && v.active === false && req.body.confirmed !== '1') {
        const kept = Object.entries(req.body as Record<string, unknown>).flatMap(([name, value]) =>
          name === '_csrf' || name === '_lang' || name === 'password' ? [] : (Array.isArray(value) ? value : [value]).map((x) => ({ name, value: String(x) })),
        );
        return res.render('pages/users-confirm', {
          title: res.locals.t('users.deactivate_title'),
          text: res.locals.t('users.deactivate_text', { user: current.username }),
          action: `/users/${id}`,
          kept,
        });
      }
      await users.updateUser(currentUser(req), id, { ...v, version: Number(req.body.version) });
      flash(req, 'flash.saved');
      res.redirect(303, '/users');
    } catch (err) {
      const e = formErrors(err, res);
      await renderUsers(req, res, {
        errors: Object.fromEntries(Object.entries(e.fields).map(([k, m]) => [`${id}.${k}`, m])),
        message: e.message,
        editId: id,
        status: e.status,
      });
    }
  });

  auditPages(r, audit);

  r.get('/import', (req, res) => {
    ctx.services.csv.mayImport(req.user);
    res.render('pages/import', {
      title: res.locals.t('nav.import'),
      dict: dictionaryPart(res.locals.lang, /^import\.(result_|rejected|line|empty|error\.|encoding\.|floors_created)/),
    });
  });
  return r;
}

/** The audit log in words (planners): filters, pages, CSV. */
function auditPages(r: Router, audit: AppContext['services']['audit']): void {
  const auditFilters = (req: import('express').Request) => {
    const f = parse(AUDIT_QUERY, req.query);
    const filter = { entity: f.entity, entity_id: f.entity_id, username: f.user, from: f.from, to: f.to };
    return { f, filter };
  };
  r.get('/audit', async (req, res) => {
    const { f, filter } = auditFilters(req);
    const asked = f.page ?? 1;
    const first = await audit.page(req.user, filter, asked, AUDIT_PER_PAGE);
    const pages = Math.max(1, Math.ceil(first.total / AUDIT_PER_PAGE));
    // a page beyond the last (the log got shorter with a filter, or a typed address): the last
    const result = asked > pages ? await audit.page(req.user, filter, pages, AUDIT_PER_PAGE) : first;
    const query = new URLSearchParams(
      Object.entries({ ...filter, user: f.user, username: undefined })
        .filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '')
        .map(([k, v]) => [k, String(v)]),
    );
    res.render('pages/audit', {
      title: res.locals.t('nav.audit'),
      ...result,
      pages,
      query: query.toString(),
      filters: f,
      entities: AUDIT_ENTITIES,
      auditLabel: auditLabels(res.locals.lang),
    });
  });
  r.get('/audit.csv', async (req, res) => {
    const { filter } = auditFilters(req);
    const lang = res.locals.lang;
    const label = auditLabels(lang);
    const t = res.locals.t;
    const columns = [t('audit.when'), t('audit.who'), t('audit.what'), t('audit.action'), t('audit.changes')];
    const rows = (await audit.all(req.user, filter, AUDIT_CSV_MAX)).map((a) =>
      Object.fromEntries(
        [
          a.at.slice(0, 19).replace('T', ' '),
          a.username ?? '',
          label.subject(a),
          label.action(a.action),
          a.changes.map((c) => `${label.field(c.field)}: ${label.value(c.field, c.before)} → ${label.value(c.field, c.after)}`).join('\n'),
        ].map((v, i) => [columns[i], v]),
      ),
    );
    const body = toCsv(columns, rows, ';');
    res
      .type('text/csv; charset=utf-8')
      .attachment(`${t('audit.csv_name')}.csv`)
      .send(body);
  });
}
