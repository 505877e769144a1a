/**
 * The OpenAPI 3.1 document, built from the app's own router: every API route that carries a `doc()`
 * (see ./doc.ts) is described with the zod schemas it validates with.
 */
import type { Express } from 'express';
import { OpenAPIRegistry, OpenApiGeneratorV31, type ResponseConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { docOf, type RouteDoc } from './doc.js';

export interface MountedRoute {
  method: string;
  /** the Express path, e.g. /api/sites/:id */
  path: string;
  doc?: RouteDoc;
}

interface Layer {
  route?: { path: string | string[]; stack: { method?: string; handle: unknown }[] };
  handle: { stack?: Layer[] } & object;
  rawPath?: string | string[];
}

/** Every route the app mounts, with the full path and its description (if any). */
export function mountedRoutes(app: Express): MountedRoute[] {
  const out: MountedRoute[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        const methods = [...new Set(layer.route.stack.map((l) => l.method).filter((m): m is string => Boolean(m)))];
        const described = layer.route.stack.map((l) => docOf(l.handle)).find(Boolean);
        for (const p of paths) for (const method of methods) out.push({ method, path: join(prefix, p), doc: described });
      } else if (Array.isArray(layer.handle.stack)) {
        const mount = typeof layer.rawPath === 'string' ? layer.rawPath : '/';
        walk(layer.handle.stack, join(prefix, mount));
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return out;
}

const join = (a: string, b: string) => `${a}/${b}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');

/** Express `/sites/:id/events/:eventId` → OpenAPI `/sites/{id}/events/{eventId}` */
export const openApiPath = (path: string) => path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');

export const ErrorSchema = z
  .object({
    error: z
      .object({
        code: z.string().meta({ description: 'stable code, e.g. VALIDATION_FAILED, NOT_FOUND, VERSION_CONFLICT, NEGATIVE_HEADCOUNT' }),
        message: z.string(),
        fields: z.record(z.string(), z.string()).optional().meta({ description: 'field → message, for VALIDATION_FAILED' }),
      })
      .catchall(z.unknown()),
  })
  .meta({ id: 'Error', description: 'every error (SPEC section 5); some codes add data, e.g. `current` for VERSION_CONFLICT' });

const ERROR_TEXT: Record<number, string> = {
  400: 'bad input: VALIDATION_FAILED names the fields (also for text with control characters such as NUL, and for dates outside 1900-01-01 … 2199-12-31); MALFORMED_JSON, MALFORMED_BODY (does not match its Content-Encoding), MALFORMED_PATH (a broken percent-escape)',
  401: 'login required',
  403: 'the role may not do this, or CSRF token missing',
  404: 'not found',
  409: 'VERSION_CONFLICT: changed by someone else meanwhile',
  413: 'the body is too large',
  415: 'UNSUPPORTED_ENCODING: the Content-Encoding (or charset) of the body is not supported',
  422: 'a planning rule is broken (e.g. NEGATIVE_HEADCOUNT; DATE_OUT_OF_RANGE when a shift would move a date outside 1900-01-01 … 2199-12-31)',
  429: 'too many attempts',
  503: 'BUSY: every worker is taken and the queue is full, or this user already has 2 heavy analyses running or waiting (SPEC section 13); try again after Retry-After seconds',
};

const RETRY_AFTER = { 'Retry-After': { description: 'seconds to wait before asking again', schema: { type: 'integer' as const } } };

function operation(route: MountedRoute & { doc: RouteDoc }) {
  const d = route.doc;
  const method = route.method.toLowerCase() as 'get' | 'post' | 'patch' | 'put' | 'delete';
  const status = d.response?.status ?? (method === 'delete' ? 204 : 200);
  const main: ResponseConfig = { description: d.response?.description ?? (status === 204 ? 'done, no body' : 'success') };
  if (status !== 204) {
    main.content = { [d.response?.type ?? 'application/json']: { schema: d.response?.schema ?? z.unknown() } };
  }
  const errors = new Set([
    ...(d.errors ?? []),
    ...(d.auth === 'public' ? [] : [401]),
    ...(d.query || d.params || d.body ? [400] : []),
    ...(d.body ? [415] : []),
  ]);
  const responses: Record<number, ResponseConfig> = { [status]: main };
  for (const e of [...errors].sort())
    responses[e] = {
      description: d.errorText?.[e] ?? ERROR_TEXT[e] ?? 'error',
      ...(e === 503 ? { headers: RETRY_AFTER } : {}),
      content: { 'application/json': { schema: ErrorSchema } },
    };
  return {
    method,
    path: openApiPath(route.path),
    tags: [d.tag],
    summary: d.summary,
    description: d.description,
    operationId: `${method}${route.path.replace(/^\/api/, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
    security: (d.auth === 'public' ? [] : d.auth === 'token' ? [{ session: [] }, { feedToken: [] }] : [{ session: [] }]) as Record<string, string[]>[],
    request: {
      ...(d.params ? { params: d.params } : {}),
      ...(d.query ? { query: d.query } : {}),
      ...(d.body ? { body: { required: true, content: { [d.bodyType ?? 'application/json']: { schema: d.body } } } } : {}),
      ...(d.write ? { headers: z.object({ 'x-csrf-token': z.string().meta({ description: 'the csrfToken from /api/login or /api/session' }) }) } : {}),
    },
    responses,
  };
}

/** Builds the document for the app's `/api` routes (cached by the caller). */
export function buildOpenApiDocument(app: Express, version: string) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'sp.sid',
    description: 'the session cookie set by POST /api/login',
  });
  registry.registerComponent('securitySchemes', 'feedToken', {
    type: 'apiKey',
    in: 'query',
    name: 'token',
    description: 'a personal calendar feed token (only /api/moves.ics)',
  });
  const seen = new Set<string>();
  for (const route of mountedRoutes(app)) {
    if (!route.path.startsWith('/api/') || !route.doc) continue;
    const key = `${route.method} ${route.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    registry.registerPath(operation(route as MountedRoute & { doc: RouteDoc }));
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Standortplanung API',
      version,
      description:
        'Office-space and location planning of the social-services department (Ulm). JSON in and out; ' +
        'writes need a session (POST /api/login) and its CSRF token in X-CSRF-Token, and carry the `version` they were read at.',
    },
    servers: [{ url: '/' }],
  });
}
