import { storedAreaGeometry } from '../../geo/index.js';
import type { District } from '../../repositories/index.js';
import type { SiteState } from '../../planning/types.js';
import { utilView } from '../../services/presenters.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);

/**
 * A static map overview for print: district outlines and site dots as inline SVG,
 * in an equirectangular projection scaled by cos(latitude). No tiles, no script.
 */
export function overviewSvg(
  districts: District[],
  sites: SiteState[],
  pos: Map<number, { lat: number; lon: number }>,
  nearThreshold: number,
  label = '',
  width = 640,
  height = 420,
): string {
  const rings: { name: string; rings: number[][][] }[] = districts
    .flatMap((d) => {
      const g = storedAreaGeometry(d.geometry);
      return g ? [{ d, g }] : [];
    })
    .map(({ d, g }) => {
      const polys: number[][][][] = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
      return { name: d.name, rings: polys.map((p) => p[0]) };
    });
  const pts = rings.flatMap((r) => r.rings.flat());
  if (!pts.length) return '';
  const minLon = Math.min(...pts.map((p) => p[0]));
  const maxLon = Math.max(...pts.map((p) => p[0]));
  const minLat = Math.min(...pts.map((p) => p[1]));
  const maxLat = Math.max(...pts.map((p) => p[1]));
  const k = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const scale = Math.min((width - 20) / ((maxLon - minLon) * k), (height - 20) / (maxLat - minLat));
  const x = (lon: number) => 10 + (lon - minLon) * k * scale;
  const y = (lat: number) => 10 + (maxLat - lat) * scale;
  const parts: string[] = [];
  for (const r of rings) {
    for (const ring of r.rings) parts.push(`<path class="ov-district" d="M${ring.map((p) => `${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join('L')}Z"/>`);
    const c = r.rings[0].reduce((a, p) => [a[0] + p[0] / r.rings[0].length, a[1] + p[1] / r.rings[0].length], [0, 0]);
    parts.push(`<text class="ov-label" x="${x(c[0]).toFixed(1)}" y="${y(c[1]).toFixed(1)}">${esc(r.name)}</text>`);
  }
  // a figure that rests on an estimate carries ≈ in the label, as everywhere else (SPEC section 16)
  const est = (flag: boolean) => (flag ? '≈' : '');
  for (const s of sites) {
    const p = pos.get(s.id);
    if (!p) continue;
    const rr = 3 + Math.sqrt(Math.max(0, s.capacity)) * 0.8;
    const figures = `${est(s.headcount_estimated)}${s.headcount}/${est(s.capacity_estimated)}${s.capacity}`;
    parts.push(
      `<circle class="ov-site util-${utilView(s, nearThreshold).cls}" cx="${x(p.lon).toFixed(1)}" cy="${y(p.lat).toFixed(1)}" r="${rr.toFixed(1)}"><title>${esc(s.name)}: ${figures}</title></circle>`,
    );
  }
  return `<svg class="overview" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(label)}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>`;
}
