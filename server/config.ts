import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';

/** Configuration is read and checked once, at start-up. */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z.string().optional(),
  SESSION_SECRET: z.string().min(16, 'SESSION_SECRET must be at least 16 characters').optional(),
  ADMIN_PASSWORD: z.string().min(8, 'ADMIN_PASSWORD must be at least 8 characters').optional(),
  TILE_URL: z.string().default('https://tile.openstreetmap.org/{z}/{x}/{y}.png'),
  TILE_ATTRIBUTION: z.string().default('&copy; OpenStreetMap contributors'),
  SEED: z.enum(['ulm', 'none']).default('ulm'),
  NEAR_CAPACITY_THRESHOLD: z.coerce.number().min(0).max(1).default(0.9),
  STALE_AFTER_MONTHS: z.coerce.number().int().min(1).default(12),
  ACCESSIBLE_STOP_RADIUS_M: z.coerce.number().min(1).default(300),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.string().default('development'),
  TRUST_PROXY: z.string().optional(),
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).default(10),
});

export interface Config {
  port: number;
  databaseUrl: string;
  sessionSecret: string;
  sessionSecretGenerated: boolean;
  adminPassword?: string;
  tileUrl: string | null;
  tileAttribution: string;
  seed: 'ulm' | 'none';
  planning: PlanningConfig;
  logLevel: string;
  production: boolean;
  trustProxy: boolean;
  /** login attempts per 15 minutes per client address and username */
  loginRateLimit: number;
}

export interface PlanningConfig {
  nearCapacityThreshold: number;
  staleAfterMonths: number;
  accessibleStopRadiusM: number;
}

export const DEFAULT_PLANNING_CONFIG: PlanningConfig = {
  nearCapacityThreshold: 0.9,
  staleAfterMonths: 12,
  accessibleStopRadiusM: 300,
};

// server/ under tsx and vitest, dist/ in the bundle that `npm start` runs: both sit one level below the root
export const PROJECT_ROOT = path.resolve(import.meta.dirname, '..');

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const tile = e.TILE_URL.trim();
  return {
    port: e.PORT,
    databaseUrl: e.DATABASE_URL || `sqlite://${path.join(PROJECT_ROOT, 'data', 'standortplanung.sqlite')}`,
    sessionSecret: e.SESSION_SECRET ?? randomBytes(32).toString('hex'),
    sessionSecretGenerated: !e.SESSION_SECRET,
    adminPassword: e.ADMIN_PASSWORD,
    tileUrl: tile === '' || tile.toLowerCase() === 'none' ? null : tile,
    tileAttribution: e.TILE_ATTRIBUTION,
    seed: e.SEED,
    planning: {
      nearCapacityThreshold: e.NEAR_CAPACITY_THRESHOLD,
      staleAfterMonths: e.STALE_AFTER_MONTHS,
      accessibleStopRadiusM: e.ACCESSIBLE_STOP_RADIUS_M,
    },
    logLevel: e.LOG_LEVEL,
    production: e.NODE_ENV === 'production',
    trustProxy: e.TRUST_PROXY === '1' || e.TRUST_PROXY === 'true',
    loginRateLimit: e.LOGIN_RATE_LIMIT,
  };
}
