/** What every write route shares: the acting user, the version a DELETE was based on, and what the OpenAPI document says. */
import type { Request } from 'express';
import { z } from 'zod';
import { currentUser, type SessionUser } from '../auth/guards.js';
import { doc, type Tag } from '../openapi/doc.js';
import { idParams, parse } from './validate.js';

export const me = (req: Request): SessionUser => currentUser(req);
/** DELETE may carry the version it was based on (?version= or JSON body); when given it is checked. */
export const versionQuery = z.object({ version: z.coerce.number().int().positive() });
export const deleteVersion = (req: Request): number | undefined => {
  const raw = req.query.version ?? (req.body && typeof req.body === 'object' ? (req.body as { version?: unknown }).version : undefined);
  if (raw === undefined) return undefined;
  return parse(versionQuery, { version: raw }).version;
};
/** DELETE /…/:id?version=: what the OpenAPI document says about it */
export const deleteDoc = (tag: Tag, what: string, params: z.ZodObject = idParams) =>
  doc({
    tag,
    summary: `Delete a ${what} (with ?version= it must still be that version)`,
    params,
    query: versionQuery.partial(),
    write: true,
    errors: [403, 404, 409, 422],
  });
/** POST (create) and PATCH (update) of a resource: what the OpenAPI document says about them */
export const createDoc = (tag: Tag, what: string, body: z.ZodType, schema: z.ZodType, params?: z.ZodObject) =>
  doc({
    tag,
    summary: `Create a ${what}`,
    params,
    body,
    response: { status: 201, schema },
    write: true,
    errors: [403, 404, 422],
  });
export const updateDoc = (tag: Tag, what: string, body: z.ZodType, schema: z.ZodType, params: z.ZodObject = idParams) =>
  doc({
    tag,
    summary: `Change a ${what} (send the version you read; 409 when it changed meanwhile)`,
    params,
    body,
    response: { schema },
    write: true,
    errors: [403, 404, 409, 422],
  });
