import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { langOf } from '../../i18n/index.js';
import { warningsLimitQuery } from '../../services/warnings.js';
import { MOVE_STATUSES } from '../../planning/types.js';
import { isoDate, optionalId, parse } from '../validate.js';
import { writePieces } from '../pieces.js';
import { doc, PERIOD_TOO_LONG_TEXT } from '../../openapi/doc.js';
import * as R from '../../openapi/responses.js';

export const stateQuery = z.object({ date: isoDate.optional(), scenario_id: optionalId });
const stateLimitQuery = stateQuery.extend({ warnings_limit: warningsLimitQuery });
const timelineQuery = z.object({
  from: isoDate.optional(),
  to: isoDate.optional(),
  step: z.enum(['month', 'quarter']).default('month'),
  scenario_id: optionalId,
});
const icsQuery = z.object({ scenario_id: optionalId, from: isoDate.optional() });
const movesGeoQuery = z.object({
  from: isoDate.optional(),
  to: isoDate.optional(),
  scenario_id: optionalId,
  status: z.enum(MOVE_STATUSES as [string, ...string[]]).optional(),
  as_of: isoDate.optional(),
});

/** /api/state, /api/timeline and the GeoJSON endpoints. */
export function planningRoutes(ctx: AppContext): Router {
  const r = Router();
  stateAndTimelineRoutes(r, ctx);
  geojsonRoutes(r, ctx);
  return r;
}

/** /api/state, /api/timeline and the calendar feed. */
function stateAndTimelineRoutes(r: Router, ctx: AppContext): void {
  const { planning, scenarios } = ctx.services;

  r.get(
    '/state',
    doc({
      tag: 'planning',
      summary: 'The plan on a date: sites, teams, districts and warnings (at most warnings_limit of them, most severe first)',
      query: stateLimitQuery,
      response: { schema: R.PlanState },
      errors: [404],
    }),
    async (req, res) => {
      const q = parse(stateLimitQuery, req.query);
      const scenarioId = await scenarios.selection(q.scenario_id);
      res
        .set('Content-Type', 'application/json; charset=utf-8')
        .send(await planning.stateJson(q.date ?? ctx.today(), scenarioId, langOf(req), q.warnings_limit));
    },
  );

  r.get(
    '/timeline',
    doc({
      tag: 'planning',
      summary: 'Capacity, headcount and workplaces needed per site and district over a period (at most ANALYSIS_MAX_CELLS steps × sites)',
      query: timelineQuery,
      response: { schema: R.Timeline },
      errors: [404, 422, 503],
      errorText: { 422: PERIOD_TOO_LONG_TEXT },
    }),
    async (req, res) => {
      const q = parse(timelineQuery, req.query);
      const scenarioId = await scenarios.selection(q.scenario_id);
      const chunks = await ctx.heavy.timelineJson(req.user, { from: q.from, to: q.to, step: q.step, scenarioId });
      res.type('application/json; charset=utf-8');
      await writePieces(res, chunks);
    },
  );

  r.get(
    '/moves.ics',
    doc({
      tag: 'planning',
      summary: 'The moves as a calendar feed (from 90 days ago unless `from`)',
      auth: 'token',
      query: icsQuery,
      response: { schema: R.Calendar, type: 'text/calendar' },
      errors: [404],
    }),
    async (req, res) => {
      const q = parse(icsQuery, req.query);
      const scenarioId = await scenarios.selection(q.scenario_id);
      res
        .type('text/calendar; charset=utf-8')
        .send(await planning.movesFeed({ scenarioId, from: q.from, host: req.hostname || 'standortplanung', lang: langOf(req) }));
    },
  );
}

const sitesGeojsonQuery = stateQuery.extend({ candidates: z.enum(['0', '1', 'true', 'false']).optional() });

/** Districts, sites and moves as GeoJSON. */
function geojsonRoutes(r: Router, ctx: AppContext): void {
  const { planning, scenarios, organisation } = ctx.services;

  r.get(
    '/districts.geojson',
    doc({
      tag: 'planning',
      summary: 'District boundaries as GeoJSON',
      response: { schema: R.FeatureCollection, type: 'application/geo+json' },
    }),
    async (_req, res) => {
      res.type('application/geo+json').json(await organisation.districtsGeojson());
    },
  );

  r.get(
    '/sites.geojson',
    doc({
      tag: 'planning',
      summary:
        'Sites with their state on a date as GeoJSON points (buildings on offer only with candidates=1, each with offer: the places it offers and from when); at a site with floors, unit_floors says by unit id on which floors its people sit',
      query: sitesGeojsonQuery,
      response: { schema: R.FeatureCollection, type: 'application/geo+json' },
      errors: [404],
    }),
    async (req, res) => {
      const q = parse(sitesGeojsonQuery, req.query);
      const scenarioId = await scenarios.selection(q.scenario_id);
      const withCandidates = q.candidates === '1' || q.candidates === 'true';
      res
        .set('Content-Type', 'application/geo+json; charset=utf-8')
        .send(await planning.sitesGeojson(q.date ?? ctx.today(), scenarioId, langOf(req), withCandidates));
    },
  );

  r.get(
    '/moves.geojson',
    doc({
      tag: 'planning',
      summary: 'Moves as GeoJSON lines from site to site',
      query: movesGeoQuery,
      response: { schema: R.FeatureCollection, type: 'application/geo+json' },
      errors: [404],
    }),
    async (req, res) => {
      const q = parse(movesGeoQuery, req.query);
      const scenarioId = await scenarios.selection(q.scenario_id);
      res
        .type('application/geo+json')
        .json(await planning.movesGeojson({ from: q.from, to: q.to, status: q.status, scenarioId, asOf: q.as_of ?? ctx.today() }));
    },
  );
}
