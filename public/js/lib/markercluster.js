// Leaflet.markercluster as an ES module: the server wraps the plugin around a copy of Leaflet's
// exports (see server/routes/vendor.ts). No global `L`.
export { markerClusterGroup } from '../../../vendor/markercluster/markercluster.esm.js';
