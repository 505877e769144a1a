import { z } from 'zod';
import { Router } from 'express';
import type { AppContext } from '../../context.js';
import { idParams, isoDate, optionalId, parse } from '../validate.js';
import { createDoc, deleteDoc, deleteVersion, me, updateDoc } from '../crud.js';
import { doc } from '../../openapi/doc.js';
import * as R from '../../openapi/responses.js';
import * as S from '../../schemas.js';

const costsQuery = z.object({ date: isoDate.optional(), scenario_id: optionalId });
const periodQuery = z.object({ from: isoDate.optional(), to: isoDate.optional() });
const periodCsvQuery = periodQuery.extend({ sep: z.enum([';', ',']).default(';') });

/** Leases (GET|POST /api/sites/:id/leases, PATCH|DELETE /api/leases/:id) and costs (/api/costs, /api/scenarios/:id/costs). */
export function costRoutes(ctx: AppContext): Router {
  const r = Router();
  leaseRoutes(r, ctx);
  costFigureRoutes(r, ctx);
  return r;
}

/** A site's leases: read by everyone with access, written by planners and admins. */
function leaseRoutes(r: Router, ctx: AppContext): void {
  const { leases } = ctx.services;
  r.get(
    '/sites/:id/leases',
    doc({ tag: 'costs', summary: "A site's leases, earliest first", params: idParams, response: { schema: z.array(R.Lease) }, errors: [404] }),
    async (req, res) => {
      res.json(await leases.forSite(parse(idParams, req.params).id));
    },
  );
  r.post(
    '/sites/:id/leases',
    createDoc('costs', 'lease of the site (not overlapping its others: else 422 LEASE_OVERLAP)', S.LeaseCreate, R.Lease, idParams),
    async (req, res) => {
      res.status(201).json(await leases.create(me(req), parse(idParams, req.params).id, req.body));
    },
  );
  r.get('/leases/:id', doc({ tag: 'costs', summary: 'One lease', params: idParams, response: { schema: R.Lease }, errors: [404] }), async (req, res) => {
    res.json(await leases.get(parse(idParams, req.params).id));
  });
  r.patch('/leases/:id', updateDoc('costs', 'lease (not overlapping the site’s others: else 422 LEASE_OVERLAP)', S.LeasePatch, R.Lease), async (req, res) => {
    res.json(await leases.update(me(req), parse(idParams, req.params).id, req.body));
  });
  r.delete('/leases/:id', deleteDoc('costs', 'lease'), async (req, res) => {
    await leases.remove(me(req), parse(idParams, req.params).id, deleteVersion(req));
    res.status(204).end();
  });
}

/** The cost figures: at a date, and a scenario's against the baseline over a period (JSON and CSV). */
function costFigureRoutes(r: Router, ctx: AppContext): void {
  const { costs, scenarios, planning } = ctx.services;
  r.get(
    '/costs',
    doc({
      tag: 'costs',
      summary:
        'Annual costs per site at a date: (rent + service charges) × 12 of the lease in force, per workplace and per person; the total counts each site once',
      query: costsQuery,
      response: { schema: R.CostsAt },
      errors: [404],
    }),
    async (req, res) => {
      const q = parse(costsQuery, req.query);
      const scenarioId = await scenarios.selection(q.scenario_id);
      res.set('Content-Type', 'application/json; charset=utf-8').send(await costs.atJson(q.date ?? ctx.today(), scenarioId));
    },
  );
  r.get(
    '/scenarios/:id/costs',
    doc({
      tag: 'costs',
      summary:
        "A scenario's costs over a period against the baseline: running costs pro rata by days, one-off move costs (MOVE_COST_PER_PERSON_EUR per person moved between two sites, or the move's cost_eur), difference = scenario − baseline, by site",
      params: idParams,
      query: periodQuery,
      response: { schema: R.CostComparison },
      errors: [400, 404, 422, 503],
    }),
    async (req, res) => {
      const id = parse(idParams, req.params).id;
      const q = parse(periodQuery, req.query);
      await scenarios.selection(id);
      const period = q.from && q.to ? { from: q.from, to: q.to } : await planning.scenarioPeriod(id);
      // a period analysis: in the pool of heavy work, within the work budget (503 BUSY, 422 PERIOD_TOO_LONG)
      res.json(await ctx.heavy.compareCosts(req.user, id, q.from ?? period.from, q.to ?? period.to));
    },
  );
  r.get(
    '/scenarios/:id/costs.csv',
    doc({
      tag: 'costs',
      summary:
        "The scenario's cost comparison over a period as CSV for German Excel (UTF-8 with BOM, ; and decimal comma; sep=, for plain CSV): a row per site, baseline and scenario running and move costs and the difference, then the totals in a row without a site",
      params: idParams,
      query: periodCsvQuery,
      response: { schema: R.Csv, type: 'text/csv' },
      errors: [400, 404, 422, 503],
    }),
    async (req, res) => {
      const id = parse(idParams, req.params).id;
      const q = parse(periodCsvQuery, req.query);
      await scenarios.selection(id);
      const period = q.from && q.to ? { from: q.from, to: q.to } : await planning.scenarioPeriod(id);
      const { name, body } = ctx.services.csv.costComparison(await ctx.heavy.compareCosts(req.user, id, q.from ?? period.from, q.to ?? period.to), q.sep);
      res.type('text/csv; charset=utf-8').attachment(name).send(body);
    },
  );
}
