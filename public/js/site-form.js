// Site form: a small map whose marker can be dragged (or clicked) to set lat/lon, and follows typed coordinates.
import { L } from './lib/leaflet.js';
const el = document.getElementById('pick-map');
const cfg = JSON.parse(el.dataset.config);
const lat = document.getElementById('f-lat');
const lon = document.getElementById('f-lon');
const num = (s) => Number(String(s).replace(',', '.'));
const start = [Number.isFinite(num(lat.value)) && lat.value ? num(lat.value) : 48.3984, Number.isFinite(num(lon.value)) && lon.value ? num(lon.value) : 9.9916];
const map = L.map(el).setView(start, 16);
if (cfg.tileUrl) L.tileLayer(cfg.tileUrl, { attribution: cfg.tileAttribution, maxZoom: 19 }).addTo(map);
fetch('/api/districts.geojson', { credentials: 'same-origin' })
  .then((r) => r.json())
  .then((g) => L.geoJSON(g, { style: { className: 'district', weight: 1, fillOpacity: 0.05 } }).addTo(map))
  .catch(() => {});
const marker = L.marker(start, { draggable: true, keyboard: true, title: 'Position' }).addTo(map);
// written as the page writes numbers (the server reads both marks)
const mark = document.documentElement.lang === 'de' ? ',' : '.';
const write = (ll) => {
  lat.value = ll.lat.toFixed(6).replace('.', mark);
  lon.value = ll.lng.toFixed(6).replace('.', mark);
};
marker.on('dragend', () => write(marker.getLatLng()));
map.on('click', (e) => {
  marker.setLatLng(e.latlng);
  write(e.latlng);
});
const follow = () => {
  const a = num(lat.value);
  const b = num(lon.value);
  if (Number.isFinite(a) && Number.isFinite(b) && Math.abs(a) <= 90 && Math.abs(b) <= 180) {
    marker.setLatLng([a, b]);
    map.panTo([a, b]);
  }
};
lat.addEventListener('change', follow);
lon.addEventListener('change', follow);
el.dataset.state = 'ready';
