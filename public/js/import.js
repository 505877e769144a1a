// Import page: reads the chosen file (or pasted text) and sends it to the import API, first as a dry run.
import { t } from './map-data.js';
import { wordsOf } from './i18n.js';

const form = document.getElementById('import-form');
const out = document.getElementById('import-result');
// the texts come from the server's dictionary in the page's language (the form's data-dict attribute)
const dict = JSON.parse(form.dataset.dict);
const w = wordsOf(dict, form.dataset.lang);
const L = {
  ok: (r) => t(dict, r.dry_run ? 'import.result_dry' : 'import.result_saved', r),
  // a room list creates the floors it names that a site lacks
  floors: (r) => w.tr(r.dry_run ? 'import.floors_created_dry' : 'import.floors_created', { n: r.floors_created }),
  // which encoding the server read the file in (UTF-8, or Windows-1252 from German Excel)
  encoding: (r) => (r.encoding && dict[`import.encoding.${r.encoding}`] ? t(dict, `import.encoding.${r.encoding}`) : ''),
  bad: (n) => t(dict, 'import.rejected', { count: n }),
  line: t(dict, 'import.line'),
  empty: t(dict, 'import.empty'),
  // an answer without rows (too large, no file, a role that may not import) by its code
  error: (e) => t(dict, dict[`import.error.${e.code}`] ? `import.error.${e.code}` : 'import.error.other'),
};

/** The chosen file as it is (its bytes: the server detects UTF-8 or Windows-1252), else the pasted text. */
function csvBody() {
  const file = document.getElementById('import-file').files[0];
  if (file) return file.size ? file : null;
  const text = document.getElementById('import-text').value;
  return text.trim() ? text : null;
}

function show(result) {
  out.textContent = '';
  const rows = result.rejected ?? result.error?.rows ?? [];
  const p = document.createElement('p');
  p.className = rows.length ? 'form-error box' : 'flash';
  p.textContent = rows.length ? L.bad(rows.length) : result.error ? L.error(result.error) : L.ok(result);
  out.append(p);
  if (result.floors_created) {
    const fl = document.createElement('p');
    fl.id = 'import-floors';
    fl.textContent = L.floors(result);
    out.append(fl);
  }
  if (result.encoding) {
    const enc = document.createElement('p');
    enc.id = 'import-encoding';
    enc.textContent = L.encoding(result);
    out.append(enc);
  }
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
  const body = csvBody();
  if (!body) {
    out.textContent = L.empty;
    return;
  }
  const kind = document.getElementById('import-kind').value;
  // the rows' messages in the page's language
  const res = await fetch(`/api/import/${kind}?lang=${form.dataset.lang}${dryRun ? '&dry_run=1' : ''}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'text/csv', 'X-CSRF-Token': form.dataset.csrf, Accept: 'application/json' },
    body,
  });
  show(await res.json());
}

document.getElementById('import-check').addEventListener('click', () => send(true));
document.getElementById('import-run').addEventListener('click', () => send(false));
