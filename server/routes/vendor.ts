/**
 * The browser libraries, served by the app itself (no CDN), as ES modules: Leaflet's own ESM build;
 * Leaflet.markercluster (a UMD script that extends a global `L`) wrapped into a module that extends
 * a copy of Leaflet's exports; Chart.js's ESM build with its one bare import (`@kurkle/color`)
 * pointed at the served file. The wrapped and rewritten texts are made once per process.
 */
import express, { Router } from 'express';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../config.js';

const nm = (p: string) => path.join(PROJECT_ROOT, 'node_modules', p);

/** Leaflet.markercluster as a module: `import { markerClusterGroup } from '/vendor/markercluster/markercluster.esm.js'`. */
function markerClusterModule(): string {
  const source = fs.readFileSync(nm('leaflet.markercluster/dist/leaflet.markercluster-src.js'), 'utf8');
  return [
    "import * as Leaflet from '/vendor/leaflet/leaflet-src.esm.js';",
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
  return fs.readFileSync(file, 'utf8').replace(/(from |import )'@kurkle\/color'/g, "$1'/vendor/kurkle-color/color.esm.js'");
}

export function vendorAssets(opts: { maxAge: string | number; fallthrough: false }): Router {
  const r = Router();
  const js = (res: express.Response, text: string) => {
    res.type('text/javascript');
    if (opts.maxAge) res.set('Cache-Control', `public, max-age=${typeof opts.maxAge === 'string' ? 7 * 86400 : Math.round(opts.maxAge / 1000)}`);
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
