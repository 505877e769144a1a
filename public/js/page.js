// Every page: after a rejected form, focus moves to the error summary (its links lead to the fields).
const summary = document.getElementById('error-summary') ?? document.getElementById('far-warning');
if (summary) summary.focus();
// "Tabelle anzeigen" toggles next to charts
for (const b of document.querySelectorAll('button[data-toggle-table]')) {
  b.addEventListener('click', () => {
    const table = document.getElementById(b.dataset.toggleTable);
    if (!table) return;
    const show = table.classList.contains('visually-hidden');
    table.classList.toggle('visually-hidden', !show);
    b.setAttribute('aria-expanded', String(show));
  });
}
// on a phone, data tables stack their cells: each cell gets its column's name to show beside it
for (const table of document.querySelectorAll('table.data:not(.chart-table)')) {
  const heads = Array.from(table.querySelectorAll('thead th')).map((th) => th.textContent.trim());
  if (!heads.length) continue;
  for (const row of table.querySelectorAll('tbody tr')) {
    let col = 0;
    for (const cell of row.children) {
      const label = heads[col];
      if (label && !cell.hasAttribute('data-label')) cell.setAttribute('data-label', label);
      col += Number(cell.getAttribute('colspan') || 1);
    }
  }
  table.classList.add('stackable');
}
