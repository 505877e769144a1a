/** Planned moves as an iCalendar feed (RFC 5545) for the relocation crew. */
import { formatDate, translate, type Lang, type TextKey } from '../i18n/index.js';
import type { PlanMove } from '../planning/types.js';
import { stripControlChars } from '../text.js';

/**
 * A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped, every line break (CRLF,
 * a bare CR, a bare LF) written as `\\n`, a tab a space, other control characters dropped: a unit's name
 * can never start a line of its own, so a feed cannot be given false events.
 */
export const esc = (s: string) =>
  stripControlChars(s)
    .replace(/\t/g, ' ')
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');

/** Lines longer than 75 octets are folded with CRLF + space (UTF-8 safe). */
function fold(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let cur = '';
  for (const ch of line) {
    if (Buffer.byteLength(cur + ch, 'utf8') > (parts.length ? 74 : 75)) {
      parts.push(cur);
      cur = '';
    }
    cur += ch;
  }
  parts.push(cur);
  return parts.join('\r\n ');
}

const ymd = (d: string) => d.replace(/-/g, '');
const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** The feed in the reader's language: every text comes from the dictionary (`ics.*`). */
export function movesIcs(
  moves: PlanMove[],
  names: { unit: (id: number) => string; site: (id: number | null) => string },
  host: string,
  stamp: Date,
  lang: Lang,
): string {
  const t = (key: TextKey, params?: Record<string, unknown>) => translate(lang, key, params);
  const dtstamp = stamp
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Stadt Ulm//Standortplanung//DE',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${esc(t('ics.calendar_name'))}`,
  ];
  for (const m of moves) {
    // headcount as a string: a feed for machines shows no thousands separator
    const words = { unit: names.unit(m.unit_id), from: names.site(m.from_site_id), to: names.site(m.to_site_id), headcount: String(m.headcount) };
    const summary = t('ics.move', words);
    const description = t('ics.status', { status: t(`move.status.${m.status}`) }) + (m.until ? t('ics.until', { until: formatDate(lang, m.until) }) : '');
    lines.push(
      'BEGIN:VEVENT',
      `UID:move-${m.id}@${host}`,
      `DTSTAMP:${dtstamp}`,
      `DTSTART;VALUE=DATE:${ymd(m.date)}`,
      `DTEND;VALUE=DATE:${ymd(nextDay(m.date))}`,
      `SUMMARY:${esc(summary)}`,
      `STATUS:${m.status === 'proposed' ? 'TENTATIVE' : 'CONFIRMED'}`,
      `DESCRIPTION:${esc(description)}`,
      'END:VEVENT',
    );
    if (m.until) {
      lines.push(
        'BEGIN:VEVENT',
        `UID:move-${m.id}-return@${host}`,
        `DTSTAMP:${dtstamp}`,
        `DTSTART;VALUE=DATE:${ymd(m.until)}`,
        `DTEND;VALUE=DATE:${ymd(nextDay(m.until))}`,
        `SUMMARY:${esc(t('ics.return', { ...words, from: words.to, to: words.from }))}`,
        'END:VEVENT',
      );
    }
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
