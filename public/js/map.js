// The map page: draws districts, sites and moves with Leaflet, and keeps the URL in step.
import {
  applyFilters, arrowHead, displayPositions, formatDate, formatNumber, formatPercent, fromDay, getJson, loadView,
  query, radiusFor, t, toDay, utilizationClass,
} from './map-data.js';

const L = window.L;
const el = document.getElementById('map');
const config = JSON.parse(el.dataset.config);
const dict = config.dict;
const lang = config.lang;
const tr = (k, p) => t(dict, k, p);

const view = {
  date: config.date,
  scenario_id: config.scenario_id,
  district_id: config.district_id,
  team_id: config.team_id,
  a11y: config.a11y,
};

function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') node.className = v; else node.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

// Leaflet puts a string tooltip/popup into innerHTML: user-typed names must only ever reach it as
// DOM nodes. A function gives every layer its own fresh node (one node cannot sit in two tooltips).
const asText = (text) => () => h('span', {}, text);

el.textContent = '';
const map = L.map(el, { preferCanvas: false, zoomControl: true, maxZoom: 19 }).setView([48.4, 9.99], 12);
if (config.tileUrl) {
  L.tileLayer(config.tileUrl, { attribution: config.tileAttribution, maxZoom: 19 }).addTo(map);
}
map.attributionControl.addAttribution('Stadt Ulm (CC BY 3.0 DE)');

const districtLayer = L.layerGroup().addTo(map);
const moveLayer = L.layerGroup().addTo(map);
const teamLayer = L.layerGroup().addTo(map);
const siteLayer = L.layerGroup().addTo(map);
// with many sites (a whole city administration) markers are clustered: first paint stays fast
const CLUSTER_FROM = 300;
const clusterLayer = L.markerClusterGroup ? L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 50 }) : null;

const A11Y_BADGE = { full: '✓', partial: '◐', none: '✗', unknown: '?' };

async function drawDistricts() {
  const geo = await getJson('/api/districts.geojson');
  const layer = L.geoJSON(geo, {
    style: (f) => ({ className: `district${view.district_id === f.properties.id ? ' selected' : ''}`, color: '#4a6fa5', weight: 2, fillOpacity: 0.06 }),
    onEachFeature: (f, lyr) => lyr.bindTooltip(asText(f.properties.name), { permanent: true, direction: 'center', className: 'district-label' }),
  });
  districtLayer.clearLayers();
  districtLayer.addLayer(layer);
  return layer;
}

function popupFor(p) {
  const units = h('ul', { class: 'popup-units' }, p.units.map((u) => h('li', {}, `${u.unit} (${u.team}): ${formatNumber(lang, u.headcount)}`)));
  return h('div', { class: 'popup', 'data-site-id': p.id },
    h('h3', {}, p.name),
    p.address ? h('p', { class: 'muted' }, p.address) : null,
    h('p', { class: 'popup-figures' },
      h('strong', { class: 'headcount-capacity' }, `${formatNumber(lang, p.headcount)} / ${formatNumber(lang, p.capacity)}`),
      ` ${tr('site.headcount')} / ${tr('site.capacity')} · ${formatNumber(lang, p.free)} ${tr('site.free')} · ${formatPercent(lang, p.utilization)}`),
    p.needed !== p.headcount ? h('p', { class: 'muted' }, `${formatNumber(lang, p.needed)} ${tr('site.needed')}`) : null,
    h('p', {}, `${tr('site.status')}: ${tr(`status.${p.status}`)}`),
    h('p', {}, `${tr('site.accessibility')}: `, h('span', { class: `a11y a11y-${p.accessibility_rating}` }, tr(`a11y.${p.accessibility_rating}`)),
      p.accessibility_reasons.length ? h('span', { class: 'muted' }, ` (${p.accessibility_reasons.join(', ')})`) : null),
    p.units.length ? h('div', {}, h('strong', {}, tr('site.units')), units) : h('p', { class: 'muted' }, tr('site.no_units')),
    h('p', { class: 'muted' }, `${tr('site.position_precision')}: ${tr(`precision.${p.position_precision}`)}`),
    h('a', { href: `/sites/${p.id}${query({ date: view.date, scenario_id: view.scenario_id })}` }, tr('site.details')),
  );
}

function drawSites(features, positions) {
  siteLayer.clearLayers();
  const clustered = clusterLayer && features.length >= CLUSTER_FROM;
  if (clusterLayer) { clusterLayer.clearLayers(); if (clustered && !map.hasLayer(clusterLayer)) map.addLayer(clusterLayer); if (!clustered && map.hasLayer(clusterLayer)) map.removeLayer(clusterLayer); }
  const target = clustered ? clusterLayer : siteLayer;
  el.dataset.clustered = String(Boolean(clustered));
  const batch = [];
  for (const f of features) {
    const p = f.properties;
    const pos = positions.get(f.id);
    const cls = utilizationClass(p);
    const marker = L.circleMarker(pos, {
      radius: radiusFor(p.capacity), className: `site-marker util-${cls}`, weight: 2, fillOpacity: 0.75,
    });
    marker.bindPopup(() => popupFor(p), { maxWidth: 320 });
    marker.bindTooltip(asText(`${p.name}: ${formatNumber(lang, p.headcount)} / ${formatNumber(lang, p.capacity)}`));
    marker.on('add', () => {
      const path = marker.getElement();
      if (path) { path.setAttribute('data-site-id', String(p.id)); path.setAttribute('data-util', cls); }
    });
    if (clustered) { batch.push(marker); continue; }
    target.addLayer(marker);
    const badge = L.marker(pos, {
      icon: L.divIcon({ className: `a11y-badge a11y-${p.accessibility_rating}`, html: A11Y_BADGE[p.accessibility_rating] ?? '?', iconSize: [16, 16], iconAnchor: [-radiusFor(p.capacity) + 6, radiusFor(p.capacity) + 2] }),
      keyboard: false, interactive: false,
    });
    siteLayer.addLayer(badge);
  }
  if (clustered) clusterLayer.addLayers(batch);
}

function drawMoves(features, positions) {
  moveLayer.clearLayers();
  for (const f of features) {
    const p = f.properties;
    if (p.kind !== 'move') continue;
    const from = positions.get(p.from_site_id);
    const to = positions.get(p.to_site_id);
    if (!from || !to) continue;
    const status = p.status_as_of ?? p.status;
    const cls = `move-line status-${status}`;
    const line = L.polyline([from, to], { className: cls, weight: 2 + Math.min(6, Math.sqrt(p.headcount)), dashArray: status === 'proposed' ? '6 6' : null });
    const label = `${p.unit} (${p.team}): ${p.from_site} → ${p.to_site}, ${formatNumber(lang, p.headcount)} ${tr('move.headcount')}, ${formatDate(lang, p.date)}${p.until ? `, ${tr('move.until')} ${formatDate(lang, p.until)}` : ''} · ${tr(`move.status.${status}`)}`;
    line.bindTooltip(asText(label), { sticky: true });
    moveLayer.addLayer(line);
    const head = arrowHead(from, to);
    if (head) moveLayer.addLayer(L.polyline(head, { className: cls, weight: 3 }));
    if (p.until) {
      const back = arrowHead(to, from);
      if (back) moveLayer.addLayer(L.polyline(back, { className: `${cls} return`, weight: 2, dashArray: '2 4' }).bindTooltip(asText(`${tr('move.until')} ${formatDate(lang, p.until)}`)));
    }
  }
}

function drawTeam(team, state, positions) {
  teamLayer.clearLayers();
  const panel = document.getElementById('team-panel');
  const info = document.getElementById('team-info');
  if (!team) { panel.hidden = true; return; }
  panel.hidden = false;
  info.textContent = '';
  const sites = team.site_ids.map((id) => state.sites.find((s) => s.id === id)).filter(Boolean);
  info.append(h('p', {}, h('a', { href: `/teams/${team.id}${query({ date: view.date, scenario_id: view.scenario_id })}` }, team.name),
    ` · ${formatNumber(lang, team.headcount)} ${tr('site.headcount')}`));
  if (sites.length < 2) { info.append(h('p', { class: 'muted' }, tr('map.team_not_split'))); return; }
  const list = h('ul', { class: 'team-distances' });
  for (let i = 0; i < sites.length; i++) {
    for (let j = i + 1; j < sites.length; j++) {
      const a = positions.get(sites[i].id); const b = positions.get(sites[j].id);
      const m = Math.round(map.distance(a, b));
      teamLayer.addLayer(L.polyline([a, b], { className: 'team-link', weight: 3, dashArray: '1 6' }).bindTooltip(asText(`${m} m`), { permanent: true, className: 'distance-label' }));
      list.append(h('li', {}, tr('map.team_distance', { a: sites[i].name, b: sites[j].name, m: formatNumber(lang, m) })));
    }
  }
  info.append(list);
}

function drawWarnings(warnings) {
  const box = document.getElementById('warning-list');
  document.getElementById('warning-count').textContent = `(${warnings.length})`;
  box.textContent = '';
  if (!warnings.length) { box.append(h('p', { class: 'muted' }, tr('map.no_warnings'))); return; }
  const qs = query({ date: view.date, scenario_id: view.scenario_id });
  box.append(h('ul', { class: 'warnings' }, warnings.map((w) => {
    const href = w.site_id !== undefined ? `/sites/${w.site_id}${qs}` : w.team_id !== undefined ? `/teams/${w.team_id}${qs}` : null;
    const text = tr(`warning.${w.code}`, formatParams(w.params));
    return h('li', { class: `sev-${w.severity}`, 'data-code': w.code },
      h('span', { class: `badge sev-${w.severity}` }, tr(`severity.${w.severity}`)), ' ',
      href ? h('a', { href }, text) : text);
  })));
}

function formatParams(params) {
  const out = {};
  for (const [k, v] of Object.entries(params)) {
    out[k] = typeof v === 'number' ? formatNumber(lang, v) : /^\d{4}-\d{2}-\d{2}$/.test(String(v)) ? formatDate(lang, v) : v;
  }
  return out;
}

function syncUrl() {
  const url = `/${query({ date: view.date, scenario_id: view.scenario_id, district_id: view.district_id, team_id: view.team_id, a11y: view.a11y })}`;
  window.history.replaceState(null, '', url);
}

let drawSeq = 0;
let fitted = false;
async function redraw() {
  const seq = ++drawSeq;
  el.dataset.state = 'loading';
  try {
    const data = await loadView(view);
    if (seq !== drawSeq) return;
    const shown = applyFilters(data, view);
    const positions = displayPositions(data.sites.features);
    drawSites(shown.sites, positions);
    drawMoves(shown.moves, positions);
    drawTeam(shown.team, data.state, positions);
    drawWarnings(shown.warnings);
    document.getElementById('date-label').textContent = formatDate(lang, view.date);
    document.getElementById('moves-period').textContent = tr('map.moves_shown', { from: formatDate(lang, data.window.from), to: formatDate(lang, data.window.to) });
    if (!fitted && shown.sites.length) {
      fitted = true;
      map.fitBounds(L.latLngBounds(shown.sites.map((f) => positions.get(f.id))).pad(0.3), { maxZoom: 15 });
    }
    el.dataset.sites = String(shown.sites.length);
    el.dataset.warnings = String(shown.warnings.length);
    el.dataset.date = view.date;
    el.dataset.state = 'ready';
    syncUrl();
  } catch (err) {
    if (seq !== drawSeq) return;
    el.dataset.state = 'error';
    document.getElementById('warning-list').textContent = tr('map.load_failed');
    console.warn(err);
  }
}

// controls
const slider = document.getElementById('date-slider');
const dateInput = document.getElementById('date-input');
const fromDayN = toDay(config.period.from);
slider.min = '0';
slider.max = String(toDay(config.period.to) - fromDayN);
slider.value = String(Math.max(0, Math.min(Number(slider.max), toDay(view.date) - fromDayN)));
let sliderTimer = null;
slider.addEventListener('input', () => {
  view.date = fromDay(fromDayN + Number(slider.value));
  dateInput.value = view.date;
  document.getElementById('date-label').textContent = formatDate(lang, view.date);
  clearTimeout(sliderTimer);
  sliderTimer = setTimeout(redraw, 150);
});
dateInput.addEventListener('change', () => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(dateInput.value)) return;
  view.date = dateInput.value;
  slider.value = String(Math.max(0, Math.min(Number(slider.max), toDay(view.date) - fromDayN)));
  redraw();
});
document.getElementById('today-button').addEventListener('click', () => {
  view.date = config.today;
  dateInput.value = view.date;
  slider.value = String(Math.max(0, Math.min(Number(slider.max), toDay(view.date) - fromDayN)));
  redraw();
});
const bindSelect = (id, key, parse = (v) => (v ? Number(v) : null)) => {
  document.getElementById(id).addEventListener('change', (e) => { view[key] = parse(e.target.value); redraw(); if (key === 'district_id') drawDistricts(); });
};
bindSelect('scenario-select', 'scenario_id');
bindSelect('district-select', 'district_id');
bindSelect('team-select', 'team_id');
bindSelect('a11y-select', 'a11y', (v) => v || null);
document.getElementById('map-filters').addEventListener('submit', (e) => { e.preventDefault(); redraw(); });

drawDistricts().then((layer) => {
  if (!fitted && layer.getBounds().isValid()) map.fitBounds(layer.getBounds());
  return redraw();
}).catch((err) => { el.dataset.state = 'error'; console.warn(err); });
