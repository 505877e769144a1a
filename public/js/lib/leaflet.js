// Leaflet as an ES module (its own ESM build, served from /vendor). No global `L`.
import * as L from '../../../vendor/leaflet/leaflet-src.esm.js';

export { L };
