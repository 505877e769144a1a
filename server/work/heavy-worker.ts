/**
 * The entry of a worker thread of the heavy-work pool (piscina loads it: dist/heavy-worker.mjs in the
 * bundle). The worker keeps its own database connection and its own plan cache (per data revision,
 * as the request thread does), so a task carries only its question, never the organisation.
 */
import { workerData } from 'node:worker_threads';
import type { Config } from '../config.js';
import { createKnex } from '../db/knex.js';
import { createRepos } from '../repositories/index.js';
import { cacheOf } from '../context.js';
import { createServices, type Services } from '../services/index.js';
import { solveInProcess } from '../services/highs-solver.js';
import { outcomeOf, type TaskMessage, type TaskOutcome } from './tasks.js';

const { config } = workerData as { config: Config };
let today = '';
let services: Services | null = null;

function servicesOnce(): Services {
  if (!services) {
    // no copies of the data revision kept: every task reads it, so a write elsewhere is seen at once
    const own: Config = { ...config, sessionCacheMs: 0 };
    const db = createKnex(config.databaseUrl);
    // this thread is the worker: the placement solver runs in it, blocking nobody else
    services = createServices(createRepos(db, cacheOf(db, own)), own, () => today, solveInProcess);
  }
  return services;
}

export default async function run(message: TaskMessage): Promise<TaskOutcome> {
  today = message.today;
  return outcomeOf(servicesOnce(), message.task);
}
