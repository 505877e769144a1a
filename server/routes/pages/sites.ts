import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { SiteEvent } from '../../repositories/index.js';
import { minimumOfficeArea } from '../../services/presenters.js';
import { idParams, optionalId, parse } from '../validate.js';
import { pageBasics } from './as-of.js';
import { must } from '../../invariant.js';

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
    }));
    if (f.district_id) rows = rows.filter((x) => x.st.district_id === f.district_id);
    if (f.a11y) rows = rows.filter((x) => x.site.accessibility_rating === f.a11y);
    const key: Record<(typeof SORTS)[number], (x: (typeof rows)[number]) => string | number> = {
      name: (x) => x.st.name.toLowerCase(),
      district: (x) => x.district,
      capacity: (x) => x.st.capacity,
      headcount: (x) => x.st.headcount,
      utilization: (x) => x.st.utilization ?? (x.st.needed > 0 ? 99 : -1),
      accessibility: (x) => x.site.accessibility_rating,
      status: (x) => x.st.status,
    };
    const k = key[f.sort];
    rows.sort((a, b) => {
      const va = k(a);
      const vb = k(b);
      const c = va < vb ? -1 : va > vb ? 1 : a.st.id - b.st.id;
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
    const id = parse(idParams, req.params).id;
    const { asOf, scenarios, state } = await pageBasics(ctx, req);
    // accessibility as of the date: site events may change the facts (a renovation makes the entrance step-free)
    const site = await ctx.services.planning.siteAt(id, asOf.date, asOf.scenarioId, res.locals.lang);
    const st = must(
      state.sites.find((s) => s.id === id),
      'state.sites.find((s) => s.id === id)',
    );
    const [events, moves, places, districts, audit, units, teams, projects, leases] = await Promise.all([
      ctx.services.sites.eventsWhere({ site_id: id }),
      ctx.services.moves.find({ site_id: id }),
      ctx.services.sites.nearby(site, 500),
      ctx.services.organisation.districts(),
      ctx.services.audit.entries({ entity: 'site', entity_id: id, limit: 50 }),
      ctx.services.organisation.units(),
      ctx.services.organisation.teams(),
      ctx.services.projects.list(),
      ctx.services.leases.forSite(id),
    ]);
    const scenarioOk = (sid: number | null) => sid === null || sid === asOf.scenarioId;
    // the stack plan at the date (SPEC section 14), when the site has floors
    const floors = await ctx.services.floors.ofSite(id);
    const stack = floors.length ? await ctx.services.floors.stack(id, asOf.date, asOf.scenarioId) : null;
    // capacity and headcount over the whole plan, quarterly, for the chart
    const first = moves.length ? moves[0].date : asOf.date;
    const last = moves.reduce((m, x) => (x.date > m ? x.date : m), asOf.date);
    const chart = await ctx.services.planning.siteChart(id, first, last, asOf.scenarioId);
    const siteNames = new Map((await ctx.services.sites.all()).map((s) => [s.id, s.name]));
    const unitById = new Map(units.map((u) => [u.id, u]));
    const teamName = new Map(teams.map((t) => [t.id, t.name]));
    const unitLabel = (uid: number) => {
      const u = unitById.get(uid);
      return u ? `${u.name} (${teamName.get(u.team_id) ?? ''})` : String(uid);
    };
    // in a scenario, baseline events show the scenario's changes, marked
    const eventOverrides = asOf.scenarioId ? await ctx.services.overrides.byEvent(asOf.scenarioId) : new Map();
    const shownEvents = events.filter((e) => scenarioOk(e.scenario_id)).sort((a, b) => a.date.localeCompare(b.date) || a.id - b.id);
    res.render('pages/sites/show', {
      title: site.name,
      asOf,
      scenarios,
      site,
      st,
      asrMinimum: minimumOfficeArea(st.needed),
      district: districts.find((d) => d.id === site.district_id)?.name ?? null,
      events: shownEvents,
      // the capacity event in force at the date: the details name it next to the capacity (one current capacity)
      capacityEvent: capacityEventAt(shownEvents, eventOverrides, asOf.date),
      moves: moves.filter((m) => scenarioOk(m.scenario_id)),
      siteNames,
      unitLabel,
      places,
      audit,
      warnings: state.warnings.filter((w) => w.site_id === id),
      chart,
      unitsById: unitById,
      projects,
      leases,
      stack,
      floors,
      canEditFloors: ctx.services.floors.mayEdit(req.user, id),
      eventOverrides,
    });
  });
}

/** The last capacity event on or before `date` (a scenario's change of a baseline event applied, a cancelled one left out). */
function capacityEventAt(events: readonly SiteEvent[], overrides: Map<number, { changes: Record<string, unknown> | null }>, date: string): SiteEvent | null {
  let found: SiteEvent | null = null;
  for (const base of events) {
    const o = base.scenario_id === null ? overrides.get(base.id) : undefined;
    const ch = (o?.changes ?? {}) as Record<string, unknown>;
    if (ch.cancelled) continue;
    const e = { ...base, ...ch } as SiteEvent;
    if (e.kind === 'capacity' && e.capacity !== null && e.date <= date && (!found || e.date >= found.date)) found = e;
  }
  return found;
}
