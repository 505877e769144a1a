import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { langOf, type Lang } from '../../i18n/index.js';
import { ACCESSIBILITY_CSV_COLUMNS, accessibilityCsvRows } from '../../services/accessibility-report.js';
import { toCsv } from '../../services/csv.js';
import { isoDate, optionalId, parse } from '../validate.js';
import { doc } from '../../openapi/doc.js';
import * as R from '../../openapi/responses.js';

const query = z.object({ date: isoDate.optional(), scenario_id: optionalId, sep: z.enum([';', ',']).default(';') });

/** GET /api/accessibility and its CSV export (SPEC section 9); reasons in the session's language. */
export function accessibilityRoutes(ctx: AppContext): Router {
  const r = Router();
  const { planning, scenarios } = ctx.services;
  const report = async (q: z.infer<typeof query>, lang: Lang) => planning.accessibility(q.date ?? ctx.today(), await scenarios.selection(q.scenario_id), lang);

  r.get(
    '/accessibility',
    doc({
      tag: 'planning',
      summary:
        "Every public-facing service with its site's accessibility rating, reasons (in the session's language) and nearest accessible stop; sites with missing facts",
      query: query.omit({ sep: true }),
      response: { schema: R.AccessibilityReport },
      errors: [404],
    }),
    async (req, res) => {
      res.json(await report(parse(query, req.query), langOf(req)));
    },
  );

  r.get(
    '/export/accessibility.csv',
    doc({
      tag: 'csv',
      summary: 'The accessibility list as CSV',
      query,
      response: { schema: R.Csv, type: 'text/csv' },
      errors: [404],
    }),
    async (req, res) => {
      const q = parse(query, req.query);
      const rep = await report(q, langOf(req));
      res
        .type('text/csv; charset=utf-8')
        .attachment(`barrierefreiheit-${rep.date}.csv`)
        .send(toCsv(ACCESSIBILITY_CSV_COLUMNS, accessibilityCsvRows(rep), q.sep));
    },
  );
  return r;
}
