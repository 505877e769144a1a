// Drawing on the map: districts, sites (circle, accessibility sign, label), moves and a team's links.
// Every function takes the page (see map.js: its Leaflet map, layers, words and view).
import { L } from '../lib/leaflet.js';
import { arrowHead, declutter, distanceM, getJson, query, radiusFor, spreadOverlapping, UTIL_SYMBOL } from '../map-data.js';
import { asText, h } from './dom.js';
import { approx, focusable, moveLabel, moveStatus, openPopupFromKeyboard, popupFor, shortName, shownLevelOf, siteName } from './popups.js';

// with many sites (a whole city administration) markers are clustered: first paint stays fast
const CLUSTER_FROM = 300;
const A11Y_BADGE = { full: '✓', partial: '◐', none: '✗', unknown: '?' };

export async function drawDistricts(page) {
  const geo = await getJson('/api/districts.geojson');
  page.districtBounds = new Map();
  const layer = L.geoJSON(geo, {
    style: (f) => ({
      className: `district${page.view.district_id === f.properties.id ? ' selected' : ''}`,
      color: '#4a6fa5',
      weight: 2,
      fillOpacity: 0.06,
      interactive: false,
    }),
    onEachFeature: (f, lyr) => {
      page.districtBounds.set(f.properties.id, lyr.getBounds());
      lyr.bindTooltip(asText(f.properties.name), { permanent: true, direction: 'center', className: 'district-label' });
    },
  });
  page.layers.district.clearLayers();
  page.layers.district.addLayer(layer);
  return layer;
}

export function zoomToDistrict(page) {
  const b = page.view.district_id ? page.districtBounds.get(page.view.district_id) : null;
  if (b && b.isValid()) page.map.fitBounds(b.pad(0.05), { maxZoom: 16 });
}

export function drawSites(page, features, positions) {
  const { layers, map, markers } = page;
  layers.site.clearLayers();
  layers.label.clearLayers();
  markers.clear();
  const cluster = layers.cluster;
  const clustered = cluster && features.length >= CLUSTER_FROM;
  if (cluster) {
    cluster.clearLayers();
    if (clustered && !map.hasLayer(cluster)) map.addLayer(cluster);
    if (!clustered && map.hasLayer(cluster)) map.removeLayer(cluster);
  }
  page.el.dataset.clustered = String(Boolean(clustered));
  const batch = [];
  // clustered markers have no sign or label; the search finds them here
  page.clustered = clustered ? new Map() : null;
  for (const f of features) {
    const p = f.properties;
    const pos = positions.get(f.id);
    const cls = shownLevelOf(p);
    const marker = siteMarker(page, p, pos, cls);
    if (clustered) {
      batch.push(marker);
      page.clustered.set(p.id, marker);
      continue;
    }
    focusable(marker, siteName(page.w, p), () => openPopupFromKeyboard(marker));
    layers.site.addLayer(marker);
    // the accessibility sign opens the same site (a mouse target only: the marker is the keyboard stop)
    const r = radiusFor(p.capacity);
    const { badge, label, fillBadge, fillLabel } = siteBadgeAndLabel(page, p, pos, cls, r, marker);
    markers.set(p.id, { marker, badge, label, feature: f, base: pos, r, fillBadge, fillLabel });
  }
  // the cluster group adds its markers in chunks (a frame's worth at a time): done when all are in
  page.clustering = clustered
    ? new Promise((resolve) => {
        cluster.options.chunkProgress = (done, total) => {
          if (done >= total) resolve();
        };
      })
    : null;
  if (clustered) cluster.addLayers(batch);
}

/** A site's circle: sized by capacity, coloured by utilization, with its popup and tooltip. */
function siteMarker(page, p, pos, cls) {
  const w = page.w;
  const marker = L.circleMarker(pos, {
    radius: radiusFor(p.capacity),
    className: `site-marker util-${cls}`,
    weight: cls === 'over' ? 4 : 2,
    fillOpacity: 0.75,
  });
  // a popup never gets taller than the map (a phone's map is half a screen): its heading stays in view, the rest scrolls
  marker.bindPopup(() => popupFor(w, page.view, p), { maxWidth: 320, maxHeight: Math.max(160, page.map.getSize().y - 70) });
  marker.bindTooltip(asText(`${p.name}: ${approx(w, p.headcount_estimated, p.headcount)} / ${approx(w, p.capacity_estimated, p.capacity)}`));
  marker.on('add', () => {
    const path = marker.getElement();
    if (path) {
      path.setAttribute('data-site-id', String(p.id));
      path.setAttribute('data-util', cls);
    }
  });
  return marker;
}

const badgeIcon = (className, html, r) => L.divIcon({ className, html, iconSize: [16, 16], iconAnchor: [-r + 6, r + 2] });
const labelIcon = (r) => L.divIcon({ className: 'site-label-anchor', html: '', iconSize: null, iconAnchor: [-r - 4, 9] });

/**
 * The accessibility sign beside a site's circle (it opens the same site) and the label with short name and
 * belegt/Plätze; both are added to their layers.
 */
function siteBadgeAndLabel(page, p, pos, cls, r, marker) {
  const w = page.w;
  const badge = L.marker(pos, {
    icon: badgeIcon(`a11y-badge a11y-${p.accessibility_rating}`, A11Y_BADGE[p.accessibility_rating] ?? '?', r),
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
  page.layers.site.addLayer(badge);
  // a label: short name and belegt/Plätze, with the state's symbol (shown when there is room)
  const label = L.marker(pos, { icon: labelIcon(r), keyboard: false, interactive: false });
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
        h('span', { class: 'fig' }, `${approx(w, p.headcount_estimated, p.headcount)}/${approx(w, p.capacity_estimated, p.capacity)}`),
      ),
    );
  };
  label.on('add', fillLabel);
  page.layers.label.addLayer(label);
  return { badge, label, fillBadge, fillLabel };
}

/** Spreads overlapping markers at the current zoom and shows the labels that fit. */
export function layoutSites(page) {
  if (!page.markers.size) return;
  const entries = [...page.markers.values()];
  // circles shrink when zoomed out (the whole city on a phone), so fewer of them need moving
  const zoomNow = page.map.getZoom();
  const scale = zoomNow >= 14 ? 1 : zoomNow <= 11 ? 0.6 : 0.6 + ((zoomNow - 11) * 0.4) / 3;
  const radius = (m) => radiusFor(m.feature.properties.capacity) * scale;
  spreadMarkers(page.map, entries, radius);
  placeLabels(page, entries, radius);
}

/** Moves overlapping markers apart (and their signs and labels with them); resizes them for the zoom. */
function spreadMarkers(map, entries, radius) {
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
      m.badge.setIcon(badgeIcon(m.badge.options.icon.options.className, m.badge.options.icon.options.html, r));
      m.label.setIcon(labelIcon(r));
      m.fillBadge();
      m.fillLabel();
    }
  }
}

/** The labels: from zoom 11 on, the ones that do not collide (over capacity first). */
function placeLabels(page, entries, radius) {
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
    const r = radius(m);
    // right of the marker, left of it, above, below
    const alts = [
      { dx: 0, dy: 0 },
      { dx: -(rect.width + 2 * r + 8), dy: 0 },
      { dx: -(rect.width / 2 + r + 4), dy: -(r + rect.height / 2 + 4) },
      { dx: -(rect.width / 2 + r + 4), dy: r + rect.height / 2 + 4 },
    ];
    const priority = prio[shownLevelOf(m.feature.properties)] ?? 0;
    // a site over capacity is the point of the map: its label may also sit a row or two further up or down
    if (priority === prio.over)
      for (const rows of [2, 3])
        for (const sign of [-1, 1]) {
          alts.push({ dx: 0, dy: sign * rows * (rect.height + 4) });
          alts.push({ dx: -(rect.width + 2 * r + 8), dy: sign * rows * (rect.height + 4) });
        }
    boxes.push({ x: rect.left, y: rect.top, w: rect.width, h: rect.height, priority, alts });
  }
  // markers and their accessibility signs are obstacles too
  const rectOf = (e) => {
    const r = e ? e.getBoundingClientRect() : { left: 0, top: 0, width: 0, height: 0 };
    return { x: r.left, y: r.top, w: r.width, h: r.height, priority: 10 };
  };
  // the controls on the map (the open legend, zoom, attribution) cover labels: no label goes under them
  const controls = [...page.el.querySelectorAll('.leaflet-control')].map(rectOf);
  const obstacles = [...entries.flatMap((m) => [rectOf(m.marker.getElement()), rectOf(m.badge.getElement())]), ...controls];
  const frame = page.el.getBoundingClientRect();
  const bounds = { x: frame.left, y: frame.top, w: frame.width, h: frame.height };
  const shown = page.map.getZoom() >= 11 ? declutter([...obstacles, ...boxes], 2, bounds) : new Map();
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
  page.el.dataset.labels = String(count);
}

export function drawMoves(page, features, positions) {
  const { w, layers } = page;
  layers.move.clearLayers();
  for (const f of features) {
    const p = f.properties;
    if (p.kind !== 'move') continue;
    const from = positions.get(p.from_site_id);
    const to = positions.get(p.to_site_id);
    if (!from || !to) continue;
    const status = moveStatus(p);
    const cls = `move-line status-${status}`;
    const line = L.polyline([from, to], { className: cls, weight: 2 + Math.min(6, Math.sqrt(p.headcount)), dashArray: status === 'proposed' ? '6 6' : null });
    const label = moveLabel(w, p);
    line.bindTooltip(asText(label), { sticky: true });
    line.bindPopup(() =>
      h('div', { class: 'popup' }, h('p', { tabindex: '-1' }, label), h('a', { href: `/moves${query({ highlight: p.id })}` }, w.tr('map.move_details'))),
    );
    line.on('add', () => {
      const e = line.getElement();
      if (e) e.setAttribute('data-move-id', String(p.id));
    });
    focusable(line, `${w.tr('map.move')}: ${label}`, () => openPopupFromKeyboard(line));
    layers.move.addLayer(line);
    const head = arrowHead(from, to);
    if (head) layers.move.addLayer(L.polyline(head, { className: cls, weight: 3, interactive: false }));
    if (p.until) {
      const back = arrowHead(to, from);
      if (back) layers.move.addLayer(L.polyline(back, { className: `${cls} return`, weight: 2, dashArray: '2 4', interactive: false }));
    }
  }
}

/** The chosen team: its panel, and a dotted line with the distance between each two of its sites. */
export function drawTeam(page, team, state, features) {
  const { w, view } = page;
  page.layers.team.clearLayers();
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
      ` · ${w.num(team.headcount)} ${w.tr('site.headcount')}`,
    ),
  );
  if (sites.length < 2 || team.split === false) {
    info.append(h('p', { class: 'muted' }, w.tr('map.team_not_split')));
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
      // a distance from a placeholder position is an estimate
      const placeholder = [sites[i].id, sites[j].id].some((id) => features.find((f) => f.id === id)?.properties.position_precision === 'estimate');
      page.layers.team.addLayer(
        L.polyline([a, b], { className: 'team-link', weight: 3, dashArray: '1 6', interactive: false }).bindTooltip(asText(`${approx(w, placeholder, m)} m`), {
          permanent: true,
          className: 'distance-label',
        }),
      );
      list.append(h('li', {}, w.tr('map.team_distance', { a: sites[i].name, b: sites[j].name, m: approx(w, placeholder, m) })));
    }
  }
  info.append(list);
}
