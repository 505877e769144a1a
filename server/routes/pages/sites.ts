import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { optionalId, parse, pathId } from '../validate.js';
import { pageBasics } from './as-of.js';
import { renderSite } from './site-page.js';
import { must } from '../../invariant.js';
import { onOfferOnly } from '../../services/presenters.js';

const SORTS = ['name', 'district', 'capacity', 'headcount', 'utilization', 'accessibility', 'status'] as const;

export function sitePages(ctx: AppContext): Router {
  const r = Router();
  siteListPage(r, ctx);
  siteDetailPage(r, ctx);
  return r;
}

/** /sites: the sites as of the date, filtered and sorted. */
function siteListPage(r: Router, ctx: AppContext): void {
  r.get('/sites', async (req, res) => {
    const { asOf, scenarios, state } = await pageBasics(ctx, req);
    const f = parse(
      z
        .object({
          sort: z.enum(SORTS).default('name'),
          dir: z.enum(['asc', 'desc']).default('asc'),
          district_id: optionalId.or(z.literal('').transform(() => undefined)),
          a11y: z.enum(['full', 'partial', 'none', 'unknown', '']).optional(),
        })
        .passthrough(),
      req.query,
    );
    const [byId, districts] = await Promise.all([
      ctx.services.planning.sitesAt(asOf.date, asOf.scenarioId, res.locals.lang),
      ctx.services.organisation.districts(),
    ]);
    const districtName = new Map(districts.map((d) => [d.id, d.name]));
    let rows = state.sites.map((st) => ({
      st,
      site: must(byId.get(st.id), 'byId.get(st.id)'),
      district: st.district_id ? (districtName.get(st.district_id) ?? '') : '',
      // a building on offer not taken up: listed (and sorted) with the places it offers
      offered: onOfferOnly(st),
    }));
    if (f.district_id) rows = rows.filter((x) => x.st.district_id === f.district_id);
    if (f.a11y) rows = rows.filter((x) => x.site.accessibility_rating === f.a11y);
    const key: Record<(typeof SORTS)[number], (x: (typeof rows)[number]) => string | number> = {
      name: (x) => x.st.name.toLowerCase(),
      district: (x) => x.district,
      capacity: (x) => (x.offered ? x.site.capacity : x.st.capacity),
      headcount: (x) => x.st.headcount,
      utilization: (x) => x.st.utilization ?? (x.st.needed > 0 ? 99 : -1),
      accessibility: (x) => x.site.accessibility_rating,
      status: (x) => x.st.status,
    };
    const k = key[f.sort];
    // text in the page's language's order (German: „Käßbohrerstraße“ before „Kornhausplatz“), numbers as numbers
    const collator = new Intl.Collator(res.locals.lang === 'de' ? 'de-DE' : 'en-GB');
    rows.sort((a, b) => {
      const va = k(a);
      const vb = k(b);
      const byValue = typeof va === 'string' && typeof vb === 'string' ? collator.compare(va, vb) : va < vb ? -1 : va > vb ? 1 : 0;
      const c = byValue || a.st.id - b.st.id;
      return f.dir === 'asc' ? c : -c;
    });
    const sortUrl = (col: string) => {
      const q = new URLSearchParams({ date: asOf.date, sort: col, dir: f.sort === col && f.dir === 'asc' ? 'desc' : 'asc' });
      if (asOf.scenarioId) q.set('scenario_id', String(asOf.scenarioId));
      if (f.district_id) q.set('district_id', String(f.district_id));
      if (f.a11y) q.set('a11y', f.a11y);
      return `/sites?${q}`;
    };
    res.render('pages/sites/list', {
      title: res.locals.t('nav.sites'),
      asOf,
      scenarios,
      rows,
      sortUrl,
      sort: f.sort,
      dir: f.dir,
      districts,
      filters: f,
    });
  });
}

/** /sites/:id: one site as of the date, with its events, moves, chart, neighbourhood and audit trail. */
function siteDetailPage(r: Router, ctx: AppContext): void {
  r.get('/sites/:id', async (req, res) => {
    await renderSite(ctx, req, res, pathId(req.params));
  });
}
