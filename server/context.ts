import type { Knex } from 'knex';
import type { Config } from './config.js';
import { todayIso } from './planning/dates.js';
import { createRepos, type Repos } from './repositories/index.js';
import { PlanningService } from './services/planning-service.js';

/** What routes and services share: configuration, repositories, services, the clock. */
export interface AppContext {
  config: Config;
  db: Knex;
  repos: Repos;
  planning: PlanningService;
  today: () => string;
}

export function createContext(db: Knex, config: Config, today: () => string = () => todayIso()): AppContext {
  const repos = createRepos(db);
  return { config, db, repos, planning: new PlanningService(repos, config.planning, today), today };
}
