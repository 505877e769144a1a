import type { Request, Response } from 'express';
import type { AppContext } from '../../context.js';
import { currentUser } from '../../auth/guards.js';
import type { MovePreview } from '../../services/moves.js';
import { AppError } from '../../errors.js';
import { isLang, keyAt, type Lang, type MessageKey, type TextKey } from '../../i18n/index.js';
import { parseNumber } from '../../i18n/numbers.js';

/** `decimal`: a number never written with thousands (coordinates, ratios): "13.405" is 13.405, not 13405. */
export type FieldType = 'string' | 'number' | 'decimal' | 'int' | 'date' | 'bool' | 'ids' | 'json';

/**
 * Turns a urlencoded form into the JSON shape the shared zod schemas expect:
 * numbers from text (German or plain, see parseNumber; on an English page, English), empty fields → null,
 * checkboxes → booleans, dates also as TT.MM.JJJJ.
 * Values that are not numbers (or dates) stay text, so the schema names the field.
 */
export function coerceForm(
  body: Record<string, unknown>,
  spec: Record<string, FieldType>,
  opts: { omitEmpty?: boolean; lang?: Lang } = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  // numbers in the language the form was shown in (its hidden _lang), else the session's
  const lang = isLang(body._lang) ? body._lang : opts.lang;
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
      out[k] = (typeof s === 'string' ? parseNumber(s, { grouping: type !== 'decimal', lang }) : null) ?? s;
      continue;
    }
    // a date typed as German readers write it (a browser without a date picker sends the text): 1.3.2027 → 2027-03-01
    if (type === 'date' && typeof s === 'string') {
      const m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(s);
      out[k] = m ? `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}` : s;
      continue;
    }
    out[k] = s;
  }
  return out;
}

/** Field errors of a rejected write, translated for the form. */
export function formErrors(err: unknown, res: Response): { fields: Record<string, string>; message: string | null; status: number; error: AppError } {
  if (!(err instanceof AppError) || err.status >= 500 || err.status === 401 || err.status === 403 || err.status === 404) throw err;
  const t = textOf(res);
  const fields = Object.fromEntries(Object.entries(err.fields ?? {}).map(([k, v]) => [k, v.startsWith('validation.') ? t(keyAt(v)) : v]));
  // a refusal about a floor left (at a site with floors) has its own headline: which field to change
  const floorKey = keyAt(`form.error.${err.code}.floor`);
  const known = err.fields?.from_floor_id === 'validation.negative_no_floor_headcount' && t(floorKey) !== floorKey ? floorKey : keyAt(`form.error.${err.code}`);
  const message = t(known) !== known ? t(known) : err.message;
  return { fields, message, status: err.status, error: err };
}

/**
 * The message the next page shows once: a success as a dictionary key (said in the reader's language
 * when shown), or a refused write as the text of its errors (already in the reader's language).
 */
export type Flash = { level: 'success'; key: TextKey; notes?: string[] } | { level: 'error'; text: string };

/**
 * "Gespeichert." and its kind on the next page; `notes`: what the saved change brings that the next
 * page should say at once (a warning it adds, in the reader's language).
 */
export function flash(req: Request, key: MessageKey, notes: string[] = []): void {
  req.session.flash = notes.length ? { level: 'success', key, notes } : { level: 'success', key };
}

/** Why a write was refused, on the next page (the form it came from is not shown again). */
export function flashRefused(req: Request, text: string): void {
  req.session.flash = { level: 'error', text };
}

export function takeFlash(req: Request): Flash | null {
  const f: unknown = req.session.flash ?? null;
  if (f) delete req.session.flash;
  // a session from before the change holds the message as a string ('!' before a refusal)
  if (typeof f === 'string') return f.startsWith('!') ? { level: 'error', text: f.slice(1) } : { level: 'success', key: keyAt(f) };
  return f as Flash | null;
}

/** The page's words with their keys checked by tsc (res.locals.t serves the templates, which tsc does not read). */
export function textOf(res: Response): (key: TextKey, params?: Record<string, unknown>) => string {
  return res.locals.t as (key: TextKey, params?: Record<string, unknown>) => string;
}

/**
 * A refused form shown again on its page: which form (several can share a page), what was typed,
 * each field's message (shown next to it) and the message of the whole (the fields the form does
 * not show are named there, by `label`).
 */
export interface FailedForm {
  form: string;
  values: Record<string, unknown>;
  fields: Record<string, string>;
  message: string | null;
}

/** What a view prints for one form of its page: as typed after a refusal (else the defaults), each message next to its field. */
export interface FormView {
  /** the value typed into the field, else `dflt` */
  val(name: string, dflt: unknown): unknown;
  /** ` selected` when the field's value (typed, else `dflt`) is `value` */
  sel(name: string, value: unknown, dflt: unknown): string;
  /** an input's attributes: aria-describedby (its message, then `help`), aria-invalid, and autofocus on the page's first invalid field */
  aria(id: string, name: string, help?: string): string;
  /** the field's message, as `<span class="field-error" id="{id}-err">` (empty without one) */
  error(id: string, name: string): string;
  /** the message of the whole form, above it (empty without one), with the element id given */
  message(id?: string): string;
}

/** Text for HTML made by hand (a view prints it with `<%- %>`): & < > " ' as character references. */
export const escapeHtml = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The views of a page's forms (`formView(name)`), one of which may come back refused (`failed`);
 * one per request, so that only the page's first invalid field takes the focus. Views print
 * `aria`, `error` and `message` unescaped (`<%- %>`): the typed values and messages are escaped here.
 */
export function formViews(failed: FailedForm | null | undefined): (form: string) => FormView {
  let focused = false;
  return (form) => {
    const fail = failed && failed.form === form ? failed : null;
    const err = (name: string) => fail?.fields[name];
    const val = (name: string, dflt: unknown) => (fail && fail.values[name] !== undefined ? fail.values[name] : dflt);
    return {
      val,
      sel: (name, value, dflt) => (String(val(name, dflt)) === String(value) ? ' selected' : ''),
      aria(id, name, help) {
        const e = err(name);
        const described = [e ? `${id}-err` : '', help ?? ''].filter(Boolean).join(' ');
        let out = described ? ` aria-describedby="${escapeHtml(described)}"` : '';
        if (e) {
          out += ' aria-invalid="true"';
          if (!focused) {
            focused = true;
            out += ' autofocus';
          }
        }
        return out;
      },
      error(id, name) {
        const e = err(name);
        return e ? `<span class="field-error" id="${escapeHtml(id)}-err">${escapeHtml(e)}</span>` : '';
      },
      message: (id) =>
        fail?.message
          ? `<p class="form-error box error-summary" role="alert"${id ? ` id="${escapeHtml(id)}"` : ''}><strong>${escapeHtml(fail.message)}</strong></p>`
          : '',
    };
  };
}

/** A refused form's state: what was typed in the fields it shows, their messages, and the rest as its message. */
export function refusedForm(
  req: Request,
  res: Response,
  err: unknown,
  form: string,
  shown: readonly string[],
  label: (field: string) => TextKey,
): FailedForm & { status: number } {
  const e = formErrors(err, res);
  const t = textOf(res);
  const fields: Record<string, string> = {};
  const others: string[] = [];
  for (const [k, v] of Object.entries(e.fields)) {
    if (shown.includes(k)) fields[k] = v;
    else others.push(`${t(label(k))}: ${v}`);
  }
  const values: Record<string, unknown> = {};
  for (const k of shown) if (typeof req.body?.[k] === 'string') values[k] = req.body[k];
  const message = others.length ? others.join(' · ') : Object.keys(fields).length ? null : e.message;
  return { form, values, fields, message, status: e.status };
}

/**
 * What a move about to be saved brings that the plan did not have (a site or floor it overfills, a
 * building closed then, no step-free way for a unit with visitors), in the reader's words: said with
 * "Gespeichert." on the next page, for a save without a preview. A move the preview refuses is
 * refused by the save as well, with the same reasons.
 */
export async function warningsBrought(ctx: AppContext, req: Request, res: Response, values: unknown, id?: number): Promise<string[]> {
  const warnText = res.locals.warnText as (w: MovePreview['warnings'][number]) => string;
  return (await ctx.services.moves.preview(currentUser(req), values, id)).brought.map((w) => warnText(w));
}
