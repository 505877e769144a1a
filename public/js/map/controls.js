// The map's controls: zoom and legend on the map, the date slider and the filters beside it, and
// the URL kept in step with the view. Every function takes the page (see map.js).
import { L } from '../lib/leaflet.js';
import { fromDay, query, toDay } from '../map-data.js';
import { h } from './dom.js';
import { drawDistricts, layoutSites, zoomToDistrict } from './drawing.js';

/** Zoom buttons and the popup's close button named in the page's language; tiles and attribution. */
export function mapChrome(page) {
  const { map, w, config } = page;
  L.control.zoom({ zoomInTitle: w.tr('map.zoom_in'), zoomOutTitle: w.tr('map.zoom_out') }).addTo(map);
  // Leaflet's popup close button speaks English: name it in the page's language
  map.on('popupopen', (e) => {
    const close = e.popup.getElement()?.querySelector('.leaflet-popup-close-button');
    if (close) close.setAttribute('aria-label', w.tr('map.close_popup'));
  });
  if (config.tileUrl) L.tileLayer(config.tileUrl, { attribution: config.tileAttribution, maxZoom: 19 }).addTo(map);
  map.attributionControl.addAttribution('Stadt Ulm (CC BY 3.0 DE)');
  map.attributionControl.setPrefix('Leaflet');
}

/** The legend sits on the map, collapsible (the server renders it in the sidebar for pages without script). */
export function legendControl(page) {
  const legendNode = document.getElementById('map-legend');
  if (!legendNode) return;
  const Legend = L.Control.extend({
    onAdd() {
      const box = h('details', { class: 'map-legend leaflet-bar', open: window.innerWidth > 800 ? '' : null }, h('summary', {}, page.w.tr('map.legend')));
      legendNode.querySelector('h2')?.remove();
      legendNode.classList.remove('legend');
      box.append(legendNode);
      // the open legend keeps labels from under it: they are placed again when it opens or closes
      box.addEventListener('toggle', () => layoutSites(page));
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    },
  });
  new Legend({ position: 'bottomright' }).addTo(page.map);
}

export function syncUrl(view) {
  const url = `/${query({ date: view.date, scenario_id: view.scenario_id, district_id: view.district_id, team_id: view.team_id, a11y: view.a11y, warnings: view.warning_code, candidates: view.candidates ? 1 : null })}`;
  window.history.replaceState(null, '', url);
}

/** An ISO date `months` later (earlier when negative), the day kept where the month has it (31.01. + 1 → 28.02.). */
export function addMonths(iso, months) {
  const [y, m, d] = iso.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12 + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** The date slider, the date field and "today": each moves the view's date and redraws. */
function dateControls(page, redraw) {
  const { view, config, w } = page;
  const slider = document.getElementById('date-slider');
  const dateInput = document.getElementById('date-input');
  const fromDayN = toDay(config.period.from);
  slider.min = '0';
  slider.max = String(toDay(config.period.to) - fromDayN);
  const placeSlider = () => {
    slider.value = String(Math.max(0, Math.min(Number(slider.max), toDay(view.date) - fromDayN)));
    slider.setAttribute('aria-valuetext', w.date(view.date));
  };
  placeSlider();
  let sliderTimer = null;
  slider.addEventListener('input', () => {
    view.date = fromDay(fromDayN + Number(slider.value));
    dateInput.value = view.date;
    slider.setAttribute('aria-valuetext', w.date(view.date));
    document.getElementById('date-label').textContent = w.date(view.date);
    clearTimeout(sliderTimer);
    sliderTimer = setTimeout(redraw, 150);
  });
  // keys move by a month (arrows) or a year (PageUp/PageDown) from the shown date, not by a day of the
  // range; Home/End go to the plan's ends. The slider's aria-valuetext says the date (24.11.2026).
  const steps = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1, PageUp: 12, PageDown: -12 };
  slider.addEventListener('keydown', (e) => {
    let next = null;
    if (e.key in steps) next = addMonths(view.date, steps[e.key]);
    else if (e.key === 'Home') next = config.period.from;
    else if (e.key === 'End') next = config.period.to;
    if (!next) return;
    e.preventDefault();
    next = next < config.period.from ? config.period.from : next > config.period.to ? config.period.to : next;
    if (next === view.date) return;
    view.date = next;
    dateInput.value = view.date;
    placeSlider();
    document.getElementById('date-label').textContent = w.date(view.date);
    clearTimeout(sliderTimer);
    sliderTimer = setTimeout(redraw, 150);
  });
  dateInput.addEventListener('change', () => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(dateInput.value)) return;
    view.date = dateInput.value;
    placeSlider();
    redraw();
  });
  document.getElementById('today-button').addEventListener('click', () => {
    view.date = config.today;
    dateInput.value = view.date;
    placeSlider();
    redraw();
  });
}

/** Scenario, district, team, accessibility, warning code and candidates: each change redraws. */
function filterControls(page, redraw) {
  const { view } = page;
  const bindSelect = (id, key, parse = (v) => (v ? Number(v) : null)) => {
    document.getElementById(id).addEventListener('change', (e) => {
      view[key] = parse(e.target.value);
      redraw();
      if (key === 'district_id')
        drawDistricts(page)
          .then(() => zoomToDistrict(page))
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
}

export function bindControls(page, redraw) {
  dateControls(page, redraw);
  filterControls(page, redraw);
}
