/**
 * One site's page (/sites/:id), shown by its route and again by a form posted from it (a refused
 * move between floors comes back on it, as typed).
 */
import type { Request, Response } from 'express';
import type { AppContext } from '../../context.js';
import type { SiteEvent } from '../../repositories/index.js';
import { minimumOfficeArea } from '../../services/presenters.js';
import { pageBasics } from './as-of.js';
import type { FailedForm } from './forms.js';
import { must } from '../../invariant.js';

/**
 * One site's page. After a refused move between floors (posted from the stack plan), with that form
 * as typed and each message next to its field; `query` holds the date and scenario the page showed.
 */
export async function renderSite(
  ctx: AppContext,
  req: Request,
  res: Response,
  id: number,
  floorMove?: { failed: FailedForm & { status: number }; query: Record<string, unknown> },
): Promise<void> {
  const { asOf, scenarios, state } = await pageBasics(ctx, req, floorMove?.query);
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
  res.status(floorMove?.failed.status ?? 200).render('pages/sites/show', {
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
    floorMoveFailed: floorMove?.failed ?? null,
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
