/**
 * How an API route describes itself in the OpenAPI document (`GET /api/openapi.json`).
 *
 *   r.get('/sites/:id', doc({ tag: 'sites', summary: 'One site', params: idParams, response: R.Site }), async (req, res) => { … });
 *
 * `doc()` is a pass-through middleware that carries the description; the document is built by walking
 * the app's router (server/openapi/document.ts), so a route is described exactly where it is mounted.
 * `params`, `query` and `body` must be the very zod schemas the handler (or its service) parses with.
 */
import type { RequestHandler } from 'express';
import type { z } from 'zod';

export type Tag = 'auth' | 'planning' | 'organisation' | 'sites' | 'moves' | 'places' | 'scenarios' | 'projects' | 'users' | 'csv' | 'meta' | 'costs';

export interface RouteDoc {
  tag: Tag;
  summary: string;
  description?: string;
  /** path parameters (`:id` → `{id}`) */
  params?: z.ZodObject;
  /** query parameters, one per key of the object */
  query?: z.ZodObject;
  /** the request body; JSON unless `bodyType` says otherwise */
  body?: z.ZodType;
  bodyType?: string;
  /** the main success response (status defaults to 200, or 201 for POST with `created: true`) */
  response?: { status?: number; description?: string; schema?: z.ZodType; type?: string };
  /** the error statuses a client should expect besides 401 (e.g. [400, 403, 404, 409, 422]) */
  errors?: number[];
  /** what an error status means for this route, when more than the usual (e.g. 422 PERIOD_TOO_LONG) */
  errorText?: Partial<Record<number, string>>;
  /** `public`: no login needed; `token`: a login or a personal feed token (`?token=`) */
  auth?: 'public' | 'login' | 'token';
  /** changes data: the X-CSRF-Token header is required for a session */
  write?: boolean;
}

/** What a period analysis answers beyond the usual errors (SPEC section 13), for its doc(). */
export const PERIOD_TOO_LONG_TEXT =
  'PERIOD_TOO_LONG: the period costs more steps × sites than ANALYSIS_MAX_CELLS; `limit` names max_cells, sites, steps and max_steps (the steps that would fit)';

const DOC = Symbol.for('standortplanung.openapi');
type Documented = RequestHandler & { [DOC]?: RouteDoc };

/** Marks the route with its OpenAPI description (put it first among the route's handlers). */
export function doc(d: RouteDoc): RequestHandler {
  const h: Documented = (_req, _res, next) => next();
  h[DOC] = d;
  return h;
}

export function docOf(fn: unknown): RouteDoc | undefined {
  return typeof fn === 'function' ? (fn as Documented)[DOC] : undefined;
}
