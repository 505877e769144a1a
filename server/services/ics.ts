/** Planned moves as an iCalendar feed (RFC 5545) for the relocation crew. */
import type { PlanMove } from '../planning/types.js';

const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');

/** Lines longer than 75 octets are folded with CRLF + space (UTF-8 safe). */
function fold(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let cur = '';
  for (const ch of line) {
    if (Buffer.byteLength(cur + ch, 'utf8') > (parts.length ? 74 : 75)) { parts.push(cur); cur = ''; }
    cur += ch;
  }
  parts.push(cur);
  return parts.join('\r\n ');
}

const ymd = (d: string) => d.replace(/-/g, '');
const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

export function movesIcs(moves: PlanMove[], names: { unit: (id: number) => string; site: (id: number | null) => string }, host: string, stamp: Date): string {
  const dtstamp = stamp.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Stadt Ulm//Standortplanung//DE', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH', 'X-WR-CALNAME:Standortplanung – Umzüge'];
  for (const m of moves) {
    const summary = `Umzug ${names.unit(m.unit_id)}: ${names.site(m.from_site_id)} → ${names.site(m.to_site_id)} (${m.headcount} Pers.)`;
    lines.push('BEGIN:VEVENT', `UID:move-${m.id}@${host}`, `DTSTAMP:${dtstamp}`, `DTSTART;VALUE=DATE:${ymd(m.date)}`, `DTEND;VALUE=DATE:${ymd(nextDay(m.date))}`,
      `SUMMARY:${esc(summary)}`, `STATUS:${m.status === 'proposed' ? 'TENTATIVE' : 'CONFIRMED'}`,
      `DESCRIPTION:${esc(`Status: ${m.status}${m.until ? `; befristet bis ${m.until}` : ''}`)}`, 'END:VEVENT');
    if (m.until) {
      lines.push('BEGIN:VEVENT', `UID:move-${m.id}-return@${host}`, `DTSTAMP:${dtstamp}`, `DTSTART;VALUE=DATE:${ymd(m.until)}`, `DTEND;VALUE=DATE:${ymd(nextDay(m.until))}`,
        `SUMMARY:${esc(`Rückzug ${names.unit(m.unit_id)}: ${names.site(m.to_site_id)} → ${names.site(m.from_site_id)} (${m.headcount} Pers.)`)}`, 'END:VEVENT');
    }
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
