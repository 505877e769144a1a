// Every page: after a rejected form, focus moves to the error summary (its links lead to the fields).
const summary = document.getElementById('error-summary') ?? document.getElementById('far-warning');
if (summary) summary.focus();
// a list opened at a record (after saving it, or from a link): that row is brought into view
const highlighted = document.querySelector('tr.highlight');
if (highlighted && !location.hash && !summary) highlighted.scrollIntoView({ block: 'center' });
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
// a new password's rules, ticked off as it is typed (the server checks them again, with its list of common passwords)
const guessable = (p) => {
  const s = p.toLowerCase();
  if (new Set(s).size <= 3) return true;
  const codes = [...s].map((c) => c.charCodeAt(0));
  const step = codes[1] - codes[0];
  return (
    Math.abs(step) === 1 &&
    codes.every((c, i) => i === 0 || c - codes[i - 1] === step || (/\d/.test(s[i]) && (c - codes[i - 1] + 10) % 10 === (step + 10) % 10))
  );
};
for (const input of document.querySelectorAll('input[data-password-rules]')) {
  const list = document.getElementById(input.dataset.passwordRules);
  const status = document.getElementById(`${input.dataset.passwordRules}-status`);
  if (!list) continue;
  const checks = { length: (p) => p.length >= 10, guess: (p) => p.length > 0 && !guessable(p) };
  let said = '';
  const update = () => {
    const p = input.value;
    const parts = [];
    for (const li of list.querySelectorAll('li[data-rule]')) {
      const ok = checks[li.dataset.rule](p);
      li.dataset.ok = p ? String(ok) : '';
      li.querySelector('.rule-state').textContent = !p ? '○' : ok ? '✓' : '✗';
      const word = ok ? list.dataset.met : list.dataset.unmet;
      li.querySelector('.rule-said').textContent = p ? `: ${word}` : '';
      parts.push(`${li.textContent.replace(/[○✓✗]/g, '').replace(/:.*$/, '').trim()}: ${word}`);
    }
    // announced when a rule's state changes, not on every key
    const now = p ? parts.join('; ') : '';
    if (status && now !== said) status.textContent = now;
    said = now;
  };
  input.addEventListener('input', update);
}
// a long list of checkboxes (the sites a site_editor may edit) narrowed by a text box
for (const box of document.querySelectorAll('input[data-filter-list]')) {
  const list = document.getElementById(box.dataset.filterList);
  if (!list) continue;
  box.addEventListener('input', () => {
    const q = box.value.trim().toLocaleLowerCase('de');
    for (const li of list.children) li.hidden = q !== '' && !li.textContent.toLocaleLowerCase('de').includes(q) && !li.querySelector('input:checked');
  });
}
// a move's floor: of all sites' floors, those of the site chosen beside it are offered (without scripts: all, grouped by site;
// the server refuses a floor of another site next to the field). A floor already chosen stays shown until the site changes.
// The other sites' groups are taken out of the list, not hidden (some browsers show a hidden group anyway).
for (const floors of document.querySelectorAll('select[data-floors-of]')) {
  const site = document.getElementById(floors.dataset.floorsOf);
  if (!site) continue;
  const groups = Array.from(floors.querySelectorAll('optgroup[data-site-id]'));
  const narrow = (changed) => {
    const chosen = floors.selectedOptions[0] ?? null;
    let keptChoice = false;
    for (const group of groups) {
      const keep = group.dataset.siteId === site.value || (!changed && group.contains(chosen));
      if (keep) floors.append(group);
      else group.remove();
      if (keep && group.contains(chosen)) keptChoice = true;
    }
    if (changed && chosen?.parentElement instanceof HTMLOptGroupElement && !keptChoice) floors.value = '';
  };
  narrow(false);
  site.addEventListener('change', () => narrow(true));
}
