import { storedAreaGeometry } from '../../geo/index.js';
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { notFound, validation } from '../../errors.js';
import { statusAsOf } from '../../planning/status.js';
import { limitWarnings, warningsLimitQuery } from '../../services/warnings.js';
import { stepDates } from '../../planning/dates.js';
import { MOVE_STATUSES } from '../../planning/types.js';
import { presentSite } from '../../services/presenters.js';
import { langOf, withMessages } from '../../i18n/index.js';
import { movesIcs } from '../../services/ics.js';
import { addDays } from '../../planning/dates.js';
import { isoDate, optionalId, parse } from '../validate.js';
import { doc } from '../../openapi/doc.js';
import * as R from '../../openapi/responses.js';
import { must } from '../../invariant.js';

export const stateQuery = z.object({ date: isoDate.optional(), scenario_id: optionalId });
const stateLimitQuery = stateQuery.extend({ warnings_limit: warningsLimitQuery });
const timelineQuery = z.object({
  from: isoDate.optional(), to: isoDate.optional(), step: z.enum(['month', 'quarter']).default('month'), scenario_id: optionalId,
});
const icsQuery = z.object({ scenario_id: optionalId, from: isoDate.optional() });
const movesGeoQuery = z.object({
  from: isoDate.optional(), to: isoDate.optional(), scenario_id: optionalId,
  status: z.enum(MOVE_STATUSES as [string, ...string[]]).optional(), as_of: isoDate.optional(),
});

export async function checkScenario(ctx: AppContext, scenarioId: number | undefined): Promise<number | null> {
  if (scenarioId === undefined) return null;
  if (!(await ctx.repos.scenarios.get(scenarioId))) throw notFound('scenario');
  return scenarioId;
}

/** The period a plan covers: first move to last (and today), for sliders and timelines. */
export async function planPeriod(ctx: AppContext): Promise<{ from: string; to: string }> {
  const plan = await ctx.planning.plan();
  const today = ctx.today();
  let from = today;
  let to = today;
  for (const m of plan.data.moves) {
    if (m.status === 'cancelled') continue;
    if (m.date < from) from = m.date;
    if (m.date > to) to = m.date;
    if (m.until && m.until > to) to = m.until;
  }
  for (const e of plan.data.events) {
    if ((e.end_date ?? e.date) > to) to = e.end_date ?? e.date;
  }
  return { from, to };
}

/** /api/state, /api/timeline and the GeoJSON endpoints. */
export function planningRoutes(ctx: AppContext): Router {
  const r = Router();

  r.get('/state', doc({
    tag: 'planning', summary: 'The plan on a date: sites, teams, districts and warnings (at most warnings_limit of them, most severe first)',
    query: stateLimitQuery, response: { schema: R.PlanState }, errors: [404],
  }), async (req, res) => {
    const q = parse(stateLimitQuery, req.query);
    const scenarioId = await checkScenario(ctx, q.scenario_id);
    const date = q.date ?? ctx.today();
    const lang = langOf(req);
    res.set('Content-Type', 'application/json; charset=utf-8')
      .send(await ctx.planning.json(`state|${date}|${scenarioId}|${q.warnings_limit}|${lang}`, (plan) => {
        const state = limitWarnings(plan.state(date, scenarioId), q.warnings_limit);
        return { ...state, warnings: withMessages(lang, state.warnings) };
      }));
  });

  r.get('/timeline', doc({
    tag: 'planning', summary: 'Capacity, headcount and workplaces needed per site and district over a period (at most 1200 steps)',
    query: timelineQuery, response: { schema: R.Timeline }, errors: [404],
  }), async (req, res) => {
    const q = parse(timelineQuery, req.query);
    const scenarioId = await checkScenario(ctx, q.scenario_id);
    const period = await planPeriod(ctx);
    const from = q.from ?? period.from;
    const to = q.to ?? period.to;
    if (from > to) throw validation({ to: 'must not be before from' });
    const dates = stepDates(from, to, q.step, 1201);
    if (dates.length > 1200) throw validation({ to: 'at most 1200 steps; choose a shorter period or step=quarter' });
    const plan = await ctx.planning.plan();
    res.json({ from, to, step: q.step, scenario_id: scenarioId, ...plan.timeline(dates, scenarioId) });
  });

  r.get('/moves.ics', doc({
    tag: 'planning', summary: 'The moves as a calendar feed (from 90 days ago unless `from`)', auth: 'token',
    query: icsQuery, response: { schema: R.Calendar, type: 'text/calendar' }, errors: [404],
  }), async (req, res) => {
    const q = parse(icsQuery, req.query);
    const scenarioId = await checkScenario(ctx, q.scenario_id);
    const plan = await ctx.planning.plan();
    const from = q.from ?? addDays(ctx.today(), -90);
    const moves = plan.shownMoves(scenarioId).filter((m) => (m.until ?? m.date) >= from);
    const units = new Map(plan.data.units.map((u) => [u.id, u.name]));
    const sites = new Map(plan.data.sites.map((s) => [s.id, s.name]));
    res.type('text/calendar; charset=utf-8').send(movesIcs(moves, {
      unit: (id) => units.get(id) ?? String(id),
      site: (id) => (id === null ? '–' : sites.get(id) ?? String(id)),
    }, req.hostname || 'standortplanung', new Date(), langOf(req)));
  });

  r.get('/districts.geojson', doc({
    tag: 'planning', summary: 'District boundaries as GeoJSON', response: { schema: R.FeatureCollection, type: 'application/geo+json' },
  }), async (_req, res) => {
    const districts = await ctx.repos.districts.list();
    res.type('application/geo+json').json({
      type: 'FeatureCollection',
      // a boundary that cannot be read is left out: one bad record never blanks the map
      features: districts.map((d) => ({ d, geometry: storedAreaGeometry(d.geometry) })).flatMap(({ d, geometry }) => (geometry ? [{
        type: 'Feature', id: d.id, geometry, properties: { id: d.id, name: d.name },
      }] : [])),
    });
  });

  const sitesGeojsonQuery = stateQuery.extend({ candidates: z.enum(['0', '1', 'true', 'false']).optional() });
  r.get('/sites.geojson', doc({
    tag: 'planning', summary: 'Sites with their state on a date as GeoJSON points (buildings on offer only with candidates=1)', query: sitesGeojsonQuery,
    response: { schema: R.FeatureCollection, type: 'application/geo+json' }, errors: [404],
  }), async (req, res) => {
    const q = parse(sitesGeojsonQuery, req.query);
    const withCandidates = q.candidates === '1' || q.candidates === 'true';
    const scenarioId = await checkScenario(ctx, q.scenario_id);
    const date = q.date ?? ctx.today();
    const lang = langOf(req);
    const sites = await ctx.planning.memo('sites', () => ctx.repos.sites.list());
    res.set('Content-Type', 'application/geo+json; charset=utf-8').send(await ctx.planning.json(`sites.geojson|${date}|${scenarioId}|${withCandidates}|${lang}`, (plan) => {
      const byId = new Map(sites.map((s) => [s.id, s]));
      const state = plan.state(date, scenarioId);
      const warningsBySite = new Map<number, Set<string>>();
      for (const w of state.warnings) {
        if (w.site_id === undefined) continue;
        let set = warningsBySite.get(w.site_id);
        if (!set) { set = new Set(); warningsBySite.set(w.site_id, set); }
        set.add(w.code);
      }
      return {
        type: 'FeatureCollection',
        date, scenario_id: scenarioId,
        // buildings on offer only when asked for (or when the scenario moves people into them)
        features: state.sites.filter((st) => st.status !== 'candidate' || withCandidates || st.available).map((st) => {
          // accessibility as of the date: site events may change the facts
          const s = presentSite({ ...must(byId.get(st.id), 'byId.get(st.id)'), ...plan.factsAt(st.id, date, scenarioId) }, lang);
          return {
            type: 'Feature', id: st.id,
            geometry: { type: 'Point', coordinates: [s.lon, s.lat] },
            properties: {
              ...st, address: s.address, position_precision: s.position_precision,
              accessibility_rating: s.accessibility_rating, accessibility_reasons: s.accessibility_reasons,
              accessibility_reason_codes: s.accessibility_reason_codes.map((r) => ({ code: r.code, params: r.params })),
              step_free: st.step_free, assessment: s.assessment, assessment_source: s.assessment_source, warnings: [...(warningsBySite.get(st.id) ?? [])],
            },
          };
        }),
      };
    }));
  });

  r.get('/moves.geojson', doc({
    tag: 'planning', summary: 'Moves as GeoJSON lines from site to site', query: movesGeoQuery,
    response: { schema: R.FeatureCollection, type: 'application/geo+json' }, errors: [404],
  }), async (req, res) => {
    const q = parse(movesGeoQuery, req.query);
    const scenarioId = await checkScenario(ctx, q.scenario_id);
    const asOf = q.as_of ?? ctx.today();
    const plan = await ctx.planning.plan();
    const sites = new Map(plan.data.sites.map((s) => [s.id, s]));
    const units = new Map(plan.data.units.map((u) => [u.id, u]));
    const teams = new Map(plan.data.teams.map((t) => [t.id, t]));
    const moves = plan.shownMoves(scenarioId).filter((m) => {
      if (q.status && m.status !== q.status) return false;
      if (q.from && (m.until ?? m.date) < q.from) return false;
      if (q.to && m.date > q.to) return false;
      return true;
    });
    res.type('application/geo+json').json({
      type: 'FeatureCollection',
      features: moves.map((m) => {
        const from = m.from_site_id !== null ? must(sites.get(m.from_site_id), 'sites.get(m.from_site_id)') : null;
        const to = m.to_site_id !== null ? must(sites.get(m.to_site_id), 'sites.get(m.to_site_id)') : null;
        const unit = units.get(m.unit_id);
        const end = must(from ?? to, 'a site of the move');
        const geometry = from && to
          ? { type: 'LineString', coordinates: [[from.lon, from.lat], [to.lon, to.lat]] }
          : { type: 'Point', coordinates: [end.lon, end.lat] };
        return {
          type: 'Feature', id: m.id, geometry,
          properties: {
            id: m.id, kind: from && to ? 'move' : from ? 'departure' : 'arrival',
            unit_id: m.unit_id, unit: unit?.name ?? null, team_id: unit?.team_id ?? null, team: unit ? teams.get(unit.team_id)?.name ?? null : null,
            from_site_id: m.from_site_id, from_site: from?.name ?? null, to_site_id: m.to_site_id, to_site: to?.name ?? null,
            headcount: m.headcount, date: m.date, until: m.until, status: m.status, status_as_of: statusAsOf(m, asOf), scenario_id: m.scenario_id,
          },
        };
      }),
    });
  });

  return r;
}
