import { Router, type Response } from 'express';
import type { AppContext } from '../../context.js';
import type { Lease, Site } from '../../repositories/index.js';
import { currentUser } from '../../auth/guards.js';
import { pathId } from '../validate.js';
import { readAsOf } from './as-of.js';
import { coerceForm, flash, formErrors, flashRefused, textOf } from './forms.js';

const LEASE_FIELDS = {
  kind: 'string',
  start: 'date',
  end: 'date',
  notice_months: 'int',
  rent_month_eur: 'number',
  service_charges_month_eur: 'number',
  landlord: 'string',
  notes: 'string',
} as const;

/** The cost page (/costs) and the lease forms of the site page. */
export function costPages(ctx: AppContext): Router {
  const r = Router();
  costsPage(r, ctx);
  leaseForms(r, ctx);
  return r;
}

/** /costs: the annual costs per site at the date, as a table and a chart (with the chart's values as a table). */
function costsPage(r: Router, ctx: AppContext): void {
  r.get('/costs', async (req, res) => {
    const asOf = await readAsOf(ctx, req);
    const [scenarios, costs, anyLease] = await Promise.all([
      ctx.services.scenarios.list(),
      ctx.services.costs.at(asOf.date, asOf.scenarioId),
      ctx.services.costs.anyLease(),
    ]);
    const withLease = costs.sites.filter((s) => s.annual_eur !== null);
    res.render('pages/costs', {
      title: res.locals.t('costs.title'),
      asOf,
      scenarios,
      costs,
      anyLease,
      chart: { labels: withLease.map((s) => s.site), data: withLease.map((s) => s.annual_eur ?? 0) },
      moveCost: ctx.services.costs.moveCostPerPerson,
    });
  });
}

interface LeaseFormView {
  site: Site;
  lease: Lease | null;
  values: Record<string, unknown>;
  errors?: Record<string, string>;
  message?: string | null;
  changes?: unknown[];
  status?: number;
}

function renderLeaseForm(res: Response, o: LeaseFormView): void {
  const t = textOf(res);
  res.status(o.status ?? 200).render('pages/leases/form', {
    title: `${o.lease ? t('lease.edit') : t('lease.new')}: ${o.site.name}`,
    site: o.site,
    lease: o.lease,
    values: o.values,
    errors: o.errors ?? {},
    message: o.message ?? null,
    changes: o.changes ?? [],
  });
}

/** Planners and admins record, change and delete a site's leases; everyone else reads them on the site page. */
function leaseForms(r: Router, ctx: AppContext): void {
  const { leases, sites } = ctx.services;
  const back = (siteId: number) => `/sites/${siteId}#leases`;
  r.get('/sites/:id/leases/new', async (req, res) => {
    const site = await leases.siteForNewLease(req.user, pathId(req.params));
    renderLeaseForm(res, { site, lease: null, values: { kind: 'lease' } });
  });
  r.post('/sites/:id/leases/new', async (req, res) => {
    const user = currentUser(req);
    const site = await leases.siteForNewLease(user, pathId(req.params));
    try {
      await leases.create(user, site.id, coerceForm(req.body, LEASE_FIELDS, { omitEmpty: true, lang: res.locals.lang }));
      flash(req, 'flash.saved');
      res.redirect(303, back(site.id));
    } catch (err) {
      const e = formErrors(err, res);
      renderLeaseForm(res, { site, lease: null, values: req.body, errors: e.fields, message: e.message, status: e.status });
    }
  });
  r.get('/leases/:id/edit', async (req, res) => {
    const lease = await leases.forChange(req.user, pathId(req.params));
    renderLeaseForm(res, { site: await sites.get(lease.site_id), lease, values: lease as unknown as Record<string, unknown> });
  });
  r.post('/leases/:id/edit', async (req, res) => {
    const user = currentUser(req);
    const lease = await leases.forChange(user, pathId(req.params));
    const site = await sites.get(lease.site_id);
    const version = Number(req.body.version);
    try {
      await leases.update(user, lease.id, { ...coerceForm(req.body, LEASE_FIELDS, { lang: res.locals.lang }), version });
      flash(req, 'flash.saved');
      res.redirect(303, back(site.id));
    } catch (err) {
      const e = formErrors(err, res);
      const current = await leases.get(lease.id);
      const changes = e.status === 409 ? await ctx.services.audit.changesSince('lease', lease.id, version, current as unknown as Record<string, unknown>) : [];
      renderLeaseForm(res, {
        site,
        lease: current,
        values: { ...req.body, version: current.version },
        errors: e.fields,
        message: e.message,
        changes,
        status: e.status,
      });
    }
  });
  r.post('/leases/:id/delete', async (req, res) => {
    const user = currentUser(req);
    const lease = await leases.forChange(user, pathId(req.params));
    try {
      await leases.remove(user, lease.id, Number(req.body.version) || undefined);
      flash(req, 'flash.deleted');
    } catch (err) {
      const e = formErrors(err, res);
      flashRefused(req, e.message ?? '');
    }
    res.redirect(303, back(lease.site_id));
  });
}
