/**
 * The adapter between the placement model (LP-format text) and HiGHS (the `highs` package,
 * WebAssembly). A solve blocks the thread it runs on, so the server solves in a worker thread and
 * the event loop keeps answering other requests; tests may solve in-process.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { LpResult, LpSolve } from '../planning/placement.js';

const require = createRequire(import.meta.url);
/** The CommonJS build of the package, loaded by path so that bundling the server does not touch it. */
const HIGHS_PATH = require.resolve('highs');

interface HighsColumn {
  Primal?: number;
}
interface HighsResult {
  Status: string;
  ObjectiveValue: number;
  Columns: Record<string, HighsColumn>;
}
interface HighsApi {
  solve(lp: string, options: Record<string, unknown>): HighsResult;
}

/** Exact optimum for small models (the assistant compares scores); a time limit for large ones. */
export const highsOptions = (timeLimitS: number) => ({
  time_limit: Math.max(0.05, timeLimitS),
  output_flag: false,
  mip_rel_gap: 1e-9,
  mip_abs_gap: 1e-6,
  presolve: 'on',
});

/** HiGHS' status text → ours; the solution's column values when there is one. */
export function resultOf(r: HighsResult): LpResult {
  const values: Record<string, number> = {};
  const collect = () => {
    for (const [k, c] of Object.entries(r.Columns ?? {})) if (typeof c.Primal === 'number') values[k] = c.Primal;
  };
  switch (r.Status) {
    case 'Optimal':
      collect();
      return { status: 'optimal', values, objective: r.ObjectiveValue };
    case 'Time limit reached':
      collect();
      return { status: 'time_limit', values, objective: Number.isFinite(r.ObjectiveValue) ? r.ObjectiveValue : null };
    case 'Infeasible':
    case 'Primal infeasible or unbounded':
      return { status: 'infeasible', values, objective: null };
    default:
      return { status: 'error', values, objective: null, message: r.Status };
  }
}

let loaded: Promise<HighsApi> | null = null;
function loadHighs(): Promise<HighsApi> {
  loaded ??= (require(HIGHS_PATH) as (o?: object) => Promise<HighsApi>)();
  return loaded;
}

/** Solves in this thread (blocks it for the solve's duration): for tests and scripts. */
export const solveInProcess: LpSolve = async (lp, { timeLimitS }) => {
  const highs = await loadHighs();
  try {
    return resultOf(highs.solve(lp, highsOptions(timeLimitS)));
  } catch (e) {
    return { status: 'error', values: {}, objective: null, message: (e as Error).message };
  }
};

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const load = require(${JSON.stringify(HIGHS_PATH)});
const highsPromise = load();
parentPort.on('message', async (msg) => {
  try {
    const highs = await highsPromise;
    const r = highs.solve(msg.lp, msg.options);
    const values = {};
    for (const [k, c] of Object.entries(r.Columns || {})) if (typeof c.Primal === 'number') values[k] = c.Primal;
    parentPort.postMessage({ id: msg.id, result: { Status: r.Status, ObjectiveValue: r.ObjectiveValue, values } });
  } catch (e) {
    parentPort.postMessage({ id: msg.id, error: String(e && e.message || e) });
  }
});`;

interface Pending {
  resolve: (r: LpResult) => void;
  timer: NodeJS.Timeout;
}

/**
 * One worker thread that solves one model at a time (a queue in front of it). A solve that
 * overruns its time limit by far ends the worker; the next solve starts a fresh one.
 */
export class WorkerSolver {
  private worker: Worker | null = null;
  private pending = new Map<number, Pending>();
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly graceMs = 10_000) {}

  readonly solve: LpSolve = (lp, { timeLimitS }) => {
    const run = this.queue.then(() => this.run(lp, timeLimitS));
    this.queue = run.catch(() => undefined);
    return run;
  };

  private start(): Worker {
    const w = new Worker(WORKER_SOURCE, { eval: true });
    w.unref();
    w.on('message', (msg: { id: number; result?: { Status: string; ObjectiveValue: number; values: Record<string, number> }; error?: string }) => {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      clearTimeout(p.timer);
      if (msg.error || !msg.result) {
        p.resolve({ status: 'error', values: {}, objective: null, message: msg.error });
        return;
      }
      const columns: Record<string, HighsColumn> = {};
      for (const [k, v] of Object.entries(msg.result.values)) columns[k] = { Primal: v };
      p.resolve(resultOf({ Status: msg.result.Status, ObjectiveValue: msg.result.ObjectiveValue, Columns: columns }));
    });
    const fail = (message: string) => {
      for (const p of this.pending.values()) {
        clearTimeout(p.timer);
        p.resolve({ status: 'error', values: {}, objective: null, message });
      }
      this.pending.clear();
      if (this.worker === w) this.worker = null;
    };
    w.on('error', (e) => fail(e.message));
    w.on('exit', () => fail('solver stopped'));
    this.worker = w;
    return w;
  }

  private run(lp: string, timeLimitS: number): Promise<LpResult> {
    const w = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise<LpResult>((resolve) => {
      const timer = setTimeout(
        () => {
          this.pending.delete(id);
          resolve({ status: 'time_limit', values: {}, objective: null, message: 'solver overran its time limit' });
          void w.terminate();
          if (this.worker === w) this.worker = null;
        },
        timeLimitS * 1000 + this.graceMs,
      );
      this.pending.set(id, { resolve, timer });
      w.postMessage({ id, lp, options: highsOptions(timeLimitS) });
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}
