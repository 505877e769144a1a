import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { unauthorized } from '../../errors.js';
import { CsvImporter, exportCsv, template } from '../../services/csv.js';
import { checkScenario } from './planning.js';
import { isoDate, optionalId, parse } from '../validate.js';

const sepQuery = z.object({ sep: z.enum([';', ',']).default(';'), date: isoDate.optional(), scenario_id: optionalId });

export function csvRoutes(ctx: AppContext): Router {
  const r = Router();
  const importer = new CsvImporter(ctx);
  const send = (res: import('express').Response, name: string, body: string) => {
    res.type('text/csv; charset=utf-8').attachment(name).send(body);
  };

  r.get('/export/:kind.csv', async (req, res) => {
    const { kind } = parse(z.object({ kind: z.enum(['sites', 'moves', 'state']) }), req.params);
    const q = parse(sepQuery, req.query);
    const scenarioId = await checkScenario(ctx, q.scenario_id);
    send(res, `${kind}${kind === 'state' ? `-${q.date ?? ctx.today()}` : ''}.csv`, await exportCsv(ctx, kind, q.sep, { date: q.date, scenarioId }));
  });

  r.get('/import/:kind/template.csv', (req, res) => {
    const { kind } = parse(z.object({ kind: z.enum(['sites', 'moves']) }), req.params);
    send(res, `${kind}-vorlage.csv`, template(kind, parse(sepQuery, req.query).sep));
  });

  r.post('/import/:kind', async (req, res) => {
    if (!req.user) throw unauthorized();
    const { kind } = parse(z.object({ kind: z.enum(['sites', 'moves']) }), req.params);
    const { dry_run } = parse(z.object({ dry_run: z.enum(['0', '1', 'true', 'false']).optional() }), req.query);
    const result = await importer.run(req.user, kind, req.body, dry_run === '1' || dry_run === 'true');
    res.status(result.dry_run ? 200 : 201).json(result);
  });
  return r;
}
