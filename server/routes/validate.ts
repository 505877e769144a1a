import { z } from 'zod';
import { notFound, validation, zodFields } from '../errors.js';
import { inDateDomain, isIsoDate } from '../planning/dates.js';

/** A date in a query: real, as YYYY-MM-DD, within 1900-01-01 … 2199-12-31. */
export const isoDate = z.string().refine(isIsoDate, { message: 'validation.iso_date', abort: true }).refine(inDateDomain, { message: 'validation.date_range' });
export const id = z
  .string()
  .regex(/^[1-9]\d{0,9}$/, 'validation.positive_id')
  .transform(Number);
export const optionalId = id.optional();
/**
 * The page of a long list asked for in its address (`?page=`): a positive whole number; anything else
 * (an address cut off or typed by hand) asks for the first page, as lists on the web read it. A page
 * beyond the last is for the list to answer (it shows its last page).
 */
export const pageNumber = z.preprocess((v) => (typeof v === 'string' && /^[1-9]\d{0,8}$/.test(v) ? Number(v) : undefined), z.number().optional());

/** Parses query parameters or route params; a bad one is a 400 VALIDATION_FAILED naming the field. */
export function parse<T extends z.ZodTypeAny>(schema: T, input: unknown): z.infer<T> {
  const r = schema.safeParse(input);
  if (!r.success) throw validation(zodFields(r.error));
  return r.data;
}

export const idParams = z.object({ id });

/**
 * A page's route params (`/sites/:id`): an address with a word or a typo where an id goes
 * (`/scenarios/new`, `/sites/abc`) names no page, so it is a 404 as for an id that does not exist (a
 * 400 naming the field `id` told a person who typed or followed the address nothing they could act on).
 * The API keeps its 400 naming the field.
 */
export function pathParams<T extends z.ZodTypeAny>(schema: T, params: unknown): z.infer<T> {
  const r = schema.safeParse(params);
  if (!r.success) throw notFound('page');
  return r.data;
}

/** The id in a page's address (`/sites/:id`), or a 404. */
export const pathId = (params: unknown): number => pathParams(idParams, params).id;
