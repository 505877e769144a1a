// Map data: loading and shaping what the map shows. No Leaflet here.

export { t, formatDate, formatNumber, formatPercent } from './i18n.js';

const DAY = 86400000;
export const toDay = (iso) => Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY);
export const fromDay = (n) => new Date(n * DAY).toISOString().slice(0, 10);
export const addDays = (iso, n) => fromDay(toDay(iso) + n);

export function radiusFor(capacity) {
  return 6 + Math.sqrt(Math.max(0, capacity)) * 1.4;
}

/**
 * Sites that share a position (street-level coordinates) are spread on a small circle
 * so that each keeps its own marker. Returns [lat, lon] per feature id.
 */
export function displayPositions(features) {
  const groups = new Map();
  for (const f of features) {
    const [lon, lat] = f.geometry.coordinates;
    const k = `${lat.toFixed(5)},${lon.toFixed(5)}`;
    groups.set(k, [...(groups.get(k) ?? []), f]);
  }
  const out = new Map();
  for (const list of groups.values()) {
    list.sort((a, b) => a.id - b.id);
    list.forEach((f, i) => {
      const [lon, lat] = f.geometry.coordinates;
      if (list.length === 1) return out.set(f.id, [lat, lon]);
      const angle = (2 * Math.PI * i) / list.length;
      const r = 0.00035;
      out.set(f.id, [lat + r * Math.sin(angle), lon + (r * Math.cos(angle)) / Math.cos((lat * Math.PI) / 180)]);
    });
  }
  return out;
}

/** Two short lines forming an arrowhead at `to`, in lat/lon (local planar approximation). */
export function arrowHead(from, to, sizeDeg = 0.0009) {
  const k = Math.cos((to[0] * Math.PI) / 180);
  const dx = (to[1] - from[1]) * k;
  const dy = to[0] - from[0];
  const len = Math.hypot(dx, dy);
  if (len === 0) return null;
  const ux = dx / len;
  const uy = dy / len;
  const s = Math.min(sizeDeg, len / 3);
  const wing = (sign) => {
    const ax = -ux * Math.cos(0.5) - sign * -uy * Math.sin(0.5);
    const ay = -uy * Math.cos(0.5) - sign * ux * Math.sin(0.5);
    return [to[0] + ay * s, to[1] + (ax * s) / k];
  };
  return [wing(1), to, wing(-1)];
}

/** The window of moves the map draws around the as-of date. */
export function movesWindow(date) {
  return { from: addDays(date, -90), to: addDays(date, 365) };
}

export async function getJson(url) {
  const res = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  if (res.status === 401) {
    window.location.href = `/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`;
    throw new Error('login');
  }
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return res.json();
}

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Loads everything the map shows at one date. */
export async function loadView(view) {
  const sel = { date: view.date, scenario_id: view.scenario_id };
  const win = movesWindow(view.date);
  const [sites, moves, state] = await Promise.all([
    getJson(`/api/sites.geojson${query({ ...sel, candidates: view.candidates ? 1 : null })}`),
    getJson(`/api/moves.geojson${query({ ...win, scenario_id: view.scenario_id, as_of: view.date })}`),
    getJson(`/api/state${query(sel)}`),
  ]);
  return { sites, moves, state, window: win };
}

/** Filters features and warnings to the chosen district, team and accessibility rating. */
export function applyFilters(data, view) {
  const team = view.team_id ? data.state.teams.find((tm) => tm.id === view.team_id) : null;
  const keep = (f) => {
    const p = f.properties;
    if (view.district_id && p.district_id !== view.district_id) return false;
    if (view.a11y && p.accessibility_rating !== view.a11y) return false;
    if (team && !team.site_ids.includes(p.id)) return false;
    return true;
  };
  const sites = data.sites.features.filter(keep);
  const siteIds = new Set(sites.map((f) => f.properties.id));
  const moves = data.moves.features.filter((f) => {
    const p = f.properties;
    if (team && p.team_id !== team.id) return false;
    if (view.district_id || view.a11y) return siteIds.has(p.from_site_id) || siteIds.has(p.to_site_id);
    return true;
  });
  const warnings = data.state.warnings.filter((w) => {
    if (team)
      return w.team_id === team.id || (w.site_id !== undefined && team.site_ids.includes(w.site_id) && (w.team_id === undefined || w.team_id === team.id));
    if (view.district_id || view.a11y)
      return w.site_id !== undefined
        ? siteIds.has(w.site_id)
        : w.team_id !== undefined && data.state.teams.find((tm) => tm.id === w.team_id)?.site_ids.some((id) => siteIds.has(id));
    return true;
  });
  return { sites, moves, warnings, team };
}

/** A symbol per utilisation class, so the state is told by shape and text, not by colour alone. */
export const UTIL_SYMBOL = { ok: '●', near: '◆', over: '▲', unavailable: '✕' };

/**
 * Whether a site belongs on the map at the date: a site that is closed then and holds nobody is
 * history (or not yet there) — drawn only while a shown move still starts or ends at it.
 */
export function siteDrawn(p, moveSiteIds = new Set()) {
  if (p.headcount > 0 || p.needed > 0) return true;
  if (p.status === 'closed') return moveSiteIds.has(p.id);
  return true;
}

/** Warnings grouped by code: [{code, severity, count, items}], most severe first, then most frequent. */
export function groupWarnings(warnings, byCode = null) {
  const rank = { error: 0, warning: 1, info: 2 };
  const groups = new Map();
  for (const w of warnings) {
    let g = groups.get(w.code);
    if (!g) {
      g = { code: w.code, severity: w.severity, count: 0, items: [] };
      groups.set(w.code, g);
    }
    g.items.push(w);
    g.count += 1;
    if ((rank[w.severity] ?? 3) < (rank[g.severity] ?? 3)) g.severity = w.severity;
  }
  // the server's full counts (a state returns at most `warnings_limit` warnings)
  if (byCode) for (const g of groups.values()) if (typeof byCode[g.code] === 'number' && byCode[g.code] > g.count) g.count = byCode[g.code];
  return [...groups.values()].sort((a, b) => (rank[a.severity] ?? 3) - (rank[b.severity] ?? 3) || b.count - a.count || a.code.localeCompare(b.code));
}

/** How many sites have each accessibility rating. */
export function ratingCounts(features) {
  const out = { full: 0, partial: 0, none: 0, unknown: 0 };
  for (const f of features) out[f.properties.accessibility_rating] = (out[f.properties.accessibility_rating] ?? 0) + 1;
  return out;
}

/**
 * Greedy label placement: boxes [{x, y, w, h, priority, alts?: [{dx, dy}]}] in screen pixels,
 * optionally kept inside `bounds` {x, y, w, h}.
 * Returns Map index → the offset {dx, dy} it is shown at (first alternative that collides with
 * nothing placed before; higher priority placed first). Boxes without alts stay where they are.
 */
export function declutter(boxes, pad = 2, bounds = null) {
  const order = boxes.map((b, i) => i).sort((a, b) => boxes[b].priority - boxes[a].priority || a - b);
  const placed = [];
  const shown = new Map();
  const hits = (b) => placed.some((p) => b.x < p.x + p.w + pad && p.x < b.x + b.w + pad && b.y < p.y + p.h + pad && p.y < b.y + b.h + pad);
  for (const i of order) {
    const b = boxes[i];
    for (const alt of b.alts ?? [{ dx: 0, dy: 0 }]) {
      const moved = { x: b.x + alt.dx, y: b.y + alt.dy, w: b.w, h: b.h };
      if (bounds && b.alts && (moved.x < bounds.x || moved.y < bounds.y || moved.x + moved.w > bounds.x + bounds.w || moved.y + moved.h > bounds.y + bounds.h))
        continue;
      if (hits(moved)) continue;
      placed.push(moved);
      shown.set(i, alt);
      break;
    }
  }
  return shown;
}

/**
 * Markers whose circles overlap on screen are spread on a ring around their common centre.
 * points: [{id, x, y, r}] in pixels → Map id → {x, y} (unchanged for a marker that overlaps none).
 */
export function spreadOverlapping(points, gap = 3) {
  const parent = points.map((_, i) => i);
  const find = (i) => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const overlap = (a, b) => Math.hypot(a.x - b.x, a.y - b.y) < a.r + b.r + gap;
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) if (overlap(points[i], points[j])) parent[find(i)] = find(j);
  }
  const layout = () => {
    const groups = new Map();
    points.forEach((p, i) => {
      const k = find(i);
      groups.set(k, [...(groups.get(k) ?? []), i]);
    });
    const out = points.map((p) => ({ x: p.x, y: p.y, r: p.r }));
    for (const idx of groups.values()) {
      if (idx.length === 1) continue;
      idx.sort((a, b) => points[a].id - points[b].id);
      const cx = idx.reduce((s, i) => s + points[i].x, 0) / idx.length;
      const cy = idx.reduce((s, i) => s + points[i].y, 0) / idx.length;
      const maxR = Math.max(...idx.map((i) => points[i].r));
      // a ring on which neighbouring circles just do not touch
      const ring = Math.max(maxR + gap, (2 * maxR + gap) / (2 * Math.sin(Math.PI / idx.length)));
      idx.forEach((i, k) => {
        const angle = -Math.PI / 2 + (2 * Math.PI * k) / idx.length;
        out[i] = { x: cx + ring * Math.cos(angle), y: cy + ring * Math.sin(angle), r: points[i].r };
      });
    }
    return out;
  };
  // rings of neighbouring groups may touch each other: merge those groups and lay out again
  let pos = layout();
  for (let round = 0; round < 6; round++) {
    let merged = false;
    for (let i = 0; i < points.length; i++) {
      for (let j = i + 1; j < points.length; j++) {
        if (find(i) !== find(j) && overlap(pos[i], pos[j])) {
          parent[find(i)] = find(j);
          merged = true;
        }
      }
    }
    if (!merged) break;
    pos = layout();
  }
  return new Map(points.map((p, i) => [p.id, { x: pos[i].x, y: pos[i].y }]));
}

/** Great-circle distance in metres (the formula and earth radius the server uses). */
export function distanceM(a, b) {
  const R = 6371008.8;
  const rad = Math.PI / 180;
  const dLat = (b[0] - a[0]) * rad;
  const dLon = (b[1] - a[1]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.sin(dLon / 2) ** 2 * Math.cos(a[0] * rad) * Math.cos(b[0] * rad);
  return Math.round(2 * R * Math.atan2(Math.sqrt(h), Math.sqrt(1 - h)));
}
