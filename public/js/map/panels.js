// The panels beside the map: warnings by code, the same sites as a list, the answers at a glance,
// and why nothing is shown. Every function takes the page (see map.js).
import { applyFilters, groupWarnings, query, ratingCounts, siteDrawn, UTIL_SYMBOL } from '../map-data.js';
import { h } from './dom.js';
import { approx, levelOf, openPopupFromKeyboard, shownLevelOf, utilText } from './popups.js';

const warningTitle = (dict, code) => dict[`warning.title.${code}`] ?? dict[`warning.meaning.${code}`] ?? code;
/** The codes that name a gap in the data, not a problem (listed apart, never counted as warnings). */
const GAP_CODES = new Set(['STEP_FREE_UNKNOWN']);
/** A warning's text: the server's (dates as dates, ≈ before estimates), else made here. */
const warningText = (w, x) => x.message ?? w.tr(`warning.${x.code}`, w.params(x.params));
/** A warning as a list item, linked to its site or team. */
function warningItem(page, x, ...extra) {
  const { view } = page;
  const qs = query({ date: view.date, scenario_id: view.scenario_id });
  const href = x.site_id !== undefined ? `/sites/${x.site_id}${qs}` : x.team_id !== undefined ? `/teams/${x.team_id}${qs}` : null;
  const text = warningText(page.w, x);
  return h('li', { class: `sev-${x.severity}`, 'data-code': x.code }, href ? h('a', { href }, text) : text, ...extra);
}

/** The warning filter lists the codes present (with counts); a code no longer present is dropped. */
function fillWarningFilter(page, groups, total) {
  const { w, view } = page;
  const filter = document.getElementById('warning-filter');
  filter.textContent = '';
  filter.append(h('option', { value: '' }, w.tr('map.warnings_all', { n: w.num(total) })));
  for (const g of groups)
    filter.append(h('option', { value: g.code, selected: view.warning_code === g.code ? '' : null }, `${warningTitle(w.dict, g.code)} (${w.num(g.count)})`));
  if (view.warning_code && !groups.some((g) => g.code === view.warning_code)) view.warning_code = null;
  filter.value = view.warning_code ?? '';
}

/** One code's warnings, folded when there are many. */
function warningGroup(page, g) {
  const { w, view } = page;
  const open = Boolean(view.warning_code) || g.severity === 'error' || g.items.length <= 5;
  return h(
    'details',
    { class: `warning-group sev-${g.severity}`, 'data-code': g.code, open: open ? '' : null },
    h(
      'summary',
      {},
      h('span', { class: `badge sev-${g.severity}` }, w.tr(`severity.${g.severity}`)),
      ' ',
      warningTitle(w.dict, g.code),
      ' ',
      h('span', { class: 'count' }, `(${w.num(g.count)})`),
    ),
    h(
      'ul',
      { class: 'warnings' },
      g.items.map((x) => warningItem(page, x)),
    ),
    g.count > g.items.length ? h('p', { class: 'muted' }, w.tr('map.warnings_more', { n: w.num(g.count - g.items.length) })) : null,
  );
}

/**
 * Warnings grouped by code, with counts and a filter; a group with many entries starts closed.
 * Acknowledged warnings ("bestätigt", with their reason) and gaps in the data ("Datenlücken") are
 * listed after them and not counted (SPEC section 16).
 */
export function drawWarnings(page, all, byCode, emptyReason) {
  const { w, view } = page;
  const box = document.getElementById('warning-list');
  const warnings = all.filter((x) => !x.acknowledged && !GAP_CODES.has(x.code));
  const acknowledged = all.filter((x) => x.acknowledged && !GAP_CODES.has(x.code));
  const gaps = all.filter((x) => GAP_CODES.has(x.code));
  // the server counts every warning of a code; those not counted here are taken off
  const openByCode = byCode ? { ...byCode } : null;
  if (openByCode) for (const x of [...acknowledged, ...gaps]) openByCode[x.code] -= 1;
  const groups = groupWarnings(warnings, openByCode);
  const total = groups.reduce((s, g) => s + g.count, 0);
  document.getElementById('warning-count').textContent = `(${w.num(total)})`;
  fillWarningFilter(page, groups, total);
  box.textContent = '';
  if (!warnings.length) box.append(h('p', { class: 'muted' }, emptyReason ?? w.tr('map.no_warnings')));
  for (const g of groups) if (!view.warning_code || g.code === view.warning_code) box.append(warningGroup(page, g));
  if (view.warning_code) return;
  const folded = (cls, title, items) =>
    h('details', { class: cls }, h('summary', {}, `${title} (${w.num(items.length)})`), h('ul', { class: `warnings ${cls}` }, items));
  if (acknowledged.length)
    box.append(
      folded(
        'warnings-acknowledged',
        w.tr('ack.list_heading'),
        acknowledged.map((x) => warningItem(page, x, h('br'), h('small', { class: 'ack-reason' }, `${w.tr('ack.reason')}: ${x.acknowledged.reason}`))),
      ),
    );
  if (gaps.length)
    box.append(
      folded(
        'data-gaps',
        w.tr('gaps.heading'),
        gaps.map((x) => warningItem(page, x)),
      ),
    );
}

/** The same sites as a list: name, figures in words, state, accessibility; "show on map" focuses the marker. */
export function drawList(page, features) {
  const { w, view, map, markers } = page;
  const box = document.getElementById('site-list');
  if (!box) return;
  document.getElementById('site-list-count').textContent = `(${w.num(features.length)})`;
  box.textContent = '';
  if (!features.length) return;
  const sorted = [...features].sort((a, b) => a.properties.name.localeCompare(b.properties.name, w.lang));
  const qs = query({ date: view.date, scenario_id: view.scenario_id });
  const item = (p) => {
    const cls = levelOf(p);
    const show = h('button', { type: 'button', class: 'link small', 'data-site-id': p.id }, w.tr('map.show_on_map'));
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
      w.tr('map.list_figures', { headcount: approx(w, p.headcount_estimated, p.headcount), capacity: approx(w, p.capacity_estimated, p.capacity) }),
      ' ',
      h('span', { class: `util-text util-${cls}` }, `${UTIL_SYMBOL[cls]} ${utilText(w, cls)}`),
      ' · ',
      w.tr(`a11y.${p.accessibility_rating}`),
      ' ',
      show,
    );
  };
  box.append(
    h(
      'ul',
      { class: 'site-list' },
      sorted.map((f) => item(f.properties)),
    ),
  );
}

/** The answers at a glance: what is over capacity, which teams are split, what moves next. */
export function drawSummary(page, shown, data) {
  const { w, view } = page;
  const list = document.getElementById('summary-list');
  if (!list) return;
  list.textContent = '';
  const qs = query({ date: view.date, scenario_id: view.scenario_id });
  const names = (features) => features.map((f) => f.properties.name).join(', ');
  // a load a planner acknowledged is not counted at a glance (it stays in the popup and the warnings, marked „bestätigt“)
  const over = shown.sites.filter((f) => shownLevelOf(f.properties) === 'over');
  const near = shown.sites.filter((f) => shownLevelOf(f.properties) === 'near');
  const siteIds = new Set(shown.sites.map((f) => f.properties.id));
  // a split a planner acknowledged ("bleiben weiterhin auf mehrere Standorte verteilt") is not counted at a glance
  const acknowledgedSplit = new Set(data.state.warnings.filter((x) => x.code === 'TEAM_SPLIT' && x.acknowledged).map((x) => x.team_id));
  const split = data.state.teams.filter(
    (tm) => tm.split && !acknowledgedSplit.has(tm.id) && (shown.team ? tm.id === shown.team.id : tm.site_ids.some((id) => siteIds.has(id))),
  );
  // what moves before the window's end: each move still to come, and the way back of a temporary one
  const ahead = (d) => Boolean(d) && d > view.date && d <= data.window.to;
  const coming = shown.moves.flatMap((f) => [f.properties.date, f.properties.until].filter(ahead));
  const li = (cls, text, detail) => h('li', { class: cls }, h('strong', {}, text), detail ? ` ${detail}` : null);
  list.append(li(over.length ? 'sum-over' : 'sum-ok', w.tr('map.summary.over', { n: over.length }), over.length ? `(${names(over)})` : null));
  // the management question is "which teams": the teams with people in a site over capacity, linked
  const overIds = new Set(over.map((f) => f.properties.id));
  const teamsOver = new Map();
  for (const st of data.state.sites) if (overIds.has(st.id)) for (const u of st.units) if (u.headcount > 0) teamsOver.set(u.team_id, u.team);
  if (teamsOver.size)
    list.append(
      h(
        'li',
        { class: 'sum-over sum-teams-over' },
        h('strong', {}, w.tr('map.summary.teams_over', { n: teamsOver.size })),
        ' ',
        ...[...teamsOver].flatMap(([id, name], i) => [i ? ', ' : '', h('a', { href: `/teams/${id}${qs}` }, name)]),
      ),
    );
  if (near.length) list.append(li('sum-near', w.tr('map.summary.near', { n: near.length }), `(${names(near)})`));
  list.append(
    h(
      'li',
      {},
      h('strong', {}, w.tr('map.summary.split', { n: split.length })),
      ' ',
      ...split.flatMap((tm, i) => [i ? ', ' : '', h('a', { href: `/teams/${tm.id}${qs}` }, tm.name)]),
    ),
  );
  list.append(li('', w.tr('map.summary.moves', { n: coming.length, to: w.date(data.window.to) })));
}

/** Why nothing is shown, in words (an empty map must not read as "no problems"). */
export function emptyReason(page, data, shown) {
  const { w, view } = page;
  if (shown.sites.length) return null;
  if (page.config.empty) return w.tr('map.empty_database');
  if (view.a11y) {
    const base = applyFilters(data, { ...view, a11y: null }).sites.filter((f) => siteDrawn(f.properties));
    const c = ratingCounts(base);
    return w.tr('map.none_a11y', {
      rating: w.tr(`a11y.${view.a11y}`),
      n: w.num(base.length),
      unknown: w.num(c.unknown),
      details:
        ['full', 'partial', 'none']
          .filter((r) => c[r])
          .map((r) => `${w.num(c[r])} ${w.tr(`a11y.${r}`)}`)
          .join(', ') || '–',
    });
  }
  return w.tr('map.none_filter');
}
