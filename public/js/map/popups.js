// What a site or a move says about itself: names for screen readers, tooltips, popups; and the
// keyboard way into a popup and back.
import { query, UTIL_SYMBOL } from '../map-data.js';
import { h } from './dom.js';

/** ok / near / over / unavailable, as in the legend: the server decides (sites.geojson `load_level`). */
export const levelOf = (p) => p.load_level;
/** The level the map colours and counts (the server decides: a load a planner acknowledged leaves them); the popup still says the load. */
export const shownLevelOf = (p) => p.map_level;

export const utilText = (w, cls) => w.tr(`map.util.${cls}`);

/** a number with ≈ when it rests on an estimate */
export const approx = (w, flag, n) => `${flag ? '≈' : ''}${w.num(n)}`;

/** "Haslacher Weg 89: 12 von 12 Plätzen belegt (voll)" */
export const siteName = (w, p) =>
  w.tr('map.marker_name', {
    name: p.name,
    headcount: approx(w, p.headcount_estimated, p.headcount),
    capacity: approx(w, p.capacity_estimated, p.capacity),
    state: utilText(w, levelOf(p)),
  });

export const shortName = (p) => p.short_name || p.name;

/** Accessibility reasons in the page's language: translated by code, the server's text only as a fallback. */
function reasonTexts(w, p) {
  const coded = p.accessibility_reason_codes ?? (p.accessibility_reasons ?? []).filter((r) => typeof r === 'object');
  if (coded.length) return coded.map((r) => (w.dict[`reason.${r.code}`] ? w.tr(`reason.${r.code}`, w.params(r.params)) : (r.message ?? r.text ?? r.code)));
  return (p.accessibility_reasons ?? []).map((r) => (typeof r === 'string' ? r : (r.message ?? r.code)));
}

/** The figures line of a site's popup: people / workplaces, free, utilization. */
function figures(w, p, est) {
  // a building on offer not taken up: from when and what it offers, as its page says it (not „0 /
  // angeboten · 0 frei“); people planned into it all the same are named first
  if (p.offer) {
    return h(
      'p',
      { class: 'popup-figures popup-offer' },
      p.headcount > 0 ? [est(p.headcount_estimated), `${w.num(p.headcount)} ${w.tr('site.headcount')} · `] : null,
      p.offer.from ? `${w.tr('site.available_from')}: ${w.date(p.offer.from)} · ` : null,
      `${w.tr('site.offered_places')}: `,
      est(p.offer.capacity_estimated),
      w.num(p.offer.capacity),
    );
  }
  // a site that cannot be used shows its status, not a 0 ("geschlossen (angenommen)" when the closure is ours)
  const status = w.tr(`status.${p.status}`);
  const unusable = !p.available && p.status !== 'active';
  const derived = p.headcount_estimated || p.capacity_estimated;
  return h(
    'p',
    { class: 'popup-figures' },
    h(
      'strong',
      { class: 'headcount-capacity' },
      est(p.headcount_estimated),
      w.num(p.headcount),
      ' / ',
      unusable ? (p.status_estimated ? w.tr('status.assumed', { status }) : status) : [est(p.capacity_estimated), w.num(p.capacity)],
    ),
    ` ${w.tr('site.headcount')} / ${w.tr('site.capacity')} · `,
    est(derived),
    // places missing, not „-22 frei“
    `${w.num(Math.abs(p.free))} ${w.tr(p.free < 0 ? 'site.missing' : 'site.free')} · `,
    est(derived && p.utilization !== null),
    w.pct(p.utilization),
  );
}

/**
 * At a site with floors, where a unit's people sit: " · Obergeschoss", or by floor when they are
 * spread (" · Obergeschoss 8, Erdgeschoss 4"); people on no floor are "nicht zugeordnet".
 */
function floorsOf(w, p, u) {
  const places = p.unit_floors?.[u.unit_id];
  if (!places?.length) return null;
  const name = (f) => f.name ?? w.tr('map.floor_unassigned');
  const text = places.length === 1 ? name(places[0]) : places.map((f) => `${name(f)} ${w.num(f.headcount)}`).join(', ');
  return h('span', { class: 'popup-floor' }, ` · ${text}`);
}

/** A site's popup, as DOM nodes; `view` gives the date and scenario of its link. */
export function popupFor(w, view, p) {
  // ≈ before every number that rests on an estimate (legend: "geschätzt")
  const est = (flag) => (flag ? h('span', { class: 'est', title: w.tr('common.estimated') }, '≈') : null);
  const units = h(
    'ul',
    { class: 'popup-units' },
    p.units.map((u) =>
      h(
        'li',
        { 'data-unit-id': u.unit_id, 'data-team-id': u.team_id },
        `${u.unit} (${u.team}): `,
        est(u.headcount_estimated),
        w.num(u.headcount),
        floorsOf(w, p, u),
      ),
    ),
  );
  const cls = levelOf(p);
  const reasons = reasonTexts(w, p);
  return h(
    'div',
    { class: 'popup', 'data-site-id': p.id },
    h('h3', { tabindex: '-1' }, p.name),
    p.address ? h('p', { class: 'muted' }, p.address) : null,
    figures(w, p, est),
    h(
      'p',
      {},
      h('span', { class: `util-text util-${cls}`, 'aria-hidden': 'true' }, UTIL_SYMBOL[cls]),
      ` ${utilText(w, cls)}`,
      p.load_acknowledged ? ` · ${w.tr('ack.badge')}` : null,
    ),
    // a quotation from the source, marked as one (unless the text brings its own quotation marks)
    p.assessment
      ? h('p', { class: 'popup-assessment' }, /[„“”"«»]/.test(p.assessment) ? p.assessment : h('q', {}, p.assessment), ` (${p.assessment_source ?? ''})`)
      : null,
    p.needed !== p.headcount ? h('p', { class: 'muted' }, `${w.num(p.needed)} ${w.tr('site.needed')}`) : null,
    h('p', {}, `${w.tr('site.status')}: ${w.tr(`status.${p.status}`)}`),
    h(
      'p',
      {},
      `${w.tr('site.accessibility')}: `,
      h('span', { class: `a11y a11y-${p.accessibility_rating}` }, w.tr(`a11y.${p.accessibility_rating}`)),
      reasons.length ? h('span', { class: 'muted' }, ` (${reasons.join(', ')})`) : null,
    ),
    p.units.length ? h('div', {}, h('strong', {}, w.tr('site.units')), units) : h('p', { class: 'muted' }, w.tr('site.no_units')),
    h('p', { class: 'muted' }, `${w.tr('site.position_precision')}: ${w.tr(`precision.${p.position_precision}`)}`),
    h('a', { href: `/sites/${p.id}${query({ date: view.date, scenario_id: view.scenario_id })}`, class: 'popup-details' }, w.tr('site.details')),
  );
}

// the status as of the shown date: a move dated later is still planned then, never done
export const moveStatus = (p) => p.status_as_of ?? p.status;

export function moveLabel(w, p) {
  const until = p.until ? `, ${w.tr('move.until')} ${w.date(p.until)}` : '';
  // ≈ before a headcount or a date that rests on an estimate, as the moves list and the report write it
  const date = `${p.date_estimated ? '≈' : ''}${w.date(p.date)}`;
  return `${p.unit} (${p.team}): ${p.from_site} → ${p.to_site}, ${approx(w, p.headcount_estimated, p.headcount)} ${w.tr('move.headcount')}, ${date}${until} · ${w.tr(`move.status.${moveStatus(p)}`)}`;
}

/** Makes a vector layer (SVG path) a keyboard stop with a name; Enter or Space opens its popup. */
export function focusable(layer, name, onOpen) {
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

/**
 * After a popup opened from the keyboard, focus moves into it; Escape (anywhere in it) closes it. However
 * it closes (Escape, its close button), focus goes back to the marker, not to the top of the page.
 */
export function openPopupFromKeyboard(layer) {
  const back = layer.getElement();
  layer.openPopup();
  const popup = layer.getPopup();
  const node = popup?.getElement();
  if (!node) return;
  const target = node.querySelector('h3[tabindex], [tabindex="-1"]') ?? node.querySelector('a');
  target?.focus();
  const onKey = (e) => {
    if (e.key === 'Escape') layer.closePopup();
  };
  node.addEventListener('keydown', onKey);
  layer.once('popupclose', () => {
    node.removeEventListener('keydown', onKey);
    const active = document.activeElement;
    // focus left in the closing popup (or dropped to the page): back to the marker; elsewhere, it stays
    if (!active || active === document.body || node.contains(active)) back?.focus();
  });
}
