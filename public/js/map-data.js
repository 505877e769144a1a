// Map data: loading and shaping what the map shows. No Leaflet here.

export function t(dict, key, params = {}) {
  const text = dict[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, k) => (params[k] === undefined || params[k] === null ? '' : String(params[k])));
}

export function formatDate(lang, iso) {
  if (!iso) return '–';
  const [y, m, d] = iso.slice(0, 10).split('-');
  return lang === 'de' ? `${d}.${m}.${y}` : `${d}/${m}/${y}`;
}

export function formatNumber(lang, n, digits = 1) {
  if (n === null || n === undefined) return '–';
  return new Intl.NumberFormat(lang === 'de' ? 'de-DE' : 'en-GB', { maximumFractionDigits: digits }).format(n);
}

export function formatPercent(lang, ratio) {
  return ratio === null || ratio === undefined ? '–' : `${formatNumber(lang, Math.round(ratio * 1000) / 10)} %`;
}

const DAY = 86400000;
export const toDay = (iso) => Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY);
export const fromDay = (n) => new Date(n * DAY).toISOString().slice(0, 10);
export const addDays = (iso, n) => fromDay(toDay(iso) + n);

/** ok / near / over / unavailable, as in the legend. */
export function utilizationClass(p, nearThreshold = 0.9) {
  if (!p.available) return 'unavailable';
  if (p.needed > p.capacity) return 'over';
  if (p.utilization !== null && p.utilization >= nearThreshold && p.needed > 0) return 'near';
  return 'ok';
}

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
  const ux = dx / len; const uy = dy / len;
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
  if (res.status === 401) { window.location.href = `/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`; throw new Error('login'); }
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
    getJson(`/api/sites.geojson${query(sel)}`),
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
    if (team) return w.team_id === team.id || (w.site_id !== undefined && team.site_ids.includes(w.site_id) && (w.team_id === undefined || w.team_id === team.id));
    if (view.district_id || view.a11y) return w.site_id !== undefined ? siteIds.has(w.site_id) : w.team_id !== undefined && data.state.teams.find((tm) => tm.id === w.team_id)?.site_ids.some((id) => siteIds.has(id));
    return true;
  });
  return { sites, moves, warnings, team };
}
