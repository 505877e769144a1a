/**
 * Heavy work off the request thread (SPEC section 13): period analyses, the council report and
 * placement solves run in a bounded pool of worker threads (piscina). At most WORKERS run at once,
 * at most QUEUE_MAX wait, each user has at most `perUser` running or waiting; beyond that 503 BUSY
 * (with Retry-After). A placement solve that cannot start at once is refused at once: its answer
 * is promised within time_limit_s + 5 s of the request, and waiting would break that promise.
 *
 * WORKERS=0 runs the same tasks in the request's thread under the same limits (the tests' default,
 * where a worker per test file would cost seconds).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { SessionUser } from '../auth/guards.js';
import type { Config } from '../config.js';
import type { Services } from '../services/index.js';
import { timelineOfColumns } from '../planning/engine.js';
import type { TimelineColumns } from '../planning/types.js';
import type { Scenario } from '../repositories/index.js';
import type { PlacementAnswer, PlacementRequest } from '../services/placement-service.js';
import type { TimelineHead, TimelinePageQuery, TimelineQuery } from '../services/planning-reads.js';
import { timelineJson } from '../services/timeline-json.js';
import { busy, outcomeOf, unwrap, type HeavyTask, type TaskMessage, type TaskOutcome } from './tasks.js';

const here = fileURLToPath(import.meta.url);
/** in the bundle (dist/server.mjs) the worker is dist/heavy-worker.mjs; from the sources (tsx, vitest) it is this folder's .ts, loaded with tsx */
const BUNDLED = here.endsWith('.mjs');
const WORKER_FILE = path.join(path.dirname(here), BUNDLED ? 'heavy-worker.mjs' : 'heavy-worker.ts');

/** What the pool is doing (for tests and the log). */
export interface WorkLoad {
  running: number;
  waiting: number;
}

export class HeavyWork {
  private pool: Piscina<TaskMessage, TaskOutcome> | null = null;
  /** tasks handed out and not yet answered (running or waiting) */
  private active = 0;
  private readonly byUser = new Map<string, number>();
  private closed = false;

  constructor(
    private readonly config: Config,
    private readonly services: Services,
    private readonly today: () => string,
  ) {}

  load(): WorkLoad {
    const slots = Math.max(1, this.config.work.workers);
    return { running: Math.min(this.active, slots), waiting: Math.max(0, this.active - slots) };
  }

  /**
   * Runs the task for the user (in a worker, or here when WORKERS=0); 503 BUSY when the queue is
   * full or the user has enough going on, or — with `startNow` — when no worker is free this moment.
   */
  async run<T>(user: SessionUser | undefined, task: HeavyTask, opts: { startNow?: boolean } = {}): Promise<T> {
    const who = user ? `user:${user.id}` : 'anonymous';
    const { workers, queueMax, perUser } = this.config.work;
    const slots = Math.max(1, workers);
    if (this.closed) throw busy('the server is shutting down');
    if ((this.byUser.get(who) ?? 0) >= perUser) throw busy(`at most ${perUser} heavy analyses per user at once; try again when one has answered`);
    if (this.active - slots >= queueMax) throw busy();
    if (opts.startNow && this.active >= slots) throw busy('no worker is free to start the placement now, so it could not answer in time; try again shortly');
    this.active++;
    this.byUser.set(who, (this.byUser.get(who) ?? 0) + 1);
    try {
      const message: TaskMessage = { today: this.today(), task };
      return unwrap<T>(workers === 0 ? structuredClone(await outcomeOf(this.services, task)) : await this.poolOnce().run(message));
    } finally {
      this.active--;
      const left = (this.byUser.get(who) ?? 1) - 1;
      if (left) this.byUser.set(who, left);
      else this.byUser.delete(who);
    }
  }

  // ---------- the heavy reads, as the routes ask for them ----------

  /** GET /api/timeline in pieces: the budget checked here, the columns made in a worker, the text written here piece by piece. */
  async timelineJson(user: SessionUser | undefined, q: TimelineQuery): Promise<Iterable<string>> {
    const period = await this.services.planning.periodOf(q);
    const { head, columns } = await this.run<{ head: TimelineHead; columns: TimelineColumns }>(user, { kind: 'timeline', query: { ...q, ...period } });
    return timelineJson(head, columns);
  }

  /** The timeline page's figures (see PlanningReads.timelinePage). */
  async timelinePage(user: SessionUser | undefined, q: TimelinePageQuery) {
    const period = await this.services.planning.chartPeriodOf(q);
    const c = await this.run<{ from: string; to: string; tl: TimelineColumns; base: TimelineColumns | null }>(user, {
      kind: 'timeline-page',
      query: { ...q, ...period },
    });
    return { from: c.from, to: c.to, tl: timelineOfColumns(c.tl), base: c.base && timelineOfColumns(c.base) };
  }

  /** A scenario against the baseline over a period (see ScenarioService.comparePeriod). */
  async comparePeriod(user: SessionUser | undefined, scenarioId: number, from: string, to: string, step: 'month' | 'quarter' = 'month') {
    await this.services.scenarios.get(scenarioId);
    await this.services.plans.periodDates(from, to, step);
    return this.run<Awaited<ReturnType<Services['scenarios']['comparePeriod']>>>(user, { kind: 'compare-period', scenarioId, from, to, step });
  }

  /** A scenario's costs against the baseline's over a period (see CostService.compare): budget checked here, figures made in a worker. */
  async compareCosts(user: SessionUser | undefined, scenarioId: number, from: string, to: string) {
    await this.services.scenarios.get(scenarioId);
    await this.services.plans.periodDates(from, to, 'month');
    return this.run<Awaited<ReturnType<Services['costs']['compare']>>>(user, { kind: 'cost-comparison', scenarioId, from, to });
  }

  /** The report's differences of a scenario over the plan's period. */
  async scenarioDifferences(user: SessionUser | undefined, scenarioId: number) {
    await this.services.planning.periodOf({ step: 'month' });
    return this.run<Awaited<ReturnType<Services['planning']['scenarioDifferences']>>>(user, { kind: 'scenario-differences', scenarioId });
  }

  /** The council report at a date (see PlanningReads.councilReport). */
  async councilReport(user: SessionUser | undefined, date: string, scenario: Scenario | null, scenarios: Scenario[]) {
    return this.run<Awaited<ReturnType<Services['planning']['councilReport']>>>(user, { kind: 'council-report', date, scenario, scenarios });
  }

  /** Placement proposals: started at once or refused at once (503 BUSY), see the class comment. */
  async propose(user: SessionUser, request: PlacementRequest, arrivedAt = Date.now()): Promise<PlacementAnswer> {
    return this.run<PlacementAnswer>(user, { kind: 'placement', user, request, arrivedAt }, { startNow: true });
  }

  /**
   * Starts the workers and has each build its plan, so that the first question does not wait for
   * that (a placement could otherwise miss its time); errors are the caller's to log.
   */
  async warm(): Promise<void> {
    if (this.config.work.workers === 0 || this.closed) return;
    const pool = this.poolOnce();
    await Promise.all(Array.from({ length: this.config.work.workers }, () => pool.run({ today: this.today(), task: { kind: 'warm' } })));
  }

  private poolOnce(): Piscina<TaskMessage, TaskOutcome> {
    this.pool ??= new Piscina<TaskMessage, TaskOutcome>({
      filename: WORKER_FILE,
      minThreads: this.config.work.workers,
      maxThreads: this.config.work.workers,
      // workers stay: each keeps its plan (per data revision) warm for the next task
      idleTimeout: Number.POSITIVE_INFINITY,
      // the admission above keeps the queue at QUEUE_MAX; this is a second fence
      maxQueue: this.config.work.queueMax + 1,
      workerData: { config: this.config },
      // a runaway analysis ends its worker (the task fails), never the process
      resourceLimits: { maxOldGenerationSizeMb: 256 },
      ...(BUNDLED ? {} : { execArgv: ['--import', 'tsx'] }),
    });
    return this.pool;
  }

  /** Ends the workers (at shutdown, and when a test closes its app). */
  async close(): Promise<void> {
    this.closed = true;
    const pool = this.pool;
    this.pool = null;
    if (pool) await pool.destroy();
  }
}
