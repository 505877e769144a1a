import express, { Router, type Express } from 'express';
import path from 'node:path';
import { PROJECT_ROOT } from '../../config.js';
import { doc } from '../../openapi/doc.js';
import { buildOpenApiDocument } from '../../openapi/document.js';
import * as R from '../../openapi/responses.js';
import pkg from '../../../package.json' with { type: 'json' };

// Swagger UI from node_modules, only the files the page loads (no CDN, no inline script: helmet's CSP holds)
const UI_FILES = /^\/(swagger-ui\.css|swagger-ui-bundle\.js|swagger-ui-standalone-preset\.js|favicon-(16x16|32x32)\.png)$/;

const page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Standortplanung API</title>
  <link rel="stylesheet" href="/vendor/swagger-ui/swagger-ui.css">
  <link rel="icon" href="/vendor/swagger-ui/favicon-32x32.png">
</head>
<body>
  <main id="swagger-ui"></main>
  <script src="/vendor/swagger-ui/swagger-ui-bundle.js"></script>
  <script src="/static/js/api-docs.js"></script>
</body>
</html>
`;

/** The Swagger UI assets, mounted with the other vendor assets. */
export function swaggerUiAssets(opts: { maxAge: string | number }): express.RequestHandler {
  const files = express.static(path.join(PROJECT_ROOT, 'node_modules', 'swagger-ui-dist'), { ...opts, index: false, fallthrough: false });
  return (req, res, next) => (UI_FILES.test(req.path) ? files(req, res, next) : res.status(404).type('text/plain').send('not found'));
}

/** GET /api/openapi.json (built once from the mounted routes) and GET /api/docs; neither needs a login. */
export function docsRoutes(): Router {
  const r = Router();
  let document: unknown;
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
  r.get(
    '/docs',
    doc({
      tag: 'meta',
      summary: 'The API documentation in the browser (Swagger UI)',
      auth: 'public',
      response: { schema: R.Html, type: 'text/html' },
    }),
    (_req, res) => {
      res.type('html').send(page);
    },
  );
  return r;
}
