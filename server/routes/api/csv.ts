import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { AppError, unauthorized } from '../../errors.js';
import { PassThrough } from 'node:stream';
import { bodyTooLarge } from '../../services/csv.js';
import { isoDate, optionalId, parse } from '../validate.js';
import { doc } from '../../openapi/doc.js';
import * as R from '../../openapi/responses.js';
import { writePieces } from '../streaming.js';

const sepQuery = z.object({ sep: z.enum([';', ',']).default(';'), date: isoDate.optional(), scenario_id: optionalId });
const exportParams = z.object({ kind: z.enum(['sites', 'moves', 'state', 'costs']) });
const importParams = z.object({ kind: z.enum(['sites', 'moves']) });
const importQuery = z.object({
  dry_run: z.enum(['0', '1', 'true', 'false']).optional(),
  lang: z.enum(['de', 'en']).optional().meta({ description: "the language of the rows' messages (the import page sends its own); English without it" }),
});

export function csvRoutes(ctx: AppContext): Router {
  const r = Router();
  const { csv, scenarios } = ctx.services;
  const send = (res: import('express').Response, { name, body }: { name: string; body: string }) => {
    res.type('text/csv; charset=utf-8').attachment(name).send(body);
  };

  r.get(
    '/export/:kind.csv',
    doc({
      tag: 'csv',
      summary: 'Sites, moves, the state on a date, or the costs on a date (per site, annual, per workplace and per person) as CSV',
      params: exportParams,
      query: sepQuery,
      response: { schema: R.Csv, type: 'text/csv' },
      errors: [404],
    }),
    async (req, res) => {
      const { kind } = parse(exportParams, req.params);
      const q = parse(sepQuery, req.query);
      const scenarioId = await scenarios.selection(q.scenario_id);
      const { name, pieces } = await csv.exportPieces(kind, q.sep, { date: q.date, scenarioId });
      await writePieces(res, pieces, { type: 'text/csv; charset=utf-8', attachment: name });
    },
  );

  r.get(
    '/import/:kind/template.csv',
    doc({
      tag: 'csv',
      summary: 'An empty import file with the right columns',
      params: importParams,
      query: sepQuery.pick({ sep: true }),
      response: { schema: R.Csv, type: 'text/csv' },
    }),
    (req, res) => {
      const { kind } = parse(importParams, req.params);
      send(res, csv.template(kind, parse(sepQuery, req.query).sep));
    },
  );

  r.post(
    '/import/:kind',
    doc({
      tag: 'csv',
      summary: 'Import sites or moves from CSV (all rows or none; rows with an id update, with their version)',
      params: importParams,
      query: importQuery,
      body: R.Csv,
      bodyType: 'text/csv',
      write: true,
      response: { status: 201, description: 'imported (200 for a dry run)', schema: R.ImportResult },
      errors: [403, 413, 415, 422],
    }),
    async (req, res) => {
      if (!req.user) throw unauthorized();
      const { kind } = parse(importParams, req.params);
      const { dry_run, lang } = parse(importQuery, req.query);
      const limits = { maxRows: ctx.config.importMaxRows, maxBytes: ctx.config.importMaxBytes };
      // the body is read as it arrives (no body parser for imports); what is left after an early
      // answer (too large, unreadable) is drained, so the client gets the answer, not a reset
      const pass = new PassThrough();
      try {
        if (Number(req.get('content-length') ?? 0) > limits.maxBytes) throw bodyTooLarge(limits.maxBytes);
        // the file is read as sent: a compressed body would be read as garbage
        const encoding = (req.get('content-encoding') ?? 'identity').trim().toLowerCase();
        if (encoding !== 'identity' && encoding !== '') throw new AppError(415, 'UNSUPPORTED_ENCODING', 'send the CSV uncompressed (no Content-Encoding)');
        req.pipe(pass);
        const result = await csv.import(
          req.user,
          kind,
          typeof req.body === 'string' ? req.body : pass,
          dry_run === '1' || dry_run === 'true',
          limits,
          lang ?? 'en',
        );
        res.status(result.dry_run ? 200 : 201).json(result);
      } finally {
        req.unpipe(pass);
        pass.destroy();
        req.resume();
      }
    },
  );
  return r;
}
