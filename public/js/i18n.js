// Words and numbers in the page's language, shared by the page scripts. The dictionary part a page
// needs comes from the server (data-config); formats use Intl.

/** A dictionary text with its {params} filled in (the key itself when the dictionary lacks it). */
export function t(dict, key, params = {}) {
  const text = dict[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, k) => (params[k] === undefined || params[k] === null ? '' : String(params[k])));
}

const pluralRules = new Map();
/** `key.one`/`key.other` by the count `n` (Intl.PluralRules of the language), when the dictionary has them. */
function pluralKey(dict, lang, key, params) {
  if (typeof params?.n !== 'number') return key;
  let rules = pluralRules.get(lang);
  if (!rules) pluralRules.set(lang, (rules = new Intl.PluralRules(lang === 'de' ? 'de-DE' : 'en-GB')));
  const form = `${key}.${rules.select(params.n)}`;
  return form in dict ? form : `${key}.other` in dict ? `${key}.other` : key;
}

export function formatDate(lang, iso) {
  if (!iso) return '–';
  const [y, m, d] = iso.slice(0, 10).split('-');
  return lang === 'de' ? `${d}.${m}.${y}` : `${d}/${m}/${y}`;
}

// a number format is costly to make and the map formats thousands of numbers per drawing: one per language and precision
const numberFormats = new Map();
export function formatNumber(lang, n, digits = 1) {
  if (n === null || n === undefined) return '–';
  const key = `${lang}|${digits}`;
  let f = numberFormats.get(key);
  if (!f) numberFormats.set(key, (f = new Intl.NumberFormat(lang === 'de' ? 'de-DE' : 'en-GB', { maximumFractionDigits: digits })));
  return f.format(n);
}

export function formatPercent(lang, ratio) {
  return ratio === null || ratio === undefined ? '–' : `${formatNumber(lang, Math.round(ratio * 1000) / 10)} %`;
}

/** A message's params for the page: numbers and ISO dates in the page's format. */
export function formatParams(lang, params) {
  const out = {};
  for (const [k, v] of Object.entries(params ?? {})) {
    out[k] = typeof v === 'number' ? formatNumber(lang, v) : /^\d{4}-\d{2}-\d{2}$/.test(String(v)) ? formatDate(lang, v) : v;
  }
  return out;
}

/** The page's words: `tr(key, params)` over its dictionary. */
export function wordsOf(dict, lang) {
  return {
    dict,
    lang,
    // a number among the params chooses the plural form (n) and is shown in the page's format
    tr: (key, params) => t(dict, pluralKey(dict, lang, key, params), formatParams(lang, params)),
    num: (n, digits) => formatNumber(lang, n, digits),
    date: (iso) => formatDate(lang, iso),
    pct: (ratio) => formatPercent(lang, ratio),
    params: (params) => formatParams(lang, params),
  };
}
