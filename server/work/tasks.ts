/**
 * The heavy work a request hands to the worker pool (SPEC section 13): period analyses, the council
 * report and placement solves. A task is plain data (it crosses to a worker thread) and so is its
 * answer; runTask() does it on the services it is given — a worker's own, on its own database
 * connection, or the request thread's when the pool is turned off (WORKERS=0).
 */
import type { SessionUser } from '../auth/guards.js';
import { AppError } from '../errors.js';
import type { Scenario } from '../repositories/index.js';
import type { Services } from '../services/index.js';
import type { PlacementRequest } from '../services/placement-service.js';
import type { TimelinePageQuery, TimelineQuery } from '../services/planning-reads.js';

export type HeavyTask =
  | { kind: 'timeline'; query: TimelineQuery }
  | { kind: 'timeline-page'; query: TimelinePageQuery }
  | { kind: 'compare-period'; scenarioId: number; from: string; to: string; step: 'month' | 'quarter' }
  | { kind: 'scenario-differences'; scenarioId: number }
  | { kind: 'cost-comparison'; scenarioId: number; from: string; to: string }
  | { kind: 'council-report'; date: string; scenario: Scenario | null; scenarios: Scenario[] }
  | { kind: 'placement'; user: SessionUser; request: PlacementRequest; arrivedAt: number }
  /** builds the worker's plan ahead of the first question (at start-up) */
  | { kind: 'warm' };

/** A task with the day the request runs on (the worker has no clock of the request's). */
export interface TaskMessage {
  today: string;
  task: HeavyTask;
}

/** What a worker sends back: the answer, or the typed error (a thrown AppError loses its fields on the way). */
export type TaskOutcome =
  { ok: unknown } | { error: { status: number; code: string; message: string; fields?: Record<string, string>; extra?: Record<string, unknown> } };

/** A placement answer must arrive within time_limit_s + 5 s of the request: the solve gets what is left of that, less this for the rest. */
export const PLACEMENT_SLACK_S = 3;

export async function runTask(services: Services, task: HeavyTask): Promise<unknown> {
  switch (task.kind) {
    case 'timeline':
      return services.planning.timelineColumns(task.query);
    case 'timeline-page':
      return services.planning.timelinePageColumns(task.query);
    case 'compare-period':
      return services.scenarios.comparePeriod(task.scenarioId, task.from, task.to, task.step);
    case 'scenario-differences':
      return services.planning.scenarioDifferences(task.scenarioId);
    case 'cost-comparison':
      return services.costs.compare(task.scenarioId, task.from, task.to);
    case 'council-report':
      return services.planning.councilReport(task.date, task.scenario, task.scenarios);
    case 'warm':
      await services.plans.plan();
      return null;
    case 'placement': {
      // the time the request has waited so far is taken from the solver's limit (never from the promise)
      const limit = task.request.time_limit_s ?? 5;
      const left = limit + PLACEMENT_SLACK_S - (Date.now() - task.arrivedAt) / 1000;
      if (left < 0.5) throw busy('the placement could not start in time; try again shortly');
      return services.placement.propose(task.user, { ...task.request, time_limit_s: Math.min(limit, left) });
    }
  }
}

/** 503 BUSY (the error handler adds Retry-After). */
export const busy = (message = 'the server is busy with other analyses; try again shortly') => new AppError(503, 'BUSY', message);

/** runTask() with its error as data, for the way back from a worker thread. */
export async function outcomeOf(services: Services, task: HeavyTask): Promise<TaskOutcome> {
  try {
    return { ok: await runTask(services, task) };
  } catch (err) {
    if (err instanceof AppError) return { error: { status: err.status, code: err.code, message: err.message, fields: err.fields, extra: err.extra } };
    throw err;
  }
}

/** The answer of an outcome, or its error thrown again as the AppError it was. */
export function unwrap<T>(outcome: TaskOutcome): T {
  if ('ok' in outcome) return outcome.ok as T;
  const e = outcome.error;
  throw new AppError(e.status, e.code, e.message, e.fields, e.extra);
}
