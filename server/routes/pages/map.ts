import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { dictionary } from '../../i18n/index.js';
import { optionalId, parse } from '../validate.js';
import { readAsOf } from './as-of.js';

const CLIENT_KEYS = /^(map\.|site\.|status\.|a11y\.|warning\.|severity\.|move\.|team\.|filter\.|precision\.|common\.|reason\.|ack\.|gaps\.)/;

export function mapPages(ctx: AppContext): Router {
  const r = Router();
  r.get('/', async (req, res) => {
    const asOf = await readAsOf(ctx, req);
    const f = parse(
      z
        .object({
          district_id: optionalId.or(z.literal('').transform(() => undefined)),
          team_id: optionalId.or(z.literal('').transform(() => undefined)),
          a11y: z.enum(['full', 'partial', 'none', 'unknown', '']).optional(),
          warnings: z
            .string()
            .regex(/^[A-Z_]{1,40}$/)
            .optional()
            .or(z.literal('').transform(() => undefined))
            .catch(undefined),
          candidates: z.enum(['1', '0', '']).optional().catch(undefined),
        })
        .passthrough(),
      req.query,
    );
    const [scenarios, districts, teams, period] = await Promise.all([
      ctx.services.scenarios.list(),
      ctx.services.organisation.districts(),
      ctx.services.organisation.teams(),
      ctx.services.planning.period(),
    ]);
    const lang = res.locals.lang as 'de' | 'en';
    const dict = Object.fromEntries(Object.entries(dictionary(lang)).filter(([k]) => CLIENT_KEYS.test(k)));
    const config = {
      date: asOf.date,
      scenario_id: asOf.scenarioId,
      district_id: f.district_id ?? null,
      team_id: f.team_id ?? null,
      a11y: f.a11y || null,
      warning_code: f.warnings ?? null,
      candidates: f.candidates === '1',
      today: ctx.today(),
      period: { from: period.from, to: period.to },
      // no site at all (a new database): the map says how to start instead of "nothing matches"
      empty: period.empty,
      lang,
      tileUrl: ctx.config.tileUrl,
      tileAttribution: ctx.config.tileAttribution,
      districts: districts.map((d) => ({ id: d.id, name: d.name })),
      teams: teams.map((t) => ({ id: t.id, name: t.name })),
      scenarios: scenarios.map((s) => ({ id: s.id, name: s.name })),
      dict,
    };
    res.render('pages/map', { title: res.locals.t('map.title'), config, asOf, scenarios, districts, teams, filters: f });
  });
  return r;
}
