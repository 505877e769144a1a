import { Router, type Express, type Request, type Response } from 'express';
import { z } from 'zod';
import { notFound } from '../../errors.js';
import { parse } from '../validate.js';
import { doc } from '../../openapi/doc.js';
import { buildOpenApiDocument } from '../../openapi/document.js';
import { apiReference, type ApiReference } from '../../openapi/reference.js';
import * as R from '../../openapi/responses.js';
import { hasKey, keyAt, translate, type Lang } from '../../i18n/index.js';
import pkg from '../../../package.json' with { type: 'json' };

const DOCS_GROUP = z.object({ group: z.string().regex(/^[a-z_]{1,32}$/) });

/** GET /api/openapi.json (built once from the mounted routes) and GET /api/docs; neither needs a login. */
export function docsRoutes(): Router {
  const r = Router();
  let document: ReturnType<typeof buildOpenApiDocument> | undefined;
  let reference: ApiReference | undefined;
  r.get(
    '/openapi.json',
    doc({
      tag: 'meta',
      summary: 'This OpenAPI 3.1 document',
      auth: 'public',
      response: { schema: R.OpenApi },
    }),
    (req, res) => {
      document ??= buildOpenApiDocument(req.app as Express, pkg.version);
      res.json(document);
    },
  );
  const render = (req: Request, res: Response, shown: string | null) => {
    document ??= buildOpenApiDocument(req.app as Express, pkg.version);
    reference ??= apiReference(document as Parameters<typeof apiReference>[0]);
    if (shown && shown !== 'schemas' && !reference.groups.some((g) => g.tag === shown)) throw notFound('page');
    const lang = res.locals.lang as Lang;
    // a tag the dictionary does not know yet keeps its own name
    const tagLabel = (tag: string) => (hasKey(lang, `apidocs.tag.${tag}`) ? translate(lang, keyAt(`apidocs.tag.${tag}`)) : tag);
    const title = shown
      ? `${shown === 'schemas' ? res.locals.t('apidocs.schemas') : tagLabel(shown)} · ${res.locals.t('apidocs.title')}`
      : res.locals.t('apidocs.title');
    res.render('pages/api-docs', { title, ref: reference, tagLabel, shown });
  };
  r.get(
    '/docs',
    doc({
      tag: 'meta',
      summary: 'The API documentation in the browser: every operation, one page per group (German or English headings, ?lang=)',
      auth: 'public',
      response: { schema: R.Html, type: 'text/html' },
    }),
    (req, res) => render(req, res, null),
  );
  r.get(
    '/docs/:group',
    doc({
      tag: 'meta',
      summary: "One group's operations in detail (parameters, body, answers), or `schemas`: the data formats",
      auth: 'public',
      params: DOCS_GROUP,
      response: { schema: R.Html, type: 'text/html' },
      errors: [404],
    }),
    (req, res) => render(req, res, parse(DOCS_GROUP, req.params).group),
  );
  return r;
}
