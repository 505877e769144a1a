// Chart.js as an ES module (its ESM build, served from /vendor), every chart type registered as the
// UMD bundle did. No global `Chart`.
import { Chart, registerables } from '../../../vendor/chart.js/chart.js';

Chart.register(...registerables);

export { Chart };
