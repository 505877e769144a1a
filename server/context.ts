import type { Config } from './config.js';
import type { Database } from './repositories/index.js';
import { todayIso } from './planning/dates.js';
import { DbRateLimitStore } from './auth/rate-limit-store.js';
import { createRepos, type Repos } from './repositories/index.js';
import type { ThrottledSessionStore } from './repositories/session-store.js';
import { createServices, type Services } from './services/index.js';
import type { LpSolve } from './planning/placement.js';

/**
 * What the app shares: configuration, the clock and the services. No database handle: the
 * repositories hold it, and only services hold repositories.
 */
export interface AppContext {
  config: Config;
  today: () => string;
  services: Services;
  /** a new session store for an app (sessions live in the database, shared by every process) */
  sessionStore: () => ThrottledSessionStore;
  /** a new counter of login attempts for a limiter, kept in the database */
  loginAttempts: () => DbRateLimitStore;
}

export function createContext(db: Database, config: Config, today: () => string = () => todayIso(), solver?: LpSolve): AppContext {
  return contextOf(createRepos(db), config, today, solver);
}

/** The context on given repositories (a test keeps them, to reach the very ones the app uses). */
export function contextOf(repos: Repos, config: Config, today: () => string = () => todayIso(), solver?: LpSolve): AppContext {
  return {
    config, today,
    services: createServices(repos, config, today, solver),
    sessionStore: repos.sessionStore,
    loginAttempts: () => new DbRateLimitStore(repos.rateLimits),
  };
}
