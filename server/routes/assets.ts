/**
 * The browser assets, all served by the app itself (no CDN). Pages name them at versioned addresses
 * (`/assets/<version>/static/…`, `/assets/<version>/vendor/…`), the version a hash of what they are
 * made of: a browser keeps such a file for a year in production and asks again only when a new
 * version of the app names new addresses, so an update is seen at once and never mixes old scripts
 * with new pages. The plain addresses (`/static/…`, `/vendor/…`) stay, always revalidated. Scripts
 * import each other by relative paths, so a module graph stays under the address its page named.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { PROJECT_ROOT } from '../config.js';
import { AppError } from '../errors.js';

/**
 * A short hash of the files under `public/`, the locked libraries (package-lock.json: the vendor
 * files) and the code that serves them (the server bundle in production).
 */
export function assetVersion(root: string = PROJECT_ROOT, code: string = fileURLToPath(import.meta.url)): string {
  const hash = crypto.createHash('sha256');
  const add = (file: string) => {
    hash.update(path.relative(root, file));
    hash.update('\0');
    hash.update(fs.readFileSync(file));
    hash.update('\0');
  };
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) add(p);
    }
  };
  walk(path.join(root, 'public'));
  for (const f of [path.join(root, 'package-lock.json'), code]) if (fs.existsSync(f)) add(f);
  return hash.digest('hex').slice(0, 12);
}

/** The routes of the assets; `asset(p)` is the versioned address of `/static/…` or `/vendor/…` for the pages. */
export function assets(production: boolean): { router: express.Router; asset: (p: string) => string } {
  const version = assetVersion();
  const r = express.Router();
  const files = (caching: AssetCaching) => {
    const f = express.Router();
    const opts = { ...caching, fallthrough: false as const };
    f.use('/vendor', vendorAssets(opts));
    f.use('/static', express.static(path.join(PROJECT_ROOT, 'public'), opts));
    return f;
  };
  // this version's files are kept a year (in production); an older page's addresses get today's files, revalidated
  r.use(`/assets/${version}`, files(production ? { maxAge: 365 * 24 * 3600 * 1000, immutable: true } : { maxAge: 0 }));
  r.use('/assets/:other', files({ maxAge: 0 }));
  r.use(files({ maxAge: 0 }));
  r.get('/favicon.ico', (_req, res) => res.redirect(301, `/assets/${version}/static/favicon.svg`));
  // a missing asset, or a path that tries to leave the folder, is simply not there: 404, never 500
  r.use(['/static', '/vendor', '/assets'], (err: { status?: number; statusCode?: number }, _req: Request, _res: Response, next: NextFunction) => {
    const status = err?.status ?? err?.statusCode;
    next(typeof status === 'number' && status < 500 ? new AppError(404, 'NOT_FOUND', 'no such file') : err);
  });
  return { router: r, asset: (p: string) => (p.startsWith('/static/') || p.startsWith('/vendor/') ? `/assets/${version}${p}` : p) };
}

/*
 * The browser libraries as ES modules: Leaflet's own ESM build; Leaflet.markercluster (a UMD script
 * that extends a global `L`) wrapped into a module that extends a copy of Leaflet's exports;
 * Chart.js's ESM build with its one bare import (`@kurkle/color`) pointed at the served file. The
 * wrapped and rewritten texts are made once per process; their imports are relative.
 */

const nm = (p: string) => path.join(PROJECT_ROOT, 'node_modules', p);

/** How long a browser may keep the files (express.static's options). */
export interface AssetCaching {
  /** milliseconds */
  maxAge: number;
  immutable?: boolean;
}

/** Leaflet.markercluster as a module: `import { markerClusterGroup } from '…/vendor/markercluster/markercluster.esm.js'`. */
function markerClusterModule(): string {
  const source = fs.readFileSync(nm('leaflet.markercluster/dist/leaflet.markercluster-src.js'), 'utf8');
  return [
    "import * as Leaflet from '../leaflet/leaflet-src.esm.js';",
    // the plugin adds to `L` (L.MarkerClusterGroup, L.markerClusterGroup): a copy of the namespace, which is read-only
    'const L = { ...Leaflet };',
    // the plugin's UMD header takes the CommonJS branch when `exports` and `module` exist
    'const exports = {};',
    'const module = { exports };',
    source.replace(/\/\/# sourceMappingURL=.*$/m, ''),
    'export const MarkerClusterGroup = L.MarkerClusterGroup;',
    'export const markerClusterGroup = L.markerClusterGroup;',
  ].join('\n');
}

/** Chart.js's ESM files with the bare `@kurkle/color` import pointed at the served file. */
function chartFile(rel: string): string | null {
  const file = path.resolve(nm('chart.js/dist'), rel);
  if (!file.startsWith(nm('chart.js/dist') + path.sep) || !file.endsWith('.js') || !fs.existsSync(file)) return null;
  // served at /vendor/chart.js/<rel>: up as many folders as <rel> is deep, and one more
  const up = '../'.repeat(rel.split('/').length);
  return fs.readFileSync(file, 'utf8').replace(/(from |import )'@kurkle\/color'/g, `$1'${up}kurkle-color/color.esm.js'`);
}

export function vendorAssets(opts: AssetCaching & { fallthrough: false }): Router {
  const r = Router();
  const cacheControl = `public, max-age=${Math.round(opts.maxAge / 1000)}${opts.immutable ? ', immutable' : ''}`;
  const js = (res: express.Response, text: string) => {
    res.type('text/javascript');
    res.set('Cache-Control', cacheControl);
    res.send(text);
  };
  let cluster: string | undefined;
  r.get('/markercluster/markercluster.esm.js', (_req, res) => js(res, (cluster ??= markerClusterModule())));
  const charts = new Map<string, string | null>();
  r.get(/^\/chart\.js\/(.+\.js)$/, (req, res, next) => {
    const rel = (req.params as Record<string, string>)[0];
    if (!charts.has(rel)) charts.set(rel, chartFile(rel));
    const text = charts.get(rel);
    if (text === null || text === undefined) return next();
    js(res, text);
  });
  r.use('/leaflet', express.static(nm('leaflet/dist'), opts));
  r.use('/markercluster', express.static(nm('leaflet.markercluster/dist'), opts));
  r.use('/chart.js', express.static(nm('chart.js/dist'), opts));
  r.use('/kurkle-color', express.static(nm('@kurkle/color/dist'), opts));
  return r;
}
