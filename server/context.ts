import type { Config } from './config.js';
import type { Database } from './repositories/index.js';
import { todayIso } from './planning/dates.js';
import { DbRateLimitStore } from './auth/rate-limit-store.js';
import { createRepos, type Repos } from './repositories/index.js';
import { changeSignalFor, type ChangeSignal } from './db/change-signal.js';
import type { ThrottledSessionStore } from './repositories/session-store.js';
import { createServices, type Services } from './services/index.js';
import type { LpSolve } from './planning/placement.js';
import { HeavyWork } from './work/heavy-work.js';

/**
 * What the app shares: configuration, the clock and the services. No database handle: the
 * repositories hold it, and only services hold repositories.
 */
export interface AppContext {
  config: Config;
  today: () => string;
  services: Services;
  /** the pool of worker threads for period analyses, reports and placement solves (SPEC section 13) */
  heavy: HeavyWork;
  /** a new session store for an app (sessions live in the database, shared by every process) */
  sessionStore: () => ThrottledSessionStore;
  /** a new counter of login attempts for a limiter, kept in the database */
  loginAttempts: () => DbRateLimitStore;
  /** ends what the context opened besides the database handle (the worker pool, the change signal's connection) */
  close: () => Promise<void>;
}

export function createContext(db: Database, config: Config, today: () => string = () => todayIso(), solver?: LpSolve): AppContext {
  return contextOf(createRepos(db, cacheOf(db, config)), config, today, solver);
}

/**
 * How long a process may keep sessions and the data revision, and the signal that ends that sooner:
 * every process tells the others about its changes; one that keeps copies also listens.
 */
export function cacheOf(db: Database, config: Config): { maxAgeMs: number; signal: ChangeSignal } {
  return { maxAgeMs: config.sessionCacheMs, signal: changeSignalFor(db, config.sessionCacheMs > 0) };
}

/** The context on given repositories (a test keeps them, to reach the very ones the app uses). */
export function contextOf(repos: Repos, config: Config, today: () => string = () => todayIso(), solver?: LpSolve): AppContext {
  const services = createServices(repos, config, today, solver);
  const heavy = new HeavyWork(config, services, today);
  return {
    config,
    today,
    services,
    heavy,
    sessionStore: repos.sessionStore,
    loginAttempts: () => new DbRateLimitStore(repos.rateLimits),
    close: async () => {
      await heavy.close();
      await repos.revision.signal.close();
    },
  };
}
