// The map's search: units, teams and sites by name (WAI-ARIA combobox with a listbox). Picking one
// selects its site(s) at the shown date on the map and opens the details of the first; the sites are
// also listed under the field. Arrow keys move through the suggestions, Enter picks, Escape closes
// (a second Escape clears); the number of suggestions and what was picked are announced.
// Names from the data reach the page only as text nodes.
import { L } from '../lib/leaflet.js';
import { query, siteDrawn } from '../map-data.js';
import { h } from './dom.js';
import { openPopupFromKeyboard } from './popups.js';

const MAX_OPTIONS = 10;

/** Lower case, without accents, ß as ss: "pflegestutzpunkt" finds "Pflegestützpunkt". */
export const fold = (s) =>
  String(s ?? '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .toLowerCase();

/**
 * What can be found at the loaded date: sites drawn on the map (name, short name, address), teams
 * and units with the sites where they are. Each entry: { kind, id, name, detail, siteIds }.
 */
export function searchEntries(data) {
  const drawn = data.sites.features.filter((f) => siteDrawn(f.properties));
  const siteName = new Map(drawn.map((f) => [f.properties.id, f.properties.name]));
  const entries = [];
  for (const f of drawn) {
    const p = f.properties;
    entries.push({ kind: 'site', id: p.id, name: p.name, also: [p.short_name, p.address].filter(Boolean), siteIds: [p.id] });
  }
  const units = new Map();
  for (const s of data.state.sites)
    for (const u of s.units) {
      if (!(u.headcount > 0) || !siteName.has(s.id)) continue;
      const e = units.get(u.unit_id) ?? { kind: 'unit', id: u.unit_id, name: u.unit, also: [], team: u.team, siteIds: [] };
      if (!e.siteIds.includes(s.id)) e.siteIds.push(s.id);
      units.set(u.unit_id, e);
    }
  entries.push(...units.values());
  for (const tm of data.state.teams) {
    const siteIds = tm.site_ids.filter((id) => siteName.has(id));
    if (siteIds.length) entries.push({ kind: 'team', id: tm.id, name: tm.name, also: [], siteIds });
  }
  for (const e of entries) e.sites = e.siteIds.map((id) => siteName.get(id));
  return entries;
}

/** The entries whose name (or short name, address) contains every word typed; names that start with it first. */
export function matchEntries(entries, text, max = MAX_OPTIONS) {
  const words = fold(text).split(/\s+/).filter(Boolean);
  if (!words.length) return [];
  const order = { unit: 0, team: 1, site: 2 };
  const scored = [];
  for (const e of entries) {
    const hay = fold([e.name, ...e.also].join(' '));
    if (!words.every((wd) => hay.includes(wd))) continue;
    const name = fold(e.name);
    const score = name.startsWith(words[0]) ? 0 : name.split(/[\s/(-]+/).some((part) => part.startsWith(words[0])) ? 1 : 2;
    scored.push({ e, score });
  }
  scored.sort((a, b) => a.score - b.score || order[a.e.kind] - order[b.e.kind] || a.e.name.localeCompare(b.e.name, 'de'));
  return scored.slice(0, max).map((s) => s.e);
}

/** A suggestion: the name, then what it is and where ("Dienst (Zentrale Dienste) · Grüner Hof"). */
function optionItem(w, e, i, pick) {
  const kind = w.tr(`map.search.kind.${e.kind}`);
  const where = e.sites.length > 2 ? w.tr('map.search.sites', { n: e.sites.length }) : e.sites.join(', ');
  const li = h(
    'li',
    { id: `map-search-opt-${i}`, role: 'option', 'aria-selected': 'false', 'data-kind': e.kind },
    h('span', { class: 'search-name' }, e.name),
    ' ',
    h('span', { class: 'search-detail' }, e.kind === 'site' ? kind : `${kind}${e.team ? ` (${e.team})` : ''} · ${where}`),
  );
  // mousedown, not click: the field keeps its focus
  li.addEventListener('mousedown', (ev) => {
    ev.preventDefault();
    pick(e);
  });
  return li;
}

/** Binds the search field; `page.data` is the last loaded view (set by map.js). */
export function bindSearch(page) {
  const { w } = page;
  const input = document.getElementById('map-search');
  const list = document.getElementById('map-search-list');
  const status = document.getElementById('map-search-status');
  const result = document.getElementById('map-search-result');
  const none = document.getElementById('map-search-none');
  if (!input || !list) return;
  let options = [];
  let active = -1;

  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };
  const mark = (i) => {
    active = i;
    [...list.children].forEach((li, k) => li.setAttribute('aria-selected', String(k === i)));
    const li = list.children[i];
    if (li) {
      input.setAttribute('aria-activedescendant', li.id);
      li.scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  };
  const fill = () => {
    options = page.data ? matchEntries(searchEntries(page.data), input.value) : [];
    list.textContent = '';
    options.forEach((e, i) => list.append(optionItem(w, e, i, pick)));
    active = -1;
    input.removeAttribute('aria-activedescendant');
    const typed = input.value.trim() !== '';
    list.hidden = !options.length;
    input.setAttribute('aria-expanded', String(options.length > 0));
    status.textContent = !typed ? '' : options.length ? w.tr('map.search.count', { n: options.length }) : w.tr('map.search.none');
    // seen as well as heard: an empty answer shows under the field
    none.hidden = !typed || options.length > 0;
  };

  /** Selects the entry's sites on the map and opens the first one's details. */
  function pick(e) {
    input.value = e.name;
    close();
    select(page, e);
  }

  input.addEventListener('input', fill);
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      if (list.hidden) {
        fill();
        if (!options.length) return;
      }
      const n = options.length;
      mark(ev.key === 'ArrowDown' ? (active + 1) % n : (active - 1 + n) % n);
    } else if (ev.key === 'Enter') {
      ev.preventDefault();
      if (list.hidden && input.value.trim()) fill();
      const e = options[active >= 0 ? active : 0];
      if (e) pick(e);
    } else if (ev.key === 'Escape') {
      if (!list.hidden) close();
      else {
        input.value = '';
        status.textContent = '';
        none.hidden = true;
        clearSelection(page);
        result.hidden = true;
      }
    }
  });
  input.addEventListener('blur', () => setTimeout(close, 100));
}

function clearSelection(page) {
  for (const path of page.el.querySelectorAll('path.site-marker.search-hit')) path.classList.remove('search-hit');
  page.search = null;
}

/** After the view changed (date, scenario, filters): the picked unit, team or site is marked again where it is then. */
export function refreshSearch(page) {
  if (!page.search || !page.data) return;
  const e = searchEntries(page.data).find((x) => x.kind === page.search.kind && x.id === page.search.id);
  const { w, view } = page;
  if (e) select(page, e, false);
  else {
    clearSelection(page);
    document.getElementById('map-search-result').textContent = w.tr('map.search.gone', { date: w.date(view.date) });
  }
}

/**
 * Marks the entry's sites and lists them under the field; when `go`, brings them into view, opens the
 * first one's popup and says what was picked.
 */
export function select(page, e, go = true) {
  const { w, view, map } = page;
  const status = document.getElementById('map-search-status');
  const result = document.getElementById('map-search-result');
  clearSelection(page);
  page.search = e;
  const markerOf = (id) => page.markers.get(id)?.marker ?? page.clustered?.get(id) ?? null;
  const shown = e.siteIds.filter((id) => markerOf(id));
  const hidden = e.siteIds.filter((id) => !markerOf(id));
  const nameOf = (id) => e.sites[e.siteIds.indexOf(id)];
  for (const id of shown) markerOf(id).getElement()?.classList.add('search-hit');
  const qs = query({ date: view.date, scenario_id: view.scenario_id });
  result.textContent = '';
  result.append(
    h('p', {}, h('strong', {}, e.name), ` (${w.tr(`map.search.kind.${e.kind}`)}) · ${w.tr('map.search.at_date', { date: w.date(view.date) })}`),
    h(
      'ul',
      {},
      e.siteIds.map((id) => {
        const show = markerOf(id) ? h('button', { type: 'button', class: 'link small', 'data-site-id': id }, w.tr('map.show_on_map')) : null;
        show?.addEventListener('click', () => {
          const m = markerOf(id);
          map.setView(m.getLatLng(), Math.max(map.getZoom(), 15));
          openPopupFromKeyboard(m);
          markUnit(page, e);
        });
        return h(
          'li',
          { 'data-site-id': id },
          h('a', { href: `/sites/${id}${qs}` }, nameOf(id)),
          ' ',
          show ?? h('span', { class: 'muted' }, w.tr('map.search.filtered_out')),
        );
      }),
    ),
  );
  result.hidden = false;
  if (!go) return;
  const said = [w.tr('map.search.picked', { name: e.name, sites: e.sites.join(', ') })];
  if (hidden.length) said.push(w.tr('map.search.hidden', { n: hidden.length }));
  status.textContent = said.join(' ');
  if (!shown.length) return;
  const first = markerOf(shown[0]);
  const open = () => {
    first.openPopup();
    markUnit(page, e);
  };
  if (page.clustered?.get(shown[0])) {
    page.layers.cluster.zoomToShowLayer(first, open);
    return;
  }
  // the sites come into view at a zoom that still shows their surroundings
  const bounds = L.latLngBounds(shown.map((id) => markerOf(id).getLatLng()));
  if (!map.getBounds().pad(-0.1).contains(bounds) || map.getZoom() < 12)
    map.fitBounds(bounds, { padding: [60, 60], maxZoom: Math.max(map.getZoom(), 13), animate: false });
  // on a phone the map stands above the field: it is scrolled into view
  const box = page.el.getBoundingClientRect();
  if (box.top < 0 || box.top > window.innerHeight / 2) page.el.scrollIntoView({ block: 'start' });
  open();
}

/** In the open popup, the searched unit (or the team's units) stand out. */
function markUnit(page, e) {
  const node = page.map.getContainer().querySelector('.leaflet-popup .popup');
  if (!node) return;
  for (const li of node.querySelectorAll('.popup-units li')) {
    const hit = (e.kind === 'unit' && li.dataset.unitId === String(e.id)) || (e.kind === 'team' && li.dataset.teamId === String(e.id));
    li.classList.toggle('search-hit', hit);
  }
}
