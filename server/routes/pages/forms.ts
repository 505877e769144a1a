import type { Request, Response } from 'express';
import { AppError } from '../../errors.js';
import { parseNumber } from '../../i18n/numbers.js';

/** `decimal`: a number never written with thousands (coordinates, ratios): "13.405" is 13.405, not 13405. */
export type FieldType = 'string' | 'number' | 'decimal' | 'int' | 'date' | 'bool' | 'ids' | 'json';

/**
 * Turns a urlencoded form into the JSON shape the shared zod schemas expect:
 * numbers from text (German or plain, see parseNumber), empty fields → null, checkboxes → booleans.
 * Values that are not numbers stay text, so the schema names the field.
 */
export function coerceForm(body: Record<string, unknown>, spec: Record<string, FieldType>, opts: { omitEmpty?: boolean } = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, type] of Object.entries(spec)) {
    const raw = body[k];
    if (type === 'bool') {
      out[k] = raw === 'on' || raw === 'true' || raw === '1';
      continue;
    }
    if (type === 'ids') {
      const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
      out[k] = list.filter((x) => x !== '').map((x) => (/^\d+$/.test(String(x)) ? Number(x) : x));
      continue;
    }
    if (raw === undefined) continue;
    const s = typeof raw === 'string' ? raw.trim() : raw;
    if (s === '') {
      if (!opts.omitEmpty) out[k] = null;
      continue;
    }
    if (type === 'json') {
      try {
        out[k] = JSON.parse(String(s));
      } catch {
        out[k] = s;
      } // not JSON: the schema names the field
      continue;
    }
    if (type === 'number' || type === 'int' || type === 'decimal') {
      out[k] = (typeof s === 'string' ? parseNumber(s, { grouping: type !== 'decimal' }) : null) ?? s;
      continue;
    }
    out[k] = s;
  }
  return out;
}

/** Field errors of a rejected write, translated for the form. */
export function formErrors(err: unknown, res: Response): { fields: Record<string, string>; message: string | null; status: number; error: AppError } {
  if (!(err instanceof AppError) || err.status >= 500 || err.status === 401 || err.status === 403 || err.status === 404) throw err;
  const t = res.locals.t as (k: string, p?: Record<string, unknown>) => string;
  const fields = Object.fromEntries(Object.entries(err.fields ?? {}).map(([k, v]) => [k, v.startsWith('validation.') ? t(v) : v]));
  const known = `form.error.${err.code}`;
  const message = t(known) !== known ? t(known) : err.message;
  return { fields, message, status: err.status, error: err };
}

export function flash(req: Request, key: string): void {
  req.session.flash = key;
}

export function takeFlash(req: Request): string | null {
  const f = req.session.flash ?? null;
  if (f) delete req.session.flash;
  return f;
}
