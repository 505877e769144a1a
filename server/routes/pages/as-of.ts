import type { Request } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { AppError } from '../../errors.js';
import { isoDate, optionalId, parse } from '../validate.js';

/** The as-of date and scenario every page shows; both travel in the URL. */
export interface AsOf {
  date: string;
  scenarioId: number | null;
  /** query string carrying date and scenario, for links between pages */
  qs: string;
}

/** The as-of selection of the request's query (or of `query`: a form that carries what its page showed). */
export async function readAsOf(ctx: AppContext, req: Request, query: unknown = req.query): Promise<AsOf> {
  const q = parse(
    z
      .object({ date: isoDate.optional().or(z.literal('').transform(() => undefined)), scenario_id: optionalId.or(z.literal('').transform(() => undefined)) })
      .passthrough(),
    query,
  );
  const scenarioId = await ctx.services.scenarios.selection(q.scenario_id);
  const date = q.date ?? ctx.today();
  const params = new URLSearchParams({ date });
  if (scenarioId !== null) params.set('scenario_id', String(scenarioId));
  return { date, scenarioId, qs: `?${params.toString()}` };
}

/** The as-of selection, the scenarios to choose from and the state at that date. */
export async function pageBasics(ctx: AppContext, req: Request, query?: unknown) {
  const asOf = await readAsOf(ctx, req, query);
  const [scenarios, state] = await Promise.all([ctx.services.scenarios.list(), ctx.services.planning.state(asOf.date, asOf.scenarioId)]);
  return { asOf, scenarios, state };
}

/**
 * A period analysis for a page: its answer, or — when its period is too long for the work budget
 * (422 PERIOD_TOO_LONG) or ends before it starts — the status and the message key (with what would
 * fit) that the page shows beside its period form instead of failing whole.
 */
export async function periodAnalysis<T extends object>(work: Promise<T>): Promise<T | { refused: { status: number; message: string } }> {
  try {
    return await work;
  } catch (err) {
    const to = err instanceof AppError ? err.fields?.to : undefined;
    if (err instanceof AppError && to && (err.code === 'PERIOD_TOO_LONG' || err.code === 'VALIDATION_FAILED'))
      return { refused: { status: err.status, message: to } };
    throw err;
  }
}
