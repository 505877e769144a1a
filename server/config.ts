import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { isCommonPassword } from './auth/common-passwords.js';

/** Configuration is read and checked once, at start-up. */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z
    .string()
    .optional()
    .superRefine((url, ctx) => {
      const problem = url ? databaseUrlProblem(url) : null;
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  SESSION_SECRET: z.string().min(16, 'SESSION_SECRET must be at least 16 characters').optional(),
  // the password rule every account follows (server/schemas.ts): 10 characters, not a common one
  ADMIN_PASSWORD: z
    .string()
    .min(10, { message: 'must be at least 10 characters (the password rule of every account)', abort: true })
    .refine((p) => !isCommonPassword(p), 'is a very common password or a simple sequence: choose another')
    .optional(),
  BCRYPT_COST: z.coerce
    .number({ message: 'must be a whole number from 4 to 15 (default 10)' })
    .int('must be a whole number from 4 to 15 (default 10)')
    .min(4, 'must be a whole number from 4 to 15 (default 10)')
    .max(15, 'must be a whole number from 4 to 15 (default 10; each step doubles the time of a login)')
    .optional(),
  TILE_URL: z.string().default('https://tile.openstreetmap.org/{z}/{x}/{y}.png'),
  TILE_ATTRIBUTION: z.string().default('&copy; OpenStreetMap contributors'),
  SEED: z.enum(['ulm', 'none']).default('ulm'),
  NEAR_CAPACITY_THRESHOLD: z.coerce.number().min(0).max(1).default(0.9),
  STALE_AFTER_MONTHS: z.coerce.number().int().min(1).default(12),
  ACCESSIBLE_STOP_RADIUS_M: z.coerce.number().min(1).default(300),
  SAME_LOCATION_M: z.coerce.number().min(0).default(100),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.string().default('development'),
  TRUST_PROXY: z.string().optional(),
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).default(10),
  LOGIN_RATE_LIMIT_PER_ADDRESS: z.coerce.number().int().min(1).default(50),
  IMPORT_MAX_ROWS: z.coerce.number().int().min(1).default(100_000),
  IMPORT_MAX_MB: z.coerce.number().min(0.01).max(1024).default(25),
  PUBLIC_URL: z.string().optional(),
  OIDC_ISSUER: z.string().optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  OIDC_ROLE_CLAIM: z.string().optional(),
  OIDC_ROLE_MAP: z.string().optional(),
  OIDC_SCOPES: z.string().optional(),
  OIDC_ALLOW_INSECURE_HTTP: z.string().optional(),
  LOCAL_LOGIN: z.string().optional(),
  ACCESSIBILITY_CONTACT: z.string().max(300).optional(),
  PRIVACY_CONTACT: z.string().max(300).optional(),
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(0).default(730),
  SESSION_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(2000),
  WORKERS: z.coerce.number().int().min(0).max(64).optional(),
  QUEUE_MAX: z.coerce.number().int().min(0).max(1000).default(8),
  ANALYSIS_MAX_CELLS: z.coerce.number().int().min(1).default(1_000_000),
  MOVE_COST_PER_PERSON_EUR: z.coerce.number().min(0).max(1_000_000).default(1000),
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
  /** failed login attempts per 15 minutes per (normalised) username */
  loginRateLimit: number;
  /** feedback contact on the accessibility statement (e-mail address, URL or text) */
  accessibilityContact: string | null;
  /** contact for data-protection questions on the privacy page */
  privacyContact: string | null;
  /** audit entries and login-attempt counters older than this are pruned; 0 keeps them */
  auditRetentionDays: number;
  /** failed login attempts per 15 minutes per client address */
  loginRateLimitPerAddress: number;
  /**
   * the longest a process keeps its copy of a session and of the data revision (ms); any commit by
   * any process ends the copies sooner (server/db/change-signal.ts); 0 reads both every request
   */
  sessionCacheMs: number;
  /** CSV imports: at most this many rows and bytes (more: IMPORT_TOO_LARGE) */
  importMaxRows: number;
  importMaxBytes: number;
  /** single sign-on by OpenID Connect; null when not configured */
  oidc: OidcConfig | null;
  /** false: only the setup admin may log in with a password (LOCAL_LOGIN=false) */
  localLogin: boolean;
  /** the pool of worker threads for heavy work (period analyses, reports, placement solves) */
  work: WorkConfig;
  /** the one-off cost of moving one person between two sites, unless a move carries its own cost_eur */
  moveCostPerPersonEur: number;
}

export interface WorkConfig {
  /** worker threads (WORKERS; default: one fewer than the cores, at least 1); 0 runs the work in the request's thread (tests) */
  workers: number;
  /** tasks that may wait for a worker (QUEUE_MAX); more: 503 BUSY */
  queueMax: number;
  /** tasks one user may have running or waiting at once; more: 503 BUSY */
  perUser: number;
}

/** One fewer worker than the machine has cores (the request thread needs one), at least one. */
export const defaultWorkers = () => Math.max(1, Math.min(8, os.availableParallelism() - 1));

export type OidcRole = 'admin' | 'planner' | 'site_editor' | 'viewer';
const OIDC_ROLES: readonly OidcRole[] = ['admin', 'planner', 'site_editor', 'viewer'];

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** the app's external base URL, without a trailing slash */
  publicUrl: string;
  /** `${publicUrl}/auth/oidc/callback` */
  redirectUri: string;
  /** where the provider sends the browser back after logging out: `${publicUrl}/login` */
  postLogoutRedirectUri: string;
  /** the claim holding the groups (a dotted path for nested claims, e.g. `realm_access.roles`) */
  roleClaim: string;
  /** group → role, in the order written */
  roleMap: { role: OidcRole; group: string }[];
  scopes: string;
  /** plain-http issuer allowed (tests, local trials); never by default */
  allowInsecureHttp: boolean;
}

export interface PlanningConfig {
  nearCapacityThreshold: number;
  staleAfterMonths: number;
  accessibleStopRadiusM: number;
  /** sites closer than this (metres) are one location: a team in both is not split */
  sameLocationM: number;
  /** a period analysis may cost at most this many steps × sites (ANALYSIS_MAX_CELLS) */
  analysisMaxCells: number;
}

export const DEFAULT_PLANNING_CONFIG: PlanningConfig = {
  nearCapacityThreshold: 0.9,
  staleAfterMonths: 12,
  accessibleStopRadiusM: 300,
  sameLocationM: 100,
  analysisMaxCells: 1_000_000,
};

/**
 * What is wrong with a DATABASE_URL, in one line, or null when it names a database the app can use:
 * `sqlite://relative/file.sqlite`, `sqlite:///absolute/file.sqlite`, `postgres://user:password@host:5432/database`
 * (or `postgresql://`).
 */
export function databaseUrlProblem(url: string): string | null {
  const forms = 'use sqlite:///path/to/file.sqlite or postgres://user:password@host:5432/database';
  if (url === ':memory:') return null;
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(url)?.[1];
  if (scheme === undefined) return url.endsWith('.sqlite') ? null : `"${url}" is neither a URL nor a .sqlite file: ${forms}`;
  const s = scheme.toLowerCase();
  if (s === 'sqlite') {
    const file = url.replace(/^sqlite:(\/\/)?/i, '');
    return file.trim() === '' ? `"${url}" names no file: ${forms}` : null;
  }
  if (s === 'postgres' || s === 'postgresql') {
    try {
      const u = new URL(url);
      if (!u.hostname) return `"${redactPassword(url)}" names no host: ${forms}`;
      return null;
    } catch {
      return `"${redactPassword(url)}" is not a valid URL (a password with @, : or / must be percent-encoded, e.g. %40 for @): ${forms}`;
    }
  }
  return `Standortplanung runs on SQLite or PostgreSQL, not "${scheme}:" (${redactPassword(url)}): ${forms}`;
}

/** A database URL fit for a message: the password replaced by ***. */
export function redactPassword(url: string): string {
  return url.replace(/^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^:/@]*:)[^@/]*@/, '$1***@');
}

// server/ under tsx and vitest, dist/ in the bundle that `npm start` runs: both sit one level below the root
export const PROJECT_ROOT = path.resolve(import.meta.dirname, '..');

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const oidc = parseOidc(e);
  const localLogin = parseFlag('LOCAL_LOGIN', e.LOCAL_LOGIN, true);
  if (!localLogin && !oidc)
    throw new Error(
      'Invalid configuration:\n  LOCAL_LOGIN: false turns passwords off, which needs single sign-on: set OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_ROLE_MAP and PUBLIC_URL',
    );
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
      sameLocationM: e.SAME_LOCATION_M,
      analysisMaxCells: e.ANALYSIS_MAX_CELLS,
    },
    logLevel: e.LOG_LEVEL,
    production: e.NODE_ENV === 'production',
    trustProxy: e.TRUST_PROXY === '1' || e.TRUST_PROXY === 'true',
    loginRateLimit: e.LOGIN_RATE_LIMIT,
    accessibilityContact: e.ACCESSIBILITY_CONTACT?.trim() || null,
    privacyContact: e.PRIVACY_CONTACT?.trim() || null,
    auditRetentionDays: e.AUDIT_RETENTION_DAYS,
    loginRateLimitPerAddress: e.LOGIN_RATE_LIMIT_PER_ADDRESS,
    sessionCacheMs: e.SESSION_CACHE_MS,
    importMaxRows: e.IMPORT_MAX_ROWS,
    importMaxBytes: Math.round(e.IMPORT_MAX_MB * 1024 * 1024),
    oidc,
    localLogin,
    work: { workers: e.WORKERS ?? defaultWorkers(), queueMax: e.QUEUE_MAX, perUser: 2 },
    moveCostPerPersonEur: e.MOVE_COST_PER_PERSON_EUR,
  };
}

function parseFlag(name: string, value: string | undefined, dflt: boolean): boolean {
  if (value === undefined || value.trim() === '') return dflt;
  const v = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new Error(`Invalid configuration:\n  ${name}: expected true or false, got "${value}"`);
}

/**
 * `planner=GG-Soziales-Planung,viewer=GG-Soziales-Leitung`: role=group pairs separated by commas
 * (or semicolons); a role may appear several times for several groups.
 */
export function parseRoleMap(text: string): { role: OidcRole; group: string }[] {
  const out: { role: OidcRole; group: string }[] = [];
  for (const part of text
    .split(/[,;]/)
    .map((p) => p.trim())
    .filter(Boolean)) {
    const eq = part.indexOf('=');
    const role = (eq < 0 ? part : part.slice(0, eq)).trim();
    const group = eq < 0 ? '' : part.slice(eq + 1).trim();
    if (!OIDC_ROLES.includes(role as OidcRole)) throw new Error(`"${role}" is not a role (admin, planner, site_editor, viewer) in "${part}"`);
    if (!group) throw new Error(`no group after "${role}=" in "${part}"`);
    out.push({ role: role as OidcRole, group });
  }
  if (!out.length) throw new Error('names no role=group pair');
  return out;
}

/** Single sign-on settings: all or nothing, checked here so a half-configured login never starts. */
function parseOidc(e: z.infer<typeof EnvSchema>): OidcConfig | null {
  const given = (v: string | undefined): v is string => v !== undefined && v.trim() !== '';
  const required = { OIDC_ISSUER: e.OIDC_ISSUER, OIDC_CLIENT_ID: e.OIDC_CLIENT_ID, OIDC_CLIENT_SECRET: e.OIDC_CLIENT_SECRET, OIDC_ROLE_MAP: e.OIDC_ROLE_MAP };
  const set = Object.entries(required)
    .filter(([, v]) => given(v))
    .map(([k]) => k);
  if (!set.length) return null;
  const problems: string[] = [];
  for (const [k, v] of Object.entries({ ...required, PUBLIC_URL: e.PUBLIC_URL })) {
    if (!given(v)) problems.push(`${k}: required for single sign-on (${set.join(', ')} ${set.length > 1 ? 'are' : 'is'} set)`);
  }
  let allowInsecureHttp = false;
  try {
    allowInsecureHttp = parseFlag('OIDC_ALLOW_INSECURE_HTTP', e.OIDC_ALLOW_INSECURE_HTTP, false);
  } catch (err) {
    problems.push((err as Error).message.split('\n  ')[1]);
  }
  const url = (name: string, value: string | undefined): URL | null => {
    if (!given(value)) return null;
    try {
      const u = new URL((value ?? '').trim());
      if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('not http(s)');
      if (u.protocol === 'http:' && !allowInsecureHttp)
        problems.push(`${name}: must be an https:// URL (plain http only with OIDC_ALLOW_INSECURE_HTTP=true, for tests)`);
      if (u.search || u.hash) problems.push(`${name}: must not carry a query or fragment`);
      return u;
    } catch {
      problems.push(`${name}: not a valid URL: "${value}"`);
      return null;
    }
  };
  const issuer = url('OIDC_ISSUER', e.OIDC_ISSUER);
  const publicUrl = url('PUBLIC_URL', e.PUBLIC_URL);
  let roleMap: OidcConfig['roleMap'] = [];
  if (given(e.OIDC_ROLE_MAP)) {
    try {
      roleMap = parseRoleMap(e.OIDC_ROLE_MAP ?? '');
    } catch (err) {
      problems.push(`OIDC_ROLE_MAP: ${(err as Error).message}`);
    }
  }
  const scopes = (e.OIDC_SCOPES?.trim() || 'openid profile email').split(/[\s,]+/).filter(Boolean);
  if (!scopes.includes('openid')) problems.push(`OIDC_SCOPES: must include "openid" (got "${e.OIDC_SCOPES}")`);
  const roleClaim = e.OIDC_ROLE_CLAIM?.trim() || 'groups';
  if (problems.length || !issuer || !publicUrl) throw new Error(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  const base = publicUrl.href.replace(/\/+$/, '');
  return {
    // as written: discovery compares it with the provider's `issuer` character by character
    issuer: (e.OIDC_ISSUER ?? '').trim(),
    clientId: (e.OIDC_CLIENT_ID ?? '').trim(),
    clientSecret: e.OIDC_CLIENT_SECRET ?? '',
    publicUrl: base,
    redirectUri: `${base}/auth/oidc/callback`,
    postLogoutRedirectUri: `${base}/login`,
    roleClaim,
    roleMap,
    scopes: scopes.join(' '),
    allowInsecureHttp,
  };
}
