import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { currentUser } from '../../auth/guards.js';
import type { AppContext } from '../../context.js';
import type { Site } from '../../repositories/index.js';
import { id, pathId, pathParams } from '../validate.js';
import { coerceForm, flash, formErrors, flashRefused } from './forms.js';

export const SITE_FORM_FIELDS = {
  name: 'string',
  address: 'string',
  lat: 'decimal',
  lon: 'decimal',
  position_precision: 'string',
  capacity: 'int',
  office_area_m2: 'number',
  step_free: 'string',
  accessible_toilet: 'string',
  accessible_parking: 'string',
  elevator: 'string',
  door_width_cm: 'int',
  threshold_cm: 'number',
  accessibility_notes: 'string',
  status: 'string',
  available_from: 'date',
  notes: 'string',
  capacity_estimated: 'bool',
  assessment: 'string',
  assessment_source: 'string',
} as const;

/** The query of the site page a form came from (its date and scenario). */
function viewQuery(date: unknown, scenarioId: string | null): string {
  const q = new URLSearchParams();
  if (typeof date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(date)) q.set('date', date);
  if (scenarioId) q.set('scenario_id', scenarioId);
  const s = q.toString();
  return s ? `?${s}` : '';
}

interface SiteFormView {
  site: Site | null;
  values: Record<string, unknown>;
  errors?: Record<string, string>;
  message?: string | null;
  changes?: unknown[];
  status?: number;
  farFrom?: { km: number } | null;
}

/** What the site form needs: the form, the check for a position far outside the districts, and the site of the URL. */
interface SiteFormKit {
  render: (res: Response, opts: SiteFormView) => Promise<void>;
  farOutside: (values: Record<string, unknown>, body: Record<string, unknown>) => Promise<{ km: number } | null>;
  load: (req: Request) => Promise<Site>;
}

export function siteFormPages(ctx: AppContext): Router {
  const r = Router();
  const kit = siteFormKit(ctx);
  newSiteForm(r, ctx, kit);
  editSiteForm(r, ctx, kit);
  siteActions(r, ctx, kit.load);
  return r;
}

function siteFormKit(ctx: AppContext): SiteFormKit {
  const { sites } = ctx.services;
  const render = async (res: Response, opts: SiteFormView) => {
    // the capacity that counts today, and the dated events that set it (they override the base value)
    const effective = opts.site ? await sites.effectiveCapacity(opts.site, ctx.today()) : null;
    // a capacity event in force sets the capacity: the form's capacity field edits that event (issue 27)
    const capacityEvent = effective?.events.find((e) => e.kind === 'capacity' && e.capacity !== null) ?? null;
    // a site with floors: its capacity is their sum, shown read-only (SPEC 14)
    const hasFloors = opts.site ? (await ctx.services.floors.ofSite(opts.site.id)).length > 0 : false;
    res.status(opts.status ?? 200).render('pages/sites/form', {
      title: opts.site ? `${res.locals.t('form.edit')}: ${opts.site.name}` : res.locals.t('form.new_site'),
      site: opts.site,
      values: opts.values,
      errors: opts.errors ?? {},
      message: opts.message ?? null,
      changes: opts.changes ?? [],
      mapConfig: { tileUrl: ctx.config.tileUrl, tileAttribution: ctx.config.tileAttribution },
      effective,
      capacityEvent,
      hasFloors,
      farFrom: opts.farFrom ?? null,
    });
  };

  /** How far (km) a position lies outside every district, when that is more than FAR_KM (and not confirmed); else null. */
  const FAR_KM = 5;
  const farOutside = async (values: Record<string, unknown>, body: Record<string, unknown>): Promise<{ km: number } | null> => {
    if (body.confirm_far === '1') return null;
    const lat = values.lat;
    const lon = values.lon;
    if (typeof lat !== 'number' || typeof lon !== 'number' || Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
    return sites.farOutsideDistricts({ lat, lon }, FAR_KM);
  };

  const load = async (req: Request) => {
    const siteId = pathId(req.params);
    return sites.editable(req.user, siteId);
  };
  return { render, farOutside, load };
}

/** /sites/new: the form with an Ulm default position, and create (a position far outside asks first). */
function newSiteForm(r: Router, ctx: AppContext, { render, farOutside }: SiteFormKit): void {
  const { sites } = ctx.services;
  r.get('/sites/new', async (req, res) => {
    sites.mayCreate(req.user);
    await render(res, {
      site: null,
      values: {
        lat: 48.3984,
        lon: 9.9916,
        capacity: 0,
        status: 'active',
        position_precision: 'estimate',
        step_free: 'unknown',
        accessible_toilet: 'unknown',
        accessible_parking: 'unknown',
        elevator: 'unknown',
      },
    });
  });
  r.post('/sites/new', async (req, res) => {
    const values = coerceForm(req.body, SITE_FORM_FIELDS, { lang: res.locals.lang });
    try {
      sites.mayCreate(req.user);
      const far = await farOutside(values, req.body);
      if (far) return await render(res, { site: null, values: req.body, farFrom: far, status: 422 });
      const site = await sites.createSite(currentUser(req), values);
      flash(req, 'flash.saved');
      res.redirect(303, `/sites/${site.id}`);
    } catch (err) {
      const e = formErrors(err, res);
      await render(res, { site: null, values: req.body, errors: e.fields, message: e.message, status: e.status });
    }
  });
}

/** /sites/:id/edit: the form with the site, and save (a version conflict shows what changed). */
function editSiteForm(r: Router, ctx: AppContext, { render, farOutside, load }: SiteFormKit): void {
  const { sites, audit } = ctx.services;
  r.get('/sites/:id/edit', async (req, res) => {
    const site = await load(req);
    // the capacity shown is the one in force today: an event's, when one sets it
    const ev = await sites.capacityEventInForce(site, ctx.today());
    const values: Record<string, unknown> = { ...site };
    if (ev) Object.assign(values, { capacity: ev.capacity, capacity_estimated: ev.estimated, capacity_event_id: ev.id, capacity_event_version: ev.version });
    await render(res, { site, values });
  });
  r.post('/sites/:id/edit', async (req, res) => {
    const site = await load(req);
    const version = Number(req.body.version);
    try {
      const values = coerceForm(req.body, SITE_FORM_FIELDS, { lang: res.locals.lang });
      const far = await farOutside(values, req.body);
      if (far) return await render(res, { site, values: req.body, farFrom: far, status: 422 });
      const eventId = /^\d+$/.test(String(req.body.capacity_event_id ?? '')) ? Number(req.body.capacity_event_id) : null;
      if (eventId !== null)
        await sites.updateSiteAndCapacityEvent(
          currentUser(req),
          site.id,
          { ...values, version },
          { id: eventId, version: Number(req.body.capacity_event_version), capacity: values.capacity, estimated: values.capacity_estimated === true },
        );
      else await sites.updateSite(currentUser(req), site.id, { ...values, version });
      flash(req, 'flash.saved');
      res.redirect(303, `/sites/${site.id}`);
    } catch (err) {
      const e = formErrors(err, res);
      const current = await sites.get(site.id);
      const changes = e.status === 409 ? await audit.changesSince('site', site.id, version, current as unknown as Record<string, unknown>) : [];
      // on a conflict the form keeps the user's input but is now based on the current version
      const ev = e.status === 409 ? await sites.capacityEventInForce(current, ctx.today()) : null;
      const versions = { version: current.version, ...(ev ? { capacity_event_id: ev.id, capacity_event_version: ev.version } : {}) };
      await render(res, { site: current, values: { ...req.body, ...versions }, errors: e.fields, message: e.message, changes, status: e.status });
    }
  });
}

/** A site's confirmation that its data is current, and its dated events (added and deleted from the site page). */
function siteActions(r: Router, ctx: AppContext, load: (req: Request) => Promise<Site>): void {
  const { sites } = ctx.services;
  r.post('/sites/:id/verify', async (req, res) => {
    const site = await load(req);
    try {
      await sites.verifySite(currentUser(req), site.id, { version: Number(req.body.version) });
      flash(req, 'flash.verified');
    } catch (err) {
      formErrors(err, res);
      flash(req, 'flash.conflict');
    }
    res.redirect(
      303,
      typeof req.body.back === 'string' && req.body.back.startsWith('/') && !req.body.back.startsWith('//') ? req.body.back : `/sites/${site.id}`,
    );
  });

  r.post('/sites/:id/events', async (req, res) => {
    const site = await load(req);
    try {
      await sites.createEvent(
        currentUser(req),
        site.id,
        coerceForm(
          req.body,
          {
            kind: 'string',
            date: 'date',
            end_date: 'date',
            capacity: 'int',
            note: 'string',
            scenario_id: 'int',
            project_id: 'int',
            step_free: 'string',
            estimated: 'bool',
          },
          { omitEmpty: true, lang: res.locals.lang },
        ),
      );
      flash(req, 'flash.saved');
    } catch (err) {
      const e = formErrors(err, res);
      flashRefused(
        req,
        Object.entries(e.fields)
          .map(([k, v]) => `${res.locals.t(`form.field.${k}`)}: ${v}`)
          .join(' · ') ||
          (e.message ?? ''),
      );
    }
    // back to the page as it was shown: an event saved in a scenario keeps the page in that scenario
    const scenarioId = /^\d+$/.test(String(req.body.scenario_id ?? '')) ? String(req.body.scenario_id) : null;
    res.redirect(303, `/sites/${site.id}${viewQuery(req.body.view_date, scenarioId)}#events`);
  });

  r.post('/sites/:id/events/:eventId/delete', async (req, res) => {
    const p = pathParams(z.object({ id, eventId: id }), req.params);
    await load(req);
    try {
      await sites.deleteEvent(currentUser(req), p.id, p.eventId, Number(req.body.version) || undefined);
      flash(req, 'flash.deleted');
    } catch (err) {
      formErrors(err, res);
      flash(req, 'flash.conflict');
    }
    res.redirect(
      303,
      `/sites/${p.id}${viewQuery(req.body.view_date, /^\d+$/.test(String(req.body.view_scenario_id ?? '')) ? String(req.body.view_scenario_id) : null)}#events`,
    );
  });
}
