import type { ErrorRequestHandler, Request } from 'express';
import type { ZodError } from 'zod';
import { hasKey, keyAt, translate, type Lang } from './i18n/index.js';
import { isDbUnavailable, isUnstorableText } from './db/knex.js';

/** Typed errors carry the HTTP status and a stable code (SPEC section 5). */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const notFound = (what = 'resource') => new AppError(404, 'NOT_FOUND', `${what} not found`);
export const forbidden = (message = 'your role may not do this') => new AppError(403, 'FORBIDDEN', message);
export const unauthorized = () => new AppError(401, 'UNAUTHORIZED', 'login required');
export const validation = (fields: Record<string, string>, message = 'the input is not valid') => new AppError(400, 'VALIDATION_FAILED', message, fields);
export const conflict = (current: unknown, message = 'the record was changed by someone else') =>
  new AppError(409, 'VERSION_CONFLICT', message, undefined, { current });
export const ruleBroken = (code: string, message: string, extra?: Record<string, unknown>, fields?: Record<string, string>) =>
  new AppError(422, code, message, fields, extra);

/** Field → message key (`validation.*`) or zod's own text; translated where shown. */
/** Field → message key (`validation.*`) or zod's own text; translated where shown. */
export function zodFields(err: ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of err.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) fields[k] ??= 'validation.unknown_field';
      continue;
    }
    const k = issue.path.join('.') || '_';
    // a value that fits no branch of a union (`isoDate.or(blank)`): the first branch says why
    const firstBranch = issue.code === 'invalid_union' ? issue.errors[0]?.[0] : undefined;
    if (firstBranch?.message.startsWith('validation.')) {
      fields[k] ??= firstBranch.message;
      continue;
    }
    if (!fields[k])
      fields[k] = issue.message.startsWith('validation.')
        ? issue.message
        : issue.code === 'invalid_type' && / received undefined$/.test(issue.message)
          ? 'validation.required'
          : issue.message;
  }
  return fields;
}

export function isApi(req: Request): boolean {
  return req.originalUrl.startsWith('/api/') || req.originalUrl === '/api';
}

export function errorBody(err: AppError) {
  const fields = err.fields
    ? Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, v.startsWith('validation.') ? translate('en', keyAt(v)) : v]))
    : undefined;
  return { error: { code: err.code, message: err.message, ...(fields ? { fields } : {}), ...(err.extra ?? {}) } };
}

/** Normalises anything thrown into an AppError; unknown errors become a generic 500. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = err as { type?: string; status?: number; statusCode?: number; code?: string };
  if (e?.type === 'entity.parse.failed') return new AppError(400, 'MALFORMED_JSON', 'the request body is not valid JSON');
  if (e?.type === 'entity.too.large') return new AppError(413, 'TOO_LARGE', 'the request body is too large');
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported')
    return new AppError(415, 'UNSUPPORTED_ENCODING', "the body's Content-Encoding or charset is not supported (send it uncompressed, gzip, deflate or br)");
  // a compressed body that does not decompress
  if (typeof e?.code === 'string' && /^Z_|^ERR_ZLIB|^ERR__?BROTLI/.test(e.code))
    return new AppError(400, 'MALFORMED_BODY', 'the request body does not match its Content-Encoding');
  // a path with a broken percent-escape (`/sites/%zz`)
  if (err instanceof URIError) return new AppError(400, 'MALFORMED_PATH', 'the address holds a malformed percent-escape');
  if (e?.type && (e.status ?? e.statusCode ?? 500) < 500) return new AppError(e.status ?? e.statusCode ?? 400, 'BAD_REQUEST', 'the request could not be read');
  if (e?.code === 'EBADCSRFTOKEN') return new AppError(403, 'CSRF', 'missing or invalid CSRF token');
  if (isUnstorableText(err)) return validation({ _: 'validation.control_chars' }, 'the text contains characters that cannot be stored (e.g. a NUL byte)');
  if (isDbUnavailable(err)) return new AppError(503, 'DB_UNAVAILABLE', 'the database is busy or not reachable; please try again shortly');
  return new AppError(500, 'INTERNAL', 'internal error');
}

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const appErr = toAppError(err);
  if (appErr.code === 'DB_UNAVAILABLE')
    req.log?.warn({ err: { code: (err as { code?: string }).code, message: (err as Error).message } }, 'database unavailable');
  else if (appErr.status >= 500) req.log?.error({ err }, 'request failed');
  if (res.headersSent) return;
  if (appErr.status === 503) res.setHeader('Retry-After', '5');
  if (isApi(req)) {
    res.status(appErr.status).json(errorBody(appErr));
    return;
  }
  if (typeof res.locals.t !== 'function') {
    res.status(appErr.status).type('text/plain').send(`${appErr.status} ${appErr.code}: ${appErr.message}`);
    return;
  }
  // a refused value in the address (`/moves?from=2026-13-40`): which one, by its label and its name there, and why
  const fields = appErr.status === 400 ? refusedFields(appErr, res.locals.lang as Lang) : [];
  res.status(appErr.status).render('pages/error', { status: appErr.status, code: appErr.code, message: appErr.message, fields });
};

/** The refused values of a request, each with its label in the language (when there is one) and the reason (when it is a message of the dictionary). */
function refusedFields(err: AppError, lang: Lang): { name: string; label: string | null; reason: string | null }[] {
  return Object.entries(err.fields ?? {})
    .filter(([name]) => name !== '_')
    .map(([name, reason]) => {
      const labelKey = [`query.field.${name}`, `form.field.${name}`].find((k) => hasKey(lang, k));
      return {
        name,
        label: labelKey ? translate(lang, keyAt(labelKey)) : null,
        reason: reason.startsWith('validation.') ? translate(lang, keyAt(reason)) : null,
      };
    });
}
