// Placement page: one small map per proposal — the sites it uses (filled) and the sites people leave
// (hollow), with a line per move. Names reach Leaflet only as DOM text nodes.
import { L } from './lib/leaflet.js';

/** A tooltip body as DOM nodes: the site's name, then "people · workplaces". */
function label(lines) {
  const box = document.createElement('div');
  lines.forEach((text, i) => {
    const line = document.createElement(i === 0 ? 'strong' : 'div');
    line.textContent = text;
    box.appendChild(line);
  });
  return box;
}

function draw(el) {
  const proposal = JSON.parse(el.dataset.proposal);
  const origins = JSON.parse(el.dataset.origins || '[]');
  const map = L.map(el, { maxZoom: 19, scrollWheelZoom: false });
  if (el.dataset.tileUrl) L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution, maxZoom: 19 }).addTo(map);
  const where = new Map();
  const bounds = [];
  for (const s of proposal.sites) {
    where.set(s.site_id, [s.lat, s.lon]);
    bounds.push([s.lat, s.lon]);
    L.circleMarker([s.lat, s.lon], { radius: 9, weight: 2, fillOpacity: 0.8, className: s.candidate ? 'placement-site candidate' : 'placement-site' })
      // the sites a proposal uses carry their name on the map; the numbers come on hover
      .bindTooltip(label([s.name, `${el.dataset.labelPeople}: ${s.headcount} · ${el.dataset.labelPlaces}: ${s.needed} / ${s.capacity}`]), {
        permanent: true,
        direction: 'right',
        className: 'placement-label',
      })
      .addTo(map);
  }
  for (const s of origins) {
    where.set(s.site_id, [s.lat, s.lon]);
    bounds.push([s.lat, s.lon]);
    L.circleMarker([s.lat, s.lon], { radius: 6, weight: 2, fillOpacity: 0, className: 'placement-origin' })
      .bindTooltip(label([s.name]))
      .addTo(map);
  }
  for (const m of proposal.moves) {
    const a = where.get(m.from_site_id);
    const b = where.get(m.to_site_id);
    if (a && b)
      L.polyline([a, b], { weight: 2, dashArray: '4 4', className: 'placement-move' })
        .bindTooltip(label([m.unit, String(m.headcount)]))
        .addTo(map);
  }
  fetch('/api/districts.geojson', { credentials: 'same-origin' })
    .then((r) => r.json())
    .then((g) => {
      L.geoJSON(g, { style: { className: 'district', weight: 1, fillOpacity: 0.04 }, interactive: false })
        .addTo(map)
        .bringToBack();
    })
    .catch(() => {});
  if (bounds.length) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
  else map.setView([48.3984, 9.9916], 12);
  el.dataset.state = 'ready';
}

document.querySelectorAll('.placement-map').forEach(draw);

// a refused "apply" is shown beside its name field, far down a phone's page: take the reader there
const refused = document.querySelector('.apply-form .field.invalid input');
if (refused) {
  refused.scrollIntoView({ block: 'center' });
  refused.focus();
}
