/**
 * Numbers as people type them, the one parser of forms and CSV import: German ("1.234,5", "12,5"),
 * plain ("1234.5") and with spaces ("12 345"). A dot followed by groups of three digits is a
 * thousands separator ("1.234" is 1234); otherwise the comma or the dot is the decimal mark.
 * A decimal (`grouping: false`: coordinates, ratios) has no thousands: its dot is always the decimal
 * mark, so "13.405" stays 13.405 degrees as the form and the CSV export write it.
 */
export function parseNumber(raw: string, { grouping = true }: { grouping?: boolean } = {}): number | null {
  const s = raw.trim().replace(/\s/g, '');
  const norm = grouping && /^-?\d{1,3}(\.\d{3})+(,\d+)?$/.test(s) ? s.replace(/\./g, '').replace(',', '.') : s.replace(',', '.');
  const n = Number(norm);
  return norm !== '' && Number.isFinite(n) ? n : null;
}
