// Draws the charts whose data the server put in data-chart attributes (Chart.js from /vendor).
import { Chart } from './lib/chart.js';

const COLORS = [
  '#1f5fa8',
  '#c62828',
  '#2e7d32',
  '#f9a825',
  '#6a1b9a',
  '#00838f',
  '#ef6c00',
  '#5d4037',
  '#455a64',
  '#ad1457',
  '#283593',
  '#558b2f',
  '#8d6e63',
  '#00695c',
];

for (const canvas of document.querySelectorAll('canvas[data-chart]')) {
  const d = JSON.parse(canvas.dataset.chart);
  let datasets;
  if (d.series) {
    // values above 100 % stay; a site with people and no capacity is drawn as ▲ above the highest value (over, not gone)
    const finite = d.series.flatMap((s) => s.data).filter((v) => typeof v === 'number');
    const top = Math.max(120, ...finite) + 10;
    datasets = d.series.map((s, i) => {
      const color = COLORS[(s.color ?? i) % COLORS.length];
      const zero = new Set(s.zero ?? []);
      return {
        label: s.label,
        // which points rest on an estimate (the tooltip marks them ≈, as the table does)
        estimated: s.est,
        data: s.data.map((v, k) => (zero.has(k) ? top : v)),
        borderColor: color,
        backgroundColor: color,
        tension: 0,
        spanGaps: false,
        borderDash: s.dashed ? [6, 4] : undefined,
        pointStyle: (c) => (zero.has(c.dataIndex) ? 'triangle' : 'circle'),
        pointRadius: (c) => (zero.has(c.dataIndex) ? 5 : 1),
      };
    });
  } else {
    datasets = [
      {
        label: d.labels.capacity,
        data: d.capacity,
        estimated: d.capacityEst,
        borderColor: '#455a64',
        backgroundColor: '#455a64',
        stepped: true,
        pointRadius: 0,
      },
      {
        label: d.labels.headcount,
        data: d.headcount,
        estimated: d.headcountEst,
        borderColor: '#c62828',
        backgroundColor: '#c62828',
        stepped: true,
        pointRadius: 0,
      },
    ];
  }
  // utilisation charts: a dashed 100 % line, and room above it so values over 100 % stay visible
  const percent = d.yLabel === '%';
  if (percent)
    datasets.push({
      label: d.fullLabel ?? '100 %',
      data: d.dates.map(() => 100),
      borderColor: '#263238',
      backgroundColor: '#263238',
      borderDash: [6, 4],
      pointRadius: 0,
      borderWidth: 1,
    });
  const peak = percent ? Math.max(100, ...datasets.flatMap((s) => s.data).filter((v) => typeof v === 'number')) : null;
  // amounts in euros: axis and tooltips in the page's number format (72.000 €)
  const money = d.currency ? new Intl.NumberFormat(d.locale, { style: 'currency', currency: d.currency, maximumFractionDigits: 0 }) : null;
  const chart = new Chart(canvas, {
    type: d.type ?? 'line',
    data: { labels: d.dates, datasets },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      ...(d.locale ? { locale: d.locale } : {}),
      animation: false,
      interaction: { mode: 'index', intersect: false },
      scales: {
        y: {
          beginAtZero: true,
          ...(percent ? { suggestedMax: Math.ceil((peak * 1.1) / 10) * 10 } : {}),
          title: d.yLabel ? { display: true, text: d.yLabel } : undefined,
          ...(money ? { ticks: { callback: (v) => money.format(v) } } : {}),
        },
      },
      plugins: {
        legend: { position: 'bottom' },
        // a value that rests on an estimate reads ≈ (as in the table beside the chart)
        tooltip: {
          callbacks: {
            label: (c) => `${c.dataset.label}: ${c.dataset.estimated?.[c.dataIndex] ? '≈' : ''}${money ? money.format(c.parsed.y) : c.formattedValue}`,
          },
        },
      },
    },
  });
  canvas.dataset.ready = 'true';
  canvas.chart = chart;
}
