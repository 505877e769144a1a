// The map page: draws districts, sites and moves with Leaflet, and keeps the URL in step.
// Every marker and move line can be reached with the keyboard and has a name; a list of the same
// sites stands next to the map. User-typed text reaches the DOM only as text nodes.
// The parts: map/drawing.js (on the map), map/popups.js (what a site or move says), map/panels.js
// (beside the map), map/controls.js (legend, slider, filters, URL); words and numbers from i18n.js.
import { wordsOf } from './i18n.js';
import { L } from './lib/leaflet.js';
import { markerClusterGroup } from './lib/markercluster.js';
import { applyFilters, displayPositions, loadView, siteDrawn } from './map-data.js';
import { bindControls, legendControl, mapChrome, syncUrl } from './map/controls.js';
import { drawDistricts, drawMoves, drawSites, drawTeam, layoutSites, zoomToDistrict } from './map/drawing.js';
import { drawList, drawSummary, drawWarnings, emptyReason } from './map/panels.js';
import { bindSearch, refreshSearch } from './map/search.js';

/** The page's state: its Leaflet map and layers, its words, what it shows (`view`). */
function createPage(el) {
  const config = JSON.parse(el.dataset.config);
  el.textContent = '';
  const map = L.map(el, { preferCanvas: false, zoomControl: false, maxZoom: 19 }).setView([48.4, 9.99], 12);
  const layer = () => L.layerGroup().addTo(map);
  return {
    el,
    config,
    w: wordsOf(config.dict, config.lang),
    view: {
      date: config.date,
      scenario_id: config.scenario_id,
      district_id: config.district_id,
      team_id: config.team_id,
      a11y: config.a11y,
      warning_code: config.warning_code ?? null,
      candidates: config.candidates,
    },
    map,
    // in drawing order: districts below, labels on top
    layers: {
      district: layer(),
      move: layer(),
      team: layer(),
      site: layer(),
      label: layer(),
      cluster: markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 50 }),
    },
    /** site id → { marker, badge, label, feature, base, r, fillBadge, fillLabel } */
    markers: new Map(),
    /** site id → marker when the sites are clustered (see drawSites) */
    clustered: null,
    /** the last loaded view (the search looks in it) and what the search picked */
    data: null,
    search: null,
    districtBounds: new Map(),
    fitted: false,
  };
}

/** Draws what the view selects; `seq` drops the answers of a view that has changed meanwhile. */
function redrawer(page) {
  let drawSeq = 0;
  return async function redraw() {
    const { el, view, w } = page;
    const seq = ++drawSeq;
    el.dataset.state = 'loading';
    try {
      const data = await loadView(view);
      if (seq !== drawSeq) return;
      show(page, data);
      syncUrl(view);
      // many sites are clustered in chunks over several frames: the map is ready once they all are
      if (page.clustering) await page.clustering;
      if (seq !== drawSeq) return;
      el.dataset.state = 'ready';
    } catch (err) {
      if (seq !== drawSeq) return;
      el.dataset.state = 'error';
      document.getElementById('warning-list').textContent = w.tr('map.load_failed');
      console.warn(err);
    }
  };
}

function show(page, data) {
  const { el, view, w, map } = page;
  const filtered = applyFilters(data, view);
  // closed sites that hold nobody are history: not drawn, unless a shown move starts or ends there
  const moveSites = new Set(filtered.moves.flatMap((f) => [f.properties.from_site_id, f.properties.to_site_id]));
  const shown = { ...filtered, sites: filtered.sites.filter((f) => siteDrawn(f.properties, moveSites)) };
  const positions = displayPositions(data.sites.features);
  drawSites(page, shown.sites, positions);
  drawMoves(page, shown.moves, positions);
  drawTeam(page, shown.team, data.state, data.sites.features);
  const reason = emptyReason(page, data, shown);
  const note = document.getElementById('map-empty');
  note.textContent = reason ?? '';
  note.hidden = !reason;
  const unfiltered = !view.district_id && !view.a11y && !view.team_id;
  drawWarnings(page, shown.warnings, unfiltered ? data.state.warnings_by_code : null, reason);
  drawList(page, shown.sites);
  drawSummary(page, shown, data);
  document.getElementById('date-label').textContent = w.date(view.date);
  document.getElementById('moves-period').textContent = w.tr('map.moves_shown', { from: w.date(data.window.from), to: w.date(data.window.to) });
  if (!page.fitted && shown.sites.length) {
    page.fitted = true;
    if (view.district_id && page.districtBounds.get(view.district_id)) zoomToDistrict(page);
    else map.fitBounds(L.latLngBounds(shown.sites.map((f) => positions.get(f.id))).pad(0.3), { maxZoom: 15 });
  }
  layoutSites(page);
  page.data = data;
  refreshSearch(page);
  el.dataset.sites = String(shown.sites.length);
  el.dataset.warnings = String(shown.warnings.length);
  el.dataset.date = view.date;
}

const page = createPage(document.getElementById('map'));
mapChrome(page);
legendControl(page);
page.map.on('zoomend', () => layoutSites(page));
const redraw = redrawer(page);
bindControls(page, redraw);
bindSearch(page);
drawDistricts(page)
  .then((layer) => {
    if (!page.fitted && layer.getBounds().isValid()) page.map.fitBounds(layer.getBounds());
    return redraw();
  })
  .catch((err) => {
    page.el.dataset.state = 'error';
    console.warn(err);
  });
