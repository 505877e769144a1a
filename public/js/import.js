// Import page: reads the chosen file (or pasted text) and sends it to the import API, first as a dry run.
const form = document.getElementById('import-form');
const out = document.getElementById('import-result');
const lang = document.documentElement.lang;
const L = lang === 'de'
  ? { ok: (r) => `${r.dry_run ? 'Probelauf: ' : ''}${r.inserted} neu, ${r.updated} geändert${r.dry_run ? ' (nichts gespeichert)' : ' – gespeichert'}.`, bad: (n) => `${n} Fehler – nichts wurde importiert.`, line: 'Zeile', empty: 'Bitte eine Datei wählen oder Text einfügen.' }
  : { ok: (r) => `${r.dry_run ? 'Dry run: ' : ''}${r.inserted} new, ${r.updated} updated${r.dry_run ? ' (nothing saved)' : ' – saved'}.`, bad: (n) => `${n} errors – nothing was imported.`, line: 'Line', empty: 'Please choose a file or paste text.' };

async function csvText() {
  const file = document.getElementById('import-file').files[0];
  if (file) return file.text();
  return document.getElementById('import-text').value;
}

function show(result) {
  out.textContent = '';
  const rows = result.rejected ?? result.error?.rows ?? [];
  const p = document.createElement('p');
  p.className = rows.length ? 'form-error box' : 'flash';
  p.textContent = rows.length ? L.bad(rows.length) : result.error ? result.error.message : L.ok(result);
  out.append(p);
  if (rows.length) {
    const ul = document.createElement('ul');
    ul.id = 'import-errors';
    for (const r of rows) {
      const li = document.createElement('li');
      li.textContent = `${L.line} ${r.line}${r.field ? ` · ${r.field}` : ''}: ${r.message}`;
      ul.append(li);
    }
    out.append(ul);
  }
}

async function send(dryRun) {
  const text = await csvText();
  if (!text.trim()) { out.textContent = L.empty; return; }
  const kind = document.getElementById('import-kind').value;
  const res = await fetch(`/api/import/${kind}${dryRun ? '?dry_run=1' : ''}`, {
    method: 'POST', credentials: 'same-origin',
    headers: { 'Content-Type': 'text/csv', 'X-CSRF-Token': form.dataset.csrf, Accept: 'application/json' },
    body: text,
  });
  show(await res.json());
}

document.getElementById('import-check').addEventListener('click', () => send(true));
document.getElementById('import-run').addEventListener('click', () => send(false));
