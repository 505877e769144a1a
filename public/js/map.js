// The map page: draws districts, sites and moves with Leaflet, and keeps the URL in step.
// Every marker and move line can be reached with the keyboard and has a name; a list of the same
// sites stands next to the map. User-typed text reaches the DOM only as text nodes.
import {
  applyFilters,
  arrowHead,
  declutter,
  displayPositions,
  distanceM,
  formatDate,
  formatNumber,
  formatPercent,
  fromDay,
  getJson,
  groupWarnings,
  loadView,
  query,
  radiusFor,
  ratingCounts,
  siteDrawn,
  spreadOverlapping,
  t,
  toDay,
  UTIL_SYMBOL,
} from './map-data.js';

const L = window.L;
const el = document.getElementById('map');
const config = JSON.parse(el.dataset.config);
const dict = config.dict;
const lang = config.lang;
// ok / near / over / unavailable; the near-capacity threshold is the server's configuration (NEAR_CAPACITY_THRESHOLD)
/** ok / near / over / unavailable, as in the legend: the server decides (sites.geojson `load_level`). */
const levelOf = (p) => p.load_level;
const tr = (k, p) => t(dict, k, p);

const view = {
  date: config.date,
  scenario_id: config.scenario_id,
  district_id: config.district_id,
  team_id: config.team_id,
  a11y: config.a11y,
  warning_code: config.warning_code ?? null,
  candidates: config.candidates,
};

function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') node.className = v;
    else node.setAttribute(k, v);
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
const map = L.map(el, { preferCanvas: false, zoomControl: false, maxZoom: 19 }).setView([48.4, 9.99], 12);
L.control.zoom({ zoomInTitle: tr('map.zoom_in'), zoomOutTitle: tr('map.zoom_out') }).addTo(map);
// Leaflet's popup close button speaks English: name it in the page's language
map.on('popupopen', (e) => {
  const close = e.popup.getElement()?.querySelector('.leaflet-popup-close-button');
  if (close) close.setAttribute('aria-label', tr('map.close_popup'));
});
if (config.tileUrl) {
  L.tileLayer(config.tileUrl, { attribution: config.tileAttribution, maxZoom: 19 }).addTo(map);
}
map.attributionControl.addAttribution('Stadt Ulm (CC BY 3.0 DE)');
map.attributionControl.setPrefix('Leaflet');

// the legend sits on the map, collapsible (the server renders it in the sidebar for pages without script)
const legendNode = document.getElementById('map-legend');
if (legendNode) {
  const Legend = L.Control.extend({
    onAdd() {
      const box = h('details', { class: 'map-legend leaflet-bar', open: window.innerWidth > 800 ? '' : null }, h('summary', {}, tr('map.legend')));
      legendNode.querySelector('h2')?.remove();
      legendNode.classList.remove('legend');
      box.append(legendNode);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    },
  });
  new Legend({ position: 'bottomright' }).addTo(map);
}

const districtLayer = L.layerGroup().addTo(map);
const moveLayer = L.layerGroup().addTo(map);
const teamLayer = L.layerGroup().addTo(map);
const siteLayer = L.layerGroup().addTo(map);
const labelLayer = L.layerGroup().addTo(map);
// with many sites (a whole city administration) markers are clustered: first paint stays fast
const CLUSTER_FROM = 300;
const clusterLayer = L.markerClusterGroup ? L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 50 }) : null;

const A11Y_BADGE = { full: '✓', partial: '◐', none: '✗', unknown: '?' };
let districtBounds = new Map();

async function drawDistricts() {
  const geo = await getJson('/api/districts.geojson');
  districtBounds = new Map();
  const layer = L.geoJSON(geo, {
    style: (f) => ({
      className: `district${view.district_id === f.properties.id ? ' selected' : ''}`,
      color: '#4a6fa5',
      weight: 2,
      fillOpacity: 0.06,
      interactive: false,
    }),
    onEachFeature: (f, lyr) => {
      districtBounds.set(f.properties.id, lyr.getBounds());
      lyr.bindTooltip(asText(f.properties.name), { permanent: true, direction: 'center', className: 'district-label' });
    },
  });
  districtLayer.clearLayers();
  districtLayer.addLayer(layer);
  return layer;
}

function zoomToDistrict() {
  const b = view.district_id ? districtBounds.get(view.district_id) : null;
  if (b && b.isValid()) map.fitBounds(b.pad(0.05), { maxZoom: 16 });
}

const utilText = (cls) => tr(`map.util.${cls}`);
const warningTitle = (code) => dict[`warning.title.${code}`] ?? dict[`warning.meaning.${code}`] ?? code;
/** "Haslacher Weg 89: 12 von 12 Plätzen belegt (voll)" */
/** a number with ≈ when it rests on an estimate */
const approx = (flag, n) => `${flag ? '≈' : ''}${formatNumber(lang, n)}`;
const siteName = (p) =>
  tr('map.marker_name', {
    name: p.name,
    headcount: approx(p.headcount_estimated, p.headcount),
    capacity: approx(p.capacity_estimated, p.capacity),
    state: utilText(levelOf(p)),
  });
const shortName = (p) => p.short_name || p.name;

/** Accessibility reasons in the page's language: translated by code, the server's text only as a fallback. */
function reasonTexts(p) {
  const coded = p.accessibility_reason_codes ?? (p.accessibility_reasons ?? []).filter((r) => typeof r === 'object');
  if (coded.length) return coded.map((r) => (dict[`reason.${r.code}`] ? tr(`reason.${r.code}`, formatParams(r.params)) : (r.message ?? r.text ?? r.code)));
  return (p.accessibility_reasons ?? []).map((r) => (typeof r === 'string' ? r : (r.message ?? r.code)));
}

function popupFor(p) {
  // ≈ before every number that rests on an estimate (legend: "geschätzt")
  const est = (flag) => (flag ? h('span', { class: 'est', title: tr('common.estimated') }, '≈') : null);
  const units = h(
    'ul',
    { class: 'popup-units' },
    p.units.map((u) => h('li', {}, `${u.unit} (${u.team}): `, est(u.headcount_estimated), formatNumber(lang, u.headcount))),
  );
  const cls = levelOf(p);
  return h(
    'div',
    { class: 'popup', 'data-site-id': p.id },
    h('h3', { tabindex: '-1' }, p.name),
    p.address ? h('p', { class: 'muted' }, p.address) : null,
    h(
      'p',
      { class: 'popup-figures' },
      h(
        'strong',
        { class: 'headcount-capacity' },
        est(p.headcount_estimated),
        formatNumber(lang, p.headcount),
        ' / ',
        p.status === 'renovation' && !p.available ? tr('status.renovation') : [est(p.capacity_estimated), formatNumber(lang, p.capacity)],
      ),
      ` ${tr('site.headcount')} / ${tr('site.capacity')} · `,
      est(p.headcount_estimated || p.capacity_estimated),
      `${formatNumber(lang, p.free)} ${tr('site.free')} · ${formatPercent(lang, p.utilization)}`,
    ),
    h('p', {}, h('span', { class: `util-text util-${cls}`, 'aria-hidden': 'true' }, UTIL_SYMBOL[cls]), ` ${utilText(cls)}`),
    p.assessment ? h('p', { class: 'popup-assessment' }, h('q', {}, p.assessment), ` (${p.assessment_source ?? ''})`) : null,
    p.needed !== p.headcount ? h('p', { class: 'muted' }, `${formatNumber(lang, p.needed)} ${tr('site.needed')}`) : null,
    h('p', {}, `${tr('site.status')}: ${tr(`status.${p.status}`)}`),
    h(
      'p',
      {},
      `${tr('site.accessibility')}: `,
      h('span', { class: `a11y a11y-${p.accessibility_rating}` }, tr(`a11y.${p.accessibility_rating}`)),
      reasonTexts(p).length ? h('span', { class: 'muted' }, ` (${reasonTexts(p).join(', ')})`) : null,
    ),
    p.units.length ? h('div', {}, h('strong', {}, tr('site.units')), units) : h('p', { class: 'muted' }, tr('site.no_units')),
    h('p', { class: 'muted' }, `${tr('site.position_precision')}: ${tr(`precision.${p.position_precision}`)}`),
    h('a', { href: `/sites/${p.id}${query({ date: view.date, scenario_id: view.scenario_id })}`, class: 'popup-details' }, tr('site.details')),
  );
}

/** Makes a vector layer (SVG path) a keyboard stop with a name; Enter or Space opens its popup. */
function focusable(layer, name, onOpen) {
  layer.on('add', () => {
    const path = layer.getElement();
    if (!path) return;
    path.setAttribute('tabindex', '0');
    path.setAttribute('role', 'button');
    path.setAttribute('aria-label', name);
    path.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' && e.key !== ' ') return;
      e.preventDefault();
      onOpen();
    });
  });
}

/** After a popup opened from the keyboard, focus moves into it; Escape brings it back. */
function openPopupFromKeyboard(layer) {
  const back = layer.getElement();
  layer.openPopup();
  const popup = layer.getPopup();
  const node = popup?.getElement();
  if (!node) return;
  const target = node.querySelector('h3[tabindex], [tabindex="-1"]') ?? node.querySelector('a');
  target?.focus();
  node.addEventListener(
    'keydown',
    (e) => {
      if (e.key === 'Escape') {
        layer.closePopup();
        back?.focus();
      }
    },
    { once: true },
  );
}

const markers = new Map(); // site id → { marker, badge, label, feature }

function drawSites(features, positions) {
  siteLayer.clearLayers();
  labelLayer.clearLayers();
  markers.clear();
  const clustered = clusterLayer && features.length >= CLUSTER_FROM;
  if (clusterLayer) {
    clusterLayer.clearLayers();
    if (clustered && !map.hasLayer(clusterLayer)) map.addLayer(clusterLayer);
    if (!clustered && map.hasLayer(clusterLayer)) map.removeLayer(clusterLayer);
  }
  const target = clustered ? clusterLayer : siteLayer;
  el.dataset.clustered = String(Boolean(clustered));
  const batch = [];
  for (const f of features) {
    const p = f.properties;
    const pos = positions.get(f.id);
    const cls = levelOf(p);
    const marker = siteMarker(p, pos, cls);
    if (clustered) {
      batch.push(marker);
      continue;
    }
    focusable(marker, siteName(p), () => openPopupFromKeyboard(marker));
    target.addLayer(marker);
    // the accessibility sign opens the same site (a mouse target only: the marker is the keyboard stop)
    const r = radiusFor(p.capacity);
    const { badge, label, fillBadge, fillLabel } = siteBadgeAndLabel(p, pos, cls, r, marker);
    markers.set(p.id, { marker, badge, label, feature: f, base: pos, r, fillBadge, fillLabel });
  }
  if (clustered) clusterLayer.addLayers(batch);
}

/** A site's circle: sized by capacity, coloured by utilization, with its popup and tooltip. */
function siteMarker(p, pos, cls) {
  const marker = L.circleMarker(pos, {
    radius: radiusFor(p.capacity),
    className: `site-marker util-${cls}`,
    weight: cls === 'over' ? 4 : 2,
    fillOpacity: 0.75,
  });
  marker.bindPopup(() => popupFor(p), { maxWidth: 320 });
  marker.bindTooltip(
    asText(
      `${p.name}: ${p.headcount_estimated ? '≈' : ''}${formatNumber(lang, p.headcount)} / ${p.capacity_estimated ? '≈' : ''}${formatNumber(lang, p.capacity)}`,
    ),
  );
  marker.on('add', () => {
    const path = marker.getElement();
    if (path) {
      path.setAttribute('data-site-id', String(p.id));
      path.setAttribute('data-util', cls);
    }
  });
  return marker;
}

/**
 * The accessibility sign beside a site's circle (it opens the same site) and the label with short name and
 * belegt/Plätze; both are added to their layers.
 */
function siteBadgeAndLabel(p, pos, cls, r, marker) {
  const badge = L.marker(pos, {
    icon: L.divIcon({
      className: `a11y-badge a11y-${p.accessibility_rating}`,
      html: A11Y_BADGE[p.accessibility_rating] ?? '?',
      iconSize: [16, 16],
      iconAnchor: [-r + 6, r + 2],
    }),
    keyboard: false,
    interactive: true,
    bubblingMouseEvents: false,
  });
  badge.on('click', () => marker.openPopup());
  const fillBadge = () => {
    const e = badge.getElement();
    if (e) {
      e.setAttribute('aria-hidden', 'true');
      e.dataset.siteId = String(p.id);
    }
  };
  badge.on('add', fillBadge);
  siteLayer.addLayer(badge);
  // a label: short name and belegt/Plätze, with the state's symbol (shown when there is room)
  const label = L.marker(pos, {
    icon: L.divIcon({ className: 'site-label-anchor', html: '', iconSize: null, iconAnchor: [-r - 4, 9] }),
    keyboard: false,
    interactive: false,
  });
  const fillLabel = () => {
    const e = label.getElement();
    if (!e) return;
    e.textContent = '';
    e.setAttribute('aria-hidden', 'true');
    e.append(
      h(
        'span',
        { class: `site-label util-${cls}`, 'data-site-id': p.id },
        h('span', { class: 'sym' }, UTIL_SYMBOL[cls]),
        ' ',
        h('span', { class: 'nm' }, shortName(p)),
        ' ',
        h('span', { class: 'fig' }, `${approx(p.headcount_estimated, p.headcount)}/${approx(p.capacity_estimated, p.capacity)}`),
      ),
    );
  };
  label.on('add', fillLabel);
  labelLayer.addLayer(label);
  return { badge, label, fillBadge, fillLabel };
}

/** Spreads overlapping markers at the current zoom and shows the labels that fit. */
function layoutSites() {
  if (!markers.size) return;
  const entries = [...markers.values()];
  // circles shrink when zoomed out (the whole city on a phone), so fewer of them need moving
  const zoomNow = map.getZoom();
  const scale = zoomNow >= 14 ? 1 : zoomNow <= 11 ? 0.6 : 0.6 + ((zoomNow - 11) * 0.4) / 3;
  const radius = (m) => radiusFor(m.feature.properties.capacity) * scale;
  const pts = entries.map((m) => {
    const pt = map.latLngToLayerPoint(m.base);
    return { id: m.feature.id, x: pt.x, y: pt.y, r: radius(m) };
  });
  const spread = spreadOverlapping(pts);
  for (const m of entries) {
    const s = spread.get(m.feature.id);
    const ll = map.layerPointToLatLng(L.point(s.x, s.y));
    const r = radius(m);
    m.marker.setRadius(r);
    m.marker.setLatLng(ll);
    m.badge.setLatLng(ll);
    m.label.setLatLng(ll);
    if (m.r !== r) {
      m.r = r;
      m.badge.setIcon(
        L.divIcon({
          className: m.badge.options.icon.options.className,
          html: m.badge.options.icon.options.html,
          iconSize: [16, 16],
          iconAnchor: [-r + 6, r + 2],
        }),
      );
      m.label.setIcon(L.divIcon({ className: 'site-label-anchor', html: '', iconSize: null, iconAnchor: [-r - 4, 9] }));
      m.fillBadge();
      m.fillLabel();
    }
  }
  // labels: from zoom 11 on, the ones that do not collide (over capacity first)
  const zoom = map.getZoom();
  const prio = { over: 3, near: 2, unavailable: 0, ok: 1 };
  const boxes = [];
  for (const m of entries) {
    const e = m.label.getElement()?.firstElementChild;
    if (!e) {
      boxes.push({ x: 0, y: 0, w: 0, h: 0, priority: -1, alts: [] });
      continue;
    }
    e.classList.remove('hidden-label');
    e.style.left = '';
    e.style.top = '';
    const rect = e.getBoundingClientRect();
    const cls = levelOf(m.feature.properties);
    const r = radius(m);
    // right of the marker, left of it, above, below
    const alts = [
      { dx: 0, dy: 0 },
      { dx: -(rect.width + 2 * r + 8), dy: 0 },
      { dx: -(rect.width / 2 + r + 4), dy: -(r + rect.height / 2 + 4) },
      { dx: -(rect.width / 2 + r + 4), dy: r + rect.height / 2 + 4 },
    ];
    boxes.push({ x: rect.left, y: rect.top, w: rect.width, h: rect.height, priority: prio[cls] ?? 0, alts });
  }
  // markers and their accessibility signs are obstacles too
  const rectOf = (e) => {
    const r = e ? e.getBoundingClientRect() : { left: 0, top: 0, width: 0, height: 0 };
    return { x: r.left, y: r.top, w: r.width, h: r.height, priority: 10 };
  };
  const obstacles = entries.flatMap((m) => [rectOf(m.marker.getElement()), rectOf(m.badge.getElement())]);
  const frame = el.getBoundingClientRect();
  const shown = zoom >= 11 ? declutter([...obstacles, ...boxes], 2, { x: frame.left, y: frame.top, w: frame.width, h: frame.height }) : new Map();
  let count = 0;
  entries.forEach((m, i) => {
    const e = m.label.getElement()?.firstElementChild;
    if (!e) return;
    const at = shown.get(obstacles.length + i);
    e.classList.toggle('hidden-label', !at);
    if (at) {
      count += 1;
      e.style.left = `${at.dx}px`;
      e.style.top = `${at.dy}px`;
    }
  });
  el.dataset.labels = String(count);
}
map.on('zoomend', layoutSites);

// the status as of the shown date: a move dated later is still planned then, never done
const moveStatus = (p) => p.status_as_of ?? p.status;

function moveLabel(p) {
  return `${p.unit} (${p.team}): ${p.from_site} → ${p.to_site}, ${formatNumber(lang, p.headcount)} ${tr('move.headcount')}, ${formatDate(lang, p.date)}${p.until ? `, ${tr('move.until')} ${formatDate(lang, p.until)}` : ''} · ${tr(`move.status.${moveStatus(p)}`)}`;
}

function drawMoves(features, positions) {
  moveLayer.clearLayers();
  for (const f of features) {
    const p = f.properties;
    if (p.kind !== 'move') continue;
    const from = positions.get(p.from_site_id);
    const to = positions.get(p.to_site_id);
    if (!from || !to) continue;
    const status = moveStatus(p);
    const cls = `move-line status-${status}`;
    const line = L.polyline([from, to], { className: cls, weight: 2 + Math.min(6, Math.sqrt(p.headcount)), dashArray: status === 'proposed' ? '6 6' : null });
    const label = moveLabel(p);
    line.bindTooltip(asText(label), { sticky: true });
    line.bindPopup(() =>
      h('div', { class: 'popup' }, h('p', { tabindex: '-1' }, label), h('a', { href: `/moves${query({ highlight: p.id })}` }, tr('map.move_details'))),
    );
    line.on('add', () => {
      const e = line.getElement();
      if (e) e.setAttribute('data-move-id', String(p.id));
    });
    focusable(line, `${tr('map.move')}: ${label}`, () => openPopupFromKeyboard(line));
    moveLayer.addLayer(line);
    const head = arrowHead(from, to);
    if (head) moveLayer.addLayer(L.polyline(head, { className: cls, weight: 3, interactive: false }));
    if (p.until) {
      const back = arrowHead(to, from);
      if (back) moveLayer.addLayer(L.polyline(back, { className: `${cls} return`, weight: 2, dashArray: '2 4', interactive: false }));
    }
  }
}

function drawTeam(team, state, features) {
  teamLayer.clearLayers();
  const panel = document.getElementById('team-panel');
  const info = document.getElementById('team-info');
  if (!team) {
    panel.hidden = true;
    return;
  }
  panel.hidden = false;
  info.textContent = '';
  const sites = team.site_ids.map((id) => state.sites.find((s) => s.id === id)).filter(Boolean);
  info.append(
    h(
      'p',
      {},
      h('a', { href: `/teams/${team.id}${query({ date: view.date, scenario_id: view.scenario_id })}` }, team.name),
      ` · ${formatNumber(lang, team.headcount)} ${tr('site.headcount')}`,
    ),
  );
  if (sites.length < 2 || team.split === false) {
    info.append(h('p', { class: 'muted' }, tr('map.team_not_split')));
    if (sites.length < 2) return;
  }
  // distances between the buildings' real positions (as the warnings and the team page measure them)
  const where = new Map(features.map((f) => [f.id, [f.geometry.coordinates[1], f.geometry.coordinates[0]]]));
  const list = h('ul', { class: 'team-distances' });
  for (let i = 0; i < sites.length; i++) {
    for (let j = i + 1; j < sites.length; j++) {
      const a = where.get(sites[i].id);
      const b = where.get(sites[j].id);
      if (!a || !b) continue;
      const m = distanceM(a, b);
      teamLayer.addLayer(
        L.polyline([a, b], { className: 'team-link', weight: 3, dashArray: '1 6', interactive: false }).bindTooltip(asText(`${formatNumber(lang, m)} m`), {
          permanent: true,
          className: 'distance-label',
        }),
      );
      list.append(h('li', {}, tr('map.team_distance', { a: sites[i].name, b: sites[j].name, m: formatNumber(lang, m) })));
    }
  }
  info.append(list);
}

function formatParams(params) {
  const out = {};
  for (const [k, v] of Object.entries(params ?? {})) {
    out[k] = typeof v === 'number' ? formatNumber(lang, v) : /^\d{4}-\d{2}-\d{2}$/.test(String(v)) ? formatDate(lang, v) : v;
  }
  return out;
}

/** Warnings grouped by code, with counts and a filter; a group with many entries starts closed. */
function drawWarnings(warnings, byCode, emptyReason) {
  const box = document.getElementById('warning-list');
  const filter = document.getElementById('warning-filter');
  const groups = groupWarnings(warnings, byCode);
  const total = groups.reduce((s, g) => s + g.count, 0);
  document.getElementById('warning-count').textContent = `(${formatNumber(lang, total)})`;
  // the filter lists the codes present
  filter.textContent = '';
  filter.append(h('option', { value: '' }, tr('map.warnings_all', { n: formatNumber(lang, total) })));
  for (const g of groups)
    filter.append(
      h('option', { value: g.code, selected: view.warning_code === g.code ? '' : null }, `${warningTitle(g.code)} (${formatNumber(lang, g.count)})`),
    );
  if (view.warning_code && !groups.some((g) => g.code === view.warning_code)) view.warning_code = null;
  filter.value = view.warning_code ?? '';
  box.textContent = '';
  if (!warnings.length) {
    box.append(h('p', { class: 'muted' }, emptyReason ?? tr('map.no_warnings')));
    return;
  }
  const qs = query({ date: view.date, scenario_id: view.scenario_id });
  for (const g of groups) {
    if (view.warning_code && g.code !== view.warning_code) continue;
    const open = Boolean(view.warning_code) || g.severity === 'error' || g.items.length <= 5;
    const details = h(
      'details',
      { class: `warning-group sev-${g.severity}`, 'data-code': g.code, open: open ? '' : null },
      h(
        'summary',
        {},
        h('span', { class: `badge sev-${g.severity}` }, tr(`severity.${g.severity}`)),
        ' ',
        warningTitle(g.code),
        ' ',
        h('span', { class: 'count' }, `(${formatNumber(lang, g.count)})`),
      ),
      h(
        'ul',
        { class: 'warnings' },
        g.items.map((w) => {
          const href = w.site_id !== undefined ? `/sites/${w.site_id}${qs}` : w.team_id !== undefined ? `/teams/${w.team_id}${qs}` : null;
          const text = w.message && !dict[`warning.${w.code}`] ? w.message : tr(`warning.${w.code}`, formatParams(w.params));
          return h('li', { class: `sev-${w.severity}`, 'data-code': w.code }, href ? h('a', { href }, text) : text);
        }),
      ),
      g.count > g.items.length ? h('p', { class: 'muted' }, tr('map.warnings_more', { n: formatNumber(lang, g.count - g.items.length) })) : null,
    );
    box.append(details);
  }
}

/** The same sites as a list: name, figures in words, state, accessibility; "show on map" focuses the marker. */
function drawList(features) {
  const box = document.getElementById('site-list');
  if (!box) return;
  document.getElementById('site-list-count').textContent = `(${formatNumber(lang, features.length)})`;
  box.textContent = '';
  if (!features.length) return;
  const sorted = [...features].sort((a, b) => a.properties.name.localeCompare(b.properties.name, lang));
  const qs = query({ date: view.date, scenario_id: view.scenario_id });
  box.append(
    h(
      'ul',
      { class: 'site-list' },
      sorted.map((f) => {
        const p = f.properties;
        const cls = levelOf(p);
        const show = h('button', { type: 'button', class: 'link small', 'data-site-id': p.id }, tr('map.show_on_map'));
        show.addEventListener('click', () => {
          const m = markers.get(p.id);
          if (!m) return;
          map.setView(m.marker.getLatLng(), Math.max(map.getZoom(), 15));
          m.marker.getElement()?.focus();
          openPopupFromKeyboard(m.marker);
        });
        return h(
          'li',
          { 'data-site-id': p.id },
          h('a', { href: `/sites/${p.id}${qs}` }, p.name),
          ': ',
          tr('map.list_figures', { headcount: formatNumber(lang, p.headcount), capacity: formatNumber(lang, p.capacity) }),
          ' ',
          h('span', { class: `util-text util-${cls}` }, `${UTIL_SYMBOL[cls]} ${utilText(cls)}`),
          ' · ',
          tr(`a11y.${p.accessibility_rating}`),
          ' ',
          show,
        );
      }),
    ),
  );
}

/** The answers at a glance: what is over capacity, which teams are split, what moves next. */
function drawSummary(shown, data) {
  const list = document.getElementById('summary-list');
  if (!list) return;
  list.textContent = '';
  const qs = query({ date: view.date, scenario_id: view.scenario_id });
  const names = (features) => features.map((f) => f.properties.name).join(', ');
  const over = shown.sites.filter((f) => levelOf(f.properties) === 'over');
  const near = shown.sites.filter((f) => levelOf(f.properties) === 'near');
  const siteIds = new Set(shown.sites.map((f) => f.properties.id));
  const split = data.state.teams.filter((tm) => tm.split && (shown.team ? tm.id === shown.team.id : tm.site_ids.some((id) => siteIds.has(id))));
  const coming = shown.moves.filter((f) => f.properties.date > view.date);
  const li = (cls, text, detail) => h('li', { class: cls }, h('strong', {}, text), detail ? ` ${detail}` : null);
  list.append(li(over.length ? 'sum-over' : 'sum-ok', tr('map.summary.over', { n: formatNumber(lang, over.length) }), over.length ? `(${names(over)})` : null));
  if (near.length) list.append(li('sum-near', tr('map.summary.near', { n: formatNumber(lang, near.length) }), `(${names(near)})`));
  list.append(
    h(
      'li',
      {},
      h('strong', {}, tr('map.summary.split', { n: formatNumber(lang, split.length) })),
      ' ',
      ...split.flatMap((tm, i) => [i ? ', ' : '', h('a', { href: `/teams/${tm.id}${qs}` }, tm.name)]),
    ),
  );
  list.append(li('', tr('map.summary.moves', { n: formatNumber(lang, coming.length), to: formatDate(lang, data.window.to) })));
}

/** Why nothing is shown, in words (an empty map must not read as "no problems"). */
function emptyReason(data, shown) {
  if (shown.sites.length) return null;
  if (view.a11y) {
    const base = applyFilters(data, { ...view, a11y: null }).sites.filter((f) => siteDrawn(f.properties));
    const c = ratingCounts(base);
    return tr('map.none_a11y', {
      rating: tr(`a11y.${view.a11y}`),
      n: formatNumber(lang, base.length),
      unknown: formatNumber(lang, c.unknown),
      details:
        ['full', 'partial', 'none']
          .filter((r) => c[r])
          .map((r) => `${formatNumber(lang, c[r])} ${tr(`a11y.${r}`)}`)
          .join(', ') || '–',
    });
  }
  return tr('map.none_filter');
}

function syncUrl() {
  const url = `/${query({ date: view.date, scenario_id: view.scenario_id, district_id: view.district_id, team_id: view.team_id, a11y: view.a11y, warnings: view.warning_code, candidates: view.candidates ? 1 : null })}`;
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
    const filtered = applyFilters(data, view);
    // closed sites that hold nobody are history: not drawn, unless a shown move starts or ends there
    const moveSites = new Set(filtered.moves.flatMap((f) => [f.properties.from_site_id, f.properties.to_site_id]));
    const shown = { ...filtered, sites: filtered.sites.filter((f) => siteDrawn(f.properties, moveSites)) };
    const positions = displayPositions(data.sites.features);
    drawSites(shown.sites, positions);
    drawMoves(shown.moves, positions);
    drawTeam(shown.team, data.state, data.sites.features);
    const reason = emptyReason(data, shown);
    const note = document.getElementById('map-empty');
    note.textContent = reason ?? '';
    note.hidden = !reason;
    const unfiltered = !view.district_id && !view.a11y && !view.team_id;
    drawWarnings(shown.warnings, unfiltered ? data.state.warnings_by_code : null, reason);
    drawList(shown.sites);
    drawSummary(shown, data);
    document.getElementById('date-label').textContent = formatDate(lang, view.date);
    document.getElementById('moves-period').textContent = tr('map.moves_shown', {
      from: formatDate(lang, data.window.from),
      to: formatDate(lang, data.window.to),
    });
    if (!fitted && shown.sites.length) {
      fitted = true;
      if (view.district_id && districtBounds.get(view.district_id)) zoomToDistrict();
      else map.fitBounds(L.latLngBounds(shown.sites.map((f) => positions.get(f.id))).pad(0.3), { maxZoom: 15 });
    }
    layoutSites();
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
slider.setAttribute('aria-valuetext', formatDate(lang, view.date));
let sliderTimer = null;
slider.addEventListener('input', () => {
  view.date = fromDay(fromDayN + Number(slider.value));
  dateInput.value = view.date;
  slider.setAttribute('aria-valuetext', formatDate(lang, view.date));
  document.getElementById('date-label').textContent = formatDate(lang, view.date);
  clearTimeout(sliderTimer);
  sliderTimer = setTimeout(redraw, 150);
});
dateInput.addEventListener('change', () => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(dateInput.value)) return;
  view.date = dateInput.value;
  slider.value = String(Math.max(0, Math.min(Number(slider.max), toDay(view.date) - fromDayN)));
  slider.setAttribute('aria-valuetext', formatDate(lang, view.date));
  redraw();
});
document.getElementById('today-button').addEventListener('click', () => {
  view.date = config.today;
  dateInput.value = view.date;
  slider.value = String(Math.max(0, Math.min(Number(slider.max), toDay(view.date) - fromDayN)));
  slider.setAttribute('aria-valuetext', formatDate(lang, view.date));
  redraw();
});
const bindSelect = (id, key, parse = (v) => (v ? Number(v) : null)) => {
  document.getElementById(id).addEventListener('change', (e) => {
    view[key] = parse(e.target.value);
    redraw();
    if (key === 'district_id')
      drawDistricts()
        .then(zoomToDistrict)
        .catch((err) => console.warn(err));
  });
};
bindSelect('scenario-select', 'scenario_id');
bindSelect('district-select', 'district_id');
bindSelect('team-select', 'team_id');
bindSelect('a11y-select', 'a11y', (v) => v || null);
document.getElementById('warning-filter').addEventListener('change', (e) => {
  view.warning_code = e.target.value || null;
  redraw();
});
// buildings on offer (candidates) are shown only when asked for
document.getElementById('candidates-toggle').addEventListener('change', (e) => {
  view.candidates = e.target.checked;
  redraw();
});
document.getElementById('map-filters').addEventListener('submit', (e) => {
  e.preventDefault();
  redraw();
});

drawDistricts()
  .then((layer) => {
    if (!fitted && layer.getBounds().isValid()) map.fitBounds(layer.getBounds());
    return redraw();
  })
  .catch((err) => {
    el.dataset.state = 'error';
    console.warn(err);
  });
