import { de, type MessageKey } from './de.js';
import { en } from './en.js';

export type Lang = 'de' | 'en';
export const LANGS: readonly Lang[] = ['de', 'en'];
export type Dictionary = Record<string, string>;
export type { MessageKey };

declare const madeAtRunTime: unique symbol;
/** A key put together at run time (`warning.${code}`): marked with keyAt(), as tsc cannot check it. */
export type RuntimeKey = string & { readonly [madeAtRunTime]: true };
/** A key the code names: one of the dictionary's (a typo fails the type check), or one marked as made at run time. */
/** `count.moves` for `count.moves.one` / `count.moves.other`: the form is chosen by the count (pluralKey). */
type PluralBase<K> = K extends `${infer B}.other` ? B : never;
export type TextKey = MessageKey | PluralBase<MessageKey> | RuntimeKey;
/** Marks a key made at run time (a code's text, a validation message carrying its own parameters). */
export const keyAt = (key: string): RuntimeKey => key as RuntimeKey;

const dictionaries: Record<Lang, Dictionary> = { de, en };

export function isLang(x: unknown): x is Lang {
  return x === 'de' || x === 'en';
}

/** Looks a key up in the language's dictionary and fills {placeholders}. */
export function translate(lang: Lang, key: TextKey, params: Record<string, unknown> = {}): string {
  // a message key may carry its own parameters: `validation.range?min=0&max=2000`
  const q = key.indexOf('?');
  if (q > 0) {
    const own: Record<string, unknown> = {};
    // a date among them is shown as the language writes dates
    for (const [k, v] of new URLSearchParams(key.slice(q + 1)))
      own[k] = /^\d{4}-\d{2}-\d{2}$/.test(v) ? formatDate(lang, v) : v !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
    return translate(lang, keyAt(key.slice(0, q)), { ...own, ...params });
  }
  const parts = template(lang, pluralKey(lang, key, params));
  if (parts.length === 1) return parts[0];
  let out = parts[0];
  for (let i = 1; i < parts.length; i += 2) {
    const v = params[parts[i]];
    if (v !== undefined && v !== null) out += typeof v === 'number' ? formatNumber(lang, v) : String(v);
    out += parts[i + 1];
  }
  return out;
}

const pluralRules: Record<Lang, Intl.PluralRules> = { de: new Intl.PluralRules('de-DE'), en: new Intl.PluralRules('en-GB') };

/**
 * The key of the text for a count: `key.one` for „1 Standort“, `key.other` for „2 Standorte“ (the
 * language's plural rules, Intl.PluralRules, choose), when the dictionary has such forms; the count
 * is the `n` parameter.
 */
export function pluralKey(lang: Lang, key: string, params: Record<string, unknown>): string {
  const n = params.n;
  if (typeof n !== 'number') return key;
  const form = `${key}.${pluralRules[lang].select(n)}`;
  if (Object.hasOwn(dictionaries[lang], form)) return form;
  const other = `${key}.other`;
  return Object.hasOwn(dictionaries[lang], other) ? other : key;
}

// a text split once at its {placeholders}: [text, name, text, name, …, text]
const templates: Record<Lang, Map<string, string[]>> = { de: new Map(), en: new Map() };
function template(lang: Lang, key: string): string[] {
  let parts = templates[lang].get(key);
  if (!parts) {
    const known = Object.hasOwn(dictionaries[lang], key) ? dictionaries[lang][key] : Object.hasOwn(dictionaries.de, key) ? dictionaries.de[key] : undefined;
    parts = (known ?? key).split(/\{(\w+)\}/);
    // keys made up at run time (a validation message as its own key) are not kept
    if (known !== undefined) templates[lang].set(key, parts);
  }
  return parts;
}

const locale = (lang: Lang) => (lang === 'de' ? 'de-DE' : 'en-GB');

/** 2026-11-24 → 24.11.2026 (de) or 24/11/2026 (en). */
export function formatDate(lang: Lang, iso: string | null | undefined): string {
  if (!iso) return '–';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  return lang === 'de' ? `${m[3]}.${m[2]}.${m[1]}` : `${m[3]}/${m[2]}/${m[1]}`;
}

export function formatNumber(lang: Lang, n: number | null | undefined, digits = 1): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '–';
  return numberFormat(lang, digits).format(n);
}

// a number format is costly to make and is asked for with every warning's message: made once each
const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(lang: Lang, digits: number): Intl.NumberFormat {
  const k = `${lang}|${digits}`;
  let f = numberFormats.get(k);
  if (!f) {
    f = new Intl.NumberFormat(locale(lang), { maximumFractionDigits: digits });
    numberFormats.set(k, f);
  }
  return f;
}

/** An amount in euros, whole: 72.000 € (de) or €72,000 (en); '–' when there is none. */
/**
 * An amount in euros: whole euros (sums, per workplace), or with its cents when it has any and
 * `cents` is asked for (an amount as typed: a rent of 4.250,50 € is not „4.251 €“).
 */
export function formatEuro(lang: Lang, n: number | null | undefined, { cents = false }: { cents?: boolean } = {}): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '–';
  const exact = cents && Math.round(n * 100) % 100 !== 0;
  const text = exact ? euroCents[lang].format(n) : formatNumber(lang, Math.round(n), 0);
  return lang === 'de' ? `${text}\u00a0€` : `€${text}`;
}
const euroCents: Record<Lang, Intl.NumberFormat> = {
  de: new Intl.NumberFormat('de-DE', { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
  en: new Intl.NumberFormat('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
};

export function formatPercent(lang: Lang, ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined) return '–';
  return `${formatNumber(lang, Math.round(ratio * 1000) / 10)} %`;
}

export function dictionary(lang: Lang): Dictionary {
  return dictionaries[lang];
}

/** Whether the language's dictionary has the key. */
export function hasKey(lang: Lang, key: string): boolean {
  return key in dictionaries[lang];
}

/** The entries whose keys match, for a page's browser code (handed over in a data attribute). */
export function dictionaryPart(lang: Lang, keys: RegExp): Dictionary {
  return Object.fromEntries(Object.entries(dictionaries[lang]).filter(([k]) => keys.test(k)));
}

/**
 * The text of an engine warning in the language: the engine gives code and params, the dictionary
 * the words. Dates read as dates (24.11.2026), a site status as its word, and every param that rests
 * on an estimate carries ≈ (SPEC section 16).
 */
export function warningMessage(lang: Lang, w: { code: string; params: Record<string, unknown>; estimates?: readonly string[] }): string {
  // a warning about one floor of a site has a text of its own where the dictionary has one
  const key = w.params.floor != null && hasKey(lang, `warning.${w.code}.floor`) ? `warning.${w.code}.floor` : `warning.${w.code}`;
  return translate(lang, keyAt(key), textParams(lang, w.params, w.estimates ?? []));
}

/** Params as a text shows them: ISO dates as dates, a status as its word, ≈ before estimates. */
export function textParams(lang: Lang, params: Record<string, unknown>, estimates: readonly string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) {
    let shown: unknown = v;
    if (typeof v === 'string' && ISO_DAY.test(v)) shown = formatDate(lang, v);
    else if (k === 'status' && typeof v === 'string' && hasKey(lang, `status.${v}`)) shown = translate(lang, keyAt(`status.${v}`));
    if (estimates.includes(k) && shown !== null && shown !== undefined) shown = `≈${typeof shown === 'number' ? formatNumber(lang, shown) : String(shown)}`;
    out[k] = shown;
  }
  return out;
}
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The text of an accessibility reason (`reason.<code>`) in the language. */
export function reasonMessage(lang: Lang, r: { code: string; params: Record<string, unknown> }): string {
  return translate(lang, keyAt(`reason.${r.code}`), r.params);
}

/** Warnings as the API sends them: code, params and the message in the reader's language. */
export function withMessages<W extends { code: string; params: Record<string, unknown>; estimates?: readonly string[] }>(
  lang: Lang,
  warnings: readonly W[],
): (W & { message: string })[] {
  return warnings.map((w) => ({ ...w, message: warningMessage(lang, w) }));
}

/** The language of a request: its own ?lang=, else the session's choice (set by ?lang= on a page or at login), else German. */
export function langOf(req: { query?: { lang?: unknown }; session?: { lang?: unknown } }): Lang {
  // the request's own ?lang= first (a write that asks for it is answered in it, without making it last)
  const asked = req.query?.lang;
  if (isLang(asked)) return asked;
  const l = req.session?.lang;
  return isLang(l) ? l : 'de';
}
