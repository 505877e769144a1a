/**
 * Numbers as people type them, the one parser of forms and CSV import: German ("1.234,5", "12,5"),
 * plain ("1234.5") and with spaces ("12 345"). A dot followed by groups of three digits is a
 * thousands separator ("1.234" is 1234); otherwise the comma or the dot is the decimal mark.
 * A decimal (`grouping: false`: coordinates, ratios) has no thousands: its dot is always the decimal
 * mark, so "13.405" stays 13.405 degrees as the form and the CSV export write it.
 * On an English page (`lang: 'en'`) the comma groups thousands ("1,234.5", "12,125" is 12125) and the
 * dot is always the decimal mark ("12.125" is 12.125); a lone decimal comma ("12,5") is still read.
 */
export function parseNumber(raw: string, { grouping = true, lang = 'de' }: { grouping?: boolean; lang?: 'de' | 'en' } = {}): number | null {
  const s = raw.trim().replace(/\s/g, '');
  const norm = !grouping
    ? s.replace(',', '.')
    : lang === 'en'
      ? /^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)
        ? s.replace(/,/g, '')
        : s.replace(',', '.')
      : /^-?\d{1,3}(\.\d{3})+(,\d+)?$/.test(s)
        ? s.replace(/\./g, '').replace(',', '.')
        : s.replace(',', '.');
  const n = Number(norm);
  return norm !== '' && Number.isFinite(n) ? n : null;
}

/**
 * A number as a form shows it to be typed over: every digit it has (12.125 m² stays 12,125, not a
 * rounded 12,1 that saving the unchanged form would store), no thousands, the page's decimal mark —
 * what parseNumber reads back as the same value.
 */
export function formNumber(lang: 'de' | 'en', n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '';
  const plain = Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(15)));
  return lang === 'de' ? plain.replace('.', ',') : plain;
}
