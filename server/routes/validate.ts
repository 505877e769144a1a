import { z } from 'zod';
import { validation, zodFields } from '../errors.js';
import { inDateDomain, isIsoDate } from '../planning/dates.js';

/** A date in a query: real, as YYYY-MM-DD, within 1900-01-01 … 2199-12-31. */
export const isoDate = z
  .string()
  .refine(isIsoDate, { message: 'must be a real date as YYYY-MM-DD', abort: true })
  .refine(inDateDomain, { message: 'validation.date_range' });
export const id = z
  .string()
  .regex(/^[1-9]\d{0,9}$/, 'must be a positive whole number')
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
